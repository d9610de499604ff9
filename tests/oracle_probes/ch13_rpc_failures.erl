%% OTP 25: what rpc:call/5 returns, and what monitors and monitor_node deliver, when a node fails.
%% Run: erlc ch13_rpc_failures.erl && erl -sname probe -setcookie c -noshell -eval 'ch13_rpc_failures:main(), halt().'
-module(ch13_rpc_failures).
-export([main/0]).
main() ->
    {ok, Peer, N} = peer:start_link(#{name => n1, connection => standard_io, args => ["-setcookie", "c"]}),
    io:format("ok: ~p~n", [rpc:call(N, erlang, node, [], 1000)]),
    io:format("timeout: ~p~n", [rpc:call(N, timer, sleep, [5000], 1000)]),
    {badrpc, {'EXIT', {R, _}}} = rpc:call(N, erlang, error, [boom], 1000),
    io:format("error: {badrpc,{'EXIT',{~p,Stack}}}~n", [R]),
    io:format("exit: ~p~n", [rpc:call(N, erlang, exit, [bye], 1000)]),
    io:format("throw: ~p~n", [rpc:call(N, erlang, throw, [ball], 1000)]),
    P = spawn(N, timer, sleep, [infinity]),
    R1 = monitor(process, P), exit(P, kill),
    receive {'DOWN', R1, _, _, W1} -> io:format("killed remote: ~p~n", [W1]) end,
    P2 = spawn(N, timer, sleep, [infinity]),
    R2 = monitor(process, P2), monitor_node(N, true),
    peer:stop(Peer),
    receive M1 -> io:format("~p~n", [M1]) end,
    receive M2 -> io:format("~p~n", [M2]) end,
    io:format("nodedown: ~p~n", [rpc:call(N, erlang, node, [], 1000)]),
    io:format("nodedown inf: ~p~n", [rpc:call(N, erlang, node, [])]),
    _ = R2.
