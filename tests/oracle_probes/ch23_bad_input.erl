-module(ch23_bad_input).
-export([main/0, init/1, callback_mode/0, s/3]).
t(Name, F) ->
    R = try F() of V -> {returned, V} catch C:E -> {C, E} end,
    io:format("~s: ~p~n", [Name, R]).
main() ->
    t("load env notalist", fun() -> application:load({application, fa, [{env, notalist}]}) end),
    t("load resource notalist", fun() -> application:load({application, fb, notalist}) end),
    t("load mod 42", fun() -> application:load({application, fc, [{mod, 42}]}) end),
    t("load applications kernel", fun() -> application:load({application, fd, [{applications, kernel}]}) end),
    t("load registered x", fun() -> application:load({application, fe, [{registered, x}]}) end),
    t("load included x", fun() -> application:load({application, ff, [{included_applications, x}]}) end),
    t("load env badpair", fun() -> application:load({application, fg, [{env, [x]}]}) end),
    t("load 42", fun() -> application:load(42) end),
    t("load unknown key", fun() -> application:load({application, fh, [{bogus, 1}]}) end),
    t("load start_phases x", fun() -> application:load({application, fi, [{start_phases, x}]}) end),
    t("load mod {m, notlist}", fun() -> application:load({application, fj, [{mod, {m, x}}]}) end),
    t("load vsn 42", fun() -> application:load({application, fk, [{vsn, 42}]}) end),
    t("load description 42", fun() -> application:load({application, fl, [{description, 42}]}) end),
    t("load modules x", fun() -> application:load({application, fm, [{modules, x}]}) end),
    t("load maxT x", fun() -> application:load({application, fn, [{maxT, x}]}) end),
    t("loaded", fun() -> [A || {A,_,_} <- application:loaded_applications(), lists:member(A, [fa,fb,fc,fd,fe,ff,fg,fh,fi,fj,fk,fl,fm,fn])] end),
    t("set_env config notalist", fun() -> application:set_env(notalist) end),
    t("set_env config bad", fun() -> application:set_env([{app, notalist}]) end),
    t("ets info 42", fun() -> ets:info(42) end),
    t("ets info 42 size", fun() -> ets:info(42, size) end),
    t("ets info atom", fun() -> ets:info(nosuchtab) end),
    t("ets info float", fun() -> ets:info(1.5) end),
    t("ets info tuple", fun() -> ets:info({a}) end),
    t("receive after 1.5", fun() -> receive after erlang:list_to_float("1.5") -> ok end end),
    t("receive after -1", fun() -> receive after erlang:list_to_integer("-1") -> ok end end),
    t("send_after 1.5", fun() -> erlang:send_after(erlang:list_to_float("1.5"), self(), x) end),
    t("start_timer 1.5", fun() -> erlang:start_timer(erlang:list_to_float("1.5"), self(), x) end),
    t("timer send_after 1.5", fun() -> timer:send_after(erlang:list_to_float("1.5"), x) end),
    t("timer sleep 1.5", fun() -> timer:sleep(erlang:list_to_float("1.5")) end),
    {ok, P} = gen_statem:start(ch23_bad_input, [], []),
    t("statem neg state_timeout", fun() -> gen_statem:call(P, neg) end),
    timer:sleep(100),
    t("statem alive", fun() -> is_process_alive(P) end),
    {ok, P2} = gen_statem:start(ch23_bad_input, [], []),
    t("statem float state_timeout", fun() -> gen_statem:call(P2, flt) end),
    timer:sleep(100),
    {ok, P3} = gen_statem:start(ch23_bad_input, [], []),
    t("statem neg timeout", fun() -> gen_statem:call(P3, negev) end),
    timer:sleep(100),
    {ok, P4} = gen_statem:start(ch23_bad_input, [], []),
    t("statem neg generic timeout", fun() -> gen_statem:call(P4, neggen) end),
    timer:sleep(100),
    t("load applications kernel, then start (the node dies: see the end)", fun() -> ok end),
    t("load registered x", fun() -> application:load({application, fe2, [{registered, x}]}) end),
    t("start it", fun() -> application:start(fe2) end),
    t("load {a, b} resource", fun() -> application:load({application, fz}) end),
    t("load {application, 42, []}", fun() -> application:load({application, 42, []}) end),
    t("load resource [x]", fun() -> application:load({application, fy, [x]}) end),
    t("start fd (applications = kernel): the node dies", fun() -> application:start(fd) end),
    ok.
init([]) -> {ok, s, []}.
callback_mode() -> state_functions.
s({call, F}, neg, D) -> {keep_state, D, [{reply, F, ok}, {state_timeout, erlang:list_to_integer("-5"), x}]};
s({call, F}, flt, D) -> {keep_state, D, [{reply, F, ok}, {state_timeout, erlang:list_to_float("1.5"), x}]};
s({call, F}, negev, D) -> {keep_state, D, [{reply, F, ok}, {timeout, erlang:list_to_integer("-5"), x}]};
s({call, F}, neggen, D) -> {keep_state, D, [{reply, F, ok}, {{timeout, g}, erlang:list_to_integer("-5"), x}]};
s(_, _, D) -> {keep_state, D}.
