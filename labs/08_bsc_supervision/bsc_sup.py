"""bsc_sup: the base station controller's top supervisor (lab 08, book ch. 8).

    start_link()   registered 'bsc_sup'; rest_for_one, intensity 2, period 3600 over,
                   in start order: freq_overload, frequency, simple_phone_sup
    init(args)     creates the HLR tables (hlr.new()), then returns the specification

The three children's start functions are ``freq_overload.start_link()``,
``frequency.start_link()`` (given) and ``simple_phone_sup.start_link()`` (yours).
"""
import sys

import freq_overload  # noqa: F401  (given)
import frequency  # noqa: F401      (given)
import hlr  # noqa: F401            (given)
import simple_phone_sup  # noqa: F401
from otp_lite import supervisor  # noqa: F401  (you will need it)


def start_link():
    # TODO (student): supervisor.start_link(('local', 'bsc_sup'), this module, []).
    pass


def init(args):
    # TODO (student): hlr.new(); then ('ok', (sup_flags, [three child specs, in start order])).
    pass
