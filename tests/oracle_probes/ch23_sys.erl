-module(ch23_sys).
-behaviour(gen_server).
-export([main/0, init/1, handle_call/3, handle_cast/2]).
init(S) -> {ok, S}.
handle_call(_, _, S) -> {reply, S, S}.
handle_cast(_, S) -> {noreply, S}.

main() ->
    {ok, P} = gen_server:start(?MODULE, 1, []),
    ok = sys:suspend(P),
    io:format("change_code without code_change: ~p~n", [sys:change_code(P, ?MODULE, "0", extra)]),
    ok = sys:resume(P),
    io:format("state after: ~p~n", [sys:get_state(P)]),
    io:format("replace_state crashing fun: ~p~n", [catch sys:replace_state(P, fun(_) -> 1 = 2 end)]),
    io:format("state after: ~p~n", [sys:get_state(P)]),
    io:format("replace_state ok: ~p~n", [sys:replace_state(P, fun(S) -> S + 1 end)]),
    {ok, Q} = gen_statem:start(ch23_sm, [], []),
    io:format("statem replace_state crashing fun: ~p~n", [catch sys:replace_state(Q, fun(_) -> error(boom) end)]),
    ok = sys:suspend(Q),
    io:format("statem change_code without code_change: ~p~n", [sys:change_code(Q, ch23_sm, "0", extra)]),
    ok.
