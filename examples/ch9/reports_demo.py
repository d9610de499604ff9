"""Chapter 9: one worker under a supervisor, to show the four kinds of report.

    DemoSup   a one_for_one supervisor 'demo_sup' with one child, 'worker'
    Worker    a gen_server 'worker' whose call 'crash' divides by zero

Notebook 09 starts it with the logger at level ``info`` and crashes the worker:
progress, error, crash and supervisor reports, in OTP's order
(tests/oracle_probes/sasl_reports.erl is the Erlang twin).
"""
from otp_lite import gen_server


class Worker:
    @staticmethod
    def start_link():
        return gen_server.start_link(("local", "worker"), Worker, "worker", [])

    @staticmethod
    def init(_):
        return ("ok", 0)

    @staticmethod
    def handle_call(req, _from, s):
        if req == "crash":
            return 1 / 0
        return ("reply", s, s)

    @staticmethod
    def handle_cast(_msg, s):
        return ("noreply", s)


class DemoSup:
    @staticmethod
    def init(_):
        return ("ok", ({"strategy": "one_for_one"}, [{"id": "worker", "start": (Worker, "start_link", [])}]))
