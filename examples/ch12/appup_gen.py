"""A tiny appup generator: compare two versions of an application, as rebar3_appup_plugin does.

``generate(old, new)`` -> ``(new_vsn, [(old_vsn, up)], [(old_vsn, down)])``, the
``.appup`` term, from two ``release.AppVersion``\\ s:

* a module only in ``new`` is ``('add_module', M)`` up, ``('delete_module', M)`` down;
* a module only in ``old`` is the reverse;
* a module in both whose ``vsn`` differs (Erlang's default vsn is an MD5 of the
  code; here ``code.Version``'s, the same rule) is
  ``('update', M, 'supervisor')`` for a supervisor,
  ``('update', M, ('advanced', []))`` if it keeps state (``code_change`` or
  ``system_code_change``), else ``('load_module', M)``.

What the plugin does and this does not: DepMods from the calls between the
changed modules, and the sorting of instructions by those dependencies.
"""
from otp_lite.code import Version


def _vsn(ns):
    return Version("m", ns, None, 0).vsn


def _instr(mod, ns):
    if getattr(ns, "behaviour", None) == "supervisor":
        return ("update", mod, "supervisor")
    if hasattr(ns, "code_change") or hasattr(ns, "system_code_change"):
        return ("update", mod, ("advanced", []))
    return ("load_module", mod)


def _script(frm, to, newer):
    added = [("add_module", m) for m in to.modules if m not in frm.modules]
    changed = [_instr(m, newer.modules[m]) for m in to.modules          # the new code decides, both ways
               if m in frm.modules and _vsn(to.modules[m]) != _vsn(frm.modules[m])]
    deleted = [("delete_module", m) for m in frm.modules if m not in to.modules]
    return added + changed + deleted


def generate(old, new):
    return (new.vsn, [(old.vsn, _script(old, new, new))], [(old.vsn, _script(new, old, new))])
