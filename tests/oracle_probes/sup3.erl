-module(sup3).
-compile([export_all, nowarn_export_all]).
%% simple_one_for_one: shutdown_error grouping at supervisor stop; restart returning ignore / error
p(T, V) -> io:format("~s: ~p~n", [T, V]).
run() ->
  process_flag(trap_exit, true),
  {ok, S} = supervisor:start_link({local, ss}, sup1, {#{strategy => simple_one_for_one}, [#{id => t, start => {sup2, w, []}, shutdown => 50}]}),
  [supervisor:start_child(S, [k, M]) || M <- [slow, slow, other, ok]],
  exit(S, shutdown), receive {'EXIT', S, R} -> p("sup exit", R) end,
  timer:sleep(20),
  persistent_term:put({sup1, x}, ok),
  {ok, S2} = supervisor:start_link({local, ss2}, sup1, {#{strategy => simple_one_for_one, intensity => 5}, [#{id => t, start => {sup1, w, []}}]}),
  {ok, C1} = supervisor:start_child(S2, [x]),
  persistent_term:put({sup1, x}, ignore),
  C1 ! {die, boom}, timer:sleep(20),
  p("sofo after restart ignore", {supervisor:which_children(S2), supervisor:count_children(S2)}),
  persistent_term:put({sup1, x}, ok),
  {ok, C2} = supervisor:start_child(S2, [x]),
  persistent_term:put({sup1, x}, {gate, self(), {error, later}}),
  C2 ! {die, boom},
  receive {gated, G} -> ok end,
  Ref = make_ref(), S2 ! {'$gen_call', {self(), Ref}, which_children},
  Ref2 = make_ref(), S2 ! {'$gen_call', {self(), Ref2}, count_children},
  Ref3 = make_ref(), S2 ! {'$gen_call', {self(), Ref3}, {terminate_child, C2}},
  persistent_term:put({sup1, x}, ok),
  G ! go,
  receive {Ref, V} -> p("sofo restarting which", V) end,
  receive {Ref2, V2} -> p("sofo restarting count", V2) end,
  receive {Ref3, V3} -> p("sofo terminate restarting pid", V3) end,
  timer:sleep(20),
  p("sofo after", supervisor:which_children(S2)),
  ok.
