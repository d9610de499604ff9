-module(start_opts).
-export([init/1, handle_call/3, handle_cast/2, callback_mode/0, main/0]).
%% gen_server and gen_statem starts: init's return values and the {timeout, Ms} start option.
callback_mode() -> state_functions.
init({sleep, Ms}) -> timer:sleep(Ms), {ok, awake};
init(stop) -> {stop, no_way};
init(ignore) -> ignore;
init(statem) -> {ok, idle, #{}};
init(badret) -> {oops}.
handle_call(R, _F, S) -> {reply, R, S}.
handle_cast(_, S) -> {noreply, S}.
main() ->
    logger:set_primary_config(level, none),
    R1 = gen_server:start(?MODULE, {sleep, 500}, [{timeout, 100}]),
    io:format("gen_server start, init takes 500 ms, timeout 100: ~p~n", [R1]),
    io:format("gen_server start, init takes 50 ms, timeout 100: ~p~n",
              [element(1, gen_server:start(?MODULE, {sleep, 50}, [{timeout, 100}]))]),
    io:format("gen_server start, init returns {stop, no_way}: ~p~n", [gen_server:start(?MODULE, stop, [])]),
    io:format("gen_server start, init returns ignore: ~p~n", [gen_server:start(?MODULE, ignore, [])]),
    io:format("gen_server start, init returns {oops}: ~p~n", [gen_server:start(?MODULE, badret, [])]),
    {ok, P} = gen_statem:start(?MODULE, statem, []),
    io:format("gen_statem start, init returns {ok, idle, #{}}: ~p~n", [sys:get_state(P)]),
    io:format("gen_statem start, init returns {stop, no_way}: ~p~n", [gen_statem:start(?MODULE, stop, [])]),
    io:format("gen_statem start, init returns ignore: ~p~n", [gen_statem:start(?MODULE, ignore, [])]),
    io:format("gen_statem start, init takes 500 ms, timeout 100: ~p~n",
              [gen_statem:start(?MODULE, {sleep, 500}, [{timeout, 100}])]).
