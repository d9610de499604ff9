%% issue 26, chapter 10 (notebook 10): stage 0's mutex plus "if the holder dies, the lock is
%% free": free monitors the new holder; busy takes the holder's signal (then demonitor) or any
%% 'DOWN'.  The interleaving otp_lite.explore finds, forced by hand with suspend_process: the
%% holder A signals and exits before the mutex has taken the signal, so its 'DOWN' is already
%% queued; demonitor(Ref) leaves it there, and busy(B) takes it as B's death: C gets the lock
%% while B holds it.  demonitor(Ref, [flush]) removes it: C waits for B's signal.
-module(ch26_mutex_down).
-export([main/0, loop/1]).

loop(Flush) ->
    receive {wait, Pid} ->
        Ref = erlang:monitor(process, Pid),
        Pid ! {self(), ok},
        receive
            {signal, Pid} when Flush -> erlang:demonitor(Ref, [flush]);
            {signal, Pid} -> erlang:demonitor(Ref);
            {'DOWN', _, process, _, _} -> ok
        end,
        loop(Flush)
    end.

main() ->
    run(false), run(true), ok.

run(Flush) ->
    Me = self(),
    M = spawn(?MODULE, loop, [Flush]),
    Client = fun(Name) ->
                 spawn(fun() ->
                           M ! {wait, self()},
                           receive {M, ok} -> Me ! {granted, Name} end,
                           receive signal -> M ! {signal, self()} end,
                           receive exit -> ok end
                       end)
             end,
    A = Client(a),
    receive {granted, a} -> ok end,
    erlang:suspend_process(M),
    A ! signal, A ! exit,                 % A signals and exits before the mutex runs
    timer:sleep(50),
    B = Client(b), timer:sleep(10), C = Client(c), timer:sleep(10),
    erlang:resume_process(M),
    timer:sleep(50),
    Granted = flush_granted(),
    io:format("flush=~p: granted while b holds the lock: ~p~n", [Flush, Granted]),
    [exit(P, kill) || P <- [B, C, M]].

flush_granted() -> receive {granted, X} -> [X | flush_granted()] after 0 -> [] end.
