"""Chapter 15: a frequency-server-like service with a cost, and a rate limiter in front of it.

``start(service_ms)`` starts the naive server: every ``'work'`` call costs
``service_ms`` of (virtual) time, so its capacity is ``1000 / service_ms`` req/s.
``request()`` is one client call (1 s timeout).  ``Bucket`` is a token bucket:
load regulation at the edge, as the ``jobs`` library does -- a request beyond
the rate is refused at once instead of queueing.
"""
import sys

from otp_lite import erlang, gen_server, timer
from otp_lite.kernel import state as _state


def _me():
    return sys.modules[__name__]


def start(service_ms=2):
    old = erlang.whereis("service")
    if old != "undefined":
        erlang.unlink(old)
        erlang.exit(old, "kill")
        timer.sleep(1)
    r = gen_server.start(("local", "service"), _me(), service_ms, [])
    return r


def request(timeout=1000):
    return gen_server.call("service", "work", timeout)


def init(service_ms):
    return ("ok", service_ms)


def handle_call(_req, _from, service_ms):
    timer.sleep(service_ms)                 # the work: CPU time, on the virtual clock
    return ("reply", "ok", service_ms)


class Bucket:
    """A token bucket: ``rate`` tokens/s, at most ``burst`` saved up."""

    def __init__(self, rate, burst):
        self.rate, self.burst = rate, burst
        self.tokens, self.t = burst, 0.0

    def take(self):
        now = _state.rt.now_ms()
        self.tokens = min(self.burst, self.tokens + (now - self.t) * self.rate / 1000)
        self.t = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

    def request(self, timeout=1000):
        """A request through the bucket: ``('error', 'rate_limited')`` when over the rate."""
        return request(timeout) if self.take() else ("error", "rate_limited")
