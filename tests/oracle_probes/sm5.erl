-module(sm5).
-compile([export_all, nowarn_export_all]).
callback_mode() -> handle_event_function.
init(L) -> {ok, a, L}.
handle_event({call, _}, badret, _, _) -> huh;
handle_event({call, _}, crash, _, _) -> 1/zero();
handle_event({call, F}, stopr, _, _) -> {stop_and_reply, boom, [{reply, F, bye}]}.
zero() -> 0.
terminate(R, S, _) -> io:format("terminate ~p ~p~n", [R, S]).
run(Req) ->
  {ok, Q} = gen_statem:start({local, sm5}, ?MODULE, self(), []),
  catch gen_statem:call(Q, Req), timer:sleep(50).
