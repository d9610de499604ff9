-module(spawnopt).
-export([main/0]).
%% Spawn options, per-process heaps and garbage collection (book ch. 5), OTP 25, erl +S 1.
idle() -> receive stop -> ok end.
main() ->
    P1 = spawn(fun idle/0),
    P2 = spawn_opt(fun idle/0, [{min_heap_size, 1000}, {fullsweep_after, 10}, {priority, low}]),
    {P3, Ref} = spawn_opt(fun idle/0, [monitor]),
    io:format("spawn_opt with monitor: ~p~n", [is_reference(Ref) andalso is_pid(P3)]),
    [begin
         io:format("~p: ~p~n", [Item, [element(2, process_info(P, Item)) || P <- [P1, P2]]])
     end || Item <- [heap_size, total_heap_size, memory, priority]],
    {garbage_collection, GC} = process_info(P2, garbage_collection),
    io:format("garbage_collection of P2: ~p~n", [[{K, proplists:get_value(K, GC)} || K <- [min_heap_size, fullsweep_after, minor_gcs]]]),
    Big = spawn(fun() -> L = lists:seq(1, 100000), receive stop -> length(L) end end),
    timer:sleep(10),
    io:format("a process holding a 100k list: ~p words of heap~n", [element(2, process_info(Big, total_heap_size))]),
    io:format("garbage_collect(P): ~p~n", [garbage_collect(Big)]),
    io:format("spawn_opt bad option: ~p~n", [catch spawn_opt(fun idle/0, [{priority, urgent}])]),
    io:format("process_flag(priority, high) returns the old: ~p~n", [process_flag(priority, high)]),
    io:format("word size: ~p bytes~n", [erlang:system_info(wordsize)]).
