%% issue 23, item 8: a process whose state holds a fun of a module's old code, then code:purge.
%% Writes ch23_funpurge_m.erl twice (v1, v2) in the current folder.
-module(ch23_funpurge).
-export([main/0]).
-define(M, ch23_funpurge_m).

show(Tag, V) -> io:format("~p: ~p~n", [Tag, V]).

version(V) ->
    Src = io_lib:format("-module(~p).~n-export([mk/0, ext/0]).~n"
                        "mk() -> fun() -> ~p end.~next() -> ~p.~n", [?M, V, V]),
    ok = file:write_file(atom_to_list(?M) ++ ".erl", Src),
    {ok, ?M} = compile:file(atom_to_list(?M)).

holder(F) ->
    receive {call, From} -> From ! {res, catch F()}, holder(F) end.

ask(P) -> P ! {call, self()}, receive {res, R} -> R after 1000 -> no_answer end.

main() ->
    logger:set_primary_config(level, none),
    version(v1),
    {module, ?M} = code:load_file(?M),
    F = ?M:mk(),
    E = fun ?M:ext/0,
    H = spawn(fun() -> holder(F) end),
    HE = spawn(fun() -> holder(E) end),
    show(before_load, {ask(H), ask(HE)}),
    version(v2),
    {module, ?M} = code:load_file(?M),
    show(after_load, {ask(H), ask(HE)}),
    show(check_process_code_2, erlang:check_process_code(H, ?M)),
    show(check_process_code_3_allow_gc_false, erlang:check_process_code(H, ?M, [{allow_gc, false}])),
    show(check_process_code_3_async, begin
        Req = make_ref(),
        async = erlang:check_process_code(H, ?M, [{async, Req}]),
        receive {check_process_code, Req, R} -> R after 1000 -> none end end),
    show(soft_purge, code:soft_purge(?M)),
    show(holder_alive_after_soft_purge, is_process_alive(H)),
    show(after_soft_purge, {ask(H), ask(HE)}),
    show(shell_calls_fun, catch F()),
    {'EXIT', {Reason, _}} = (catch F()),
    show(shell_fun_reason_is_badfun, element(1, Reason) =:= badfun),
    %% again with code:purge (the hard one)
    F2 = ?M:mk(),
    H2 = spawn(fun() -> holder(F2) end),
    version(v3),
    {module, ?M} = code:load_file(?M),
    show(purge, code:purge(?M)),
    show(holder_alive_after_purge, is_process_alive(H2)),
    show(after_purge, ask(H2)),
    ok.
