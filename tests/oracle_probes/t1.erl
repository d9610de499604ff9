-module(t1).
-compile([export_all, nowarn_export_all]).
c(F) -> try F() of V -> {value, V} catch C:R -> {C, R} end.
p(T, V) -> io:format("~s: ~p~n", [T, V]).
flush() -> receive M -> [M | flush()] after 0 -> [] end.
run() ->
  S = self(),
  T1 = erlang:send_after(10, S, a), timer:sleep(20),
  p("cancel fired", {erlang:cancel_timer(T1), erlang:read_timer(T1), flush()}),
  T2 = erlang:send_after(1000, S, b),
  p("cancel twice", {is_integer(erlang:cancel_timer(T2)), erlang:cancel_timer(T2)}),
  p("cancel bogus", c(fun() -> erlang:cancel_timer(make_ref()) end)),
  p("cancel nonref", c(fun() -> erlang:cancel_timer(foo) end)),
  erlang:send_after(10, later, c1), timer:sleep(20), p("send_after unregistered name", ok),
  P = spawn(fun() -> receive M -> S ! {got, M} end end),
  erlang:send_after(10, later2, c2), register(later2, P), receive {got, X} -> p("registered before fire", X) after 50 -> p("registered before fire", none) end,
  %% equal deadlines order
  [erlang:send_after(10, S, N) || N <- [1,2,3,4,5]], timer:sleep(20),
  p("equal order", flush()),
  erlang:send_after(20, S, x20), erlang:send_after(10, S, x10), timer:sleep(30),
  p("deadline order", flush()),
  %% timer to pid that dies
  D = spawn(fun() -> receive _ -> ok end end),
  T3 = erlang:send_after(1000, D, hi), exit(D, kill), timer:sleep(1),
  p("cancel after dest died", {erlang:cancel_timer(T3), erlang:read_timer(T3)}),
  %% timer owned by dying process (send_after to another pid) survives?
  spawn(fun() -> erlang:send_after(10, S, from_dead_owner) end), timer:sleep(20),
  p("owner died", flush()),
  p("send_after 0", begin erlang:send_after(0, S, zero), receive Z -> Z after 5 -> none end end),
  p("start_timer", begin R = erlang:start_timer(5, S, st), receive {timeout, R, st} -> ok after 20 -> none end end),
  p("send_after neg", c(fun() -> erlang:send_after(-1, S, x) end)),
  p("send_after float", c(fun() -> erlang:send_after(1.5, S, x) end)),
  p("send_after remote tuple", c(fun() -> erlang:send_after(5, {foo, node()}, x) end)),
  p("cancel_timer async opts", c(fun() -> erlang:cancel_timer(erlang:send_after(100,S,y), [{async, false}, {info, false}]) end)),
  p("timer:send_after", c(fun() -> timer:send_after(5, hello) end)),
  p("timer:cancel bad", c(fun() -> timer:cancel(foo) end)),
  {ok, TR} = timer:send_after(100, hello2),
  p("timer:cancel", c(fun() -> timer:cancel(TR) end)),
  p("timer:cancel again", c(fun() -> timer:cancel(TR) end)),
  timer:sleep(10), p("flush", flush()),
  p("timer:sleep inf?", c(fun() -> timer:sleep(0) end)),
  p("tc", c(fun() -> element(2, timer:tc(fun() -> ok end)) end)),
  p("apply_after", c(fun() -> {ok, _} = timer:apply_after(5, erlang, send, [S, applied]), receive A -> A after 20 -> none end end)),
  p("send_interval", c(fun() -> {ok, I} = timer:send_interval(5, tick), timer:sleep(17), timer:cancel(I), flush() end)),
  p("exit_after", c(fun() -> element(1, timer:exit_after(1000, foo)) end)),
  p("kill_after", c(fun() -> element(1, timer:kill_after(1000)) end)),
  p("hms", {timer:seconds(2), timer:minutes(1), timer:hours(1), timer:hms(1,1,1)}),
  ok.
