%% issue 23, item 9: gen_statem zero timeouts under OTP 25 (gen_statem_SUITE:state_timeout, state_enter).
-module(ch23_f9_t0).
-behaviour(gen_statem).
-export([main/0, init/1, callback_mode/0, handle_event/4]).
init(P) -> {ok, s, P}.
callback_mode() -> handle_event_function.
handle_event(cast, {go, Actions}, _S, _P) -> {keep_state_and_data, Actions};
handle_event(cast, {go_change, Actions}, s, P) -> {next_state, s2, P, Actions};
handle_event(T, C, _S, P) when T =:= timeout; T =:= state_timeout ->
    P ! {T, C}, keep_state_and_data;
handle_event(T, C, _S, P) -> P ! {other, T, C}, keep_state_and_data.
got() -> receive M -> [M | got()] after 200 -> [] end.
main() ->
    {ok, M} = gen_statem:start(?MODULE, self(), []),
    gen_statem:cast(M, {go, [{timeout, 0, a}, {state_timeout, 0, b}]}),
    io:format("timeout_first: ~p~n", [got()]),
    gen_statem:cast(M, {go, [{state_timeout, 0, b}, {timeout, 0, a}]}),
    io:format("state_timeout_first: ~p~n", [got()]),
    gen_statem:cast(M, {go, [{state_timeout, 0, b1}, {timeout, 0, a}, {next_event, internal, x}]}),
    io:format("with_next_event: ~p~n", [got()]),
    gen_statem:cast(M, {go_change, [{timeout, 0, a}, {state_timeout, 0, b}]}),
    io:format("on_state_change: ~p~n", [got()]).
