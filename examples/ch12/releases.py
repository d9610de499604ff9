"""The coffee releases 1.0 and 1.1 (book ch12 ``coffee-1.0.rel``, ``coffee-1.1.rel``, ``relup``).

::

    release.boot(releases.REL_10)                 # erl -boot coffee-1.0
    release.make_relup(releases.REL_11, releases.REL_10)   # systools:make_relup
    release_handler.install_release(releases.REL_11)       # up: suspend, load, code_change, resume
    release_handler.install_release(releases.REL_10)       # down: code_change runs before the load
"""
from otp_lite import release

from . import coffee_1_0, coffee_1_1

COFFEE_10 = release.app_of(coffee_1_0)
COFFEE_11 = release.app_of(coffee_1_1)
REL_10 = release.release("coffee", "1.0", [(COFFEE_10, "permanent")])
REL_11 = release.release("coffee", "1.1", [(COFFEE_11, "permanent")])

from . import coffee_1_2                                   # noqa: E402  (not in the book)

COFFEE_12 = release.app_of(coffee_1_2)
REL_12 = release.release("coffee", "1.2", [(COFFEE_12, "permanent")])
# the same application, a new sys.config: tea costs more, and a currency
REL_13 = release.release("coffee", "1.3", [(COFFEE_12, "permanent")],
                         [("coffee", [("prices", [("tea", 120), ("espresso", 150), ("americano", 100),
                                                  ("cappuccino", 150)]), ("currency", "EUR")])])
