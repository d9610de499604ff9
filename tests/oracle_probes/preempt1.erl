%% Preemption on the BEAM (issue 16): a process that computes for ever.
%% Run with one scheduler:  erlc preempt1.erl && erl +S 1 -noshell -eval 'preempt1:run()' -s init stop
-module(preempt1).
-export([run/0, spin/0]).

spin() -> spin().

ticker(Parent, 0, Acc) -> Parent ! {lateness, lists:reverse(Acc)};
ticker(Parent, N, Acc) ->
    T0 = erlang:monotonic_time(microsecond),
    receive after 20 -> ok end,
    Late = erlang:monotonic_time(microsecond) - T0 - 20000,
    ticker(Parent, N - 1, [Late | Acc]).

pct(L, P) ->
    S = lists:sort(L),
    lists:nth(max(1, round(P * length(S))), S).

latency(Spinners) ->
    Ps = [spawn(fun spin/0) || _ <- lists:seq(1, Spinners)],
    Me = self(),
    spawn(fun() -> ticker(Me, 50, []) end),
    L = receive {lateness, X} -> X end,
    [exit(P, kill) || P <- Ps],
    io:format("spinners ~p: lateness us p50 ~p p99 ~p max ~p~n",
              [Spinners, pct(L, 0.5), pct(L, 0.99), lists:max(L)]).

run() ->
    io:format("schedulers online: ~p~n", [erlang:system_info(schedulers_online)]),
    S = spawn(fun spin/0),
    timer:sleep(50),
    {status, St1} = process_info(S, status),
    {reductions, R1} = process_info(S, reductions),
    timer:sleep(100),
    {reductions, R2} = process_info(S, reductions),
    io:format("status ~p; reductions grow ~p -> ~p~n", [St1, R1 > 0, R2 > R1]),
    T0 = erlang:monotonic_time(millisecond),
    receive never -> ok after 100 -> ok end,
    io:format("receive after 100 took ~p ms~n", [erlang:monotonic_time(millisecond) - T0]),
    Ref = monitor(process, S),
    exit(S, kill),
    receive {'DOWN', Ref, process, S, Why} -> io:format("DOWN ~p~n", [Why]) end,
    [latency(N) || N <- [1, 10, 100]],
    ok.
