"""relbuild: build a release by hand, as systools does (lab 11, book ch. 11).

A release is a set of application versions that boot together.  OTP's
``systools`` reads the ``.rel`` file and every application's ``.app`` file and
writes the boot script; the emulator's ``init`` runs it.  Here you write the
pieces yourself, on the ``otp_lite`` application controller.  README.md has
the tasks.

    boot_order(names, resources)                 the names in the order they boot
    make_rel(name, vsn, erts, apps, resources)   the .rel term, in boot order
    make_script(rel, resources)                  the boot script: loads, then starts
    boot(script, resources)                      run a script on otp_lite's application controller
    after_exit(started, app, reason)             what the controller does when an application dies

A resource is the term of a ``.app`` file: ``('application', name, [(key, value), ...])``.
"""
from otp_lite import application  # noqa: F401  (you will need it in task 4)

MANDATORY = ("kernel", "stdlib")
TYPES = ("permanent", "transient", "temporary", "load", "none")


def keys(res):
    """The ``[(key, value)]`` of a resource, as a dict (given)."""
    return dict(res[2])


# ---------------------------------------------------------------- 1. boot order
def boot_order(names, resources):
    """The applications of a release in the order they boot.

    Args:
        names: the names of the applications the release lists, in any order;
            kernel and stdlib may be missing (they boot anyway).
        resources: the ``.app`` terms of every application on the code path,
            ``('application', name, [(key, value), ...])``; there may be more
            than the release lists.

    Returns:
        A list of names: kernel, stdlib, then every other application after
        the applications it needs (``applications`` in its ``.app``) and the
        ones it includes (``included_applications``).  Or, as systools says:
        ``('error', ('undefined_applications', [names, sorted]))`` when an
        application needs or includes one the release does not list, and
        ``('error', ('circular_dependencies', [(name, vsn), ...]))`` when no
        order exists.

    Example:
        >>> boot_order(['web', 'db'], RES)     # web's .app: applications [kernel, stdlib, db]
        ['kernel', 'stdlib', 'db', 'web']
    """
    # TODO (student)
    pass


# ---------------------------------------------------------------- 2. the .rel
def make_rel(name, vsn, erts, apps, resources):
    """The ``.rel`` term: ``('release', (name, vsn), ('erts', erts), entries)``, entries in boot order."""
    # TODO (student)
    pass


# ---------------------------------------------------------------- 3. the boot script
def make_script(rel, resources):
    """The boot script of a ``.rel`` term: ``[('load', app), ..., ('start', app, type), ...]``."""
    # TODO (student)
    pass


# ---------------------------------------------------------------- 4. booting
def boot(script, resources):
    """Run a boot script on otp_lite's application controller: ``'ok'`` or the first error."""
    # TODO (student)
    pass


# ---------------------------------------------------------------- 5. start types
def after_exit(started, app, reason):
    """``('running', started_without_app)`` or ``('stopped', ('application_terminated', app, reason))``."""
    # TODO (student)
    pass
