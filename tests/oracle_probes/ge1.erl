-module(ge1).
-compile([export_all, nowarn_export_all]).
init({fail, X}) -> X;
init({crash}) -> 1/zero();
init(L) when is_pid(L) -> {ok, L};
init({L, Prev}) -> L ! {log, {init_swapped, Prev}}, {ok, L}.
zero() -> 0.
handle_event(crash, L) -> 1/zero(), {ok, L};
handle_event(bad, _L) -> whatever;
handle_event(exitme, _L) -> exit(myexit);
handle_event(throwme, L) -> throw({ok, L});
handle_event(remove, _L) -> remove_handler;
handle_event(E, L) -> L ! {log, {event, E}}, {ok, L}.
handle_call(crash, L) -> {ok, 1/zero(), L};
handle_call(slow, L) -> timer:sleep(100), {ok, slow, L};
handle_call(R, L) -> {ok, {reply, R}, L}.
handle_info(I, L) -> L ! {log, {info, I}}, {ok, L}.
terminate(A, L) when is_pid(L) -> L ! {log, {terminate, A}}, {terminated, A};
terminate(A, _) -> {terminated, A}.
c(F) -> try F() of V -> {value, V} catch C:R -> {C, R} end.
p(T, V) -> io:format("~s: ~p~n", [T, V]).
logs() -> receive {log, X} -> [X | logs()] after 50 -> [] end.
flush() -> receive M -> [M | flush()] after 0 -> [] end.
run() ->
  error_logger:tty(false), logger:remove_handler(default),
  S = self(),
  {ok, M} = gen_event:start(),
  p("add", gen_event:add_handler(M, ge1, S)),
  p("add twice", gen_event:add_handler(M, ge1, S)),
  p("add id", gen_event:add_handler(M, {ge1, 1}, S)),
  p("add id twice", gen_event:add_handler(M, {ge1, 1}, S)),
  p("which", gen_event:which_handlers(M)),
  p("add fail", gen_event:add_handler(M, {ge1, 2}, {fail, {error, nope}})),
  p("add fail2", gen_event:add_handler(M, {ge1, 3}, {fail, weird})),
  p("add crash", gen_event:add_handler(M, {ge1, 4}, {crash})),
  p("add undef mod", gen_event:add_handler(M, nosuchmod, [])),
  p("delete nonexist", gen_event:delete_handler(M, {ge1, 99}, x)),
  p("delete nonexist mod", gen_event:delete_handler(M, nosuchmod, x)),
  p("notify", gen_event:notify(M, hello)),
  p("sync_notify", gen_event:sync_notify(M, hello2)),
  p("logs", logs()),
  p("call", c(fun() -> gen_event:call(M, {ge1, 1}, q) end)),
  p("call no handler", c(fun() -> gen_event:call(M, {ge1, 99}, q) end)),
  p("call timeout", c(fun() -> gen_event:call(M, {ge1, 1}, slow, 10) end)),
  timer:sleep(150), flush(),
  p("call crash", c(fun() -> gen_event:call(M, {ge1, 1}, crash) end)),
  p("logs", logs()),
  p("which", gen_event:which_handlers(M)),
  p("add id back", gen_event:add_handler(M, {ge1, 1}, S)),
  gen_event:notify(M, crash), p("crash logs", logs()),
  gen_event:add_handler(M, ge1, S),
  gen_event:notify(M, bad), p("bad logs", logs()),
  gen_event:add_handler(M, ge1, S),
  gen_event:notify(M, exitme), p("exit logs", logs()),
  gen_event:add_handler(M, ge1, S),
  gen_event:notify(M, throwme), gen_event:notify(M, after_throw), p("throw logs", logs()),
  gen_event:notify(M, remove), p("remove logs", logs()),
  p("which", gen_event:which_handlers(M)),
  gen_event:add_handler(M, ge1, S),
  p("swap fail init", gen_event:swap_handler(M, {ge1, x1}, {{ge1, 5}, {fail, {error, no}}})),
  p("swap fail logs", logs()),
  p("which", gen_event:which_handlers(M)),
  p("swap ok", gen_event:swap_handler(M, {ge1, x2}, {{ge1, 6}, S})),
  p("swap ok logs", logs()),
  p("swap nonexistent", gen_event:swap_handler(M, {{ge1, 77}, x3}, {{ge1, 7}, S})),
  p("swap nonexistent logs", logs()),
  p("which", gen_event:which_handlers(M)),
  p("delete", gen_event:delete_handler(M, {ge1, 6}, bye)), p("delete logs", logs()),
  M ! raw, p("info logs", logs()),
  p("sup add", gen_event:add_sup_handler(M, {ge1, 8}, S)),
  gen_event:notify(M, crash), timer:sleep(10), p("sup crash msgs", flush()), logs(),
  p("sup add2", gen_event:add_sup_handler(M, {ge1, 9}, S)),
  p("sup delete", gen_event:delete_handler(M, {ge1, 9}, bye)), timer:sleep(10), p("sup delete msgs", flush()), logs(),
  p("stop", gen_event:stop(M)), p("stop logs", logs()),
  p("notify dead", c(fun() -> gen_event:notify(M, x) end)),
  p("sync_notify dead", c(fun() -> gen_event:sync_notify(M, x) end)),
  p("add dead", c(fun() -> gen_event:add_handler(M, ge1, S) end)),
  p("which dead", c(fun() -> gen_event:which_handlers(M) end)),
  p("call dead", c(fun() -> gen_event:call(M, ge1, x) end)),
  p("stop dead", c(fun() -> gen_event:stop(M) end)),
  p("notify name", c(fun() -> gen_event:notify(nosuch, x) end)),
  ok.
