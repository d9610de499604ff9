-module(sm4).
-compile([export_all, nowarn_export_all]).
callback_mode() -> [handle_event_function, state_enter].
init(L) -> {ok, a, L}.
handle_event(enter, Old, S, L) -> L ! {log, {enter, Old, S}}, keep_state_and_data;
handle_event(cast, {go, S, Acts}, _S, L) -> {next_state, S, L, Acts};
handle_event(T, C, _S, L) -> L ! {log, {T, C}}, keep_state_and_data.
logs() -> receive {log, X} -> [X | logs()] after 50 -> [] end.
run() ->
  {ok, Q} = gen_statem:start(?MODULE, self(), []),
  logs(),
  sys:trace(Q, true),
  gen_statem:cast(Q, {go, b, [{next_event, internal, n1}, {next_event, internal, n2}]}), timer:sleep(10),
  io:format("~p~n", [logs()]),
  ok.
