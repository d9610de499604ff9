%% issue 23, item 9: gen_server_SUITE:undef_init (and gen_statem's twin) under OTP 25.
-module(ch23_f9_undef).
-export([main/0]).
main() ->
    logger:set_primary_config(level, none),
    {error, {undef, [Top | _]}} = gen_server:start(ch23_f9_noinit, [], []),
    io:format("gs_undef_init: ~p~n", [Top]),
    process_flag(trap_exit, true),
    R = (catch gen_server:start_link(ch23_f9_noinit, [], [])),
    io:format("gs_undef_init_link: ~p~n", [element(1, element(2, R))]),
    io:format("gs_no_exit_left: ~p~n", [receive M -> M after 500 -> none end]),
    io:format("sm_undef_init: ~p~n", [gen_statem:start(ch23_f9_noinit, [], [])]).
