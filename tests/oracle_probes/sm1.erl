-module(sm1).
-behaviour(gen_statem).
-compile([export_all, nowarn_export_all]).
callback_mode() -> handle_event_function.
init(Log) -> {ok, a, Log}.
log(L, X) -> L ! {log, X}.
%% ordering: postpone and next_event
handle_event(cast, go, a, L) ->
  log(L, {a, go}),
  {next_state, b, L, [{next_event, internal, i1}, {next_event, internal, i2}]};
handle_event(cast, P, a, L) when P == p1; P == p2 -> log(L, {a, postpone, P}), {keep_state_and_data, [postpone]};
handle_event(internal, I, S, L) -> log(L, {S, internal, I}), keep_state_and_data;
handle_event(cast, X, b, L) when X == p1; X == p2; X == c3 -> log(L, {b, cast, X}), keep_state_and_data;
%% timeouts
handle_event(cast, {set, Acts}, _S, L) -> log(L, {set, Acts}), {keep_state_and_data, Acts};
handle_event(cast, {goto, S}, _, L) -> log(L, {goto, S}), {next_state, S, L};
handle_event(cast, {goto, S, Acts}, _, L) -> log(L, {goto, S}), {next_state, S, L, Acts};
handle_event(cast, {same, Acts}, S, L) -> log(L, {same}), {next_state, S, L, Acts};
handle_event(cast, poke, _, L) -> log(L, poke), keep_state_and_data;
handle_event(T, C, S, L) when T == timeout; T == state_timeout; element(1, T) == timeout -> log(L, {fired, T, C, S}), keep_state_and_data;
handle_event({call, F}, {replyvia, X}, _, L) -> {keep_state_and_data, [{reply, F, X}]};
handle_event({call, F}, two_replies, _, _L) -> {keep_state_and_data, [{reply, F, one}, {reply, F, two}]};
handle_event({call, F}, {stopr, R}, _, L) -> {stop_and_reply, R, [{reply, F, bye}], L};
handle_event({call, _F}, {stop, R}, _, L) -> {stop, R, L};
handle_event({call, _F}, badact, _, _L) -> {keep_state_and_data, [{bogus, 1}]};
handle_event({call, _F}, badret, _, _L) -> huh;
handle_event({call, _F}, crash, _, _L) -> 1/zero();
handle_event({call, F}, X, S, L) -> {keep_state_and_data, [{reply, F, {S, X}}]};
handle_event(info, X, S, L) -> log(L, {info, X, S}), keep_state_and_data.
zero() -> 0.
terminate(R, S, L) -> log(L, {terminate, R, S}), ok.
c(F) -> try F() of V -> {value, V} catch C:R -> {C, R} end.
p(T, V) -> io:format("~s: ~p~n", [T, V]).
logs() -> receive {log, X} -> [X | logs()] after 50 -> [] end.
flush() -> receive M -> [M | flush()] after 0 -> [] end.
run() ->
  error_logger:tty(false), logger:remove_handler(default),
  {ok, P} = gen_statem:start(?MODULE, self(), []),
  gen_statem:cast(P, p1), gen_statem:cast(P, p2), gen_statem:cast(P, go), gen_statem:cast(P, c3),
  p("postpone+next_event", logs()),
  {ok, Q} = gen_statem:start(?MODULE, self(), []),
  gen_statem:cast(Q, {set, [{timeout, 10, ev}]}), gen_statem:cast(Q, poke), timer:sleep(20),
  p("event timeout cancelled by event", logs()),
  gen_statem:cast(Q, {set, [{timeout, 10, ev}]}), timer:sleep(20),
  p("event timeout fires", logs()),
  gen_statem:cast(Q, {set, [{state_timeout, 10, st}]}), gen_statem:cast(Q, poke), timer:sleep(20),
  p("state timeout survives events", logs()),
  gen_statem:cast(Q, {set, [{state_timeout, 10, st}]}), gen_statem:cast(Q, {goto, a}), timer:sleep(20),
  p("state timeout, next_state same state", logs()),
  gen_statem:cast(Q, {set, [{state_timeout, 10, st}]}), gen_statem:cast(Q, {goto, b}), timer:sleep(20),
  p("state timeout cancelled by change", logs()),
  gen_statem:cast(Q, {set, [{{timeout, g}, 10, gt}]}), gen_statem:cast(Q, {goto, a}), timer:sleep(20),
  p("generic timeout survives state change", logs()),
  gen_statem:cast(Q, {set, [{{timeout, g}, 10, gt}, {{timeout, g}, 20, gt2}]}), timer:sleep(30),
  p("generic timeout restarted", logs()),
  gen_statem:cast(Q, {set, [{timeout, 0, zero}]}), gen_statem:cast(Q, poke), timer:sleep(10),
  p("timeout 0 with queued event", logs()),
  gen_statem:cast(Q, {set, [{timeout, 0, zero}]}), timer:sleep(10),
  p("timeout 0 alone", logs()),
  gen_statem:cast(Q, {set, [{timeout, 10, ev}, {state_timeout, 10, st}, {{timeout, g}, 10, gt}]}), timer:sleep(20),
  p("three timeouts same time order", logs()),
  gen_statem:cast(Q, {set, [{state_timeout, 10, st}, {state_timeout, cancel}]}), timer:sleep(20),
  p("state_timeout cancel", logs()),
  gen_statem:cast(Q, {set, [{state_timeout, 10, st}]}), gen_statem:cast(Q, {set, [{state_timeout, update, upd}]}), timer:sleep(20),
  p("state_timeout update", logs()),
  gen_statem:cast(Q, {set, [{timeout, 10, ev}]}), Q ! hello, timer:sleep(20),
  p("event timeout cancelled by info", logs()),
  gen_statem:cast(Q, {set, [{timeout, 10, ev}]}), sys:get_state(Q), timer:sleep(20),
  p("event timeout vs sys msg", logs()),
  gen_statem:cast(Q, {set, [{timeout, 10, ev}, {next_event, internal, x}]}), timer:sleep(20),
  p("event timeout vs next_event", logs()),
  gen_statem:cast(Q, {set, [{timeout, infinity, ev}]}), timer:sleep(20),
  p("timeout infinity", logs()),
  gen_statem:cast(Q, {set, [10]}), timer:sleep(20),
  p("integer timeout action", logs()),
  gen_statem:cast(Q, {set, [{state_timeout, 10, st}]}), gen_statem:cast(Q, {same, [{state_timeout, 30, st2}]}), timer:sleep(20),
  p("state timeout reset same state", logs()), timer:sleep(20), p("later", logs()),
  p("reply via action", c(fun() -> gen_statem:call(Q, {replyvia, x}) end)),
  p("two replies", c(fun() -> gen_statem:call(Q, two_replies) end)), timer:sleep(5), p("mbox", flush()),
  p("call noproc", c(fun() -> gen_statem:call(nosuch, x) end)),
  p("call timeout", c(fun() -> gen_statem:call(Q, x, 0) end)),
  p("call dirty timeout", c(fun() -> gen_statem:call(Q, x, {dirty_timeout, 0}) end)),
  p("call infinity", c(fun() -> gen_statem:call(Q, x, infinity) end)),
  p("stop_and_reply", c(fun() -> gen_statem:call(Q, {stopr, done}) end)),
  p("stop_and_reply logs", logs()),
  {ok, Q2} = gen_statem:start(?MODULE, self(), []),
  p("stop in call", c(fun() -> gen_statem:call(Q2, {stop, bye}) end)), p("logs", logs()),
  {ok, Q3} = gen_statem:start(?MODULE, self(), []),
  p("bad action", c(fun() -> gen_statem:call(Q3, badact) end)), p("logs", logs()),
  {ok, Q4} = gen_statem:start(?MODULE, self(), []),
  p("bad return", c(fun() -> gen_statem:call(Q4, badret) end)), p("logs", logs()),
  {ok, Q5} = gen_statem:start(?MODULE, self(), []),
  p("crash", c(fun() -> gen_statem:call(Q5, crash) end)), p("logs", logs()),
  {ok, Q6} = gen_statem:start(?MODULE, self(), []),
  p("stop/1", c(fun() -> gen_statem:stop(Q6) end)), p("logs", logs()),
  p("stop noproc", c(fun() -> gen_statem:stop(Q6) end)),
  ok.
