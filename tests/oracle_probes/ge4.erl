-module(ge4).
-compile([export_all, nowarn_export_all]).
%% gen_event: which_handlers order, duplicates, supervised-handler EXIT shapes; alarm_handler
init(L) -> {ok, L}.
handle_event(crash, _L) -> exit(boom);
handle_event(remove, _L) -> remove_handler;
handle_event(_E, L) -> {ok, L}.
handle_call(_R, L) -> {ok, ok, L}.
handle_info(_I, L) -> {ok, L}.
terminate(A, L) when is_pid(L) -> L ! {terminate, A}, ok;
terminate(_A, _) -> ok.
p(T, V) -> io:format("~s: ~p~n", [T, V]).
flush() -> receive M -> [M | flush()] after 20 -> [] end.
run() ->
  S = self(),
  {ok, M} = gen_event:start(),
  gen_event:add_handler(M, {ge4, 1}, x), gen_event:add_handler(M, ge4, x), gen_event:add_handler(M, {ge4, b}, x),
  gen_event:add_sup_handler(M, {ge4, 2}, x),
  p("which order", gen_event:which_handlers(M)),
  p("add dup plain", gen_event:add_handler(M, ge4, x)),
  p("add dup id", gen_event:add_handler(M, {ge4, 1}, x)),
  p("add_sup dup", gen_event:add_sup_handler(M, {ge4, 1}, x)),
  p("delete returns", gen_event:delete_handler(M, {ge4, b}, bye)),
  p("delete missing", gen_event:delete_handler(M, {ge4, b}, bye)),
  p("which", gen_event:which_handlers(M)),
  %% supervised handlers: EXIT shapes
  gen_event:add_sup_handler(M, {ge4, s1}, S), gen_event:notify(M, crash),
  timer:sleep(20), p("sup crash", flush()),
  gen_event:add_sup_handler(M, {ge4, s2}, S), gen_event:notify(M, remove),
  timer:sleep(20), p("sup remove_handler", flush()),
  p("which after remove", gen_event:which_handlers(M)),
  gen_event:add_sup_handler(M, {ge4, s3}, S), gen_event:delete_handler(M, {ge4, s3}, myargs),
  timer:sleep(20), p("sup delete", flush()),
  gen_event:add_sup_handler(M, {ge4, s4}, S), gen_event:add_sup_handler(M, {ge4, s5}, S),
  p("stop", gen_event:stop(M)),
  timer:sleep(20), p("sup after stop", flush()),
  %% the supervising process dies
  {ok, M2} = gen_event:start(),
  Sup = spawn(fun() -> gen_event:add_sup_handler(M2, {ge4, d}, S), receive die -> exit(bye) end end),
  timer:sleep(10), Sup ! die, timer:sleep(20),
  p("supervisor died", flush()),
  p("which after supervisor died", gen_event:which_handlers(M2)),
  %% alarm_handler
  {ok, _} = gen_event:start({local, alarm_handler}),
  gen_event:add_handler(alarm_handler, alarm_handler, []),
  p("set a", alarm_handler:set_alarm({a, "first"})),
  alarm_handler:set_alarm({b, second}), alarm_handler:set_alarm({a, again}),
  p("get_alarms", alarm_handler:get_alarms()),
  p("clear a", alarm_handler:clear_alarm(a)),
  p("get_alarms after clear a", alarm_handler:get_alarms()),
  p("clear none", alarm_handler:clear_alarm(none)),
  alarm_handler:set_alarm(weird),
  p("get_alarms after weird", alarm_handler:get_alarms()),
  p("which alarm", gen_event:which_handlers(alarm_handler)),
  timer:sleep(20),
  ok.
