-module(gs1).
-behaviour(gen_server).
-compile([export_all, nowarn_export_all]).
init(trap) -> process_flag(trap_exit, true), {ok, #{}};
init(X) -> {ok, X}.
handle_call(crash, _F, S) -> {reply, 1/zero(), S};
handle_call(fc, _F, S) -> {reply, foo(bar), S};
handle_call({stop, R}, _F, S) -> {stop, R, S};
handle_call({stopr, R}, _F, S) -> {stop, R, stopreply, S};
handle_call(noreply, _F, S) -> {noreply, S};
handle_call({delegate, P}, F, S) -> P ! {reply_for, F}, {noreply, S};
handle_call(sleep, _F, S) -> timer:sleep(100), {reply, slept, S};
handle_call(bad, _F, _S) -> what;
handle_call(throwme, _F, S) -> throw({reply, thrown, S});
handle_call(exitme, _F, _S) -> exit(myexit);
handle_call(errme, _F, _S) -> error(myerr);
handle_call(X, _F, S) -> {reply, {echo, X}, S}.
handle_cast(crash, S) -> {noreply, 1/zero(), S};
handle_cast(_, S) -> {noreply, S}.
handle_info(M, S) -> io:format("info ~p~n", [M]), {noreply, S}.
terminate(R, _S) -> io:format("terminate ~p~n", [R]), ok.
zero() -> 0.
foo(baz) -> ok.
c(F) -> try F() of V -> {value, V} catch C:R -> {C, R} end.
p(T, V) -> io:format("~s: ~p~n", [T, V]).
run() ->
  error_logger:tty(false), logger:remove_handler(default),
  {ok, P1} = gen_server:start(?MODULE, [], []),
  p("timeout0", c(fun() -> gen_server:call(P1, hi, 0) end)),
  timer:sleep(10), p("mbox after t0", process_info(self(), messages)),
  p("infinity", c(fun() -> gen_server:call(P1, hi, infinity) end)),
  p("explicit5000", c(fun() -> gen_server:call(P1, noreply, 5000) end)),
  p("noproc name", c(fun() -> gen_server:call(nosuch, hi) end)),
  p("noproc pid", c(fun() -> gen_server:call(list_to_pid("<0.999.0>"), hi) end)),
  p("remote", c(fun() -> gen_server:call({nosuch, 'foo@bar'}, hi) end)),
  p("remote local node", c(fun() -> gen_server:call({nosuch, node()}, hi) end)),
  p("cast remote", c(fun() -> gen_server:cast({nosuch, 'foo@bar'}, hi) end)),
  p("cast name", c(fun() -> gen_server:cast(nosuch, hi) end)),
  p("cast global", c(fun() -> gen_server:cast({global, nosuch}, hi) end)),
  p("call global", c(fun() -> gen_server:call({global, nosuch}, hi) end)),
  p("multi_call none", c(fun() -> gen_server:multi_call(nosuch, hi) end)),
  {ok, _} = gen_server:start({local, reg}, ?MODULE, [], []),
  p("multi_call", c(fun() -> gen_server:multi_call(reg, hi) end)),
  p("multi_call nodes", c(fun() -> gen_server:multi_call([node(), 'foo@bar'], reg, hi) end)),
  p("abcast", c(fun() -> gen_server:abcast(reg, hi) end)),
  p("abcast nodes", c(fun() -> gen_server:abcast([node(), 'foo@bar'], reg, hi) end)),
  p("bad timeout", c(fun() -> gen_server:call(P1, hi, -1) end)),
  p("bad timeout2", c(fun() -> gen_server:call(P1, hi, foo) end)),
  p("self call", c(fun() -> gen_server:call(self(), hi) end)),
  Self = self(),
  spawn(fun() -> receive {reply_for, F} -> Self ! {fwd, F}, gen_server:reply(F, from_other) end end),
  p("delegate placeholder", ok),
  {ok, P2} = gen_server:start(?MODULE, [], []),
  D = spawn(fun() -> receive {reply_for, F} -> gen_server:reply(F, from_other) end end),
  p("delegate", c(fun() -> gen_server:call(P2, {delegate, D}) end)),
  p("stop reason", c(fun() -> gen_server:call(P2, {stop, bye}) end)),
  {ok, P3} = gen_server:start(?MODULE, [], []),
  p("stop reply", c(fun() -> gen_server:call(P3, {stopr, bye}) end)),
  {ok, P4} = gen_server:start(?MODULE, [], []),
  p("crash", c(fun() -> gen_server:call(P4, crash) end)),
  {ok, P5} = gen_server:start(?MODULE, [], []),
  p("fc", c(fun() -> gen_server:call(P5, fc) end)),
  {ok, P6} = gen_server:start(?MODULE, [], []),
  p("bad", c(fun() -> gen_server:call(P6, bad) end)),
  {ok, P7} = gen_server:start(?MODULE, [], []),
  p("throw", c(fun() -> gen_server:call(P7, throwme) end)),
  p("exit", c(fun() -> gen_server:call(P7, exitme) end)),
  {ok, P8} = gen_server:start(?MODULE, [], []),
  p("err", c(fun() -> gen_server:call(P8, errme) end)),
  {ok, P9} = gen_server:start(?MODULE, [], []),
  p("stop noproc", c(fun() -> gen_server:stop(list_to_pid("<0.999.0>")) end)),
  p("stop name noproc", c(fun() -> gen_server:stop(nosuch) end)),
  p("stop", c(fun() -> gen_server:stop(P9, bye, infinity) end)),
  p("stop during call", ok),
  {ok, P10} = gen_server:start(?MODULE, [], []),
  spawn(fun() -> timer:sleep(10), gen_server:stop(P10) end),
  p("call then stopped", c(fun() -> gen_server:call(P10, noreply) end)),
  {ok, P11} = gen_server:start(?MODULE, [], []),
  spawn(fun() -> timer:sleep(10), exit(P11, kill) end),
  p("call then killed", c(fun() -> gen_server:call(P11, noreply) end)),
  p("mbox", process_info(self(), messages)),
  ok.
