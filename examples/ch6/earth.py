"""earth: a state machine as mutually recursive functions; mirrors the book's ch6 `earth`.

    day   --sunset-->  night
    day   --eclipse--> day
    night --sunrise--> day   (the roosters crow)

Each state is a function that waits in ``receive`` for the events it accepts;
an event it does not accept stays in the mailbox until a later state takes it
(``sunrise`` sent during the day waits for the night).  Erlang's tail calls
become a loop here: each state function *returns* the next state function.
"""
from otp_lite import erlang, runtime

STATES = ["day", "night"]
TRANSITIONS = [("day", "day", "eclipse"), ("day", "night", "sunset"), ("night", "day", "sunrise")]


def start():
    return erlang.spawn(init)


def init():
    create_earth()
    state = day
    while True:
        state = state()


def day():
    msg = erlang.receive("eclipse", "sunset")
    nxt = "day" if msg == "eclipse" else "night"
    runtime.emit("state", module="earth", old="day", new=nxt, event=("info", msg))
    return day if msg == "eclipse" else night


def night():
    msg = erlang.receive("sunrise")
    make_roosters_crow()
    runtime.emit("state", module="earth", old="night", new="day", event=("info", msg))
    return day


def create_earth():
    return "ok"


def make_roosters_crow():
    return "ok"
