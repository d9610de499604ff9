-module(sup1).
-compile([export_all, nowarn_export_all]).
%% supervisor callback: init({Flags, Specs})
init({Flags, Specs}) -> {ok, {Flags, Specs}}.
zero() -> 0.
mode(K) -> persistent_term:get({sup1, K}, ok).
set(K, V) -> persistent_term:put({sup1, K}, V).
%% child start function; behaviour chosen by set(K, Mode)
w(K) -> act(K, mode(K)).
act(K, Mode) ->
  case Mode of
    ok -> {ok, spawn_link(fun() -> loop() end)};
    info -> {ok, spawn_link(fun() -> loop() end), extra};
    ignore -> ignore;
    {error, E} -> {error, E};
    crash -> 1/zero();
    exitx -> exit(myexit);
    weird -> weird;
    {gate, P, Then} -> P ! {gated, self()}, receive go -> ok end, act(K, Then);
    trap -> {ok, spawn_link(fun() -> process_flag(trap_exit, true), loop() end)};
    slow -> {ok, spawn_link(fun() -> process_flag(trap_exit, true), receive {'EXIT', _, _} -> timer:sleep(infinity) end end)};
    other -> {ok, spawn_link(fun() -> process_flag(trap_exit, true), receive {'EXIT', _, _} -> exit(other_reason) end end)}
  end.
loop() -> receive {die, R} -> exit(R); _ -> loop() end.
c(F) -> try F() of V -> {value, V} catch C:R -> {C, R} end.
p(T, V) -> io:format("~s: ~p~n", [T, V]).
sp(Id) -> sp(Id, permanent).
sp(Id, R) -> #{id => Id, start => {sup1, w, [Id]}, restart => R, shutdown => 100}.
die(Sup, Id, R) -> {_, P, _, _} = lists:keyfind(Id, 1, supervisor:which_children(Sup)), P ! {die, R}, timer:sleep(20).
flush() -> receive M -> [M | flush()] after 0 -> [] end.
run() ->
  S = self(),
  set(b, ignore), set(c, info),
  {ok, Sup} = supervisor:start_link({local, s1}, sup1, {#{strategy => one_for_one, intensity => 3, period => 5}, [sp(a), sp(b), sp(c)]}),
  p("which", supervisor:which_children(Sup)),
  p("count", supervisor:count_children(Sup)),
  {_, PA, _, _} = lists:keyfind(a, 1, supervisor:which_children(Sup)),
  p("start dup running", supervisor:start_child(Sup, sp(a))),
  p("start dup undefined", supervisor:start_child(Sup, sp(b))),
  p("start bad spec", supervisor:start_child(Sup, #{id => x, start => {sup1, w, [x]}, restart => sometimes})),
  p("start bad spec2", supervisor:start_child(Sup, #{start => {sup1, w, [x]}})),
  p("start bad spec3", supervisor:start_child(Sup, {x, y})),
  set(d, {error, nope}), p("start error", supervisor:start_child(Sup, sp(d))),
  set(d, crash), p("start crash", c(fun() -> supervisor:start_child(Sup, sp(d)) end)),
  set(d, exitx), p("start exit", supervisor:start_child(Sup, sp(d))),
  set(d, weird), p("start weird", supervisor:start_child(Sup, sp(d))),
  set(d, {error, {already_started, PA}}), p("start already_started", supervisor:start_child(Sup, sp(d))),
  set(d, ignore), p("start ignore", supervisor:start_child(Sup, sp(d))),
  p("which after ignore", supervisor:which_children(Sup)),
  set(e, ignore), p("start ignore temp", supervisor:start_child(Sup, sp(e, temporary))),
  set(e, info), p("start info temp", supervisor:start_child(Sup, sp(e, temporary))),
  p("getspec e", supervisor:get_childspec(Sup, e)),
  p("getspec a", supervisor:get_childspec(Sup, a)),
  p("getspec pid", supervisor:get_childspec(Sup, PA)),
  p("getspec nope", supervisor:get_childspec(Sup, nope)),
  p("terminate nope", supervisor:terminate_child(Sup, nope)),
  p("terminate pid", supervisor:terminate_child(Sup, PA)),
  p("terminate a", supervisor:terminate_child(Sup, a)),
  p("terminate a again", supervisor:terminate_child(Sup, a)),
  p("terminate b (undefined)", supervisor:terminate_child(Sup, b)),
  p("terminate e temp", supervisor:terminate_child(Sup, e)),
  p("which", supervisor:which_children(Sup)),
  p("restart c running", supervisor:restart_child(Sup, c)),
  p("restart nope", supervisor:restart_child(Sup, nope)),
  p("delete c running", supervisor:delete_child(Sup, c)),
  p("delete nope", supervisor:delete_child(Sup, nope)),
  set(a, {error, again}), p("restart a error", supervisor:restart_child(Sup, a)),
  set(a, crash), p("restart a crash", supervisor:restart_child(Sup, a)),
  set(a, ignore), p("restart a ignore", supervisor:restart_child(Sup, a)),
  set(a, info), p("restart a info", supervisor:restart_child(Sup, a)),
  p("delete a running", supervisor:delete_child(Sup, a)),
  supervisor:terminate_child(Sup, a),
  p("delete a", supervisor:delete_child(Sup, a)),
  p("delete a again", supervisor:delete_child(Sup, a)),
  p("which", supervisor:which_children(Sup)),
  p("count", supervisor:count_children(Sup)),
  %% restart of a permanent child that returns ignore on restart
  set(c, ignore), die(Sup, c, boom),
  p("which after c restart ignore", supervisor:which_children(Sup)),
  %% restarting state
  set(f, ok), supervisor:start_child(Sup, sp(f)),
  set(f, {gate, S, {error, later}}),
  die2(Sup, f),
  receive {gated, G} -> ok end,
  R1 = make_ref(), Sup ! {'$gen_call', {S, R1}, which_children},
  R2 = make_ref(), Sup ! {'$gen_call', {S, R2}, count_children},
  R3 = make_ref(), Sup ! {'$gen_call', {S, R3}, {restart_child, f}},
  R4 = make_ref(), Sup ! {'$gen_call', {S, R4}, {delete_child, f}},
  R5 = make_ref(), Sup ! {'$gen_call', {S, R5}, {terminate_child, f}},
  R6 = make_ref(), Sup ! {'$gen_call', {S, R6}, which_children},
  set(f, ok),
  G ! go,
  [receive {R, V} -> p("restarting " ++ integer_to_list(I), V) end || {I, R} <- lists:zip(lists:seq(1,6), [R1,R2,R3,R4,R5,R6])],
  timer:sleep(20),
  p("which after try again", supervisor:which_children(Sup)),
  p("alive", is_process_alive(Sup)),
  unlink(Sup), exit(Sup, kill),
  ok.
die2(Sup, Id) -> {_, P, _, _} = lists:keyfind(Id, 1, supervisor:which_children(Sup)), P ! {die, boom}.
