-module(ch09_phase_fail).
%% A start phase failing (no application_starter): application:start returns the error, the master
%% crashes, and OTP 25 leaves the top supervisor running, unlinked, in no application.
-export([main/0, start/2, start_phase/3, stop/1, init/1]).
main() ->
    ok = application:load({application, phx, [{vsn, "1"}, {applications, [kernel, stdlib]}, {mod, {ch09_phase_fail, []}},
                                               {start_phases, [{a, []}, {b, []}]}]}),
    io:format("~p~n", [application:start(phx)]),
    timer:sleep(300),
    S = whereis(ch09_sup),
    io:format("~p ~p ~p~n", [is_process_alive(S), process_info(S, links), application:get_application(S)]).
start(_, _) -> supervisor:start_link({local, ch09_sup}, ?MODULE, []).
start_phase(a, _, _) -> ok;
start_phase(b, _, _) -> {error, no}.
stop(_) -> ok.
init([]) -> {ok, {#{}, []}}.
