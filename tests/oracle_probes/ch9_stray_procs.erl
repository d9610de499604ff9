%% A process outside the tree (spawned by a start phase, group leader = the application master)
%% is killed when the application stops and when its tree dies; a crashing stop/1 is caught.
-module(ch9_stray_procs).
-behaviour(application).
-export([start/2, start_phase/3, stop/1, main/0, loop/0]).
start(_, _) ->
    {ok, spawn_link(fun loop/0)}.
start_phase(go, _, _) ->
    P = spawn(fun loop/0), register(stray_helper, P), ok.
stop(_) -> io:format("stop/1 crashes~n"), erlang:error(stop_crashes).
loop() -> receive _ -> loop() end.
main() ->
    ok = application:load({application, ch9_stray_procs, [{vsn, "1"}, {modules, [ch9_stray_procs]}, {registered, []},
        {applications, [kernel, stdlib]}, {mod, {ch9_stray_procs, []}}, {start_phases, [{go, []}]}]}),
    ok = application:start(ch9_stray_procs),
    H0 = whereis(stray_helper),
    io:format("stop ~p~n", [application:stop(ch9_stray_procs)]),
    io:format("after stop (stop/1 crashed, caught): helper alive ~p~n", [is_process_alive(H0)]),
    ok = application:start(ch9_stray_procs),
    H = whereis(stray_helper),
    {ok, Top} = application_get_top(),
    exit(Top, kill),
    timer:sleep(100),
    io:format("after the top was killed: helper alive ~p, apps ~p~n", [is_process_alive(H), [A || {A,_,_} <- application:which_applications()]]).
application_get_top() ->
    %% the top is the only process linked to the inner master besides the outer one: find it by group leader
    GL = element(2, process_info(whereis(stray_helper), group_leader)),
    Ps = [P || P <- processes(), P =/= whereis(stray_helper), {group_leader, GL} =:= process_info(P, group_leader),
               {current_function, {ch9_stray_procs, loop, 0}} =:= process_info(P, current_function)],
    {ok, hd(Ps)}.
