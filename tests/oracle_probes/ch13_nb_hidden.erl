%% issue 24 / ch. 13 notebook (d-nb): nodes() when one side is a hidden node, as otp_lite's real node is.
%% h (hidden, started at run time) pings v (a normal node); each side's nodes(), nodes(hidden), nodes(connected).
%% Run (epmd running): erlc ch13_nb_hidden.erl && erl -noshell -s ch13_nb_hidden main
-module(ch13_nb_hidden).
-export([main/0]).

main() ->
    V = 'v_nb@127.0.0.1',
    _ = open_port({spawn, "erl -name v_nb@127.0.0.1 -setcookie nbprobe -noshell "
                          "-eval 'receive after 8000 -> halt() end.'"}, [stream]),
    timer:sleep(1500),
    {ok, _} = net_kernel:start('h_nb@127.0.0.1', #{name_domain => longnames, hidden => true}),
    erlang:set_cookie(node(), nbprobe),
    io:format("h: ping v: ~p~n", [net_adm:ping(V)]),
    io:format("h: nodes(): ~p, nodes(hidden): ~p, nodes(connected): ~p~n",
              [nodes(), nodes(hidden), nodes(connected)]),
    io:format("v: nodes(): ~p, nodes(hidden): ~p~n",
              [rpc:call(V, erlang, nodes, []), rpc:call(V, erlang, nodes, [hidden])]),
    io:format("v: net_adm:ping(h): ~p~n", [rpc:call(V, net_adm, ping, [node()])]),
    halt().
