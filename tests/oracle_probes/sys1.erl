-module(sys1).
-compile([export_all, nowarn_export_all]).
%% sys:get_state / get_status of a gen_event manager and a supervisor
init(L) -> {ok, L}.
handle_event(_E, L) -> {ok, L}.
handle_call(_R, L) -> {ok, ok, L}.
p(T, V) -> io:format("~s: ~p~n", [T, V]).
run() ->
  {ok, M} = gen_event:start({local, evm}),
  gen_event:add_handler(M, sys1, st1), gen_event:add_handler(M, {sys1, 2}, st2),
  p("ge get_state", sys:get_state(M)),
  p("ge get_status", sys:get_status(M)),
  p("ge replace_state", sys:replace_state(M, fun(L) -> L end)),
  persistent_term:put({sup1, a}, ok),
  {ok, S} = supervisor:start_link({local, sup}, sup1, {#{strategy => one_for_one, intensity => 2, period => 7}, [#{id => a, start => {sup1, w, [a]}}]}),
  p("sup get_state", sys:get_state(S)),
  p("sup get_status", sys:get_status(S)),
  {ok, S2} = supervisor:start_link(sup1, {#{strategy => simple_one_for_one}, [#{id => t, start => {sup1, w, []}}]}),
  supervisor:start_child(S2, [a]),
  p("sofo get_state", sys:get_state(S2)),
  sys:trace(S, true), supervisor:which_children(S), sys:trace(S, false),
  sys:trace(M, true), gen_event:notify(M, ev), gen_event:which_handlers(M), timer:sleep(10),
  ok.
