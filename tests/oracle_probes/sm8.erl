-module(sm8).
-compile([export_all, nowarn_export_all]).
init(X) -> {ok, idle, X}.
callback_mode() -> state_functions.
idle({call, F}, M, S) -> {keep_state, S, [{reply, F, {echo, M}}]};
idle(_, _, S) -> {keep_state, S}.
handle_event(_, _, SN, S) -> {next_state, SN, S}.
handle_sync_event(E, _F, SN, S) -> {reply, {echo, E}, SN, S}.
handle_info(_, SN, S) -> {next_state, SN, S}.
c(F) -> try F() of V -> {value, V} catch C:R -> {C, R} end.
p(T, V) -> io:format("~s: ~p~n", [T, V]).
run() ->
  error_logger:tty(false), logger:remove_handler(default),
  {ok, P} = gen_statem:start(?MODULE, [], []),
  p("statem dirty", c(fun() -> gen_statem:call(P, hi, {dirty_timeout, 100}) end)),
  p("statem dirty inf", c(fun() -> gen_statem:call(P, hi, {dirty_timeout, infinity}) end)),
  p("statem clean", c(fun() -> gen_statem:call(P, hi, {clean_timeout, 100}) end)),
  p("statem -1", c(fun() -> gen_statem:call(P, hi, -1) end)),
  p("statem dirty -1", c(fun() -> gen_statem:call(P, hi, {dirty_timeout, -1}) end)),
  p("fsm opts atom", c(fun() -> gen_fsm:start(?MODULE, [], foo) end)),
  p("fsm opts tuple", c(fun() -> gen_fsm:start(?MODULE, [], {debug, []}) end)),
  p("fsm name opts atom", c(fun() -> gen_fsm:start({local, fz}, ?MODULE, [], foo) end)),
  p("fsm no mod", c(fun() -> gen_fsm:start(nosuchmod, [], []) end)),
  p("gs opts atom", c(fun() -> gen_server:start(?MODULE, [], foo) end)),
  p("gl", process_info(self(), group_leader)),
  p("gl spawned", process_info(spawn(fun() -> receive _ -> ok end end), group_leader)),
  p("whereis init", whereis(init)),
  ok.
