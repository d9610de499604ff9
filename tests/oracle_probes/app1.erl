-module(app1).
-compile([export_all, nowarn_export_all]).
%% application callback: start(normal, Mode)
zero() -> 0.
start(normal, ok) -> supervisor:start_link(app1, sup);
start(normal, st) -> {ok, P} = supervisor:start_link(app1, sup), {ok, P, mystate};
start(normal, {error, E}) -> {error, E};
start(normal, crash) -> 1/zero();
start(normal, weird) -> weird;
start(normal, ignore) -> ignore.
start_phase(P, T, A) -> io:format("start_phase ~p ~p ~p~n", [P, T, A]), case A of fail -> {error, nope}; _ -> ok end.
prep_stop(S) -> io:format("prep_stop ~p~n", [S]), S.
stop(S) -> io:format("stop ~p~n", [S]), ok.
init(sup) -> {ok, {#{}, []}}.
p(T, V) -> io:format("~s: ~p~n", [T, V]).
c(F) -> try F() of V -> {value, V} catch C:R -> {C, R} end.
a(Name, Mode) -> a(Name, Mode, []).
a(Name, Mode, Extra) -> {application, Name, [{description, atom_to_list(Name) ++ " app"}, {vsn, "1.0"}, {modules, [app1]},
                                       {registered, []}, {applications, [kernel, stdlib]}, {env, [{k1, v1}, {k2, v2}]},
                                       {mod, {app1, Mode}} | Extra]}.
run() ->
  p("which0", application:which_applications()),
  p("loaded0", lists:sort(application:loaded_applications())),
  p("start unknown", application:start(nosuch)),
  p("stop unknown", application:stop(nosuch)),
  p("unload unknown", application:unload(nosuch)),
  p("load", application:load(a(x1, ok))),
  p("load again", application:load(a(x1, ok))),
  p("get_env", application:get_env(x1, k1)),
  p("get_env missing", application:get_env(x1, nokey)),
  p("get_env 3", application:get_env(x1, nokey, dflt)),
  p("get_env unloaded", application:get_env(nosuch, k1)),
  p("get_all_env", application:get_all_env(x1)),
  p("get_all_env unloaded", application:get_all_env(nosuch)),
  p("set_env", application:set_env(x1, k3, v3)),
  p("get_all_env after set", application:get_all_env(x1)),
  p("unset_env", application:unset_env(x1, k1)),
  p("unset_env missing", application:unset_env(x1, nokey)),
  p("get_all_env after unset", application:get_all_env(x1)),
  p("set_env unloaded", application:set_env(y9, k, before)),
  p("get_env unloaded after set", application:get_env(y9, k)),
  p("load y9", application:load({application, y9, [{env, [{k, fromapp}, {j, 1}]}]})),
  p("get_env y9 after load", application:get_all_env(y9)),
  p("get_key vsn", application:get_key(x1, vsn)),
  p("get_key env", application:get_key(x1, env)),
  p("get_key bad", application:get_key(x1, nokey)),
  p("get_key unloaded", application:get_key(nosuch, vsn)),
  p("get_all_key", application:get_all_key(y9)),
  p("start x1 st", application:start(x1)),
  p("start x1 again", application:start(x1)),
  p("unload running", application:unload(x1)),
  p("load running", application:load(a(x1, ok))),
  p("which", application:which_applications()),
  p("loaded", lists:sort(application:loaded_applications())),
  p("stop x1", application:stop(x1)),
  p("stop x1 again", application:stop(x1)),
  p("which after stop", application:which_applications()),
  application:load(a(x2, st)),
  p("start x2 (state)", application:start(x2)),
  p("stop x2", application:stop(x2)),
  application:load(a(x3, {error, bad})), p("start error", application:start(x3)),
  application:load(a(x4, crash)), p("start crash", application:start(x4)),
  application:load(a(x5, weird)), p("start weird", application:start(x5)),
  application:load(a(x6, ignore)), p("start ignore", application:start(x6)),
  p("which after failures", application:which_applications()),
  application:load({application, needy, [{applications, [kernel, stdlib, x7]}, {mod, {app1, ok}}]}),
  p("start missing dep", application:start(needy)),
  application:load(a(x7, ok)),
  p("ensure_all_started needy", application:ensure_all_started(needy)),
  p("ensure_all_started needy again", application:ensure_all_started(needy)),
  p("ensure_started needy", application:ensure_started(needy)),
  application:load({application, needy2, [{applications, [kernel, nosuchdep]}, {mod, {app1, ok}}]}),
  p("ensure_all_started missing dep", application:ensure_all_started(needy2)),
  application:load({application, chain, [{applications, [kernel, stdlib, c1, c2]}, {mod, {app1, ok}}]}),
  application:load({application, c1, [{applications, [c3]}, {mod, {app1, ok}}]}),
  application:load({application, c2, [{applications, [c3]}]}),
  application:load({application, c3, [{mod, {app1, ok}}]}),
  p("ensure_all_started chain", application:ensure_all_started(chain)),
  p("which chain", application:which_applications()),
  application:load({application, bad, [{applications, [kernel, c4]}, {mod, {app1, ok}}]}),
  application:load({application, c4, [{mod, {app1, {error, c4fail}}}]}),
  p("ensure_all_started failing dep", application:ensure_all_started(bad)),
  application:load(a(ph, ok, [{start_phases, [{first, a1}, {second, a2}]}])),
  p("start phases", application:start(ph)),
  application:load(a(phf, ok, [{start_phases, [{first, a1}, {second, fail}, {third, a3}]}])),
  p("start phase fails", application:start(phf)),
  application:load(a(perm, st)),
  p("start permanent", application:start(perm, permanent)),
  p("stop permanent", application:stop(perm)),
  p("which final", application:which_applications()),
  p("start bad type", c(fun() -> application:start(x1, sometimes) end)),
  timer:sleep(100),
  ok.
