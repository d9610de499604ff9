#!/usr/bin/env escript
%% issue 26, explore's after_timeout and trap_exit choice points, on OTP 25.
%% Run: escript tests/oracle_probes/ch26_after_timeout.escript > tests/oracle_probes/ch26_after_timeout.out
%% 1. trigger_the_after: the receiver has 'one' and waits `after 100` for 'two';
%%    the sender of 'two' is alive and runnable (busy for 200 ms) the whole time:
%%    the after fires anyway (wall clock), the outcome explore offers with after_timeout.
%% 2. a gen_server call with a 100 ms timeout to a server busy for 200 ms: {timeout, _}.
%% 3. trap_exit_timing: trap, spawn_link a child that ends at once, let it end,
%%    then stop trapping: its 'EXIT' is already a message (the child's end landed
%%    between the two process_flag calls).
main(_) ->
    Me = self(),
    R = spawn(fun() ->
                  receive one -> ok end,
                  Me ! {after_result, receive two -> two after 100 -> timeout end}
              end),
    spawn(fun() -> busy(200), R ! two end),
    R ! one,
    receive {after_result, X} -> io:format("trigger_the_after: ~p~n", [X]) end,
    {ok, S} = start_server(),
    io:format("call with 100 ms to a busy server: ~p~n",
              [catch gen_server:call(S, ping, 100)]),
    process_flag(trap_exit, true),
    C = spawn_link(fun() -> ok end),
    busy(20),
    process_flag(trap_exit, false),
    io:format("trap_exit_timing: ~p~n",
              [receive {'EXIT', C, normal} = M -> M after 0 -> timeout end]).

start_server() ->
    Pid = spawn(fun() -> receive {'$gen_call', From, ping} -> busy(200), gen_server:reply(From, pong) end end),
    {ok, Pid}.

busy(Ms) ->
    End = erlang:monotonic_time(millisecond) + Ms,
    spin(End).

spin(End) ->
    case erlang:monotonic_time(millisecond) >= End of
        true -> ok;
        false -> spin(End)
    end.
