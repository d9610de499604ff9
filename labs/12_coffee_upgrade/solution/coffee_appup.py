"""coffee_appup: the ``coffee.appup`` of application coffee 1.1 (lab 12) -- reference.

OTP's file ``ebin/coffee.appup`` holds one term::

    {"1.1",
     [{"1.0", [{update, coffee_fsm, {advanced, {}}}]}],    % up from 1.0
     [{"1.0", [{update, coffee_fsm, {advanced, {}}}]}]}.   % down to 1.0
"""


def appup():
    return ("1.1",
            [("1.0", [("update", "coffee_fsm", ("advanced", ()))])],
            [("1.0", [("update", "coffee_fsm", ("advanced", ()))])])
