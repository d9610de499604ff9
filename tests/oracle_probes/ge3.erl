-module(ge3).
-compile([export_all, nowarn_export_all]).
init(_) -> {ok, s}.
handle_event(_, S) -> {ok, S}.
handle_call(_, S) -> {ok, ok, S}.
handle_info(_, S) -> {ok, S}.
run() ->
  {ok, M} = gen_event:start({local, evm}),
  gen_event:add_handler(M, ge3, x),
  sys:trace(M, true),
  gen_event:notify(M, n1), gen_event:sync_notify(M, n2), gen_event:call(M, ge3, c1), M ! i1,
  gen_event:add_handler(M, {ge3, 2}, x), gen_event:delete_handler(M, {ge3, 2}, x), gen_event:which_handlers(M),
  timer:sleep(10),
  {ok, M2} = gen_event:start(),
  sys:trace(M2, true), gen_event:notify(M2, n1), timer:sleep(10),
  ok.
