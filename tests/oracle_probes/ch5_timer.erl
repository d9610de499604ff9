-module(ch5_timer).
-export([main/0, tick/1]).

tick(Pid) -> Pid ! {applied, erlang:monotonic_time(millisecond)}.

collect(T0, N) ->
    [receive M -> {tag(M), (erlang:monotonic_time(millisecond) - T0 + 50) div 100 * 100} end || _ <- lists:seq(1, N)].

main() ->
    T0 = erlang:monotonic_time(millisecond),
    {ok, TR} = timer:send_interval(100, self(), tick),
    io:format("send_interval/3 ticks: ~p~n", [collect(T0, 3)]),
    io:format("cancel: ~p~n", [timer:cancel(TR)]),
    receive X -> io:format("after cancel: ~p~n", [X]) after 250 -> io:format("after cancel: nothing~n") end,
    io:format("cancel again: ~p~n", [timer:cancel(TR)]),
    T1 = erlang:monotonic_time(millisecond),
    {ok, TR2} = timer:send_interval(100, tock),
    io:format("send_interval/2 ticks: ~p~n", [collect(T1, 2)]),
    timer:cancel(TR2),
    T2 = erlang:monotonic_time(millisecond),
    {ok, TR3} = timer:apply_interval(100, ?MODULE, tick, [self()]),
    io:format("apply_interval ticks: ~p~n", [collect(T2, 2)]),
    io:format("cancel apply_interval: ~p~n", [timer:cancel(TR3)]),
    flush(),
    %% an interval set up by a process that then dies
    Me = self(),
    P = spawn(fun() -> {ok, _} = timer:send_interval(100, Me, from_dead), receive stop -> ok end end),
    receive from_dead -> ok end,
    exit(P, kill),
    receive from_dead -> io:format("interval of a dead caller: still ticks~n") after 300 -> io:format("interval of a dead caller: stopped~n") end,
    flush(),
    %% an interval to a destination that dies
    Q = spawn(fun() -> receive stop -> ok end end),
    {ok, TQ} = timer:send_interval(100, Q, x),
    exit(Q, kill),
    timer:sleep(250),
    io:format("cancel interval to a dead pid: ~p~n", [timer:cancel(TQ)]),
    io:format("cancel(nonsense): ~p~n", [timer:cancel(nonsense)]),
    io:format("send_after(-1): ~p~n", [timer:send_after(-1, self(), x)]),
    io:format("send_after(x): ~p~n", [timer:send_after(x, self(), x)]),
    io:format("send_after(1.5): ~p~n", [timer:send_after(1.5, self(), x)]),
    io:format("send_interval(-1): ~p~n", [timer:send_interval(-1, self(), x)]),
    io:format("apply_after(x): ~p~n", [timer:apply_after(x, ?MODULE, tick, [self()])]),
    io:format("apply_after(100, 42, f, []): ~p~n", [catch timer:apply_after(100, 42, f, [])]),
    io:format("seconds(x): ~p~n", [catch timer:seconds(x)]),
    io:format("seconds(1.5): ~p~n", [catch timer:seconds(1.5)]),
    io:format("hms(1,2,3): ~p~n", [timer:hms(1,2,3)]),
    io:format("tc(42): ~p~n", [catch timer:tc(42)]),
    {T, V} = timer:tc(fun() -> timer:sleep(10), done end),
    io:format("tc/1: ~p ~p~n", [T >= 10000, V]),
    {_, V2} = timer:tc(lists, reverse, [[1,2]]),
    io:format("tc/3: ~p~n", [V2]),
    io:format("sleep(x): ~p~n", [catch timer:sleep(x)]),
    R = spawn(fun() -> receive never -> ok end end),
    MR = monitor(process, R),
    {ok, _} = timer:exit_after(100, R, bye),
    receive {'DOWN', MR, _, _, Why} -> io:format("exit_after: DOWN ~p~n", [Why]) end,
    S = spawn(fun() -> process_flag(trap_exit, true), receive never -> ok end end),
    MS = monitor(process, S),
    {ok, _} = timer:kill_after(100, S),
    receive {'DOWN', MS, _, _, Why2} -> io:format("kill_after: DOWN ~p~n", [Why2]) end,
    flush().

tag(M) when is_tuple(M) -> element(1, M);
tag(M) -> M.

flush() -> receive _ -> flush() after 0 -> ok end.
