%% issue 26: the interleavings otp_lite.explore finds, forced by hand in OTP 25.
-module(ch26_races).
-export([main/0]).

main() ->
    register_race(),
    ets_race(),
    reply_down(false),
    reply_down(true),
    down_noproc(),
    ok.

%% both clients see whereis = undefined before either registers: the second register is badarg
register_race() ->
    Me = self(),
    Go = fun() -> receive go -> ok end end,
    C = fun() ->
            U = whereis(counter),
            Me ! {checked, self(), U},
            Go(),
            P = spawn(fun() -> receive _ -> ok end end),
            R = (catch register(counter, P)),
            Me ! {registered, self(), R}
        end,
    A = spawn(C), B = spawn(C),
    receive {checked, A, UA} -> ok end,
    receive {checked, B, UB} -> ok end,
    A ! go, receive {registered, A, RA} -> ok end,
    B ! go, receive {registered, B, RB} -> ok end,
    io:format("register_race: whereis ~p ~p; register ~p ~p~n", [UA, UB, RA, element(1, element(2, RB))]).

%% both read n = 0 before either writes: one update is lost
ets_race() ->
    Me = self(),
    T = ets:new(hits, [set, public]),
    ets:insert(T, {n, 0}),
    Bump = fun() ->
               [{n, N}] = ets:lookup(T, n),
               Me ! {read, self()},
               receive go -> ok end,
               ets:insert(T, {n, N + 1}),
               Me ! {done, self()}
           end,
    A = spawn(Bump), B = spawn(Bump),
    receive {read, A} -> ok end, receive {read, B} -> ok end,
    A ! go, B ! go,
    receive {done, A} -> ok end, receive {done, B} -> ok end,
    io:format("ets_race: ~p~n", [ets:lookup(T, n)]).

%% the server replies, then is stopped before the caller's demonitor:
%% without flush the 'DOWN' stays in the mailbox (the next receive takes it); with flush it is gone
reply_down(Flush) ->
    Srv = spawn(fun() ->
                    receive {call, From, Ref, Req} -> From ! {reply, Ref, {echo, Req}} end,
                    receive stop -> ok end
                end),
    Ref = erlang:monitor(process, Srv),
    Srv ! {call, self(), Ref, hi},
    R = receive {reply, Ref, X} -> X; {'DOWN', Ref, _, _, Why} -> {error, Why} end,
    Srv ! stop,
    timer:sleep(10),
    case Flush of
        true -> erlang:demonitor(Ref, [flush]);
        false -> erlang:demonitor(Ref)
    end,
    self() ! next,
    M = receive Any -> Any end,
    io:format("reply_down flush=~p: call ~p, next message ~p~n", [Flush, R, M]),
    flush_all().

%% monitoring a process that is already dead: 'DOWN' at once, reason noproc
down_noproc() ->
    P = spawn(fun() -> ok end),
    timer:sleep(10),
    Ref = erlang:monitor(process, P),
    receive {'DOWN', Ref, process, P, Why} -> io:format("down_noproc: ~p~n", [Why]) end.

flush_all() -> receive _ -> flush_all() after 0 -> ok end.
