-module(sm9).
-compile([export_all, nowarn_export_all]).
c(F) -> try F() of V -> {value, V} catch C:R:St -> {C, R, hd(St)} end.
p(T, V) -> io:format("~s: ~p~n", [T, V]).
run() ->
  error_logger:tty(false), logger:remove_handler(default),
  {ok, P} = gen_statem:start(sm8, [], []),
  p("statem -1", c(fun() -> gen_statem:call(P, hi, -1) end)),
  p("statem foo", c(fun() -> gen_statem:call(P, hi, foo) end)),
  p("statem 1.5", c(fun() -> gen_statem:call(P, hi, 1.5) end)),
  p("statem {foo,1}", c(fun() -> gen_statem:call(P, hi, {foo, 1}) end)),
  p("statem dirty foo", c(fun() -> gen_statem:call(P, hi, {dirty_timeout, foo}) end)),
  p("statem dirty 0", c(fun() -> gen_statem:call(P, hi, {dirty_timeout, 0}) end)),
  p("gs 1.5", c(fun() -> gen_server:call(P, hi, 1.5) end)),
  p("send_after 1.5", c(fun() -> erlang:send_after(1.5, self(), x) end)),
  p("start_timer 1.5", c(fun() -> erlang:start_timer(1.5, self(), x) end)),
  p("timer send_after 1.5", c(fun() -> timer:send_after(1.5, self(), x) end)),
  ok.
