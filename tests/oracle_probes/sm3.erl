-module(sm3).
-compile([export_all, nowarn_export_all]).
callback_mode() -> handle_event_function.
init(L) -> {ok, a, L}.
handle_event(cast, {set, Acts}, _S, L) -> L ! {log, {set, Acts}}, {keep_state_and_data, Acts};
handle_event(T, C, _S, L) -> L ! {log, {T, C}}, keep_state_and_data.
logs() -> receive {log, X} -> [X | logs()] after 50 -> [] end.
run() ->
  {ok, Q} = gen_statem:start(?MODULE, self(), []),
  sys:trace(Q, true),
  gen_statem:cast(Q, {set, [{state_timeout, 0, s0}, {next_event, internal, n}]}), timer:sleep(10),
  io:format("~p~n", [logs()]),
  ok.
