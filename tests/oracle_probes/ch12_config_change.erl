%% What release_handler:install_release does around the relup for the
%% environment (OTP 25 release_handler:do_install_release):
%%   EnvBefore = application_controller:prep_config_change(),
%%   application_controller:change_application_data(NewAppSpecs, NewSysConfig),
%%   <eval the relup>,
%%   application_controller:config_change(EnvBefore)
%% which calls Mod:config_change(Changed, New, Removed) of every running
%% application whose env changed.  Application ccapp 1.0 has env
%% [{brand,"Acme"},{price,100},{old_key,x}] plus sys.config {price,120};
%% 1.1 has [{brand,"Acme"},{price,100},{cups,50}] and the new sys.config
%% sets {price,150}.  A set_env value (runtime) is also present before.
-module(ch12_config_change).
-behaviour(application).
-export([main/0, start/2, stop/1, config_change/3, init/1]).

start(_, _) -> supervisor:start_link(?MODULE, []).
stop(_) -> ok.
init([]) -> {ok, {{one_for_one, 1, 1}, []}}.
config_change(Changed, New, Removed) ->
    io:format("config_change(~p, ~p, ~p)~n", [Changed, New, Removed]),
    ok.

spec(Vsn, Env) ->
    {application, ccapp, [{description, "cc"}, {vsn, Vsn}, {modules, [?MODULE]},
                          {registered, []}, {applications, [kernel, stdlib]},
                          {mod, {?MODULE, []}}, {env, Env}]}.

main() ->
    ok = application:load(spec("1.0", [{brand, "Acme"}, {price, 100}, {old_key, x}])),
    ok = application:set_env(ccapp, price, 120),          % as a sys.config would
    ok = application:set_env(ccapp, runtime_key, y),       % set while running
    ok = application:start(ccapp),
    io:format("before: ~p~n", [lists:sort(application:get_all_env(ccapp))]),
    EnvBefore = application_controller:prep_config_change(),
    R1 = application_controller:change_application_data(
           [spec("1.1", [{brand, "Acme"}, {price, 100}, {cups, 50}])],
           [{ccapp, [{price, 150}]}]),
    io:format("change_application_data -> ~p~n", [R1]),
    io:format("after: ~p~n", [lists:sort(application:get_all_env(ccapp))]),
    R2 = application_controller:config_change(EnvBefore),
    io:format("config_change -> ~p~n", [R2]),
    %% nothing changed: is the callback called at all?
    E2 = application_controller:prep_config_change(),
    io:format("unchanged: config_change -> ~p~n", [application_controller:config_change(E2)]),
    io:format("vsn: ~p~n", [application:get_key(ccapp, vsn)]),
    ok.
