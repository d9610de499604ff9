-module(plainchild).
-behaviour(supervisor).
-export([init/1, start_plain/1, main/0]).
%% A supervised child that is not OTP-compliant (plain spawn_link, no proc_lib, no sys), book ch. 8.
start_plain(Trap) ->
    {ok, spawn_link(fun() -> process_flag(trap_exit, Trap), loop() end)}.
loop() -> receive {ping, From} -> From ! pong, loop(); _ -> loop() end.
init(_) ->
    {ok, {#{strategy => one_for_one, intensity => 5, period => 10},
          [#{id => plain, start => {?MODULE, start_plain, [false]}, shutdown => 500},
           #{id => deaf, start => {?MODULE, start_plain, [true]}, shutdown => 500}]}}.
main() ->
    logger:set_primary_config(level, none),
    {ok, Sup} = supervisor:start_link(?MODULE, []),
    [{deaf, Deaf, worker, _}, {plain, Plain, worker, _}] = supervisor:which_children(Sup),
    Plain ! {ping, self()}, receive pong -> io:format("the plain child answers: pong~n") end,
    io:format("sys:get_state(Plain, 100): ~p~n", [catch sys:get_state(Plain, 100)]),
    T0 = erlang:monotonic_time(millisecond),
    R = supervisor:terminate_child(Sup, deaf),
    io:format("terminate_child(deaf) -> ~p after ~p ms; alive: ~p~n",
              [R, erlang:monotonic_time(millisecond) - T0, is_process_alive(Deaf)]),
    io:format("terminate_child(plain) -> ~p; alive: ~p~n", [supervisor:terminate_child(Sup, plain), is_process_alive(Plain)]).
