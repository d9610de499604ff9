%% Chapter 5, "Suspend and resume": requests to a suspended gen_server wait in its
%% mailbox while system messages are handled; a call that timed out meanwhile still
%% runs on resume, and its late reply never reaches the caller (OTP 25 calls via an alias).
-module(ch5_suspend).
-behaviour(gen_server).
-export([main/0, init/1, handle_call/3, handle_cast/2]).

init([]) -> {ok, {[10, 11, 12], []}}.

handle_call({allocate, Pid}, _From, {[F | Free], Alloc}) ->
    {reply, {ok, F}, {Free, [{F, Pid} | Alloc]}}.

handle_cast({deallocate, F}, {Free, Alloc}) ->
    {noreply, {[F | Free], lists:keydelete(F, 1, Alloc)}}.

main() ->
    {ok, _} = gen_server:start({local, frequency}, ?MODULE, [], []),
    ok = sys:suspend(frequency),
    R = (catch gen_server:call(frequency, {allocate, self()}, 1000)),
    io:format("call: ~p~n", [element(1, element(2, R))]),
    gen_server:cast(frequency, {deallocate, 99}),
    {message_queue_len, Q} = process_info(whereis(frequency), message_queue_len),
    io:format("queued while suspended: ~p~n", [Q]),
    io:format("state while suspended: ~w~n", [sys:get_state(frequency)]),
    ok = sys:resume(frequency),
    io:format("state after resume: ~w~n", [sys:get_state(frequency)]),
    timer:sleep(100),
    {messages, M} = process_info(self(), messages),
    io:format("caller's mailbox: ~p~n", [M]).
