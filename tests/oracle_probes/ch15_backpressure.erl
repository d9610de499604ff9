%% Chapter 15: a producer (1 ms per item) feeding a gen_server consumer (2 ms per item)
%% by cast, by call, and with 10 credits; the consumer samples its own
%% message_queue_len as it takes each item.  Also process_info with a list of items.
-module(ch15_backpressure).
-behaviour(gen_server).
-export([main/0, init/1, handle_call/3, handle_cast/2]).

init(UseMs) -> {ok, #{use => UseMs, max_queue => 0, done => 0}}.

use(St = #{use := U, max_queue := M, done := D}) ->
    {message_queue_len, Q} = process_info(self(), message_queue_len),
    timer:sleep(U),
    St#{max_queue := max(M, Q), done := D + 1}.

handle_cast({credit_back, Prod, _I}, St) -> St2 = use(St), Prod ! credit, {noreply, St2};
handle_cast({item, _I}, St) -> {noreply, use(St)}.

handle_call(stats, _From, St) -> {reply, St, St};
handle_call({item, _I}, _From, St) -> {reply, ok, use(St)}.

produce(_Mode, _C, 0, _Cr) -> ok;
produce(Mode, C, N, Cr) ->
    timer:sleep(1),
    case Mode of
        cast -> gen_server:cast(C, {item, N}), produce(Mode, C, N - 1, Cr);
        call -> ok = gen_server:call(C, {item, N}, infinity), produce(Mode, C, N - 1, Cr);
        credits when Cr =:= 0 ->
            receive credit -> ok end,
            gen_server:cast(C, {credit_back, self(), N}), produce(Mode, C, N - 1, 0);
        credits -> gen_server:cast(C, {credit_back, self(), N}), produce(Mode, C, N - 1, Cr - 1)
    end.

flush() -> receive credit -> flush() after 0 -> ok end.

run(Mode, Credits) ->
    {ok, C} = gen_server:start(?MODULE, 2, []),
    T0 = erlang:monotonic_time(millisecond),
    produce(Mode, C, 500, Credits),
    T1 = erlang:monotonic_time(millisecond),
    #{max_queue := M, done := D} = gen_server:call(C, stats, infinity),
    T2 = erlang:monotonic_time(millisecond),
    gen_server:stop(C), flush(),
    io:format("~p: producer done ~p ms, consumer done ~p ms, ~p items, max_queue ~p~n",
              [Mode, T1 - T0, T2 - T0, D, M]).

main() ->
    run(cast, 0), run(call, 0), run(credits, 10),
    {ok, S} = gen_server:start(?MODULE, 2, []),
    io:format("~p~n", [process_info(S, [message_queue_len, reductions])]).
