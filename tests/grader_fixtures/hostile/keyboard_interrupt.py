# BASE: solution
# ATTACK (or an honest bug): BaseExceptions from the learner's code, in a working server.
def allocate(timeout=5000):
    raise KeyboardInterrupt


def deallocate(freq):
    raise SystemExit(0)


def stop():
    raise GeneratorExit


def format_status(opt, items):
    import pytest
    pytest.skip("nothing to see")
