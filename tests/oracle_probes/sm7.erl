-module(sm7).
-compile([export_all, nowarn_export_all]).
callback_mode() -> handle_event_function.
init(L) -> {ok, a, L}.
handle_event(cast, st, _, D) -> {next_state, b, D, [{state_timeout, 1000, st1}, {{timeout, g}, 500, gen1}, {timeout, 2000, ev}]};
handle_event(cast, {set, A}, _, D) -> {keep_state, D, A};
handle_event(_, _, _, _) -> keep_state_and_data.
run() ->
  {ok, Q} = gen_statem:start(?MODULE, self(), []),
  sys:trace(Q, true),
  gen_statem:cast(Q, st), timer:sleep(600),
  gen_statem:cast(Q, {set, [{timeout, 0, e0}, {state_timeout, 0, s0}, {next_event, internal, n}]}), timer:sleep(10),
  gen_statem:cast(Q, {set, [{timeout, 10, e0}, {state_timeout, 0, s0}]}), timer:sleep(20),
  ok.
