%% issue 23, item 9: gen_statem_SUITE:abnormal2 under OTP 25: a bad return value's exit reason.
-module(ch23_f9_bad).
-export([main/0, init/1, callback_mode/0, handle_event/4]).
init(_) -> {ok, idle, data}.
callback_mode() -> handle_event_function.
handle_event(_, _, _, _) -> badreturn.
main() ->
    logger:set_primary_config(level, none),
    process_flag(trap_exit, true),
    {ok, P} = gen_statem:start_link(?MODULE, [], []),
    {'EXIT', {R, _}} = (catch gen_statem:call(P, badreturn)),
    io:format("call_exit: ~p~n", [R]),
    receive {'EXIT', P, E} -> io:format("exit_signal: ~p~n", [E]) end.
