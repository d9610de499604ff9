%% Chapter 8 probes (issue 20): (a) how a rest_for_one restart is counted,
%% (b) simple_one_for_one with short-lived temporary children: counts after they
%% exit, and a supervisor as a bottleneck (one vs a pool, synchronous starts).
-module(ch8_scaling).
-behaviour(supervisor).
-export([main/0, init/1, start_worker/0, start_job/0, job_init/0]).

%% ---- (a) rest_for_one: one restart counted per restart, however many children restart
init({rfo, I}) ->
    W = fun(Id) -> #{id => Id, start => {?MODULE, start_worker, []}} end,
    {ok, {#{strategy => rest_for_one, intensity => I, period => 3600}, [W(a), W(b), W(c)]}};
%% ---- (b) simple_one_for_one, temporary short-lived jobs
init(sofo) ->
    {ok, {#{strategy => simple_one_for_one, intensity => 1, period => 5},
          [#{id => job, start => {?MODULE, start_job, []}, restart => temporary}]}}.

start_worker() -> {ok, spawn_link(fun() -> receive _ -> ok end end)}.

%% a job: its init takes 50 ms (the supervisor waits for it), then it works 500 ms and exits normally
start_job() -> proc_lib:start_link(?MODULE, job_init, []).
job_init() ->
    timer:sleep(50),
    proc_lib:init_ack({ok, self()}),
    timer:sleep(500).

pids(Sup) -> [{Id, P} || {Id, P, _, _} <- lists:reverse(supervisor:which_children(Sup))].

main() ->
    logger:set_primary_config(level, none),
    process_flag(trap_exit, true),
    %% (a)
    {ok, S} = supervisor:start_link(?MODULE, {rfo, 1}),
    P0 = pids(S),
    {b, B} = lists:keyfind(b, 1, P0), exit(B, kill), timer:sleep(20),
    P1 = pids(S),
    io:format("rfo intensity 1, kill b once: alive ~p, same pid: ~p~n",
              [is_process_alive(S), [Id || {Id, P} <- P1, lists:member({Id, P}, P0)]]),
    {b, B1} = lists:keyfind(b, 1, P1), exit(B1, kill), timer:sleep(20),
    io:format("kill b again: alive ~p~n", [is_process_alive(S)]),
    receive {'EXIT', S, R} -> io:format("supervisor exit: ~p~n", [R]) after 100 -> ok end,
    %% (b) counts
    {ok, J} = supervisor:start_link(?MODULE, sofo),
    [{ok, _} = supervisor:start_child(J, []) || _ <- [1, 2, 3]],
    io:format("3 jobs started: ~p~n", [supervisor:count_children(J)]),
    timer:sleep(600),
    io:format("after they exit normally: which_children ~p, count_children ~p~n",
              [supervisor:which_children(J), supervisor:count_children(J)]),
    %% (b) bottleneck: 8 clients at once, through 1 supervisor, then through a pool of 4
    lists:foreach(fun(K) -> race(K) end, [1, 4]),
    %% (b) not supervised: each client spawn_links its own job
    Me = self(),
    T0 = erlang:monotonic_time(millisecond),
    [spawn(fun() -> process_flag(trap_exit, true),
                    {ok, _} = start_job(),
                    Me ! {done, N, erlang:monotonic_time(millisecond) - T0} end) || N <- lists:seq(1, 8)],
    io:format("not supervised: started after (x50 ms) ~p~n", [collect(8)]).

race(K) ->
    Sups = list_to_tuple([element(2, supervisor:start_link(?MODULE, sofo)) || _ <- lists:seq(1, K)]),
    Me = self(),
    T0 = erlang:monotonic_time(millisecond),
    [spawn(fun() -> Sup = element(1 + N rem K, Sups),
                    {ok, _} = supervisor:start_child(Sup, []),
                    Me ! {done, N, erlang:monotonic_time(millisecond) - T0} end) || N <- lists:seq(1, 8)],
    timer:sleep(25),
    Q = [element(2, process_info(element(I, Sups), message_queue_len)) || I <- lists:seq(1, K)],
    io:format("~p supervisor(s): queues at 25 ms ~p, started after (x50 ms) ~p~n", [K, Q, collect(8)]),
    timer:sleep(600),
    io:format("  then count_children ~p~n", [supervisor:count_children(element(1, Sups))]).

collect(N) ->
    L = [receive {done, I, T} -> {I, T} end || _ <- lists:seq(1, N)],
    [round(T / 50) || {_, T} <- lists:sort(L)].
