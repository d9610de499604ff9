-module(sm6).
-compile([export_all, nowarn_export_all]).
callback_mode() -> state_functions.
init(L) -> {ok, a, L}.
a(cast, go, L) -> {next_state, nowhere, L};
a(cast, str, L) -> {next_state, "s", L}.
terminate(R, S, _) -> io:format("terminate ~p ~p~n", [R, S]).
run(Req) ->
  error_logger:tty(false), logger:remove_handler(default),
  {ok, Q} = gen_statem:start(?MODULE, self(), []),
  R = monitor(process, Q),
  gen_statem:cast(Q, Req), gen_statem:cast(Q, again),
  receive {'DOWN', R, _, _, W} -> io:format("~p~n", [W]) end.
