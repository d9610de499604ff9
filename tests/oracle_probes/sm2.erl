-module(sm2).
-compile([export_all, nowarn_export_all]).
callback_mode() -> handle_event_function.
init(L) -> {ok, a, L}.
handle_event(cast, {set, Acts}, _S, L) -> L ! {log, {set, Acts}}, {keep_state_and_data, Acts};
handle_event(cast, poke, _, L) -> L ! {log, poke}, keep_state_and_data;
handle_event(T, C, _S, L) -> L ! {log, {T, C}}, keep_state_and_data.
logs() -> receive {log, X} -> [X | logs()] after 50 -> [] end.
p(T, V) -> io:format("~s: ~p~n", [T, V]).
run() ->
  {ok, Q} = gen_statem:start(?MODULE, self(), []),
  S = fun(A) -> gen_statem:cast(Q, {set, A}) end,
  S([{state_timeout, 0, s0}, {{timeout, g}, 0, g0}, {timeout, 0, e0}]), timer:sleep(10), p("zero order", logs()),
  S([{state_timeout, 10, st}, {state_timeout, update, upd}]), timer:sleep(20), p("set+update same list", logs()),
  S([{{timeout, h}, update, upd}]), timer:sleep(20), p("update not running", logs()),
  S([{state_timeout, cancel}, {state_timeout, 10, st}]), timer:sleep(20), p("cancel+set", logs()),
  S([{timeout, 10, e1}, {timeout, 20, e2}]), timer:sleep(30), p("event dup", logs()),
  S([{timeout, 0, z}, {next_event, internal, n}]), timer:sleep(10), p("zero event + next_event", logs()),
  sys:trace(Q, true),
  S([{timeout, 0, e0}]), timer:sleep(10),
  S([{state_timeout, 0, s0}]), timer:sleep(10),
  S([{state_timeout, 10, s10}]), timer:sleep(20),
  S([{{timeout, g}, update, gu}]), timer:sleep(10),
  logs(),
  ok.
