%% issue 24 / ch. 13 notebook (d-nb): what the end of "Beside a real Erlang node" relies on.
%% Node a pings b, an echo and an rpc each way, both monitor_node the other,
%% a disconnects b: both see nodedown; then a stops distribution (net_kernel:stop()):
%% what node(), nodes(), net_adm:ping/1 and a send to {Name, Node} give afterwards.
%% a starts distribution at run time (net_kernel:start/1, as otp_lite's dist.start does):
%% a node started with -name answers net_kernel:stop() with {error,not_allowed}.
%% Run (epmd running): erlc ch13_nb_stop.erl && erl -noshell -s ch13_nb_stop main
%%      (b_nb@127.0.0.1 is started by main through open_port and halts itself after 10 s)
-module(ch13_nb_stop).
-export([main/0]).

main() ->
    B = 'b_nb@127.0.0.1',
    io:format("net_kernel:start: ~p~n", [element(1, net_kernel:start(['a_nb@127.0.0.1', longnames]))]),
    erlang:set_cookie(node(), nbprobe),
    Port = open_port({spawn, "erl -name b_nb@127.0.0.1 -setcookie nbprobe -noshell "
                             "-eval 'register(echo, spawn(fun L() -> receive {F, M} -> F ! {echo, node(), M}, L() end end)), "
                             "register(watch, spawn(fun() -> receive {go, F} -> monitor_node(node(F), true), F ! watching, "
                             "receive X -> F ! {b_saw, X} after 5000 -> F ! {b_saw, timeout} end end end)), "
                             "receive after 10000 -> halt() end.'"},
                     [stream]),
    timer:sleep(1500),
    io:format("ping b: ~p~n", [net_adm:ping(B)]),
    {echo, B} ! {self(), hello},
    io:format("echo: ~p~n", [receive {echo, _, _} = R -> R after 3000 -> timeout end]),
    io:format("rpc reverse: ~p~n", [rpc:call(B, lists, reverse, [[1,2,3]])]),
    Self = self(),
    {watch, B} ! {go, Self},
    receive watching -> ok end,
    monitor_node(B, true),
    io:format("disconnect_node: ~p, nodes: ~p~n", [erlang:disconnect_node(B), nodes()]),
    io:format("a got: ~p~n", [receive {nodedown, _} = N -> N after 3000 -> timeout end]),
    io:format("b watcher: ~p~n",
              [receive {b_saw, _} = S -> S after 1000 -> none end]),
    io:format("net_kernel:stop(): ~p~n", [net_kernel:stop()]),
    io:format("node(): ~p, nodes(): ~p, is_alive(): ~p~n", [node(), nodes(), is_alive()]),
    io:format("net_adm:ping(b) when not alive: ~p~n", [net_adm:ping(B)]),
    io:format("{echo, b} ! m when not alive: ~p~n", [catch ({echo, B} ! m)]),
    io:format("net_kernel:stop() again: ~p~n", [net_kernel:stop()]),
    catch port_close(Port),
    halt().
