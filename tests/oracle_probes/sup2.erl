-module(sup2).
-compile([export_all, nowarn_export_all]).
%% simple_one_for_one, strategies/intensity, shutdown timing, init failures, check_childspecs
init({Flags, Specs}) -> {ok, {Flags, Specs}}.
p(T, V) -> io:format("~s: ~p~n", [T, V]).
c(F) -> try F() of V -> {value, V} catch C:R -> {C, R} end.
w(K, Mode) ->
  case Mode of
    ok -> {ok, spawn_link(fun() -> sup1:loop() end)};
    ignore -> ignore;
    {error, E} -> {error, E};
    slow -> {ok, spawn_link(fun() -> process_flag(trap_exit, true), receive {'EXIT', _, _} -> timer:sleep(infinity) end end)};
    other -> {ok, spawn_link(fun() -> process_flag(trap_exit, true), receive {'EXIT', _, _} -> exit(other_reason) end end)};
    _ -> sup1:w(K)
  end.
kids(Sup) -> [P || {_, P, _, _} <- supervisor:which_children(Sup)].
run() ->
  process_flag(trap_exit, true),
  Spec = #{id => tmpl, start => {sup2, w, [k]}, restart => transient, shutdown => 100},
  {ok, Sup} = supervisor:start_link(sup2, {#{strategy => simple_one_for_one, intensity => 10}, [Spec]}),
  p("s1 which empty", supervisor:which_children(Sup)),
  p("s1 count empty", supervisor:count_children(Sup)),
  {ok, P1} = supervisor:start_child(Sup, [ok]),
  p("s1 start ignore", supervisor:start_child(Sup, [ignore])),
  p("s1 start error", supervisor:start_child(Sup, [{error, bad}])),
  p("s1 start badarity", c(fun() -> supervisor:start_child(Sup, [ok, extra]) end)),
  {ok, P2} = supervisor:start_child(Sup, [ok]),
  p("s1 start spec", supervisor:start_child(Sup, Spec)),
  p("s1 which", supervisor:which_children(Sup) == [{undefined, P1, worker, [sup2]}, {undefined, P2, worker, [sup2]}]),
  p("s1 which raw", supervisor:which_children(Sup)),
  p("s1 count", supervisor:count_children(Sup)),
  p("s1 getspec pid", supervisor:get_childspec(Sup, P1)),
  p("s1 getspec id", supervisor:get_childspec(Sup, tmpl)),
  p("s1 terminate id", supervisor:terminate_child(Sup, tmpl)),
  p("s1 restart id", supervisor:restart_child(Sup, tmpl)),
  p("s1 restart pid", supervisor:restart_child(Sup, P1)),
  p("s1 delete id", supervisor:delete_child(Sup, tmpl)),
  p("s1 delete pid", supervisor:delete_child(Sup, P1)),
  p("s1 terminate pid", supervisor:terminate_child(Sup, P1)),
  p("s1 terminate pid again", supervisor:terminate_child(Sup, P1)),
  p("s1 terminate self pid", supervisor:terminate_child(Sup, self())),
  P2 ! {die, normal}, timer:sleep(10),
  p("s1 which after normal exit", supervisor:which_children(Sup)),
  {ok, P3} = supervisor:start_child(Sup, [ok]),
  P3 ! {die, boom}, timer:sleep(10),
  p("s1 restarted", kids(Sup) /= [P3] andalso length(kids(Sup)) == 1),
  unlink(Sup), exit(Sup, shutdown), timer:sleep(10),

  %% intensity across strategies: intensity 1, three children; crash twice
  [begin
     Specs = [#{id => I, start => {sup2, w, [I, ok]}} || I <- [a, b, c]],
     {ok, S2} = supervisor:start_link(sup2, {#{strategy => Strat, intensity => 1, period => 5}, Specs}),
     [_, _, PB] = kids(S2), PB ! {die, boom}, timer:sleep(10),
     Alive1 = is_process_alive(S2),
     W1 = [I || {I, P, _, _} <- supervisor:which_children(S2), is_pid(P)],
     [_, _, PB2] = kids(S2), PB2 ! {die, boom}, timer:sleep(10),
     p(atom_to_list(Strat) ++ " after 1 crash, after 2", {Alive1, W1, is_process_alive(S2), flush_exit(S2)})
   end || Strat <- [one_for_one, one_for_all, rest_for_one]],
  %% intensity 0
  {ok, S3} = supervisor:start_link(sup2, {#{strategy => one_for_one, intensity => 0}, [#{id => a, start => {sup2, w, [a, ok]}}]}),
  [PA] = kids(S3), PA ! {die, boom}, timer:sleep(10),
  p("intensity 0", {is_process_alive(S3), flush_exit(S3)}),
  %% shutdown: a trapping child that does not stop within 100 ms
  {ok, S4} = supervisor:start_link({local, s4}, sup2, {#{strategy => one_for_one},
       [#{id => slow, start => {sup2, w, [slow, slow]}, shutdown => 100},
        #{id => other, start => {sup2, w, [other, other]}, shutdown => 100},
        #{id => othertr, start => {sup2, w, [other, other]}, shutdown => 100, restart => transient},
        #{id => brutal, start => {sup2, w, [slow, slow]}, shutdown => brutal_kill}]}),
  T0 = erlang:monotonic_time(millisecond),
  p("terminate slow", supervisor:terminate_child(S4, slow)),
  p("terminate slow took >= 100", erlang:monotonic_time(millisecond) - T0 >= 100),
  p("terminate other", supervisor:terminate_child(S4, other)),
  p("terminate othertr", supervisor:terminate_child(S4, othertr)),
  p("terminate brutal", supervisor:terminate_child(S4, brutal)),
  p("which s4", supervisor:which_children(S4)),
  %% one_for_all restart where a later child fails to start
  persistent_term:put({sup1, y}, ok),
  {ok, S5} = supervisor:start_link({local, s5}, sup2, {#{strategy => one_for_all, intensity => 5},
       [#{id => x, start => {sup2, w, [x, ok]}}, #{id => y, start => {sup1, w, [y]}}, #{id => z, start => {sup2, w, [z, ok]}}]}),
  persistent_term:put({sup1, y}, {gate, self(), {error, later}}),
  [_, _, PX] = kids(S5), PX ! {die, boom},
  receive {gated, G} -> ok end,
  Ref = make_ref(), S5 ! {'$gen_call', {self(), Ref}, which_children},
  persistent_term:put({sup1, y}, ok),
  G ! go,
  receive {Ref, V} -> p("one_for_all failed restart which", V) end,
  timer:sleep(10),
  p("one_for_all after retry", supervisor:which_children(S5)),
  %% init failures
  p("init start fails", supervisor:start_link(sup2, {#{}, [#{id => a, start => {sup2, w, [a, ok]}}, #{id => b, start => {sup2, w, [b, {error, nope}]}}]})),
  p("init start ignore", supervisor:start_link(sup2, {#{}, [#{id => a, start => {sup2, w, [a, ignore]}, restart => temporary}]})),
  flush(),
  %% check_childspecs
  p("check ok", supervisor:check_childspecs([#{id => a, start => {m, f, []}}])),
  p("check dup", supervisor:check_childspecs([#{id => a, start => {m, f, []}}, #{id => a, start => {m, f, []}}])),
  p("check bad shutdown", supervisor:check_childspecs([#{id => a, start => {m, f, []}, shutdown => -1}])),
  p("check bad type", supervisor:check_childspecs([#{id => a, start => {m, f, []}, type => boss}])),
  p("check bad mfa", supervisor:check_childspecs([#{id => a, start => {m, f}}])),
  p("check bad modules", supervisor:check_childspecs([#{id => a, start => {m, f, []}, modules => m}])),
  p("check bad module", supervisor:check_childspecs([#{id => a, start => {m, f, []}, modules => ["m"]}])),
  p("check tuple spec", supervisor:check_childspecs([{a, {m, f, []}, permanent, 5000, worker, [m]}])),
  p("check not list", supervisor:check_childspecs(notalist)),
  p("check missing start", supervisor:check_childspecs([#{id => a}])),
  p("check significant", supervisor:check_childspecs([#{id => a, start => {m, f, []}, significant => true, restart => transient}])),
  p("check significant auto", supervisor:check_childspecs([#{id => a, start => {m, f, []}, significant => true, restart => transient}], any_significant)),
  p("check significant permanent", supervisor:check_childspecs([#{id => a, start => {m, f, []}, significant => true}], any_significant)),
  p("check extra key", supervisor:check_childspecs([#{id => a, start => {m, f, []}, foo => bar}])),
  p("getspec default", (fun() -> {ok, S6} = supervisor:start_link(sup2, {#{}, [#{id => a, start => {sup2, w, [a, ok]}}, #{id => s, start => {sup2, w, [a, ok]}, type => supervisor}]}),
        R = {supervisor:get_childspec(S6, a), supervisor:get_childspec(S6, s), supervisor:count_children(S6)}, unlink(S6), exit(S6, kill), R end)()),
  ok.
flush_exit(S) -> receive {'EXIT', S, R} -> R after 0 -> none end.
flush() -> receive M -> [M | flush()] after 0 -> [] end.
