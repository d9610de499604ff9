"""Mailbox + selective receive against a plain-list model (hypothesis stateful)."""
from hypothesis import settings, strategies as st, HealthCheck
from hypothesis.stateful import RuleBasedStateMachine, rule, invariant

from otp_lite import erlang, runtime
from otp_lite.erlang import ANY, TIMEOUT, match

tags = st.sampled_from(["a", "b", "c"])
nums = st.integers(0, 3)
msgs = st.one_of(st.tuples(tags, nums), tags, nums)
patterns = st.one_of(
    st.just(ANY), tags, nums,
    st.tuples(tags, st.just(ANY)), st.tuples(st.just(ANY), nums), st.tuples(tags, nums),
    st.sampled_from([int, str, tuple]),
    nums.map(lambda n: (lambda m, n=n: isinstance(m, tuple) and m[1] >= n)),
)


def model_take(model, pats):
    for i, m in enumerate(model):
        if not pats or any(match(p, m) for p in pats):
            return model.pop(i)
    return TIMEOUT


class MailboxMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        runtime.reset()
        self.me = erlang.self()
        self.model = []

    @rule(m=msgs)
    def send_self(self, m):
        erlang.send(self.me, m)
        self.model.append(m)

    @rule(batch=st.lists(msgs, max_size=5))
    def send_from_other_process(self, batch):
        me = self.me
        erlang.spawn(lambda: [erlang.send(me, m) for m in batch])
        runtime.run_until_idle()
        self.model.extend(batch)

    @rule(pats=st.lists(patterns, max_size=3))
    def receive_poll(self, pats):
        got = erlang.receive(*pats, timeout=0)
        want = model_take(self.model, pats)
        assert got is want if want is TIMEOUT else got == want

    @rule(pat=patterns)
    def receive_with_timeout(self, pat):
        t0 = runtime.now()
        got = erlang.receive(pat, timeout=7)
        want = model_take(self.model, [pat])
        if want is TIMEOUT:
            assert got is TIMEOUT and runtime.now() == t0 + 7
        else:
            assert got == want and runtime.now() == t0

    @rule()
    def flush(self):
        assert erlang.flush() == self.model
        self.model.clear()

    @invariant()
    def same_messages(self):
        assert erlang.process_info(self.me, "messages")[1] == self.model


MailboxMachine.TestCase.settings = settings(
    max_examples=60, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
test_mailbox_model = MailboxMachine.TestCase
