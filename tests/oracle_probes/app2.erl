-module(app2).
-compile([export_all, nowarn_export_all]).
%% application: env on load, start_phase returns, apps dying (temporary, transient, permanent)
start(normal, _) -> supervisor:start_link(app2, sup).
start_phase(_P, _T, weird) -> weird;
start_phase(_P, _T, crash) -> exit(phasecrash);
start_phase(_P, _T, _) -> ok.
stop(S) -> io:format("stop callback ~p~n", [S]), ok.
prep_stop(S) -> io:format("prep_stop callback ~p~n", [S]), S.
init(sup) -> {ok, {#{}, []}}.
p(T, V) -> io:format("~s: ~p~n", [T, V]).
top(App) -> {Top, _} = application_master:get_child(application_controller:get_master(App)), Top.
run() ->
  application:set_env(z1, other, 1), application:set_env(z1, k, before),
  application:load({application, z1, [{env, [{k, fromapp}]}]}),
  p("env after load", lists:sort(application:get_all_env(z1))),
  p("load by name again", application:load(z1)),
  application:load({application, z2, [{mod, {app2, x}}, {start_phases, [{a, weird}]}]}),
  p("phase weird", application:start(z2)),
  application:load({application, z3, [{mod, {app2, x}}, {start_phases, [{a, crash}]}]}),
  p("phase crash", application:start(z3)),
  application:load({application, z4, [{mod, {app2, x}}, {start_phases, [{a, ok}]}, {optional_applications, [nope]}, {applications, [kernel, nope]}]}),
  p("optional missing", application:start(z4)),
  p("optional missing ensure", application:ensure_all_started(z4)),
  p("get_key optional", application:get_key(z4, optional_applications)),
  [begin application:load({application, A, [{mod, {app2, x}}]}), ok = application:start(A, T) end || {A, T} <- [{tmp, temporary}, {tr, transient}, {tr2, transient}, {perm, permanent}]],
  exit(top(tmp), kill), timer:sleep(50), p("which after tmp died", [A || {A, _, _} <- application:which_applications()]),
  gen_server:stop(top(tr), normal, infinity), timer:sleep(50), p("which after tr shutdown", [A || {A, _, _} <- application:which_applications()]),
  exit(top(tr2), kill), timer:sleep(2000), p("after tr2 killed (not printed if node stops)", application:which_applications()),
  ok.
