"""coffee_app vsn '1.2': the application callback, now with ``config_change/3``."""
from ..coffee_1_0 import coffee_sup

vsn = "1.2"


def start(_type, _args):
    return coffee_sup.start_link()


def stop(_state):
    return "ok"


def config_change(changed, new, removed):
    """Called by the release handler after an upgrade changed the environment."""
    print(f"config_change({changed!r}, {new!r}, {removed!r})")
    return "ok"
