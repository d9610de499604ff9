%% ch. 10 "Dynamic Modules and Hibernating": what the release handler asks a child whose
%% child spec says modules = dynamic, and proc_lib:hibernate/3 in a special process.
-module(ch10_dynamic).
-behaviour(application).
-behaviour(supervisor).
-export([main/0, start/2, stop/1, init/1, handle_event/2, handle_call/2,
         hib_init/1, hib_loop/1]).

main() ->
    application:load({application, dynapp, [{vsn, "1.0"}, {modules, [?MODULE]},
                                             {registered, []}, {applications, [kernel, stdlib]},
                                             {mod, {?MODULE, []}}]}),
    ok = application:start(dynapp),
    ok = gen_event:add_handler(alarms, ?MODULE, []),
    ok = gen_event:add_handler(alarms, ch10_dynamic_h, []),
    io:format("which_children: ~p~n", [supervisor:which_children(dyn_sup)]),
    io:format("gen:call get_modules: ~p~n", [gen:call(alarms, self(), get_modules)]),
    io:format("get_callback_module: ~p~n", [supervisor:get_callback_module(dyn_sup)]),
    Procs = release_handler_1:get_supervised_procs(),
    io:format("get_supervised_procs: ~p~n", [[{S =:= whereis(dyn_sup), N, M} || {S, N, _P, M} <- Procs]]),
    %% a special process hibernating between messages
    {ok, H} = proc_lib:start_link(?MODULE, hib_init, [self()]),
    timer:sleep(10),
    io:format("hibernating: ~p~n", [erlang:process_info(H, [current_function, status, message_queue_len])]),
    H ! {ping, self()},
    receive {pong, N1} -> io:format("pong ~p~n", [N1]) end,
    timer:sleep(10),
    io:format("hibernating again: ~p~n", [erlang:process_info(H, [current_function, status, message_queue_len])]),
    erlang:suspend_process(H),
    H ! {ping, self()},
    io:format("woken, message waiting: ~p~n", [erlang:process_info(H, [current_function, message_queue_len])]),
    erlang:resume_process(H),
    receive {pong, N2} -> io:format("pong ~p~n", [N2]) end,
    io:format("dictionary: ~p~n", [erlang:process_info(H, dictionary)]),
    unlink(H), exit(H, kill).

hib_init(Parent) ->
    proc_lib:init_ack(Parent, {ok, self()}),
    proc_lib:hibernate(?MODULE, hib_loop, [0]).

hib_loop(N) ->
    receive {ping, From} -> From ! {pong, N + 1} end,
    proc_lib:hibernate(?MODULE, hib_loop, [N + 1]).

%% application + supervisor
start(_, _) -> supervisor:start_link({local, dyn_sup}, ?MODULE, []).
stop(_) -> ok.
init([]) ->
    {ok, {#{strategy => one_for_one},
          [#{id => alarms, start => {gen_event, start_link, [{local, alarms}]},
             modules => dynamic}]}}.
%% gen_event handler
handle_event(_, S) -> {ok, S}.
handle_call(_, S) -> {ok, ok, S}.
