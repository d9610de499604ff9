%%% scaling.erl -- how the cost of some operations grows with a size n on BEAM.
%%%
%%% The BEAM reference for the scaling curves of OTP Lab: the Python kernel
%%% (otp_lite) runs the same workloads, and both are drawn on log-log plots.
%%%
%%% Run (one scheduler):
%%%   cd bench/beam && erlc scaling.erl && erl +S 1 -noshell -pa . -run scaling main -s init stop
%%%   ... -run scaling main call_backlog ets_set_traverse -s init stop   (a subset)
%%% Saved full run: bench/results/beam_scaling.jsonl
%%%
%%% Output (stdout, nothing else): one JSON object per line. First a meta line
%%%   {"impl": "beam", "workload": "_meta", "n": 0, "us_per_op": 0.0, "ops": 0,
%%%    "otp": "<OTP version>", "schedulers": <schedulers online>}
%%% then per workload and size
%%%   {"impl": "beam", "workload": "<name>", "n": <int>, "us_per_op": <float>, "ops": <int>}
%%% us_per_op = median over 3 repetitions of (timed part in us / ops); ops is the
%%% number of operations in ONE repetition (chosen so a repetition is ~10-100 ms).
%%% Setup is never timed. Errors and skipped sizes are reported on stderr.
%%%
%%% "Batched" below: a workload whose ops would change the size it measures does
%%% one repetition as B batches of K = min(8000, n div 8) ops, each batch on a
%%% fresh (or restored) structure of size n, and sums the batches' timed parts;
%%% so n drifts by at most 1/8 while it is measured.
%%%
%%% Sizes n = 1000, 4000, 16000, 64000, 256000, 1000000. A workload stops growing
%%% n after a size that took more than 10 s of wall time (setup included), or
%%% when n would pass the workload's cap. Each size runs in a fresh process (a
%%% size that takes longer than 120 s is killed and ends the workload). The caps
%%% are the ones of the brief; none had to be lowered. Where a curve stops early:
%%% static_sup_exit's cap (32,000) is not in the size list, so it ends at 16,000;
%%% pg_get_members ends at 64,000 because that size's *setup* takes 40-60 s and
%%% trips the 10 s rule: pg's clean-up of n dead members is quadratic in n on
%%% OTP 25 (measured: 4,000 deaths 0.2 s, 16,000 deaths 2.7 s). A full run takes
%%% about 80 s, most of it that one pg setup.
%%%
%%% Workloads (cap in brackets):
%%%  call_backlog [1,000,000]: the caller has n {noise, I} in its own mailbox and
%%%    does ops gen_server:call(Server, ping) to a trivial server. Per op: one call.
%%%    (The receive-marker optimisation makes the reply receive skip the backlog.)
%%%  selective_rewake [64,000]: a waiter with n {old, I} in its mailbox blocks in
%%%    `receive wanted -> ok end`; the sender sends ops {new, I} one at a time and,
%%%    after each, yields until process_info(W, status) is `waiting` again (so the
%%%    waiter really woke up and re-blocked per message; checked with the waiter's
%%%    reduction count), then sends `wanted`. Per op: one arriving message (sending
%%%    loop time / ops). Batched: a fresh waiter with n old messages per batch, so
%%%    its mailbox grows from n to at most 1.125 n.
%%%  ets_set_traverse [1,000,000]: set with n rows {I, I}; one full
%%%    ets:first/ets:next traversal is n steps. Per op: one step. For small n the
%%%    traversal is repeated max(1, 1000000 div n) times inside the timed part, so
%%%    ops = n * repeats (about 1,000,000).
%%%  ets_ordset_insert [1,000,000]: ordered_set holding n random integer keys;
%%%    ops inserts of fresh random keys (drawn before timing). Per op: one insert.
%%%    Batched: the K inserted keys are deleted (untimed) after each batch.
%%%  ets_pq [1,000,000]: ordered_set with n rows {1..n, job}; one op is
%%%    K = ets:first(T), ets:delete(T, K), ets:insert(T, {K + n, job}), ets:last(T).
%%%  exit_with_tables [64,000]: n processes each own one (empty) ets set and wait
%%%    in receive; the bench monitors them (untimed), then kills ops of them one at
%%%    a time: exit(P, kill) and wait for the 'DOWN'. Per op: one exit.
%%%    Batched: n fresh table owners per batch, K of them killed, the rest
%%%    killed untimed.
%%%  static_sup_exit [32,000]: one_for_one supervisor (intensity 10^9, period 1 s)
%%%    with n static permanent workers (spawn_link'ed, waiting in receive, start
%%%    function returns {ok, Pid} and notifies the bench). One op: monitor a child,
%%%    exit(Child, kill), wait for 'DOWN', wait for the restarted child's start
%%%    notice, then sys:statistics(Sup, get) -- a cheap synchronous system call
%%%    that returns only once the supervisor has finished handling the EXIT
%%%    (sys:get_state would copy the whole n-child state and bias the result).
%%%    Per op: one exit + restart. Killed children are spread evenly over the ids.
%%%  pg_get_members [256,000]: a fresh pg scope (pg:start_link/1), group g with
%%%    100 living members plus n members that joined (one multi-join) then were
%%%    killed, waiting until pg:get_members returns only the 100 (untimed setup,
%%%    quadratic in n, see above). Per op: one pg:get_members(Scope, g).

-module(scaling).

-export([main/0, main/1]).
%% gen_server / supervisor callbacks (for the trivial server and the supervisor)
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).
%% supervisor child start function
-export([child_start/2]).

-define(SIZES, [1000, 4000, 16000, 64000, 256000, 1000000]).
-define(SIZE_BUDGET_NS, 10000000000).   % stop growing n after a size > 10 s
-define(GUARD_MS, 120000).              % kill a size that runs longer than this
-define(REPS, 3).

workloads() ->
    [{call_backlog, 1000000},
     {selective_rewake, 64000},
     {ets_set_traverse, 1000000},
     {ets_ordset_insert, 1000000},
     {ets_pq, 1000000},
     {exit_with_tables, 64000},
     {static_sup_exit, 32000},
     {pg_get_members, 256000}].

%% ---------------------------------------------------------------------------
%% Entry points and driver
%% ---------------------------------------------------------------------------

main() ->
    main([]).

main(Args) ->
    quiet_logger(),
    All = workloads(),
    Wanted = [to_atom(A) || A <- Args],
    case [W || W <- Wanted, not lists:keymember(W, 1, All)] of
        [] -> ok;
        Unknown ->
            io:format(standard_error, "scaling: unknown workload(s) ~p; known: ~p~n",
                      [Unknown, [W || {W, _} <- All]]),
            erlang:halt(2)
    end,
    Selected = case Wanted of
                   [] -> All;
                   _ -> [WC || {W, _} = WC <- All, lists:member(W, Wanted)]
               end,
    io:format("{\"impl\": \"beam\", \"workload\": \"_meta\", \"n\": 0, \"us_per_op\": 0.0, "
              "\"ops\": 0, \"otp\": \"~s\", \"schedulers\": ~b}~n",
              [otp_version(), erlang:system_info(schedulers_online)]),
    lists:foreach(fun({W, Cap}) -> run_sizes(W, Cap, ?SIZES) end, Selected),
    ok.

to_atom(A) when is_atom(A) -> A;
to_atom(S) when is_list(S) -> list_to_atom(S);
to_atom(B) when is_binary(B) -> binary_to_atom(B, utf8).

otp_version() ->
    Rel = erlang:system_info(otp_release),
    File = filename:join([code:root_dir(), "releases", Rel, "OTP_VERSION"]),
    case file:read_file(File) of
        {ok, Bin} -> string:trim(binary_to_list(Bin));
        _ -> Rel
    end.

%% Supervisor child reports etc. would go to stdout via the default handler and
%% cost time: send whatever logger output is left to stderr, and keep only
%% critical and worse.
quiet_logger() ->
    _ = logger:remove_handler(default),
    _ = logger:add_handler(scaling_stderr, logger_std_h,
                           #{config => #{type => standard_error}}),
    ok = logger:set_primary_config(level, critical).

run_sizes(_W, _Cap, []) ->
    ok;
run_sizes(_W, Cap, [N | _]) when N > Cap ->
    ok;
run_sizes(W, Cap, [N | Rest]) ->
    T0 = now_ns(),
    case run_isolated(W, N) of
        {ok, Ops, UsPerOp} ->
            emit(W, N, UsPerOp, Ops),
            Wall = now_ns() - T0,
            case Wall > ?SIZE_BUDGET_NS of
                true ->
                    io:format(standard_error, "scaling: ~s n=~b took ~.1f s; not growing n~n",
                              [W, N, Wall / 1.0e9]);
                false ->
                    run_sizes(W, Cap, Rest)
            end;
        {error, Why} ->
            io:format(standard_error, "scaling: ~s n=~b failed: ~p~n", [W, N, Why])
    end.

emit(W, N, UsPerOp, Ops) ->
    io:format("{\"impl\": \"beam\", \"workload\": \"~s\", \"n\": ~b, \"us_per_op\": ~.4f, "
              "\"ops\": ~b}~n", [W, N, float(UsPerOp), Ops]).

%% Each size runs in its own fresh process: a clean mailbox, heap and links.
run_isolated(W, N) ->
    Parent = self(),
    Tag = make_ref(),
    {Pid, Mref} =
        spawn_opt(fun() ->
                          Res = measure(W, N),
                          Parent ! {Tag, Res},
                          %% a non-normal exit takes linked helpers down with it
                          exit(bench_done)
                  end, [monitor]),
    receive
        {Tag, {Ops, TimesNs}} ->
            receive {'DOWN', Mref, process, Pid, _} -> ok end,
            {ok, Ops, median(TimesNs) / 1000 / Ops};
        {'DOWN', Mref, process, Pid, Reason} ->
            {error, Reason}
    after ?GUARD_MS ->
            exit(Pid, kill),
            receive {'DOWN', Mref, process, Pid, _} -> ok end,
            receive {Tag, _} -> ok after 0 -> ok end,
            {error, {timeout_ms, ?GUARD_MS}}
    end.

measure(W, N) ->
    rand:seed(exsss, {N, 17, 4242}),
    erlang:garbage_collect(),
    case W of
        call_backlog -> call_backlog(N);
        selective_rewake -> selective_rewake(N);
        ets_set_traverse -> ets_set_traverse(N);
        ets_ordset_insert -> ets_ordset_insert(N);
        ets_pq -> ets_pq(N);
        exit_with_tables -> exit_with_tables(N);
        static_sup_exit -> static_sup_exit(N);
        pg_get_members -> pg_get_members(N)
    end.

now_ns() ->
    erlang:monotonic_time(nanosecond).

median(L) ->
    lists:nth((length(L) + 1) div 2, lists:sort(L)).

reps(Fun) ->
    [Fun() || _ <- lists:seq(1, ?REPS)].

%% Workloads whose ops would change the size they measure (a mailbox that grows,
%% a population that shrinks, a table that grows) do one repetition as B batches
%% of K = min(8000, n div 8) ops, each batch on a fresh (or restored) structure
%% of size n, so n drifts by at most 1/8 during a batch. BatchFun(K) returns the
%% timed nanoseconds of one batch; a repetition's time is the sum over batches.
batch_size(N, Ops) ->
    K = min(8000, max(1, N div 8)),
    0 = Ops rem K,
    K.

batched(N, Ops, BatchFun) ->
    K = batch_size(N, Ops),
    lists:sum([BatchFun(K) || _ <- lists:seq(1, Ops div K)]).

%% ---------------------------------------------------------------------------
%% 1. call_backlog
%% ---------------------------------------------------------------------------

call_backlog(N) ->
    {ok, Srv} = gen_server:start_link(?MODULE, server, []),
    fill_self_noise(1, N),
    erlang:garbage_collect(),
    Ops = 20000,
    Times = reps(fun() ->
                         T0 = now_ns(),
                         call_loop(Srv, Ops),
                         now_ns() - T0
                 end),
    {message_queue_len, N} = process_info(self(), message_queue_len),
    {Ops, Times}.

fill_self_noise(I, N) when I > N ->
    ok;
fill_self_noise(I, N) ->
    self() ! {noise, I},
    fill_self_noise(I + 1, N).

call_loop(_Srv, 0) ->
    ok;
call_loop(Srv, K) ->
    ping = gen_server:call(Srv, ping),
    call_loop(Srv, K - 1).

%% gen_server callbacks of the trivial server; init/1 also serves the supervisor.
init(server) ->
    {ok, no_state};
init({sup, N, Notify}) ->
    Flags = #{strategy => one_for_one, intensity => 1000000000, period => 1},
    Children = [#{id => I,
                  start => {?MODULE, child_start, [I, Notify]},
                  restart => permanent,
                  shutdown => brutal_kill,
                  type => worker}
                || I <- lists:seq(1, N)],
    {ok, {Flags, Children}}.

handle_call(ping, _From, State) ->
    {reply, ping, State}.

handle_cast(_Msg, State) ->
    {noreply, State}.

handle_info(_Msg, State) ->
    {noreply, State}.

%% ---------------------------------------------------------------------------
%% 2. selective_rewake
%% ---------------------------------------------------------------------------

selective_rewake(N) ->
    Ops = 16000,
    Times = reps(fun() -> batched(N, Ops, fun(K) -> selective_rewake_once(N, K) end) end),
    {Ops, Times}.

selective_rewake_once(N, Ops) ->
    Self = self(),
    W = spawn_link(fun() ->
                           fill_self_old(1, N),
                           Self ! {ready, self()},
                           receive wanted -> ok end,
                           Self ! {woken, self()},
                           receive stop -> ok end
                   end),
    receive {ready, W} -> ok end,
    wait_waiting(W),
    {reductions, R0} = process_info(W, reductions),
    T0 = now_ns(),
    send_new_loop(W, Ops),
    T1 = now_ns(),
    {reductions, R1} = process_info(W, reductions),
    W ! wanted,
    receive {woken, W} -> ok end,
    {message_queue_len, Len} = process_info(W, message_queue_len),
    %% every {new, _} woke the waiter (it spent reductions on each) and stayed
    %% unmatched behind the n old ones
    true = (R1 - R0) >= Ops,
    Len = N + Ops,
    unlink(W),
    exit(W, kill),
    T1 - T0.

fill_self_old(I, N) when I > N ->
    ok;
fill_self_old(I, N) ->
    self() ! {old, I},
    fill_self_old(I + 1, N).

send_new_loop(_W, 0) ->
    ok;
send_new_loop(W, K) ->
    W ! {new, K},
    erlang:yield(),
    wait_waiting(W),
    send_new_loop(W, K - 1).

wait_waiting(W) ->
    case process_info(W, status) of
        {status, waiting} -> ok;
        _ ->
            erlang:yield(),
            wait_waiting(W)
    end.

%% ---------------------------------------------------------------------------
%% 3. ets_set_traverse
%% ---------------------------------------------------------------------------

ets_set_traverse(N) ->
    T = ets:new(traverse, [set]),
    fill_ii(T, 1, N),
    N = ets:info(T, size),
    Repeats = max(1, 1000000 div N),
    Times = reps(fun() ->
                         T0 = now_ns(),
                         traverse_n(T, Repeats, N),
                         now_ns() - T0
                 end),
    ets:delete(T),
    {N * Repeats, Times}.

fill_ii(_T, I, N) when I > N ->
    ok;
fill_ii(T, I, N) ->
    ets:insert(T, {I, I}),
    fill_ii(T, I + 1, N).

traverse_n(_T, 0, _N) ->
    ok;
traverse_n(T, R, N) ->
    %% first + (n - 1) next calls to reach the last key, one more to see the end
    N = walk(T, ets:first(T), 0),
    traverse_n(T, R - 1, N).

walk(_T, '$end_of_table', Count) ->
    Count;
walk(T, K, Count) ->
    walk(T, ets:next(T, K), Count + 1).

%% ---------------------------------------------------------------------------
%% 4. ets_ordset_insert
%% ---------------------------------------------------------------------------

-define(KEY_SPACE, (1 bsl 50)).

ets_ordset_insert(N) ->
    T = ets:new(ordset, [ordered_set]),
    fill_random(T, N),
    Ops = 40000,
    Times = reps(fun() -> batched(N, Ops, fun(K) -> ordset_insert_once(T, N, K) end) end),
    ets:delete(T),
    {Ops, Times}.

fill_random(T, N) ->
    case ets:info(T, size) of
        N -> ok;
        Size ->
            fill_random_k(T, N - Size),
            fill_random(T, N)
    end.

fill_random_k(_T, 0) ->
    ok;
fill_random_k(T, K) ->
    ets:insert(T, {rand:uniform(?KEY_SPACE), v}),
    fill_random_k(T, K - 1).

ordset_insert_once(T, N, K) ->
    Keys = maps:keys(fresh_keys(T, K, #{})),
    T0 = now_ns(),
    insert_keys(T, Keys),
    T1 = now_ns(),
    lists:foreach(fun(Key) -> ets:delete(T, Key) end, Keys),
    N = ets:info(T, size),
    T1 - T0.

%% K distinct keys that are not in the table (as map keys).
fresh_keys(_T, 0, Acc) ->
    Acc;
fresh_keys(T, K, Acc) ->
    Key = rand:uniform(?KEY_SPACE),
    case ets:member(T, Key) orelse maps:is_key(Key, Acc) of
        true -> fresh_keys(T, K, Acc);
        false -> fresh_keys(T, K - 1, Acc#{Key => true})
    end.

insert_keys(_T, []) ->
    ok;
insert_keys(T, [K | Ks]) ->
    ets:insert(T, {K, v}),
    insert_keys(T, Ks).

%% ---------------------------------------------------------------------------
%% 5. ets_pq
%% ---------------------------------------------------------------------------

ets_pq(N) ->
    T = ets:new(pq, [ordered_set]),
    fill_job(T, 1, N),
    Ops = 50000,
    Times = reps(fun() ->
                         T0 = now_ns(),
                         pq_loop(T, N, Ops),
                         now_ns() - T0
                 end),
    N = ets:info(T, size),
    ets:delete(T),
    {Ops, Times}.

fill_job(_T, I, N) when I > N ->
    ok;
fill_job(T, I, N) ->
    ets:insert(T, {I, job}),
    fill_job(T, I + 1, N).

pq_loop(_T, _N, 0) ->
    ok;
pq_loop(T, N, K) ->
    Key = ets:first(T),
    true = ets:delete(T, Key),
    true = ets:insert(T, {Key + N, job}),
    _ = ets:last(T),
    pq_loop(T, N, K - 1).

%% ---------------------------------------------------------------------------
%% 6. exit_with_tables
%% ---------------------------------------------------------------------------

exit_with_tables(N) ->
    Ops = 8000,
    Times = reps(fun() -> batched(N, Ops, fun(K) -> exit_with_tables_once(N, K) end) end),
    {Ops, Times}.

exit_with_tables_once(N, Ops) ->
    Self = self(),
    %% not linked: killing them must not take the bench process down
    Pids = [spawn(fun() -> table_owner(Self) end) || _ <- lists:seq(1, N)],
    wait_ready(N),
    Mons = [{P, erlang:monitor(process, P)} || P <- Pids],
    {Victims, Rest} = lists:split(Ops, Mons),
    T0 = now_ns(),
    kill_each(Victims),
    T1 = now_ns(),
    [exit(P, kill) || {P, _} <- Rest],
    wait_downs(Rest),
    T1 - T0.

table_owner(Parent) ->
    _ = ets:new(owned, [set]),
    Parent ! ready,
    receive stop -> ok end.

wait_ready(0) ->
    ok;
wait_ready(K) ->
    receive ready -> wait_ready(K - 1) end.

kill_each([]) ->
    ok;
kill_each([{P, Ref} | Rest]) ->
    exit(P, kill),
    receive {'DOWN', Ref, process, P, _} -> ok end,
    kill_each(Rest).

wait_downs([]) ->
    ok;
wait_downs([{P, Ref} | Rest]) ->
    receive {'DOWN', Ref, process, P, _} -> ok end,
    wait_downs(Rest).

%% ---------------------------------------------------------------------------
%% 7. static_sup_exit
%% ---------------------------------------------------------------------------

static_sup_exit(N) ->
    {ok, Sup} = supervisor:start_link(?MODULE, {sup, N, self()}),
    Pids0 = collect_started(N, #{}),
    Ops = min(500, N),
    Stride = N div Ops,
    Ids = [1 + I * Stride || I <- lists:seq(0, Ops - 1)],
    {Times, _} =
        lists:mapfoldl(fun(_, Pids) ->
                               T0 = now_ns(),
                               Pids1 = kill_restart(Sup, Ids, Pids),
                               {now_ns() - T0, Pids1}
                       end, Pids0, lists:seq(1, ?REPS)),
    {message_queue_len, 0} = process_info(self(), message_queue_len),
    unlink(Sup),
    ok = gen_server:stop(Sup),
    {Ops, Times}.

%% Start function of a static child: a plain linked process waiting in receive.
child_start(Id, Notify) ->
    Pid = spawn_link(fun child_loop/0),
    Notify ! {started, Id, Pid},
    {ok, Pid}.

child_loop() ->
    receive stop -> ok end.

collect_started(0, Acc) ->
    Acc;
collect_started(K, Acc) ->
    receive {started, Id, Pid} -> collect_started(K - 1, Acc#{Id => Pid}) end.

kill_restart(_Sup, [], Pids) ->
    Pids;
kill_restart(Sup, [Id | Ids], Pids) ->
    Old = maps:get(Id, Pids),
    Ref = erlang:monitor(process, Old),
    exit(Old, kill),
    receive {'DOWN', Ref, process, Old, _} -> ok end,
    New = receive {started, Id, P} -> P end,
    {ok, _} = sys:statistics(Sup, get),
    kill_restart(Sup, Ids, Pids#{Id := New}).

%% ---------------------------------------------------------------------------
%% 8. pg_get_members
%% ---------------------------------------------------------------------------

pg_get_members(N) ->
    Scope = list_to_atom("scaling_pg_" ++ integer_to_list(N)),
    {ok, Pg} = pg:start_link(Scope),
    Live = [spawn_link(fun child_loop/0) || _ <- lists:seq(1, 100)],
    ok = pg:join(Scope, g, Live),
    Doomed = [spawn(fun child_loop/0) || _ <- lists:seq(1, N)],
    ok = pg:join(Scope, g, Doomed),
    N100 = N + 100,
    N100 = length(pg:get_members(Scope, g)),
    Mons = [{P, erlang:monitor(process, P)} || P <- Doomed],
    [exit(P, kill) || P <- Doomed],
    wait_downs(Mons),
    wait_members(Scope, 100),
    Ops = 50000,
    Times = reps(fun() ->
                         T0 = now_ns(),
                         get_members_loop(Scope, Ops),
                         now_ns() - T0
                 end),
    unlink(Pg),
    ok = gen_server:stop(Pg),
    {Ops, Times}.

wait_members(Scope, Want) ->
    case length(pg:get_members(Scope, g)) of
        Want -> ok;
        _ ->
            timer:sleep(1),
            wait_members(Scope, Want)
    end.

get_members_loop(_Scope, 0) ->
    ok;
get_members_loop(Scope, K) ->
    [_ | _] = pg:get_members(Scope, g),
    get_members_loop(Scope, K - 1).
