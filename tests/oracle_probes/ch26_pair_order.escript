#!/usr/bin/env escript
%% Issue 26 (otp_lite.explore): a message then an exit signal from the SAME process
%% reach a trapping receiver in that order, every time (OTP's signal order per pair),
%% with a third process sending at the same time.  And a `receive ... after 10`
%% racing another process's `erlang:send_after(10, ...)`: OTP fixes no order
%% between a timeout and a timer message due together; here real OTP shows the
%% timeout (the receive's timer started first), the outcome otp_lite's plain
%% scheduler never shows at a virtual-time tie (it delivers the message first)
%% and exploration's timer choice point reaches.  Last, `send_after(0, A, tick)`
%% then some work then `A ! hello`: the 0 ms timer may fire before the send (both
%% orders show up over 2,000 runs), so a timer due now is a choice point too.
%% tests/test_explore_choices.py cites it.
-mode(compile).

main(_) ->
    N = 2000,
    Orders = [pair_once() || _ <- lists:seq(1, N)],
    io:format("pair order over ~p runs: ~p~n", [N, lists:usort(Orders)]),
    Ties = [tie_once() || _ <- lists:seq(1, 200)],
    io:format("timeout vs send_after(10) over 200 runs, outcomes seen: ~p~n", [lists:usort(Ties)]),
    Zero = [zero_once() || _ <- lists:seq(1, N)],
    io:format("send_after(0, A, tick), work, A ! hello over ~p runs, both orders seen: ~p~n",
              [N, lists:usort(Zero) == [{hello, tick}, {tick, hello}]]).

pair_once() ->
    Me = self(),
    W = spawn(fun() ->
                  process_flag(trap_exit, true),
                  Me ! ready,
                  A = receive X -> X end,
                  B = receive Y -> Y end,
                  Me ! {order, A, B}
              end),
    receive ready -> ok end,
    spawn(fun() -> link(W), W ! hello, exit(boom) end),
    spawn(fun() -> Me ! noise end),
    receive {order, First, {'EXIT', _, boom}} -> {First, exit_after} end.

tie_once() ->
    Me = self(),
    W = spawn(fun() ->
                  R = receive {go, V} -> V after 10 -> timeout end,
                  Me ! {got, R}
              end),
    spawn(fun() -> erlang:send_after(10, W, {go, 1}) end),
    receive {got, R} -> R end.

zero_once() ->
    Me = self(),
    A = spawn(fun() ->
                  receive go -> ok end,
                  X = receive M -> M end,
                  Y = receive M2 -> M2 end,
                  Me ! {order, X, Y}
              end),
    spawn(fun() -> erlang:send_after(0, A, tick), busy(20000), A ! hello, A ! go end),
    receive {order, X, Y} -> {X, Y} end.

busy(0) -> ok;
busy(K) -> busy(K - 1).
