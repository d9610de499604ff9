%% issue 23, item 9: one callback module for gen_server, gen_statem and gen_event.
-module(ch23_f9_cb).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2,
         callback_mode/0, handle_event/4, handle_event/2, format_status/2]).

init({statem, D}) -> {ok, idle, D};
init(S) -> {ok, S}.
handle_call(get, _From, S) -> {reply, S, S};
handle_call(_Req, _From, S) -> {reply, ok, S}.    % gen_event: handle_call/2 below is unused
handle_cast(_M, S) -> {noreply, S}.
handle_info(_M, S) -> {noreply, S}.
terminate(_R, _S) -> ok.
callback_mode() -> handle_event_function.
handle_event({call, From}, Req, _St, D) -> {keep_state_and_data, [{reply, From, {D, Req}}]};
handle_event(_T, _C, _St, _D) -> keep_state_and_data.
handle_event(_E, S) -> {ok, S}.                       % gen_event
format_status(Opt, [_PDict, S]) -> {formatted, Opt, S}.
