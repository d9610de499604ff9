"""Bad input gets OTP 25's answer, never a raw Python exception (issue 23, item 7).

OTP's side: tests/oracle_probes/ch23_bad_input.erl (+ .out) and ch23_bad_config.sh (+ .out).
The timer/apply cases of the item are in tests/test_timer_api.py and tests/test_python_errors.py.
"""
import types

import pytest

from otp_lite import application, erlang, ets, gen_statem, logger, runtime
from otp_lite.erlang import ANY, ErlangError


@pytest.fixture(autouse=True)
def fresh():
    runtime.reset(seed=0)


def alive():
    """The runtime still works: a spawn + send + receive round trip."""
    me = erlang.self()
    erlang.spawn(lambda: erlang.send(me, ("pong", erlang.receive())))
    p = erlang.processes()[-1]
    erlang.send(p, "ping")
    assert erlang.receive(("pong", ANY), timeout=1000) == ("pong", "ping")


# ---------------------------------------------------------------- application:load/1
@pytest.mark.parametrize("resource, answer", [
    # load resource notalist: {error,{invalid_options,notalist}}
    (("application", "fb", "notalist"), ("error", ("invalid_options", "notalist"))),
    # load 42: {error,{bad_application,42}}
    (42, ("error", ("bad_application", 42))),
    # load {a, b} resource: {error,{bad_application,{application,fz}}}
    (("application", "fz"), ("error", ("bad_application", ("application", "fz")))),
    # load {application, 42, []}: {error,{bad_application,{application,42,[]}}}
    (("application", 42, []), ("error", ("bad_application", ("application", 42, [])))),
    # load mod 42: {error,{badstartspec,42}}
    (("application", "fc", [("mod", 42)]), ("error", ("badstartspec", 42))),
])
def test_load_answers_a_bad_resource_as_otp(resource, answer):
    assert application.load(resource) == answer
    alive()


@pytest.mark.parametrize("env", ["notalist", ["x"]])
def test_load_with_an_env_that_is_not_pairs_is_application_controllers_function_clause(env):
    # load env notalist / load env badpair: {error,{function_clause,[{application_controller,
    # merge_app_env,[Env,[],[]],...}|_]}}
    r = application.load(("application", "fa", [("env", env)]))
    assert r[0] == "error" and r[1][0] == "function_clause"
    assert r[1][1][0] == ("application_controller", "merge_app_env", [env, [], []])
    assert "fa" not in [a for a, _d, _v in application.loaded_applications()]


def test_load_with_included_applications_not_a_list_is_a_case_clause():
    # load included x: {error,{{case_clause,x},[{lists,foldl,3,...}|_]}}
    r = application.load(("application", "ff", [("included_applications", "x")]))
    assert r[0] == "error" and r[1][0] == ("case_clause", "x")


@pytest.mark.parametrize("opts", [
    [("applications", "kernel")],       # load applications kernel: ok
    [("registered", "x")],              # load registered x: ok
    ["x"],                              # load resource [x]: ok (the odd item is skipped)
    [("mod", ("m", "x"))],              # load mod {m, notlist}: ok
])
def test_load_accepts_what_otp_accepts(opts):
    assert application.load(("application", "fd", opts)) == "ok"
    assert "fd" in [a for a, _d, _v in application.loaded_applications()]


# ---------------------------------------------------------------- load_config (erl -config)
def test_load_config_of_a_missing_file_is_the_sentence_erl_config_dies_with(tmp_path):
    # ch23_bad_config.out: error in config file "./nofile.config" (none): configuration file not found
    f = tmp_path / "nofile.config"
    assert application.load_config(str(f)) == (
        "error", f'error in config file "{f}" (none): configuration file not found')
    alive()


def test_load_config_of_a_malformed_or_non_list_file_is_an_error(tmp_path):
    bad = tmp_path / "bad.config"
    bad.write_text("[('a', [('k', 1)]")
    r = application.load_config(str(bad))
    assert r[0] == "error" and r[1].startswith(f'error in config file "{bad}" (')
    bad.write_text("'notalist'")
    # ch23_bad_config.out: configuration file must contain ONE list ended by <dot>
    assert application.load_config(str(bad)) == (
        "error", f'error in config file "{bad}" (none): configuration file must contain ONE list ended by <dot>')
    alive()


def test_load_config_of_a_bad_term_fails_as_set_env_1():
    # set_env config notalist: error:function_clause
    with pytest.raises(ErlangError) as e:
        application.load_config(42)
    assert e.value.reason == "function_clause"
    # set_env config bad: error:{badarg,"application: app; parameters must be a list"}
    with pytest.raises(ErlangError) as e:
        application.load_config([("app", "notalist")])
    assert e.value.reason == "badarg" and "application: app; parameters must be a list" in str(e.value)


# ---------------------------------------------------------------- float times
def test_receive_after_a_float_is_timeout_value():
    # receive after 1.5: error:timeout_value
    with pytest.raises(ErlangError) as e:
        erlang.receive(timeout=1.5)
    assert e.value.reason == "timeout_value"
    alive()


@pytest.mark.parametrize("bif", [erlang.send_after, erlang.start_timer])
def test_send_after_and_start_timer_of_a_float_are_badarg(bif):
    # send_after 1.5 / start_timer 1.5: error:badarg
    with pytest.raises(ErlangError) as e:
        bif(1.5, erlang.self(), "x")
    assert e.value.reason == "badarg"
    alive()


@pytest.mark.parametrize("action", [
    ("state_timeout", -5, "x"),          # statem neg state_timeout
    ("state_timeout", 1.5, "x"),         # statem float state_timeout
    ("timeout", -5, "x"),                # statem neg timeout
    (("timeout", "g"), -5, "x"),         # statem neg generic timeout
    1.5,
])
def test_a_negative_or_float_timeout_action_is_bad_action_from_state_function(action):
    # error:{bad_action_from_state_function, Action}; the call was replied first
    ns = types.SimpleNamespace(
        __name__="bi", init=lambda _a: ("ok", "s", []), callback_mode=lambda: "handle_event_function",
        handle_event=lambda t, c, s, d: ("keep_state", d, [("reply", t[1], "ok"), action])
        if type(t) is tuple else "keep_state_and_data")
    with logger.capture():
        _ok, p = gen_statem.start(ns, [], [])
        ref = erlang.monitor("process", p)
        assert gen_statem.call(p, "go") == "ok"
        down = erlang.receive(("DOWN", ref, "process", p, ANY), timeout=1000)
    assert down[4][0] == ("bad_action_from_state_function", action)
    alive()


def test_an_absolute_state_timeout_may_be_negative():
    # OTP 25's loop_actions_list: [{abs, true}] takes any integer time (a past one fires at once)
    ns = types.SimpleNamespace(
        __name__="bi", init=lambda _a: ("ok", "s", []), callback_mode=lambda: "handle_event_function",
        handle_event=lambda t, c, s, d:
        ("keep_state", d, [("reply", t[1], "ok"), ("state_timeout", -5, "x", [("abs", True)])])
        if type(t) is tuple else ("keep_state", c))
    _ok, p = gen_statem.start(ns, [], [])
    assert gen_statem.call(p, "go") == "ok"
    runtime.run_until_idle()
    assert erlang.is_process_alive(p) and gen_statem.call(p, "go") == "ok"


# ---------------------------------------------------------------- ets:info/1
@pytest.mark.parametrize("tab", [42, 1.5, ("a",)])
def test_ets_info_of_a_non_table_is_badarg_as_otp_25(tab):
    # ets info 42 / ets info float / ets info tuple: error:badarg (an OTP 25 tid is a ref:
    # an integer is not one)
    with pytest.raises(ErlangError) as e:
        ets.info(tab)
    assert e.value.reason == "badarg"


def test_ets_info_of_an_unknown_name_is_undefined():
    assert ets.info("nosuchtab") == "undefined"        # ets info atom: undefined


# ---------------------------------------------------------------- the sweep's finds
# OTP 25's answers: tests/oracle_probes/ch23_bad_input_bifs.erl and its .out (the line
# named in each comment).  A Python arity error is OTP's undef (apply(M, F, Args) with no
# such arity).
from otp_lite import code, gen_event, gen_server, global_, proc_lib, sys as osys  # noqa: E402


@pytest.mark.parametrize("call, reason", [
    (lambda: erlang.exit(), "undef"),                             # erlang:exit/3
    (lambda: erlang.monotonic_time([]), "badarg"),               # erlang:monotonic_time([])
    (lambda: erlang.system_time(("a",)), "badarg"),              # erlang:monotonic_time({a})
    (lambda: erlang.read_timer(42), "badarg"),                   # erlang:read_timer(42)
    (lambda: ets.delete("a", "b", "c"), "undef"),                # ets:delete/3
    (lambda: ets.whereis(42), "badarg"),                         # ets:whereis(42)
    (lambda: ets.whereis([]), "badarg"),                         # ets:whereis([])
    (lambda: gen_server.start(), "undef"),                       # gen_server:start/0
    (lambda: gen_server.reply(42, "x"), "function_clause"),      # gen_server:reply(42, x)
    (lambda: gen_server.reply(("a", "b", "c"), "x"), "function_clause"),
    (lambda: gen_statem.reply(42, "x"), "function_clause"),      # gen_statem:reply(42, x)
    (lambda: gen_statem.reply(("a",)), "function_clause"),       # gen_statem:reply({a})
    (lambda: gen_server.multi_call("x"), "undef"),               # gen_server:multi_call(x)
    (lambda: gen_server.abcast("x"), "undef"),                   # gen_server:abcast(x)
    (lambda: gen_event.swap_handler("m", "a", "b"), "function_clause"),
    (lambda: application.get_env(), "undef"),                    # application:get_env/0
    (lambda: code.is_loaded(42), "function_clause"),             # code:is_loaded(42)
    (lambda: code.which(42), "function_clause"),
    (lambda: code.purge(42), "function_clause"),
    (lambda: code.delete(42), "function_clause"),
    (lambda: code.ensure_loaded(42), "function_clause"),
    (lambda: code.add_patha(42), "function_clause"),
    (lambda: code.del_path(42), "function_clause"),
    (lambda: logger.log("a", "x"), "function_clause"),           # logger:log(a, "x")
    (lambda: logger.error(42), "function_clause"),               # logger:error(42)
    (lambda: proc_lib.initial_call("a"), "function_clause"),     # proc_lib:initial_call(a)
    (lambda: proc_lib.translate_initial_call("a"), "function_clause"),
    (lambda: proc_lib.init_ack(), "undef"),                      # proc_lib:init_ack/0
    (lambda: proc_lib.start(lambda: None, 42), "function_clause"),   # proc_lib:start(m, f, 42)
    (lambda: osys.print_log("a"), "badarg"),                     # sys:print_log(a)
    (lambda: osys.debug_options(42), "function_clause"),         # sys:debug_options(42)
    (lambda: application.set_env("notalist"), "function_clause"),    # set_env config notalist
])
def test_bad_arguments_raise_otps_reason(call, reason):
    with pytest.raises(ErlangError) as e:
        call()
    assert e.value.reason == reason
    alive()


def test_bad_arguments_with_an_otp_answer_value():
    # application:get_env(42, k) / ([1], k) / get_key(42, k): undefined; get_all_env(42): [];
    # unset_env(42, k): ok
    assert application.get_env(42, "k") == "undefined"
    assert application.get_env([1], "k") == "undefined"
    assert application.get_key(42, "k") == "undefined"
    assert application.get_all_env(42) == []
    assert application.unset_env([1], "k") == "ok"
    # logger: add_handler([1], ..) -> {error,{invalid_id,[1]}}; add_handler(h, notamodule, #{}) ->
    # {error,{invalid_handler,..}}; add_handler(a, a, a) -> {error,{invalid_config,a}};
    # set_handler_config(_, level, a) -> {error,{invalid_level,a}}; remove_handler([1]) -> not_found
    assert logger.add_handler([1], print) == ("error", ("invalid_id", [1]))
    assert logger.add_handler("h", "notamodule")[1][0] == "invalid_handler"
    assert logger.add_handler("h", print, "a") == ("error", ("invalid_config", "a"))
    assert logger.set_handler_level("default", "a") == ("error", ("invalid_level", "a"))
    assert logger.remove_handler([1]) == ("error", ("not_found", [1]))
    # gen_server:reply({self(), tag}, x): ok (an unknown tag is no error)
    assert gen_server.reply((erlang.self(), ["tag"]), "x") == "ok"
    # otp_lite only (OTP not probed: its random_exit_name(a, self(), self()) took the probe node down)
    with pytest.raises(ErlangError) as e:
        global_.random_exit_name("a", "a", "a")
    assert e.value.reason == "badarg"
    alive()


def test_starting_an_app_whose_applications_is_no_list_stops_the_node():
    # ch23_bad_input.out, last lines: {applications, kernel} loads, but application:start
    # crashes application_controller: "Kernel pid terminated" ({{case_clause,{'EXIT',
    # {function_clause,[{lists,foreach_1,[Fun,kernel],_}|_]}}},...}) and the node halts
    assert application.load(("application", "fd", [("applications", "kernel")])) == "ok"
    with logger.capture() as reports:
        r = application.start("fd")
    assert r[0] == "error" and r[1][0] == "node_stopped"
    why = application.node_status()[1]
    assert why[0][0] == "case_clause" and why[0][1][1][0] == "function_clause"
    assert any("Kernel pid terminated (application_controller)" in "\n".join(x["text"]) for x in reports)
    alive()                                     # the Python runtime keeps running


def test_any_term_is_a_process_dictionary_key():
    # ch23_bad_input_bifs.out: put([1], v), get([1]) -> v (OTP takes any term as a key)
    assert erlang.put([1], "v") == "undefined"
    assert erlang.put(("a", [2]), "w") == "undefined"
    assert erlang.get([1]) == "v" and erlang.get(("a", [2])) == "w"
    assert erlang.put([1], "v2") == "v"
    assert ([1], "v2") in erlang.get() and [1] in erlang.get_keys()
    assert ([1], "v2") in erlang.process_info(erlang.self(), "dictionary")[1]
    assert erlang.erase([1]) == "v2" and erlang.get([1]) == "undefined"

    def crash():
        erlang.put({"m": [1]}, 1)
        erlang.error("boom")
    with logger.capture() as reports:                   # its crash report shows the dictionary
        p = proc_lib.spawn(crash)
        runtime.run_until_idle()
    assert not erlang.is_process_alive(p)
    assert any("dictionary: " in line and "'m'" in line for r in reports for line in r["text"])
    alive()


def test_global_names_that_are_lists_name_nobody():
    # ch23_bad_input_bifs.out: global:whereis_name([1]) -> undefined; global:send([1], x) ->
    # exit {badarg,{[1],x}}; global:unregister_name([1]) -> ok
    from otp_lite.erlang import Exit
    assert global_.whereis_name([1]) == "undefined"
    assert global_.unregister_name([1]) == "ok"
    with pytest.raises(Exit) as e:
        global_.send([1], "x")
    assert e.value.reason == ("badarg", ([1], "x"))
    alive()


@pytest.mark.parametrize("call, reason", [
    # otp_lite-only functions (no OTP twin): the Erlang answer to a call no clause takes
    (lambda: __import__("otp_lite.init").init.parse(42), "function_clause"),
    (lambda: __import__("otp_lite.init").init.boot("erl", "a"), "function_clause"),
    (lambda: __import__("otp_lite.metrics").metrics.summary(["a"]), "badarith"),
    (lambda: __import__("otp_lite.metrics").metrics.inc("a", "a"), "badarg"),
    (lambda: logger.fmt("a", "a"), "function_clause"),
    (lambda: logger.format_report("a"), "function_clause"),
    (lambda: proc_lib.crash_report("a", "a", "a"), "function_clause"),
    (lambda: application.config_change("a"), "function_clause"),
    (lambda: gen_statem.state_graph(("x",), 1), "function_clause"),
    (lambda: global_.table([1]), "function_clause"),
])
def test_otp_lite_only_functions_fail_as_erlang_would(call, reason):
    with pytest.raises(ErlangError) as e:
        call()
    assert e.value.reason == reason
    alive()
