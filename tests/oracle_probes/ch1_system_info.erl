-module(ch1_system_info).
-export([main/0]).

%% Chapter 1 (multicore): what the VM says about its schedulers and processes.
%% (and which applications a bare node runs, for the tools section).
%% Run twice: with the default (one scheduler per core) and with +S 1.
main() ->
    io:format("which_applications ~p~n", [application:which_applications()]),
    [io:format("~p ~p~n", [K, erlang:system_info(K)])
     || K <- [schedulers, schedulers_online, otp_release]],
    io:format("schedulers =:= logical_processors_available: ~p~n",
              [erlang:system_info(schedulers) =:= erlang:system_info(logical_processors_available)]),
    N0 = erlang:system_info(process_count),
    Pids = [spawn(fun() -> receive stop -> ok end end) || _ <- lists:seq(1, 3)],
    io:format("process_count, 3 spawned: +~p~n", [erlang:system_info(process_count) - N0]),
    [P ! stop || P <- Pids],
    timer:sleep(10),
    io:format("process_count, 3 stopped: +~p~n", [erlang:system_info(process_count) - N0]),
    io:format("system_info(no_such_key): ~p~n",
              [try erlang:system_info(no_such_key) catch error:R -> {error, R} end]).
