%% x-bench (issue 26): the failures the Concuerror ports report, forced by hand in OTP 25.
-module(x_bench_ports).
-export([run/0]).

run() ->
    %% spawn_link_race: link to a process that has ended, caller not trapping
    P1 = spawn(fun() -> ok end),
    wait_dead(P1),
    io:format("link_dead: ~p~n", [catch link(P1)]),
    %% spawn_register_race / registered_send_1: send to a name not (yet) registered
    io:format("send_unregistered: ~p~n", [catch foo ! bar]),
    %% is_process_alive_1: register a pid that has ended
    io:format("register_dead: ~p~n", [catch register(child, P1)]),
    %% exit_kill: a linked child ends with exit(kill); the trapping parent's message
    process_flag(trap_exit, true),
    C = spawn_link(fun() -> exit(kill) end),
    receive {'EXIT', C, R} -> io:format("exit_kill: ~p~n", [R]) end,
    process_flag(trap_exit, false),
    %% link_receive_exit: a normal exit signal to a process not (yet) trapping is ignored
    Me = self(),
    W = spawn(fun() -> receive go -> ok end,
                       process_flag(trap_exit, true),
                       Me ! trapping,
                       receive M -> Me ! {got, M} after 100 -> Me ! nothing end end),
    L = spawn(fun() -> link(W), Me ! linked end),
    receive linked -> ok end,
    wait_dead(L),
    W ! go,
    receive trapping -> ok end,
    receive Got -> io:format("link_then_trap: ~p~n", [Got]) end,
    %% ets_many_insert_new: the second insert_new of a key
    T = ets:new(t, [public]),
    io:format("insert_new: ~p ~p ~p~n", [ets:insert_new(T, {x, 1}), ets:insert_new(T, {x, 2}),
                                         ets:lookup(T, x)]),
    %% gen_server_restart: a second start under a name still held
    {ok, G} = gen_server:start({local, gsb}, x_bench_ports_gs, [], []),
    io:format("already_started: ~p~n",
              [gen_server:start({local, gsb}, x_bench_ports_gs, [], []) =:= {error, {already_started, G}}]),
    %% demonitor_parent_none: demonitor before the child ends: no 'DOWN' ever
    {P2, Ref} = spawn_monitor(fun() -> receive go -> ok end end),
    true = demonitor(Ref),
    P2 ! go,
    wait_dead(P2),
    io:format("down_after_demonitor: ~p~n", [receive {'DOWN', Ref, _, _, _} -> yes after 100 -> no end]),
    ok.

wait_dead(P) ->
    case is_process_alive(P) of
        true -> timer:sleep(1), wait_dead(P);
        false -> ok
    end.
