-module(ch23_crash).
-export([main/0, thrower/0, divider/1, badfun/0, badarity/0, undefmfa/0]).

thrower() -> throw(ball).
divider(X) -> 1 div X.
badfun() -> F = 42, F().
badarity() -> F = fun(A) -> A end, F(1, 2).
undefmfa() -> ch23_crash:nosuch(1).

run(F, A) ->
    {ok, P} = proc_lib:start(erlang, apply, [fun() -> proc_lib:init_ack({ok, self()}), receive go -> apply(?MODULE, F, A) end end, []]),
    M = monitor(process, P),
    P ! go,
    receive {'DOWN', M, _, _, R} -> io:format("~p exit reason: ~p~n", [F, R]) end,
    timer:sleep(50).

main() ->
    logger:set_primary_config(level, info),
    run(thrower, []),
    run(divider, [0]),
    run(badfun, []),
    run(badarity, []),
    run(undefmfa, []),
    P = spawn(fun() -> 1 div (length([]) - 0) end),
    M = monitor(process, P),
    receive {'DOWN', M, _, _, R} -> io:format("plain spawn: ~p~n", [R]) end,
    timer:sleep(50),
    io:format("apply(42, []): ~p~n", [catch erlang:apply(42, [])]),
    io:format("float overflow: ~p~n", [catch math:exp(100000)]).
