-module(ge2).
-compile([export_all, nowarn_export_all]).
init({{fail, X}, _Prev}) -> X;
init(_) -> {ok, s}.
handle_event(_, S) -> {ok, S}.
handle_call(_, S) -> {ok, ok, S}.
terminate(A, _) -> {terminated, A}.
run() ->
  error_logger:tty(false), logger:remove_handler(default),
  {ok, M} = gen_event:start(),
  [begin gen_event:add_handler(M, ge2, x),
     io:format("~p -> ~p ~p~n", [R, gen_event:swap_handler(M, {ge2, a}, {{ge2, 1}, {fail, R}}), gen_event:which_handlers(M)]) end
   || R <- [{error, no}, weird, {ok, s, hibernate}]],
  gen_event:add_sup_handler(M, {ge2, 5}, x),
  io:format("swap_sup fail ~p~n", [gen_event:swap_sup_handler(M, {{ge2, 5}, a}, {{ge2, 6}, {fail, {error, no}}})]),
  timer:sleep(10), io:format("~p~n", [process_info(self(), messages)]),
  ok.
