"""Event managers and handlers: mirrors OTP ``gen_event`` (OTP 25); book ch. 7.

=======================================  =============================================
gen_event API (manager ref)              handler callback (your namespace)
=======================================  =============================================
``start / start_link([name])``           (an empty manager)
``add_handler(m, h, args)``              ``init(args)``
``add_sup_handler(m, h, args)``          ``init(args)``, and the caller supervises h
``notify(m, ev)`` / ``sync_notify``      ``handle_event(ev, state)`` in every handler
``call(m, h, request[, timeout])``       ``handle_call(request, state)``
any other message to the manager         ``handle_info(msg, state)`` in every handler
``delete_handler(m, h, args)``           ``terminate(args, state)`` -> its value is returned
``swap_handler(m, (h1, a1), (h2, a2))``  ``h1.terminate(a1, s1)`` -> r; ``h2.init((a2, r))``
``stop(m)``                              ``terminate('stop', state)`` in every handler
``sys.change_code``                      ``code_change(old_vsn, state, extra)``
=======================================  =============================================

A handler is a callback namespace ``h`` or ``(h, id)``, so one namespace can be
installed several times; ``which_handlers`` lists the newest first.  A manager
under a supervisor has ``modules = 'dynamic'`` in its child spec (its modules
change as handlers come and go); the release handler asks it with the request
``'get_modules'`` and gets the handlers' module names, sorted, as in OTP.

Returns (the contract)::

    init          -> ('ok', S) | ('ok', S, 'hibernate') | anything else: returned, not added
    handle_event / handle_info
                  -> ('ok', S) | ('ok', S, 'hibernate') | 'remove_handler'
                   | ('swap_handler', args1, S, handler2, args2)
    handle_call   -> ('ok', reply, S) | ('ok', reply, S, 'hibernate') | ('remove_handler', reply)
                   | ('swap_handler', reply, args1, S, handler2, args2)

A ``'hibernate'`` from any handler parks the manager in ``erlang:hibernate/3``
until its next message (system messages leave it there), as OTP.
``sys.get_status`` shows each handler's state through its
``format_status(opt, [pdict, state])`` when it has one, and so does the
handler's crash report (``'terminate'``).

Failure rule: a handler that raises or returns anything else is removed
(``terminate(('error', ('EXIT', reason)) | ('error', bad), state)``), an ERROR
REPORT "gen_event handler H crashed." is logged, and the manager and the other
handlers keep running.  A supervising process (``add_sup_handler``) gets
``('gen_event_EXIT', h, reason)`` whenever its handler goes (``'normal'``,
``'shutdown'``, ``('swapped', h2, pid)``, or the crash reason); if it dies, its
handlers are removed with ``terminate(('stop', reason), state)``.
``notify`` to an unregistered name is ``badarg`` (it is ``Name ! Msg``);
``sync_notify``/``add_handler``/... to a dead manager exit ``'noproc'``;
``call`` exits ``('noproc', ('gen_event', 'call', [m, h, request]))``.

See also: otp_lite.alarm_handler, otp_lite.gen_server, otp_lite.sys.
"""
from __future__ import annotations

import weakref

from . import erlang, logger, proc_lib, _gen
from . import _hibernate as _hib
from . import sys as _sys
from .erlang import Exit, ErlangError, Throw, Pid
from .kernel import state as _state
from .kernel.signals import Killed

__all__ = ["start", "start_link", "start_monitor", "add_handler", "add_sup_handler",
           "delete_handler", "swap_handler", "swap_sup_handler", "notify", "sync_notify",
           "call", "which_handlers", "stop"]

BEHAVIOUR_NAME = "gen_event"


# ================================================================ API
def _start(how, args):
    name, opts = None, []
    if len(args) >= 1:
        if isinstance(args[0], list):
            opts = args[0]
        else:
            name = _gen.check_name(args[0])
            opts = args[1] if len(args) > 1 else []
    timeout = dict(o for o in opts if type(o) is tuple and len(o) == 2).get("timeout", "infinity")
    return _gen.start(how, _init_it, (how, name, opts), timeout, ("gen_event", "init_it", 6))


def start(*args):
    """``start()``, ``start(name)``, ``start(name, options)`` -> ``('ok', pid)`` | ``('error', ('already_started', pid))``."""
    return _start("nolink", args)


def start_link(*args):
    return _start("link", args)


def start_monitor(*args):
    return _gen.monitor_result(_start("monitor", args))


def _rpc(m, req, timeout="infinity"):
    # OTP's gen_event labels its requests with the caller's pid: {Pid, {Pid, Tag}, Request}
    return _gen.call(m, _state.rt.current, req, timeout, None)


def _plain(m, req, timeout="infinity"):
    try:
        return _rpc(m, req, timeout)
    except Exit as e:
        r = e.reason
        raise Exit(r[0] if type(r) is tuple and len(r) == 2 and r[1] is None else r) from None


def add_handler(m, handler, args):
    return _plain(m, ("add_handler", handler, args))


def add_sup_handler(m, handler, args):
    return _plain(m, ("add_sup_handler", handler, args, erlang.self()))


def delete_handler(m, handler, args):
    """Remove ``handler``; returns what its ``terminate(args, state)`` returned."""
    return _plain(m, ("delete_handler", handler, args))


def _pairs(h1_a1, h2_a2):
    for x in (h1_a1, h2_a2):
        if type(x) is not tuple or len(x) != 2:
            # OTP 25: gen_event:swap_handler(m, a, b) -> error:function_clause (ch23_bad_input_bifs.out)
            raise erlang.ErlangError("function_clause", f"swap_handler takes (handler, args) pairs, got {x!r}")
    return h1_a1, h2_a2


def swap_handler(m, h1_a1, h2_a2):
    (h1, a1), (h2, a2) = _pairs(h1_a1, h2_a2)
    return _plain(m, ("swap_handler", h1, a1, h2, a2, False))


def swap_sup_handler(m, h1_a1, h2_a2):
    (h1, a1), (h2, a2) = _pairs(h1_a1, h2_a2)
    return _plain(m, ("swap_handler", h1, a1, h2, a2, erlang.self()))


def which_handlers(m):
    return _plain(m, "which_handlers")


def notify(m, event):
    """Asynchronous: ``'ok'``; an unknown registered name is ``badarg`` (``Name ! Msg``)."""
    _send(m, ("notify", event))
    return "ok"


def sync_notify(m, event):
    """Returns ``'ok'`` once every handler has handled ``event``."""
    return _plain(m, ("sync_notify", event))


def call(m, handler, request, timeout=5000):
    """``handle_call`` of one handler; ``('error', 'bad_module')`` if not installed."""
    args = [m, handler, request] if timeout == 5000 else [m, handler, request, timeout]
    try:
        return _rpc(m, ("call", handler, request), timeout)
    except Exit as e:
        r = e.reason
        raise Exit((r[0], ("gen_event", "call", args))) from None


def stop(m, reason="normal", timeout="infinity"):
    _gen.check_stop_timeout(m, reason, timeout)               # gen:stop/3 guard, as OTP 25
    return proc_lib.stop(m, reason, timeout)


def _send(m, msg):
    if type(m) is tuple and m and m[0] in ("global", "via"):
        p = _gen.where(m)
        if p is not None:
            erlang.send(p, msg)
    else:
        erlang.send(m, msg)


# ================================================================ the manager
def _init_it(how, name, opts):
    me, parent = _gen.init_start(how, name)
    erlang.process_flag("trap_exit", True)
    me.label = "gen_event"
    deb = _sys.debug_options(dict(o for o in opts if type(o) is tuple).get("debug"))
    m = _Manager(parent, name or me, deb)
    _published[me] = m                  # before the ack: peek_handlers sees it as soon as start returns
    proc_lib.init_ack(("ok", me))
    m.loop()


_published = weakref.WeakKeyDictionary()     # manager pid -> its _Manager (the object it runs on)


def peek_handlers(m):
    """otp_lite extra (not in OTP), for viewers: the handlers' ids and states, read without asking.

    ``[(handler_id, state), ...]``, newest first as ``which_handlers``, read
    from the manager's own object: looking sends no message, makes no trace
    event and costs the manager nothing.  ``None`` when ``m`` (a pid or a
    locally registered name) is not a running event manager.
    """
    pid = erlang.whereis(m) if type(m) is str else m
    mgr = _published.get(pid) if type(pid) is Pid else None
    if mgr is None or not pid.alive:
        return None
    return [(h.id, h.state) for h in mgr.handlers]


class _Handler:
    __slots__ = ("id", "mod", "state", "sup", "gone")

    def __init__(self, hid, state, sup):
        self.id = hid
        self.mod = hid[0] if type(hid) is tuple else hid
        self.state = state
        self.sup = sup
        self.gone = False               # taken out of the manager (notify skips it: O(1))

    @property
    def label(self):
        return _hid_str(self.id)


def _hid_str(hid):
    if type(hid) is tuple and len(hid) == 2:
        return repr((_gen.module_name(hid[0]), hid[1]))
    return _gen.module_name(hid)


def _same(a, b):
    if type(a) is tuple and type(b) is tuple:
        return len(a) == len(b) == 2 and a[0] is b[0] and a[1] == b[1]
    return a is b


class _Manager:
    BEHAVIOUR_NAME = "gen_event"

    def __init__(self, parent, name, deb):
        self.parent, self.name, self.deb = parent, name, deb
        self.handlers = []               # newest first
        self.hib = False                 # a handler asked for hibernate while handling the last message

    # ------------------------------------------------------------ the MAIN loop
    def loop(self):
        rt = _state.rt
        while True:
            if self.hib:                 # OTP: erlang:hibernate/3 until the next message
                msg = _hib.hibernate(rt.receive, (), "infinity")
            else:
                msg = rt.receive((), "infinity")
            tag = msg[0] if type(msg) is tuple and msg else None
            if tag != "system":
                self.hib = False
            if self.deb:
                self.deb = _sys.handle_debug(self.deb, _fmt, _gen.name_of(self.name), ("in", msg))
            if tag == "system" and len(msg) == 3:
                self.deb, self.handlers = _sys.handle_system_msg(msg[2], msg[1], self.parent, self,
                                                                 self.deb, self.handlers, self.hib)
            elif tag == "EXIT" and len(msg) == 3:
                if msg[1] is self.parent:
                    self.terminate_server(msg[2])
                self.handle_exit(msg[1], msg[2])
            elif tag == "notify" and len(msg) == 2:
                self.notify(msg[1], "handle_event")
            elif type(tag) is erlang.Pid and len(msg) == 3 and type(msg[1]) is tuple:
                _gen.reply(msg[1], self.request(msg[2]))
            else:
                self.notify(msg, "handle_info")

    def request(self, req):
        kind = req[0] if type(req) is tuple else req
        if kind == "sync_notify":
            self.notify(req[1], "handle_event")
            return "ok"
        if kind == "add_handler":
            return self.add(req[1], req[2], None)
        if kind == "add_sup_handler":
            erlang.link(req[3])
            return self.add(req[1], req[2], req[3])
        if kind == "delete_handler":
            h = self.find(req[1])
            if h is None:
                return ("error", "module_not_found")
            return self.remove(h, req[2], "normal")
        if kind == "swap_handler":
            return self.swap(*req[1:])
        if kind == "call":
            return self.call(req[1], req[2])
        if kind == "which_handlers":
            return [h.id for h in self.handlers]
        if kind == "get_modules":       # the release handler's question (child spec modules = 'dynamic')
            return sorted({_gen.module_name(h.id[0] if type(h.id) is tuple else h.id) for h in self.handlers})
        return ("error", ("unknown_request", req))

    # ------------------------------------------------------------ handlers
    def find(self, hid):
        for h in self.handlers:
            if _same(h.id, hid):
                return h
        return None

    def add(self, hid, args, sup):
        mod = hid[0] if type(hid) is tuple else hid
        try:
            ret = _gen.resolve(mod).init(args)
        except Throw as t:
            ret = t.value
        except Killed:
            raise
        except Exit as e:
            return ("EXIT", e.reason)
        except Exception as e:                       # noqa: BLE001
            return ("EXIT", _state.rt.error_reason(e))
        if type(ret) is tuple and ret and ret[0] == "ok" and len(ret) in (2, 3):
            self.handlers.insert(0, _Handler(hid, ret[1], sup))
            self.hib = self.hib or (len(ret) == 3 and ret[2] == "hibernate")
            return "ok"
        return ret

    def remove(self, h, args, sup_reason, report=None):
        """Take ``h`` out, run ``terminate(args, state)``; returns its value."""
        if not h.gone:
            h.gone = True
            try:
                self.handlers.remove(h)
            except ValueError:          # (a state replaced by sys no longer holds it)
                pass
        res = "ok"
        term = getattr(_gen.resolve(h.mod), "terminate", None)
        if term is not None:
            try:
                res = term(args, h.state)
            except Throw as t:
                res = t.value
            except Killed:
                raise
            except Exit as e:
                res = ("EXIT", e.reason)
            except Exception as e:                   # noqa: BLE001
                res = ("EXIT", _state.rt.error_reason(e))
        if report is not None:
            self.error_report(h, report[0], report[1])
        if h.sup is not None:
            erlang.send(h.sup, ("gen_event_EXIT", h.id, sup_reason))
            if not any(o.sup is h.sup for o in self.handlers) and h.sup is not self.parent:
                erlang.unlink(h.sup)
        return res

    def crash(self, h, why, last):
        """A handler crashed (``why`` = ('EXIT', reason)) or returned ``why``: remove and report."""
        self.remove(h, ("error", why), why, report=(why, last))

    def run(self, h, fun_name, args):
        """-> ('ok', ret) | ('crash', ('EXIT', reason))"""
        mod = _gen.resolve(h.mod)
        fun = getattr(mod, fun_name, None)
        if fun is None:
            if fun_name == "handle_info":
                _gen.undefined_handle_info(h.mod, args[0])
                return ("ok", ("ok", h.state))
            return ("crash", ("EXIT", ("undef", [(_gen.module_name(h.mod), fun_name, list(args))])))
        try:
            return ("ok", fun(*args))
        except Throw as t:
            return ("ok", t.value)
        except Killed:
            raise
        except Exit as e:
            return ("crash", ("EXIT", e.reason))
        except Exception as e:                       # noqa: BLE001
            return ("crash", ("EXIT", _state.rt.error_reason(e)))

    def notify(self, event, fun_name):
        for h in list(self.handlers):
            if h.gone:                      # removed by an earlier handler of this event
                continue
            how, ret = self.run(h, fun_name, (event, h.state))
            if how == "crash":
                self.crash(h, ret, event)
            elif type(ret) is tuple and ret and ret[0] == "ok" and len(ret) in (2, 3):
                h.state = ret[1]
                self.hib = self.hib or (len(ret) == 3 and ret[2] == "hibernate")
            elif ret == "remove_handler":
                self.remove(h, "remove_handler", "normal")
            elif type(ret) is tuple and len(ret) == 5 and ret[0] == "swap_handler":
                _, a1, s, h2, a2 = ret
                h.state = s
                self.swap(h.id, a1, h2, a2, h.sup if h.sup is not None else False)
            else:
                self.crash(h, ret, event)

    def swap(self, h1, a1, h2, a2, sup):
        old = self.find(h1)
        new_sup = None if sup is False else sup
        if old is None:
            state2 = "error"
        else:
            new_sup = old.sup if sup is False else sup
            state2 = self.remove(old, a1, ("swapped", h2, new_sup if new_sup is not None else False))
        if sup is not False:
            erlang.link(sup)
        ret = self.add(h2, (a2, state2), new_sup)
        return ret if ret == "ok" else ("error", ret)     # OTP: {error, {'EXIT', R}} / {error, Init}

    def call(self, hid, request):
        h = self.find(hid)
        if h is None:
            return ("error", "bad_module")
        how, ret = self.run(h, "handle_call", (request, h.state))
        if how == "crash":
            self.crash(h, ret, request)
            return ("error", ret)
        if type(ret) is tuple and len(ret) in (3, 4) and ret[0] == "ok":
            h.state = ret[2]
            self.hib = self.hib or (len(ret) == 4 and ret[3] == "hibernate")
            return ret[1]
        if type(ret) is tuple and len(ret) == 2 and ret[0] == "remove_handler":
            self.remove(h, "remove_handler", "normal")
            return ret[1]
        if type(ret) is tuple and len(ret) == 6 and ret[0] == "swap_handler":
            _, reply, a1, s, h2, a2 = ret
            h.state = s
            self.swap(h.id, a1, h2, a2, h.sup if h.sup is not None else False)
            return reply
        self.crash(h, ret, request)
        return ("error", ret)

    def handle_exit(self, frm, reason):
        for h in [h for h in self.handlers if h.sup is frm]:
            h.gone = True
            self.handlers.remove(h)
            term = getattr(_gen.resolve(h.mod), "terminate", None)
            if term is not None:
                try:
                    term(("stop", reason), h.state)
                except Exception:                    # noqa: BLE001
                    pass
        self.notify(("EXIT", frm, reason), "handle_info")

    def terminate_server(self, reason):
        for h in list(self.handlers):
            self.remove(h, "stop", "shutdown")
        raise Exit(reason)

    def shown_state(self, h):
        """The handler's state as its crash report shows it: format_status(terminate, [pdict, state])."""
        return _handler_status(h, "terminate", list((_state.rt.current.dict or {}).items()))

    def error_report(self, h, why, last):
        reason = why[1] if type(why) is tuple and len(why) == 2 and why[0] == "EXIT" else why
        name = _gen.name_of(self.name)
        lines = [f"** gen_event handler {h.label} crashed.",
                 f"** Was installed in {name if type(name) is str else repr(name)}",
                 f"** Last event was: {last if type(last) is str else repr(last)}",
                 f"** When handler state == {logger.fmt(self.shown_state(h), 26)}",
                 f"** Reason == {reason if type(reason) is str else logger.fmt(reason, 12)}"]
        logger.error(lines, kind="error_report", pid=_state.rt.current, reason=reason)

    # ------------------------------------------------------------ sys callbacks
    def system_get_state(self, handlers):
        return ("ok", [(h.mod, h.id[1] if type(h.id) is tuple else False, h.state) for h in handlers])

    def system_replace_state(self, fun, handlers):
        for h in handlers:
            _m, _i, h.state = fun((h.mod, h.id[1] if type(h.id) is tuple else False, h.state))
        return ("ok", self.system_get_state(handlers)[1], handlers)

    def system_code_change(self, handlers, module, old_vsn, extra):
        for h in handlers:
            if module is None or module is h.mod or _gen.module_name(h.mod) == module:
                cc = getattr(_gen.resolve(h.mod), "code_change", None)
                if cc is not None:
                    r = cc(old_vsn, h.state, extra)
                    if type(r) is tuple and len(r) == 2 and r[0] == "ok":
                        h.state = r[1]
        return ("ok", handlers)

    def system_terminate(self, reason, parent, deb, handlers):
        self.terminate_server(reason)

    def format_status(self, opt, status_data):
        pdict, status, parent, logged, handlers = status_data
        name = _gen.name_of(self.name)
        return [("header", f"Status for event handler {name}"),
                ("data", [("Status", status), ("Logged Events", logged), ("Parent", parent)]),   # OTP 25's order
                ("items", ("Installed handlers",          # #handler{module, id, state, supervised}
                           [("handler", _gen.module_name(h.mod), h.id[1] if type(h.id) is tuple else False,
                             _handler_status(h, opt, pdict), h.sup if h.sup is not None else False)
                            for h in handlers]))]


def _handler_status(h, opt, pdict):
    """A handler's state as ``sys.get_status`` shows it: its ``format_status(opt, [pdict, state])``
    when it has one (a throw is its answer; a crash shows the raw state), as OTP 25's gen:format_status."""
    fs = getattr(_gen.resolve(h.mod), "format_status", None)
    if fs is None:
        return h.state
    try:
        return fs(opt, [pdict, h.state])
    except Throw as t:
        return t.value
    except Killed:
        raise
    except Exception:                                # noqa: BLE001 - OTP: "format_status/2 crashed"
        return h.state


def _fmt(event, name):
    name = _gen.name_of(name)
    msg = event[1]
    if type(msg) is tuple and len(msg) == 2 and msg[0] == "notify":
        return f"{name} got event {msg[1]!r}"
    if type(msg) is tuple and len(msg) == 3 and type(msg[0]) is erlang.Pid:
        req = msg[2]
        if type(req) is tuple and req[0] == "call":
            return f"{name}({_hid_str(req[1])}) got call {req[2]!r}"
    return f"{name} got {msg!r}"                     # OTP: sync_notify and the rest, as raw messages
