-module(ch13_families).
-export([main/0, loop/0]).

loop() -> receive _ -> loop() end.

main() ->
    {ok, P1, N1} = peer:start_link(#{name => logic1, args => ["-pa", "."]}),
    {ok, _P2, N2} = peer:start_link(#{name => logic2, args => ["-pa", "."]}),
    pg:start_link(),
    W1 = spawn(N1, ?MODULE, loop, []),
    W2 = spawn(N2, ?MODULE, loop, []),
    _ = rpc:call(N1, pg, start, [pg]),
    _ = rpc:call(N2, pg, start, [pg]),
    ok = rpc:call(N1, pg, join, [logic, W1]),
    ok = rpc:call(N2, pg, join, [logic, W2]),
    timer:sleep(200),
    io:format("members: ~p~n", [length(pg:get_members(logic))]),
    yes = rpc:call(N1, global, register_name, [pricing, W1]),
    timer:sleep(100),
    io:format("whereis before: ~p~n", [global:whereis_name(pricing) =:= W1]),
    Ref = monitor(process, W1),
    peer:stop(P1),
    receive {'DOWN', Ref, process, _, Why} -> io:format("DOWN: ~p~n", [Why]) after 5000 -> io:format("no DOWN~n") end,
    timer:sleep(200),
    io:format("whereis after: ~p~n", [global:whereis_name(pricing)]),
    io:format("members after: ~p~n", [[node(P) || P <- pg:get_members(logic)] =:= [N2]]).
