%% The hot paths of issue 19 on BEAM, one scheduler: the anchor for bench/README.md's goals table.
%%
%%   cd bench/beam && erlc hotpath.erl && erl +S 1 -noshell -pa . -run hotpath main -s init stop
%%
%% One JSON object per line: {"impl": "beam", "what": W, "value": V, "unit": U}, each the
%% median of 5 runs:
%%   pingpong_ns   one round trip between two processes (send, receive, send back, receive)
%%   call_us       one gen_server:call to a server that replies at once
%%   skip_ns       one unmatched message skipped by a selective receive (1000 in front)
%%   idle_bytes    memory per idle process blocked in receive (erlang:memory(processes), 100k)
-module(hotpath).
-behaviour(gen_server).
-export([main/0, main/1, init/1, handle_call/3, handle_cast/2]).

main() -> main([]).
main(_) ->
    out("pingpong_ns", median(5, fun pingpong/0), "ns"),
    out("call_us", median(5, fun call/0), "us"),
    out("skip_ns", median(5, fun skip/0), "ns"),
    out("idle_bytes", median(3, fun idle/0), "bytes"),
    ok.

out(What, V, Unit) ->
    io:format("{\"impl\": \"beam\", \"what\": \"~s\", \"value\": ~.4f, \"unit\": \"~s\"}~n", [What, float(V), Unit]).

median(K, F) ->
    L = lists:sort([F() || _ <- lists:seq(1, K)]),
    lists:nth((K + 1) div 2, L).

ns(F) ->
    T0 = erlang:monotonic_time(nanosecond),
    F(),
    erlang:monotonic_time(nanosecond) - T0.

%% ping-pong
pingpong() ->
    N = 1000000,
    Pong = spawn(fun pong/0),
    T = ns(fun() -> ping(Pong, N) end),
    Pong ! stop,
    T / N.

pong() ->
    receive
        {ping, From} -> From ! pong, pong();
        stop -> ok
    end.

ping(_, 0) -> ok;
ping(Pong, N) ->
    Pong ! {ping, self()},
    receive pong -> ok end,
    ping(Pong, N - 1).

%% gen_server:call
init(_) -> {ok, none}.
handle_call(Req, _From, S) -> {reply, Req, S}.
handle_cast(_, S) -> {noreply, S}.

call() ->
    N = 200000,
    {ok, S} = gen_server:start(?MODULE, [], []),
    T = ns(fun() -> calls(S, N) end),
    gen_server:stop(S),
    T / N / 1000.

calls(_, 0) -> ok;
calls(S, N) -> ping = gen_server:call(S, ping), calls(S, N - 1).

%% selective receive: 1000 junk messages in front of each hit
skip() ->
    Depth = 1000,
    Rounds = 2000,
    Me = self(),
    [Me ! {junk, I} || I <- lists:seq(1, Depth)],
    T = ns(fun() -> hits(Rounds) end),
    flush(),
    T / (Rounds * Depth).

hits(0) -> ok;
hits(N) ->
    self() ! {hit, N},
    receive {hit, _} -> ok end,
    hits(N - 1).

flush() -> receive _ -> flush() after 0 -> ok end.

%% memory per idle process
idle() ->
    N = 100000,
    erlang:garbage_collect(),
    M0 = erlang:memory(processes),
    Ps = [spawn(fun() -> receive stop -> ok end end) || _ <- lists:seq(1, N)],
    M1 = erlang:memory(processes),
    [P ! stop || P <- Ps],
    (M1 - M0) / N.
