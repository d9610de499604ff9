-module(start_fsm).
-compile(nowarn_deprecated_function).
-export([init/1, main/0, handle_event/3, handle_sync_event/4, handle_info/3, terminate/3, code_change/4]).
%% gen_fsm (the book's ch. 6): init's return values and the {timeout, Ms} start option.
init({sleep, Ms}) -> timer:sleep(Ms), {ok, idle, []};
init(stop) -> {stop, no_way};
init(ignore) -> ignore;
init(ok) -> {ok, idle, [{coins, 0}]}.
handle_event(_, S, D) -> {next_state, S, D}.
handle_sync_event(_, _, S, D) -> {reply, ok, S, D}.
handle_info(_, S, D) -> {next_state, S, D}.
terminate(_, _, _) -> ok.
code_change(_, S, D, _) -> {ok, S, D}.
main() ->
    logger:set_primary_config(level, none),
    {ok, P} = gen_fsm:start(?MODULE, ok, []),
    io:format("gen_fsm start, init returns {ok, idle, [{coins, 0}]}: ~p~n", [sys:get_state(P)]),
    io:format("gen_fsm start, init returns {stop, no_way}: ~p~n", [gen_fsm:start(?MODULE, stop, [])]),
    io:format("gen_fsm start, init returns ignore: ~p~n", [gen_fsm:start(?MODULE, ignore, [])]),
    io:format("gen_fsm start, init takes 500 ms, timeout 100: ~p~n",
              [gen_fsm:start(?MODULE, {sleep, 500}, [{timeout, 100}])]).
