-module(k1).
-compile([export_all, nowarn_export_all]).
c(F) -> try F() of V -> {value, V} catch C:R -> {C, R} end.
p(T, V) -> io:format("~s: ~p~n", [T, V]).
flush() -> receive M -> [M | flush()] after 0 -> [] end.
run() ->
  S = self(),
  %% exit(self(), kill) inside a trapping process
  {P1, R1} = spawn_monitor(fun() -> process_flag(trap_exit, true), exit(self(), kill), S ! not_reached end),
  receive {'DOWN', R1, _, _, Why1} -> p("trap self kill", Why1) end,
  _ = P1,
  %% exit(self(), normal) when trapping
  P2 = spawn(fun() -> process_flag(trap_exit, true), exit(self(), normal), S ! {got, flush()} end),
  receive {got, M2} -> p("trap self normal", {M2, P2 == element(2, hd(M2))}) end,
  %% exit(self(), normal) not trapping
  {_, R3} = spawn_monitor(fun() -> exit(self(), normal), S ! reached end),
  receive {'DOWN', R3, _, _, Why3} -> p("self normal", Why3); reached -> p("self normal", reached) end,
  %% exit(self(), other) not trapping
  {_, R3b} = spawn_monitor(fun() -> exit(self(), boom), S ! reached end),
  receive {'DOWN', R3b, _, _, Why3b} -> p("self boom", Why3b); reached -> p("self boom", reached) end,
  %% trapping, exit(self(), boom)
  spawn(fun() -> process_flag(trap_exit, true), exit(self(), boom), S ! {got, flush()} end),
  receive {got, M3c} -> p("trap self boom", M3c) end,
  %% monitor on self
  Ref4 = monitor(process, self()),
  p("monitor self", {is_reference(Ref4), process_info(self(), monitors), process_info(self(), monitored_by)}),
  p("demonitor self", {demonitor(Ref4, [info]), flush()}),
  %% demonitor of someone else's ref
  Q = spawn(fun() -> receive _ -> ok end end),
  spawn(fun() -> R = monitor(process, Q), S ! {ref, R}, receive _ -> ok end end),
  R5 = receive {ref, RR} -> RR end,
  p("demonitor other ref", {demonitor(R5), demonitor(R5, [info]), demonitor(make_ref(), [info, flush])}),
  p("monitor dead", begin R6 = monitor(process, P1), receive X6 -> {X6 == {'DOWN', R6, process, P1, noproc}} after 0 -> none end end),
  p("monitor name", begin R7 = monitor(process, nosuch), receive X7 -> X7 after 0 -> none end end),
  p("monitor badarg", c(fun() -> monitor(process, 42) end)),
  p("link dead not trapping", c(fun() -> link(P1) end)),
  p("link self", c(fun() -> link(self()) end)),
  p("links after link self", process_info(self(), links)),
  p("unlink notlinked", c(fun() -> unlink(Q) end)),
  p("exit badarg", c(fun() -> exit(foo, kill) end)),
  p("exit dead", c(fun() -> exit(P1, kill) end)),
  %% process_info shapes
  p("pi dead", process_info(P1)),
  p("pi dead item", process_info(P1, messages)),
  p("pi dead list", process_info(P1, [messages, links])),
  self() ! hello,
  p("pi list", process_info(self(), [message_queue_len, messages, registered_name, trap_exit])),
  p("pi reg empty", process_info(self(), registered_name)),
  p("pi bad item", c(fun() -> process_info(self(), foo) end)),
  p("pi list dup", c(fun() -> process_info(self(), [trap_exit, trap_exit]) end)),
  p("pi list empty", c(fun() -> process_info(self(), []) end)),
  p("pi status", process_info(self(), status)),
  flush(),
  p("pi keys", [K || {K, _} <- process_info(Q)]),
  register(qq, Q),
  p("pi keys reg", [K || {K, _} <- process_info(Q)]),
  p("pi list reg", process_info(Q, [registered_name])),
  %% register edge cases
  p("reg twice", c(fun() -> register(qq2, Q) end)),
  p("reg same name", c(fun() -> register(qq, self()) end)),
  p("reg undefined", c(fun() -> register(undefined, self()) end)),
  p("reg dead", c(fun() -> register(dd, P1) end)),
  p("reg nonatom", c(fun() -> register("x", self()) end)),
  p("unreg nosuch", c(fun() -> unregister(nosuch) end)),
  p("whereis nosuch", whereis(nosuch)),
  p("send name unreg", c(fun() -> nosuch ! hi end)),
  p("send tuple unreg", c(fun() -> {nosuch, node()} ! hi end)),
  p("send tuple remote", c(fun() -> {nosuch, 'foo@bar'} ! hi end)),
  exit(Q, kill), timer:sleep(1),
  p("whereis after death", whereis(qq)),
  %% link to dead when trapping
  process_flag(trap_exit, true),
  p("link dead trapping", {c(fun() -> link(P1) end), flush()}),
  process_flag(trap_exit, false),
  %% spawn_link reason kill
  {_, R8} = spawn_monitor(fun() -> process_flag(trap_exit, true), spawn_link(fun() -> exit(kill) end), receive M -> S ! {k, M} end end),
  receive {k, M8} -> p("linked exit(kill) trapped", M8) end,
  receive {'DOWN', R8, _, _, _} -> ok end,
  {_, R9} = spawn_monitor(fun() -> spawn_link(fun() -> exit(kill) end), receive M -> S ! {k, M} end end),
  receive {'DOWN', R9, _, _, W9} -> p("linked exit(kill) untrapped", W9) end,
  %% exit(P, normal) to other non trapping
  Z = spawn(fun() -> receive _ -> ok end end),
  exit(Z, normal), timer:sleep(1), p("exit other normal", is_process_alive(Z)),
  %% demonitor flush semantics
  {Z2, R10} = spawn_monitor(fun() -> ok end), timer:sleep(1),
  p("demonitor after down", {demonitor(R10, [info]), flush()}),
  {_, R11} = spawn_monitor(fun() -> ok end), timer:sleep(1),
  p("demonitor flush after down", {demonitor(R11, [flush, info]), flush()}),
  _ = Z2,
  p("bad demonitor", c(fun() -> demonitor(foo) end)),
  p("bad demonitor opt", c(fun() -> demonitor(make_ref(), [bogus]) end)),
  p("process_flag bad", c(fun() -> process_flag(trap_exit, yes) end)),
  p("process_flag old", {process_flag(trap_exit, true), process_flag(trap_exit, false)}),
  ok.
