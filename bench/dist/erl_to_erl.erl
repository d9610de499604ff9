%% erl_to_erl: the erl-to-erl baseline for otp_lite's real distribution (issue 24).
%%
%% Round-trip latency between two erl nodes on 127.0.0.1 (node a = this one, node b = an
%% OTP 25 `peer` on the same machine, connected by distribution over loopback TCP):
%%   send_pid     a process on a sends {self(), Msg} to an echo pid on b, waits for the reply
%%   send_name    the same to the registered name {echo, b}
%%   send_1k      send_pid with a 1 KiB binary in the message
%%   rpc_call     rpc:call(b, erlang, node, [])  (b's rex spawns a process per call)
%%   erpc_call    erpc:call(b, erlang, node, [])
%%   local_pid    send_pid to an echo on a itself (no network: the floor)
%% Each is `Runs` runs of `N` round trips; per run the mean round trip; the summary is
%% the median (and min, max) of the run means, plus p50/p99 of single round trips over
%% all runs.  Output lines, for bench/dist/run.py:
%%   RESULT <name> runs=<R> n=<N> median_us=<..> min_us=<..> max_us=<..> p50_us=<..> p99_us=<..>
%%
%% Run (bench/dist/run.py does this):
%%   erlc -o /tmp bench/dist/erl_to_erl.erl
%%   ERL_EPMD_ADDRESS=127.0.0.1 erl -name bench_a@127.0.0.1 -setcookie bench -noshell \
%%     -kernel inet_dist_use_interface '{127,0,0,1}' -pa /tmp \
%%     -eval 'erl_to_erl:main(["10000", "7"]), halt().'
-module(erl_to_erl).
-export([main/1, echo/0, start_echo/0, measure/3, measure/4, measure_rpc/3]).

main([N, Runs]) ->
    main(list_to_integer(N), list_to_integer(Runs)).

main(N, Runs) ->
    {ok, Peer, B} = peer:start_link(
                      #{name => list_to_atom("bench_b_" ++ os:getpid()), host => "127.0.0.1",
                        longnames => true, connection => standard_io,
                        args => ["-setcookie", atom_to_list(erlang:get_cookie()),
                                 "-kernel", "inet_dist_use_interface", "{127,0,0,1}",
                                 "-pa", filename:dirname(code:which(?MODULE))]}),
    pong = net_adm:ping(B),
    Echo = rpc:call(B, ?MODULE, start_echo, []),
    Local = start_echo_local(),
    Kib = binary:copy(<<7>>, 1024),
    io:format("INFO otp=~s erts=~s schedulers=~p a=~s b=~s~n",
              [erlang:system_info(otp_release), erlang:system_info(version),
               erlang:system_info(schedulers_online), node(), B]),
    bench(send_pid, measure(Echo, N, Runs)),
    bench(send_name, measure({echo, B}, N, Runs)),
    bench(send_1k, measure(Echo, N, Runs, Kib)),
    bench(rpc_call, measure_rpc(B, N div 5, Runs)),
    bench(erpc_call, measure(fun() -> B = erpc:call(B, erlang, node, []) end, N div 5, Runs)),
    bench(local_pid, measure(Local, N, Runs)),
    peer:stop(Peer).

%% Round trips from the calling process to an echo at Dest (a pid or {Name, Node}); also
%% called on an erl peer by bench/dist/run.py, with Dest an echo on otp_lite's node.
measure(Dest, N, Runs) when is_function(Dest, 0) -> stats(N, Runs, Dest);
measure(Dest, N, Runs) -> measure(Dest, N, Runs, x).

measure(Dest, N, Runs, Msg) ->
    stats(N, Runs, fun() -> rt(Dest, Msg) end).

%% rpc:call(Node, erlang, node, []) round trips (Node may be otp_lite's node, answering as rex).
measure_rpc(Node, N, Runs) ->
    stats(N, Runs, fun() -> Node = rpc:call(Node, erlang, node, []) end).

rt(To, Msg) ->
    To ! {self(), Msg},
    receive {echo, Msg} -> ok end.

stats(N, Runs, F) ->
    [F() || _ <- lists:seq(1, N div 10 + 1)],                    % warm up
    {Means, Singles} = lists:unzip([run(N, F) || _ <- lists:seq(1, Runs)]),
    All = lists:sort(lists:append(Singles)),
    Sorted = lists:sort(Means),
    [{runs, Runs}, {n, N}, {median_us, median(Sorted)}, {min_us, hd(Sorted)},
     {max_us, lists:last(Sorted)}, {p50_us, pct(All, 50)}, {p99_us, pct(All, 99)}].

bench(Name, Stats) ->
    io:format("RESULT ~s ~s~n", [Name, lists:join(" ", [fmt(K, V) || {K, V} <- Stats])]).

fmt(K, V) when is_integer(V) -> io_lib:format("~s=~p", [K, V]);
fmt(K, V) -> io_lib:format("~s=~.2f", [K, V]).

run(N, F) ->
    T0 = erlang:monotonic_time(nanosecond),
    Singles = [one(F) || _ <- lists:seq(1, N)],
    T1 = erlang:monotonic_time(nanosecond),
    {(T1 - T0) / N / 1000, Singles}.

one(F) ->
    T0 = erlang:monotonic_time(nanosecond),
    F(),
    (erlang:monotonic_time(nanosecond) - T0) / 1000.

median(Sorted) -> lists:nth((length(Sorted) + 1) div 2, Sorted).

pct(Sorted, P) -> lists:nth(max(1, (length(Sorted) * P + 99) div 100), Sorted).

%% The echo process, registered as `echo` on the node that calls start_echo/0.
start_echo() ->
    Pid = spawn(?MODULE, echo, []),
    register(echo, Pid),
    Pid.

start_echo_local() ->
    spawn(?MODULE, echo, []).

echo() ->
    receive
        {From, Msg} -> From ! {echo, Msg}, echo();
        stop -> ok
    end.
