%% ch. 11 "The init Module": init:get_status/0 and what init:stop/0, init:restart/0 and
%% init:reboot/0 do to the running applications.  Two applications, db and web (web needs db).
%% Run: erl -noshell -pa . -eval 'ch11_init_stop:main(stop).'     (and restart, reboot)
-module(ch11_init_stop).
-behaviour(application).
-export([main/1, start/2, prep_stop/1, stop/1, later/1]).
main(How) ->
    [ok = application:load({application, A, [{vsn, "1.0"}, {modules, [?MODULE]}, {registered, []},
                                               {applications, [kernel, stdlib | Deps]}, {mod, {?MODULE, A}}]})
     || {A, Deps} <- [{db, []}, {web, [db]}]],
    {ok, Started} = application:ensure_all_started(web),
    io:format("started: ~p~n", [Started]),
    io:format("during -eval: ~p~n", [init:get_status()]),
    spawn(?MODULE, later, [How]).

later(How) ->
    timer:sleep(100),
    io:format("after boot: ~p~n", [init:get_status()]),
    io:format("which_applications: ~p~n", [[A || {A, _, _} <- application:which_applications()]]),
    case How of
        restart ->
            case os:getenv("RESTARTED") of
                false -> os:putenv("RESTARTED", "yes"), io:format("init:~p() -> ~p~n", [How, init:How()]);
                _ -> io:format("after restart: ~p ~p~n", [init:get_status(), [A || {A, _, _} <- application:which_applications()]]), init:stop()
            end;
        _ -> io:format("init:~p() -> ~p~n", [How, init:How()])
    end.

start(_, A) -> io:format("start ~p~n", [A]), {ok, spawn(fun() -> receive _ -> ok end end), A}.
prep_stop(A) -> io:format("prep_stop ~p: ~p~n", [A, init:get_status()]), A.
stop(A) -> io:format("stop ~p~n", [A]), ok.
