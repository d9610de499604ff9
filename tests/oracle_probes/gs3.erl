-module(gs3).
-compile([export_all, nowarn_export_all]).
init(_) -> {ok, 0}.
handle_call(stop, _F, S) -> {stop, normal, bye, S}.
terminate(_, _) -> io:format("terminate runs~n").
run() ->
  {ok, P} = gen_server:start({local, gs3}, ?MODULE, [], []),
  sys:trace(P, true),
  gen_server:call(P, stop), timer:sleep(10).
