%% Chapter 8 probe (issue 20): testing a supervision strategy by fault injection.
%% top (one_for_one, 2 restarts in 2 s) -> l0, l1 (one_for_one, 2 in 2 s) -> w0, w1, w2.
%% The kill plan is the one notebook 08 draws with random.Random(0): {GapSeconds, Leaf, Worker}.
-module(ch8_fault_injection).
-behaviour(supervisor).
-export([main/0, init/1, worker/0]).

-define(PLAN, [{0,l1,w0},{0,l1,w1},{0,l1,w1},{3,l0,w2},{0,l1,w0},{0,l1,w2},{3,l0,w1},{0,l0,w2},
               {0,l1,w2},{0,l1,w1},{0,l0,w2},{0,l1,w2},{0,l0,w2},{0,l0,w2},{0,l0,w2},{0,l1,w0},
               {3,l1,w2},{0,l0,w2},{0,l0,w0},{3,l1,w0}]).

init(top) ->
    Leaf = fun(L) -> #{id => L, start => {supervisor, start_link, [{local, L}, ?MODULE, leaf]},
                       type => supervisor} end,
    {ok, {#{strategy => one_for_one, intensity => 2, period => 2}, [Leaf(l0), Leaf(l1)]}};
init(leaf) ->
    W = fun(Id) -> #{id => Id, start => {?MODULE, worker, []}} end,
    {ok, {#{strategy => one_for_one, intensity => 2, period => 2}, [W(w0), W(w1), W(w2)]}}.

worker() -> {ok, spawn_link(fun() -> receive _ -> ok end end)}.

main() ->
    logger:set_primary_config(level, none),
    {ok, Top} = supervisor:start_link({local, top}, ?MODULE, top),
    unlink(Top),
    run(?PLAN, 0, 0).

run([], _, _) -> ok;
run([{Gap, Leaf, W} | Rest], N, T) ->
    timer:sleep(Gap * 1000),
    Before = [whereis(S) || S <- [top, l0, l1]],
    {W, Pid, _, _} = lists:keyfind(W, 1, supervisor:which_children(Leaf)),
    exit(Pid, kill),
    timer:sleep(50),
    After = [whereis(S) || S <- [top, l0, l1]],
    Changed = [S || {S, B, A} <- lists:zip3([top, l0, l1], Before, After), B =/= A],
    io:format("~p t=~ps kill ~p/~p: sups with a new pid or gone ~p~n", [N, T + Gap, Leaf, W, Changed]),
    case whereis(top) of
        undefined -> io:format("top gave up~n");
        _ -> run(Rest, N + 1, T + Gap)
    end.
