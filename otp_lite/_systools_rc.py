"""High-level appup instructions -> the low-level relup script: OTP 25 ``systools_rc``.

``translate_scripts(mode, scripts, appls, pre_appls)`` is what
``systools:make_relup`` calls with the appup instructions of every changed
application (``mode`` ``'up'`` or ``'dn'``; ``appls`` the target versions,
``pre_appls`` the ones replaced, each an ``AppVersion``).  It answers
``('ok', low_level)`` or ``('error', reason)``.  The expansion, checked against
OTP 25 (tests/oracle_probes/ch12_appup_instructions.erl):

=============================================  ==============================================
high level                                     low level
=============================================  ==============================================
``('load_module', M[, Pre, Post][, Deps])``    ``load_object_code``; ``('load', (M, Pre, Post))``
``('add_module', M[, Deps])``                  the same, brutal_purge twice (M is new)
``('update', M, ('advanced', X)[, Deps])``     ``suspend``, ``load``, ``code_change`` (up: after
                                               the load; down: before), ``resume``
``('update', M)`` (soft)                       ``suspend``, ``load``, ``resume``
``('update', M, 'supervisor')``                static: ``code_change`` with ``[]``, after the load
``('delete_module', M)``                       ``('remove', (M, bp, bp))``, ``('purge', [M])``
``('apply', (M, F, A))``                       itself
``('restart_application', App)``               ``apply application.stop``, remove and purge the
                                               old modules, load the new, ``apply application.start``
``('add_application', App[, Type])``           load its modules, ``apply application.start``
``('remove_application', App)``                stop, remove, purge, ``apply application.unload``
``'restart_new_emulator'``                     first of all when going up (last as
                                               ``restart_emulator`` when going down)
=============================================  ==============================================

``Pre``/``Post`` are ``'soft_purge'`` | ``'brutal_purge'`` (default brutal).
``Deps`` (DepMods) lists modules that ``M`` depends on, each with an
instruction of its own: going up they are loaded *before* ``M`` (down: after),
and processes are suspended in dependency order, resumed in reverse.  Every
``load_object_code`` of one application merges into one, before
``point_of_no_return``.
"""
from __future__ import annotations

__all__ = ["translate_scripts"]

BP = "brutal_purge"
_DEP = ("update", "load_module", "add_module", "remove_module")
_PURGE = ("soft_purge", "brutal_purge")


class _Err(Exception):
    pass


def _tup(i):
    return i if type(i) is tuple else (i,)


def _expand(i):
    """OTP's expand_script: the short forms -> the long ones."""
    t, n = _tup(i), len(_tup(i))
    k = t[0]
    if k == "load_module" and n == 2:
        return [("load_module", t[1], BP, BP, [])]
    if k == "load_module" and n == 3 and type(t[2]) is list:
        return [("load_module", t[1], BP, BP, t[2])]
    if k == "update" and n == 2:
        return [("update", t[1], "soft", BP, BP, [])]
    if k == "update" and n == 3:
        if t[2] == "supervisor":
            return [("update", t[1], "static", "default", ("advanced", []), BP, BP, [])]
        if type(t[2]) is tuple or t[2] == "soft":
            return [("update", t[1], t[2], BP, BP, [])]
        if type(t[2]) is list:
            return [("update", t[1], "soft", BP, BP, t[2])]
    if k == "update" and n == 4 and type(t[3]) is list and (type(t[2]) is tuple or t[2] == "soft"):
        return [("update", t[1], t[2], BP, BP, t[3])]
    if k == "delete_module" and n == 2:
        return [("remove", (t[1], BP, BP)), ("purge", [t[1]])]
    if k == "add_application" and n == 2:
        return [("add_application", t[1], "permanent")]
    return [i]


def _check(i):
    t = _tup(i)
    k, n = t[0], len(t)
    ok = ((k == "update" and n in (6, 7, 8) and t[-3] in _PURGE and t[-2] in _PURGE and type(t[-1]) is list
           and (t[-4] == "soft" or (type(t[-4]) is tuple and t[-4][0] == "advanced")))
          or (k == "load_module" and n == 5 and t[2] in _PURGE and t[3] in _PURGE and type(t[4]) is list)
          or (k == "remove_module" and n == 5 and t[2] in _PURGE and t[3] in _PURGE)
          or (k == "add_module" and n in (2, 3))
          or (k in ("restart_application", "remove_application") and n == 2)
          or (k == "add_application" and n == 3
              and t[2] in ("none", "load", "temporary", "transient", "permanent"))
          or (k in ("load", "remove") and n == 2 and type(t[1]) is tuple and t[1][1] in _PURGE and t[1][2] in _PURGE)
          or (k in ("load_object_code", "purge", "suspend", "resume", "apply", "code_change") and n in (2, 3))
          or (i in ("point_of_no_return", "restart_new_emulator", "restart_emulator")))
    if not ok:
        raise _Err(("bad_instruction", i))


def _normalise(i):
    t = _tup(i)
    if t[0] == "update" and len(t) == 6:
        return ("update", t[1], "dynamic", "default") + t[2:]
    if t[0] == "update" and len(t) == 7:
        return ("update", t[1], "dynamic") + t[2:]
    if t[0] == "add_module" and len(t) == 2:
        return ("add_module", t[1], [])
    return i


def _find(name, apps):
    for a in apps:
        if a.name == name:
            return a
    return None


def _applications(script, appls, pre_appls):
    out = []
    for i in script:
        k = _tup(i)[0]
        if k == "add_application":
            a = _find(i[1], appls)
            if a is None:
                raise _Err(("no_such_application", i[1]))
            out += [("add_module", m, []) for m in a.modules]
            if i[2] == "load":
                out.append(("apply", ("application", "load", [i[1]])))
            elif i[2] != "none":
                out.append(("apply", ("application", "start", [i[1], i[2]])))
        elif k == "remove_application":
            if _find(i[1], appls) is not None:
                raise _Err(("removed_application_present", i[1]))
            a = _find(i[1], pre_appls)
            if a is None:
                raise _Err(("no_such_application", i[1]))
            mods = list(a.modules)
            out += ([("apply", ("application", "stop", [i[1]]))] + [("remove", (m, BP, BP)) for m in mods]
                    + [("purge", mods), ("apply", ("application", "unload", [i[1]]))])
        elif k == "restart_application":
            pre, post = _find(i[1], pre_appls), _find(i[1], appls)
            if pre is None or post is None:
                raise _Err(("no_such_application", i[1]))
            pre_mods = list(pre.modules)
            out += ([("apply", ("application", "stop", [i[1]]))] + [("remove", (m, BP, BP)) for m in pre_mods]
                    + [("purge", pre_mods)] + [("add_module", m, []) for m in post.modules]
                    + [("apply", ("application", "start", [i[1], "permanent"]))])
        else:
            out.append(i)
    return [("load_module", i[1], BP, BP, i[2]) if _tup(i)[0] == "add_module" else i for i in out]


def _order(deps, comp, index):
    """Instructions of one weak component in dependency order (a module before those it
    depends on), strongly connected ones by their order in the appup, as OTP's
    condensation + topsort."""
    sccs, stack, low, num, on = [], [], {}, {}, set()

    def strong(v):                                  # Tarjan
        num[v] = low[v] = len(num)
        stack.append(v)
        on.add(v)
        for w in deps[v]:
            if w not in num:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], num[w])
        if low[v] == num[v]:
            scc = []
            while True:
                w = stack.pop()
                on.discard(w)
                scc.append(w)
                if w == v:
                    break
            sccs.append(sorted(scc, key=index.get))
    for v in sorted(comp, key=index.get):
        if v not in num:
            strong(v)
    return [m for scc in reversed(sccs) for m in scc]     # Tarjan emits reverse topological order


def _lib(mod, appls):
    for a in appls:
        if mod in a.modules:
            return a.name, a.vsn
    raise _Err(("no_such_module", mod))


def _to_low(mode, instrs, appls):
    upd = [i[1] for i in instrs if i[0] == "update"]
    lr = [("remove" if i[0] == "remove_module" else "load", (i[1],) + tuple(i[-3:-1])) for i in instrs]
    objs = [("load_object_code", _lib(m, appls) + ([m],)) for op, (m, _a, _b) in lr if op == "load"]
    sus = [("suspend", upd)] if upd else []
    res = [("resume", upd[::-1])] if upd else []
    if mode == "up":
        cc = [(i[1], i[4][1]) for i in instrs if i[0] == "update" and type(i[4]) is tuple]
        return objs, sus + lr[::-1] + ([("code_change", "up", cc)] if cc else []) + res
    pre = [(i[1], i[4][1]) for i in instrs if i[0] == "update" and i[2] == "dynamic" and type(i[4]) is tuple]
    post = [(i[1], i[4][1]) for i in instrs if i[0] == "update" and i[2] == "static" and type(i[4]) is tuple]
    return objs, (sus + ([("code_change", "down", pre)] if pre else []) + lr
                  + ([("code_change", "down", post)] if post else []) + res)


def _dependent(mode, after, appls):
    deps, data = {}, {}
    for n, i in enumerate(x for x in after if _tup(x)[0] in _DEP):
        if i[1] in deps:
            raise _Err(("muldef_module", i[1]))
        deps[i[1]], data[i[1]] = list(i[-1]), (n, i)
    for m, ds in deps.items():
        for d in ds:
            if d not in deps:
                raise _Err(("undef_module", d))
    index = {m: d[0] for m, d in data.items()}
    undirected = {m: set(ds) for m, ds in deps.items()}
    for m, ds in deps.items():
        for d in ds:
            undirected[d].add(m)
    before, out, done = [], [], set()
    for i in after:
        if _tup(i)[0] not in _DEP:
            out.append(i)
            continue
        if i[1] in done:
            continue
        comp, todo = set(), [i[1]]
        while todo:
            v = todo.pop()
            if v not in comp:
                comp.add(v)
                todo += undirected[v]
        done |= comp
        b, a = _to_low(mode, [data[m][1] for m in _order(deps, comp, index)], appls)
        before += b
        out += a
    return before, out


def _merge_objs(before):
    libs, other = {}, []
    for i in before:
        if i[0] == "load_object_code":
            lib, vsn, mods = i[1]
            if lib in libs and libs[lib][0] != vsn:
                raise _Err(("conflicting_versions", lib, libs[lib][0], vsn))
            libs.setdefault(lib, (vsn, []))
            libs[lib][1].extend(m for m in mods if m not in libs[lib][1])
        else:
            other.append(i)
    return [("load_object_code", (lib, vsn, mods)) for lib, (vsn, mods) in libs.items()] + other


def translate_scripts(mode, scripts, appls, pre_appls):
    try:
        before, after = [], []
        for s in scripts:
            s = [x for i in s for x in _expand(i)]
            if "point_of_no_return" in s:
                k = s.index("point_of_no_return")
                b, a = s[:k], s[k + 1:]
            else:
                b, a = [], s
            for i in b:
                if _tup(i)[0] not in ("load_object_code", "apply"):
                    raise _Err(("bad_op_before_point_of_no_return", i))
            before += b + [i for i in a if _tup(i)[0] == "load_object_code"]
            after += [i for i in a if _tup(i)[0] != "load_object_code"]
        for i in before + after:
            _check(i)
        after = _applications([_normalise(i) for i in after], appls, pre_appls)
        b, after = _dependent(mode, after, appls)
        before = _merge_objs(before + b)
        if "restart_new_emulator" in after:
            after = [i for i in after if i != "restart_new_emulator"]
            if mode == "up":
                before = ["restart_new_emulator"] + before
            elif "restart_emulator" not in after:
                after.append("restart_emulator")
        if "restart_emulator" in after:
            after = [i for i in after if i != "restart_emulator"] + ["restart_emulator"]
        return ("ok", before + ["point_of_no_return"] + after)
    except _Err as e:
        return ("error", e.args[0])
