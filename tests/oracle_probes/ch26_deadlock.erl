%% issue 26, chapter 4 (notebook 04): two account servers whose transfer calls the other.
%% Both transfers queued before either server runs (sys:suspend, then resume) force the
%% interleaving otp_lite.explore finds: each server waits in handle_call for the other, and
%% both clients' calls time out after 5 s.  The fix (deposit by cast) passes the same schedule.
-module(ch26_deadlock).
-behaviour(gen_server).
-export([main/0, init/1, handle_call/3, handle_cast/2]).

init({Other, Fix}) -> {ok, {Other, 100, Fix}}.

handle_call({transfer, N}, _From, {Other, Money, false}) ->
    ok = gen_server:call(Other, {deposit, N}),
    {reply, ok, {Other, Money - N, false}};
handle_call({transfer, N}, _From, {Other, Money, true}) ->
    ok = gen_server:cast(Other, {deposit, N}),
    {reply, ok, {Other, Money - N, true}};
handle_call({deposit, N}, _From, {Other, Money, Fix}) ->
    {reply, ok, {Other, Money + N, Fix}};
handle_call(balance, _From, S = {_, Money, _}) ->
    {reply, Money, S}.

handle_cast({deposit, N}, {Other, Money, Fix}) ->
    {noreply, {Other, Money + N, Fix}}.

main() ->
    logger:set_primary_config(level, none),
    both(false),
    both(true),
    ok.

both(Fix) ->
    {ok, A} = gen_server:start({local, alice}, ?MODULE, {bob, Fix}, []),
    {ok, B} = gen_server:start({local, bob}, ?MODULE, {alice, Fix}, []),
    sys:suspend(alice), sys:suspend(bob),
    Me = self(),
    Pay = fun(Who) -> spawn(fun() -> Me ! {Who, catch gen_server:call(Who, {transfer, 10})} end) end,
    Pay(alice), Pay(bob),
    timer:sleep(100),                      % both requests are queued
    sys:resume(alice), sys:resume(bob),
    RA = receive {alice, X} -> X end,
    RB = receive {bob, Y} -> Y end,
    io:format("fix=~p alice pays: ~p~n", [Fix, RA]),
    io:format("fix=~p bob pays: ~p~n", [Fix, RB]),
    timer:sleep(6000),
    io:format("fix=~p alive: alice ~p, bob ~p~n", [Fix, is_process_alive(A), is_process_alive(B)]),
    case Fix of
        true -> io:format("fix=true balances: ~p ~p~n", [gen_server:call(alice, balance), gen_server:call(bob, balance)]),
                gen_server:stop(alice), gen_server:stop(bob);
        false -> ok
    end.
