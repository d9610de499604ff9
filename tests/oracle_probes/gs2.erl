-module(gs2).
-compile([export_all, nowarn_export_all]).
init(_) -> {ok, 0}.
handle_call(noreply, _F, S) -> {noreply, S};
handle_call(tmo, _F, S) -> {reply, ok, S, 10};
handle_call(cont, _F, S) -> {reply, ok, S, {continue, c}};
handle_call(stop, _F, S) -> {stop, normal, bye, S};
handle_call(_, _F, S) -> {reply, ok, S + 1}.
handle_cast(_, S) -> {noreply, S}.
handle_info(_, S) -> {noreply, S}.
handle_continue(_, S) -> {noreply, S}.
run() ->
  {ok, P} = gen_server:start({local, gs2}, ?MODULE, [], []),
  sys:trace(P, true),
  gen_server:call(P, x), catch gen_server:call(P, noreply, 10), gen_server:cast(P, c), P ! i,
  gen_server:call(P, tmo), timer:sleep(20), gen_server:call(P, cont), timer:sleep(5),
  gen_server:call(P, stop), timer:sleep(10),
  process_flag(trap_exit, true),
  {ok, Q} = gen_server:start_link(?MODULE, [], []),
  sys:trace(Q, true), gen_server:call(Q, x), gen_server:stop(Q), timer:sleep(10),
  io:format("~p~n", [process_info(self(), messages)]),
  ok.
