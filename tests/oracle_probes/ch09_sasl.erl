%% Chapter 9 probe: the SASL application in OTP 25.  Its environment, where its reports go
%% (logger, filtered by the primary level), and what is left of the report browser rb.
-module(ch09_sasl).
-export([main/0, init/1, worker/0]).

main() ->
    io:format("level before sasl ~p~n", [maps:get(level, logger:get_primary_config())]),
    io:format("start(sasl) ~p~n", [application:start(sasl)]),
    io:format("sasl env ~p~n", [lists:sort(application:get_all_env(sasl))]),
    io:format("logger_sasl_compatible ~p~n", [application:get_env(kernel, logger_sasl_compatible)]),
    io:format("level after sasl ~p~n", [maps:get(level, logger:get_primary_config())]),
    io:format("-- a supervisor and a worker at level notice~n"),
    {ok, S} = supervisor:start_link(?MODULE, []),
    io:format("-- the same at level info~n"),
    ok = logger:set_primary_config(level, info),
    {ok, S2} = supervisor:start_link(?MODULE, []),
    ok = logger:set_primary_config(level, notice),
    unlink(S), unlink(S2),
    io:format("-- the worker crashes, level notice~n"),
    [{_, W, _, _}] = supervisor:which_children(S),
    exit(W, boom),
    timer:sleep(100),
    io:format("-- rb~n"),
    io:format("rb:start() ~p~n", [catch rb:start()]),
    ok.

init([]) ->
    {ok, {#{strategy => one_for_one}, [#{id => w, start => {?MODULE, worker, []}}]}}.

worker() -> {ok, spawn_link(fun() -> receive stop -> ok end end)}.
