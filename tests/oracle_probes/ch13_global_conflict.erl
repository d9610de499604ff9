%% OTP 25: two nodes register the same global name while apart, then connect.
%% Run (Resolve = default | random_notify_name | notify_all_name): the other node first,
%%   erl -sname b -setcookie c -noshell -eval 'ch13_global_conflict:b_main([Resolve])' &
%% then the one that connects (a@ sorts before b@; run it again as z@ to swap the order):
%%   erl -sname a -setcookie c -noshell -eval "ch13_global_conflict:a_main([Resolve, 'b@HOST'])"
%% Both keep the pid on the node whose name sorts first: global:minmax/2 compares node names.
-module(ch13_global_conflict).
-export([holder/1, b_main/1, a_main/1]).

holder(Tag) ->
    receive
        M -> io:format("~p ~p got ~p~n", [Tag, self(), M]), holder(Tag)
    after 4000 -> io:format("~p ~p alive at end~n", [Tag, self()])
    end.

reg(Method) ->
    P = spawn(fun() -> holder(node()) end),
    R = case Method of
            default -> global:register_name(svc, P);
            M -> global:register_name(svc, P, fun global:M/3)
        end,
    io:format("~p registered ~p: ~p~n", [node(), P, R]),
    P.

b_main([Method]) ->
    P = reg(Method),
    erlang:monitor(process, P),
    receive {'DOWN', _, _, _, Why} -> io:format("b holder DOWN ~p~n", [Why]) after 5000 -> ok end,
    io:format("b whereis ~p~n", [global:whereis_name(svc)]),
    timer:sleep(500), init:stop().

a_main([Method, BNode]) ->
    P = reg(Method),
    erlang:monitor(process, P),
    timer:sleep(1000),
    io:format("ping ~p~n", [net_adm:ping(BNode)]),
    global:sync(),
    io:format("a whereis ~p (mine ~p)~n", [global:whereis_name(svc), P]),
    receive {'DOWN', _, _, _, Why} -> io:format("a holder DOWN ~p~n", [Why]) after 4500 -> ok end,
    io:format("a whereis ~p~n", [global:whereis_name(svc)]),
    timer:sleep(500), init:stop().
