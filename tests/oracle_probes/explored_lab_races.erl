-module(explored_lab_races).
%% issue 26, the three races the explored lab checks find, each forced into its bad order by hand
%% in real OTP 25 (tests/test_lab_explored.py; labs 03, 10 and 16):
%%  1. poll for the 'DOWN' (receive after 0), the monitored process dies, then demonitor(Ref)
%%     without flush: the 'DOWN' stays in the mailbox (labs 03 and 10's mutant);
%%  2. the same with demonitor(Ref, [flush]) or demonitor then the poll: nothing is left;
%%  3. two read-modify-write increments of a public ETS counter, interleaved: one is lost
%%     (lab 16's mutant); ets:update_counter never loses one.
%% erlc explored_lab_races.erl && erl -noshell -pa . -eval 'explored_lab_races:main()' -s init stop
-export([main/0]).

victim() -> spawn(fun() -> receive die -> ok end end).

kill_and_wait(P) ->
    M = monitor(process, P), P ! die,
    receive {'DOWN', M, process, P, _} -> ok end.

poll(R) -> receive {'DOWN', R, _, _, _} = D -> D after 0 -> none end.

main() ->
    P1 = victim(), R1 = monitor(process, P1),
    Polled1 = poll(R1), kill_and_wait(P1), true = demonitor(R1),
    {messages, Left1} = process_info(self(), messages),
    io:format("poll then demonitor: polled ~p, left ~p~n", [Polled1, [{element(1, D), element(5, D)} || D <- Left1]]),
    flush(),
    P2 = victim(), R2 = monitor(process, P2),
    none = poll(R2), kill_and_wait(P2), true = demonitor(R2, [flush]),
    {messages, Left2} = process_info(self(), messages),
    io:format("poll then demonitor with flush: left ~p~n", [Left2]),
    P3 = victim(), R3 = monitor(process, P3),
    kill_and_wait(P3), true = demonitor(R3), Polled3 = poll(R3),
    {messages, Left3} = process_info(self(), messages),
    io:format("demonitor then poll: polled ~p, left ~p~n", [element(1, Polled3), Left3]),
    ets:new(meter, [named_table, public, set]),
    ets:insert(meter, {hits, 0}),
    [{hits, A}] = ets:lookup(meter, hits),          % process A reads 0
    [{hits, B}] = ets:lookup(meter, hits),          % process B reads 0 before A writes
    true = ets:insert(meter, {hits, A + 1}),
    true = ets:insert(meter, {hits, B + 1}),
    io:format("lookup, lookup, insert, insert: ~p~n", [ets:lookup(meter, hits)]),
    ets:insert(meter, {hits, 0}),
    X = ets:update_counter(meter, hits, 1, {hits, 0}),
    Y = ets:update_counter(meter, hits, 1, {hits, 0}),
    io:format("update_counter twice: ~p ~p ~p~n", [X, Y, ets:lookup(meter, hits)]).

flush() -> receive _ -> flush() after 0 -> ok end.
