-module(ch2_ets_owner).
-export([main/0]).
main() ->
    Self = self(),
    P = spawn(fun() -> ets:new(msisdn2pid, [public, named_table]), ets:insert(msisdn2pid, {12345, self()}), Self ! made, receive stop -> ok end end),
    receive made -> ok end,
    io:format("lookup while the owner lives: ~p~n", [ets:lookup(msisdn2pid, 12345) =/= []]),
    P ! stop, timer:sleep(10),
    io:format("info after the owner ended: ~p~n", [ets:info(msisdn2pid)]),
    io:format("lookup after the owner ended: ~p~n", [catch ets:lookup(msisdn2pid, 12345)]),
    Q = spawn(fun() -> ets:new(t2, [public, named_table, {heir, Self, inherited}]), Self ! made, receive stop -> ok end end),
    receive made -> ok end,
    Q ! stop,
    receive {'ETS-TRANSFER', Tab, From, Data} -> io:format("heir got: ~p from dead owner: ~p data ~p~n", [Tab, From =:= Q, Data]) end,
    io:format("owner now: ~p~n", [ets:info(t2, owner) =:= self()]).
