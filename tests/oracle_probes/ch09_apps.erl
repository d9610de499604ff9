%% Chapter 9 probe: the application directory layout (code:lib_dir/priv_dir), an including
%% application (top_app) with an included one (inc_app), their start phases through
%% application_starter, and one module that is both application callback and supervisor.
-module(ch09_apps).
-behaviour(application).
-behaviour(supervisor).
-export([main/0, start/2, start_phase/3, stop/1, init/1, start_inc/0, worker/0]).

app(Dir, Name, Vsn, Keys) ->
    Ebin = filename:join([Dir, atom_to_list(Name) ++ "-" ++ Vsn, "ebin"]),
    ok = filelib:ensure_dir(filename:join(Ebin, "x")),
    Term = {application, Name, [{description, atom_to_list(Name)}, {vsn, Vsn} | Keys]},
    ok = file:write_file(filename:join(Ebin, atom_to_list(Name) ++ ".app"),
                         io_lib:format("~p.~n", [Term])),
    true = code:add_patha(Ebin).

rel({error, _} = E, _) -> E;
rel(Path, Root) -> string:prefix(Path, Root).

main() ->
    {ok, Cwd} = file:get_cwd(),
    Lib = filename:join(Cwd, "lib"),
    Root = Cwd ++ "/",
    app(Lib, top_app, "1.0", [{modules, [ch09_apps]}, {registered, [top_sup]},
                              {applications, [kernel, stdlib]},
                              {included_applications, [inc_app]},
                              {start_phases, [{init, [top]}, {admin, [top]}, {oper, [top]}]},
                              {mod, {application_starter, [ch09_apps, top]}}]),
    app(Lib, inc_app, "1.0", [{modules, []}, {registered, [inc_sup, inc_worker]},
                              {applications, [kernel, stdlib]},
                              {start_phases, [{init, [inc]}, {oper, [inc]}]},
                              {mod, {ch09_apps, inc}}]),
    ok = filelib:ensure_dir(filename:join([Lib, "top_app-1.0", "priv", "x"])),
    io:format("lib_dir(top_app) ~p~n", [rel(code:lib_dir(top_app), Root)]),
    io:format("priv_dir(top_app) ~p~n", [rel(code:priv_dir(top_app), Root)]),
    io:format("priv_dir(inc_app) ~p~n", [rel(code:priv_dir(inc_app), Root)]),
    io:format("lib_dir(top_app, ebin) ~p~n", [rel(code:lib_dir(top_app, ebin), Root)]),
    io:format("lib_dir(nosuch) ~p~n", [code:lib_dir(nosuch)]),
    io:format("priv_dir(nosuch) ~p~n", [code:priv_dir(nosuch)]),
    io:format("priv_dir(\"top_app\") ~p~n", [rel(code:priv_dir("top_app"), Root)]),
    io:format("lib_dir(kernel) ~p~n", [filename:basename(code:lib_dir(kernel))]),
    io:format("start ~p~n", [application:start(top_app)]),
    io:format("which ~p~n", [application:which_applications()]),
    io:format("loaded ~p~n", [lists:sort(application:loaded_applications())]),
    io:format("get_application(inc_worker) ~p~n", [application:get_application(whereis(inc_worker))]),
    io:format("get_application(inc_sup) ~p~n", [application:get_application(whereis(inc_sup))]),
    io:format("get_application(top_sup) ~p~n", [application:get_application(whereis(top_sup))]),
    io:format("which_children(top_sup) ~p~n", [[{I, T} || {I, _, T, _} <- supervisor:which_children(top_sup)]]),
    io:format("get_key(top_app, included_applications) ~p~n", [application:get_key(top_app, included_applications)]),
    io:format("stop ~p~n", [application:stop(top_app)]),
    io:format("after stop ~p ~p~n", [whereis(top_sup), whereis(inc_worker)]),
    io:format("loaded after stop ~p~n", [lists:sort([A || {A, _, _} <- application:loaded_applications()])]),
    io:format("unload(inc_app) ~p~n", [application:unload(inc_app)]),
    io:format("unload(top_app) ~p~n", [application:unload(top_app)]),
    io:format("loaded after unload ~p~n", [lists:sort([A || {A, _, _} <- application:loaded_applications()])]),
    %% the included application without start_phases
    ok = file:write_file(filename:join([Lib, "inc_app-1.0", "ebin", "inc_app.app"]),
                         io_lib:format("~p.~n", [{application, inc_app, [{description, "inc_app"}, {vsn, "1.0"},
                                                 {applications, [kernel, stdlib]}, {mod, {ch09_apps, inc}}]}])),
    io:format("start without inc start_phases ~p~n", [application:start(top_app)]),
    timer:sleep(100),
    %% a failed start phase leaves the top supervisor running, unlinked, its tree intact
    Left = whereis(top_sup),
    io:format("top_sup after the failed start ~p ~p ~p~n",
              [is_process_alive(Left), [N || P <- element(2, process_info(Left, links)), {registered_name, N} <- [process_info(P, registered_name)]],
               application:get_application(Left)]),
    exit(Left, kill),
    timer:sleep(10),
    %% the included application with start_phases but no mod: skipped
    ok = application:unload(inc_app), ok = application:unload(top_app),
    ok = file:write_file(filename:join([Lib, "inc_app-1.0", "ebin", "inc_app.app"]),
                         io_lib:format("~p.~n", [{application, inc_app, [{description, "inc_app"}, {vsn, "1.0"},
                                                 {applications, [kernel, stdlib]}, {start_phases, [{init, [inc]}]}]}])),
    io:format("start with inc_app without mod ~p~n", [application:start(top_app)]),
    ok.

%% application callback (for top_app through application_starter, and for inc_app if started)
start(Type, Args) ->
    io:format("start(~p, ~p)~n", [Type, Args]),
    supervisor:start_link({local, top_sup}, ?MODULE, top).

start_phase(Phase, Type, Args) ->
    io:format("start_phase(~p, ~p, ~p)~n", [Phase, Type, Args]),
    ok.

stop(State) ->
    io:format("stop(~p)~n", [State]),
    ok.

%% supervisor callback: the same module
init(top) ->
    {ok, {#{strategy => one_for_one},
          [#{id => inc_sup, start => {?MODULE, start_inc, []}, type => supervisor}]}};
init(inc) ->
    {ok, {#{strategy => one_for_one},
          [#{id => inc_worker, start => {?MODULE, worker, []}}]}}.

start_inc() -> supervisor:start_link({local, inc_sup}, ?MODULE, inc).

worker() ->
    Pid = spawn_link(fun() -> receive stop -> ok end end),
    register(inc_worker, Pid),
    {ok, Pid}.
