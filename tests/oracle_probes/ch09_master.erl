-module(ch09_master).
%% who is above the top supervisor: the application master (the group leader of every
%% process of the application) and the helper it spawned to run Mod:start/2.  Run after
%% ch09_apps:main() made lib/: erl -noshell -pa . -pa lib/top_app-1.0/ebin -pa lib/inc_app-1.0/ebin
main() ->
    ok = application:start(top_app),
    Top = whereis(top_sup),
    {group_leader, M} = process_info(Top, group_leader),
    {links, TL} = process_info(Top, links),
    [Helper] = [P || P <- TL, P =/= whereis(inc_sup)],
    io:format("master ~p~n", [[process_info(M, K) || K <- [initial_call, links]] ++ [proc_lib:translate_initial_call(M)]]),
    io:format("helper ~p~n", [[process_info(Helper, K) || K <- [initial_call, links]] ++ [proc_lib:translate_initial_call(Helper), process_info(Helper, current_function)]]),
    io:format("top_sup ~p ~p~n", [Top, TL]),
    io:format("ac ~p~n", [whereis(application_controller)]).
