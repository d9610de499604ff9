%% OTP 25, two real nodes on 127.0.0.1 (issue 24): what ping, rpc, monitor_node, links and
%% monitors across a cut connection, sends to unregistered remote names and global names
%% look like, for otp_lite's real distribution to match.
%%
%% Run (from this folder; epmd must listen on 127.0.0.1, erl starts it otherwise):
%%   erlc ch13_real_dist.erl && ERL_EPMD_ADDRESS=127.0.0.1 erl -name ch13_real_a@127.0.0.1 \
%%     -setcookie ch13probe -kernel inet_dist_use_interface '{127,0,0,1}' -noshell -pa . \
%%     -eval 'ch13_real_dist:main(), halt().'
%%
%% Node b is a peer (OTP 25 `peer`) driven over its standard_io, not over distribution, so
%% peer:call/4 can look at b while the a-b connection is cut.  Pids print as
%% {pid, Node} and refs as ref, so the .out is the same run to run.
-module(ch13_real_dist).
-export([main/0, run/0, wait/0, watch/1]).

-define(COOKIE, "ch13probe").

%% The -eval process traps exits (and would get the peers' 'EXIT's): run in a fresh one.
main() ->
    {_, Ref} = spawn_monitor(?MODULE, run, []),
    receive {'DOWN', Ref, process, _, Why} -> Why =:= normal orelse say("probe crashed", Why) end.

run() ->
    {ok, Peer, B} = start_peer(ch13_real_b, ?COOKIE),
    A = node(),
    say("nodes before", nodes()),
    %% ---- ping
    say("ping b", net_adm:ping(B)),
    say("nodes after ping", nodes()),
    say("b pings a back", peer:call(Peer, net_adm, ping, [A])),
    say("ping a node nobody runs", net_adm:ping('nobody@127.0.0.1')),
    {ok, PeerC, C} = start_peer(ch13_real_c, "othercookie"),
    say("ping a node with another cookie", net_adm:ping(C)),
    timer:sleep(300),                               % c's ERROR REPORT about it comes first
    say("nodes() on c after the refused ping", peer:call(PeerC, erlang, nodes, [])),
    peer:stop(PeerC),
    %% ---- rpc:call shapes
    say("rpc ok", rpc:call(B, erlang, node, [])),
    say("rpc undef", rpc:call(B, nomod, nofun, [1])),
    say("rpc exit", rpc:call(B, erlang, exit, [bye])),
    say("rpc error", rpc:call(B, erlang, error, [boom])),
    say("rpc throw", rpc:call(B, erlang, throw, [ball])),
    say("rpc exit normal", rpc:call(B, erlang, exit, [normal])),
    say("rpc timeout", rpc:call(B, timer, sleep, [2000], 100)),
    say("rpc nodedown", rpc:call('nobody@127.0.0.1', erlang, node, [])),
    say("erpc undef", catch_all(fun() -> erpc:call(B, nomod, nofun, [1]) end)),
    say("erpc noconnection", catch_all(fun() -> erpc:call('nobody@127.0.0.1', erlang, node, []) end)),
    %% ---- sends to names
    say("send to an unregistered name on b", {nosuch, B} ! hello),
    say("send to an unregistered name on a node nobody runs", {nosuch, 'nobody@127.0.0.1'} ! hello),
    say("send to an unregistered local name", catch_all(fun() -> nosuch ! hello end)),
    say("send to {unregistered, node()}", catch_all(fun() -> {nosuch, A} ! hello end)),
    say("mailbox after the sends", flush()),
    Echo = spawn(B, ?MODULE, wait, []),
    say("register echo on b", rpc:call(B, erlang, register, [echo, Echo])),
    {echo, B} ! {self(), ping},
    say("reply from {echo, b}", receive_one()),
    %% ---- global names, seen from the other node (global syncs a new connection
    %% asynchronously: global:sync() on both sides first, as a program would)
    ok = global:sync(), ok = peer:call(Peer, global, sync, []),
    G = spawn(?MODULE, wait, []),
    say("global:register_name on a", global:register_name(lab_global, G)),
    say("b: global:whereis_name", peer:call(Peer, global, whereis_name, [lab_global])),
    say("b: global:registered_names", peer:call(Peer, global, registered_names, [])),
    say("b: global:register_name of a b pid", peer:call(Peer, global, register_name,
                                                       [lab_global_b, Echo])),
    say("a: global:whereis_name(lab_global_b)", global:whereis_name(lab_global_b)),
    say("a: global:send(lab_global_b, ...)", global:send(lab_global_b, {self(), via_global})),
    say("reply via global", receive_one()),
    say("b: register_name of a taken name", peer:call(Peer, global, register_name, [lab_global, Echo])),
    %% ---- monitor a remote registered name; monitor a remote name nobody holds
    Rn = monitor(process, {echo, B}),
    say("monitor {nosuch, b}", begin monitor(process, {nosuch, B}), receive_one() end),
    %% ---- links and monitors, then the connection is cut
    process_flag(trap_exit, true),
    Linked = spawn(B, ?MODULE, wait, []),
    link(Linked),
    Monitored = spawn(B, ?MODULE, wait, []),
    Rm = monitor(process, Monitored),
    Watcher = spawn(B, ?MODULE, watch, [A]),        % on b: monitor_node(a) and a monitor on Linked
    Watcher ! {watch, Linked, self()},
    say("watcher ready", receive_one()),
    monitor_node(B, true),
    say("disconnect_node(b)", erlang:disconnect_node(B)),
    Got = [receive_one() || _ <- lists:seq(1, 4)],
    say("a got (sorted)", lists:sort(Got)),
    say("mailbox after", flush()),
    _ = {Rn, Rm},
    say("nodes after the cut", nodes()),
    say("b: nodes()", peer:call(Peer, erlang, nodes, [])),
    say("b: linked one alive", peer:call(Peer, erlang, is_process_alive, [Linked])),
    say("b: monitored one alive", peer:call(Peer, erlang, is_process_alive, [Monitored])),
    Watcher ! {report, self()},
    say("b's watcher (before it is reached, a send reconnects)", receive_one()),
    say("nodes after that send", nodes()),
    ok = global:sync(), ok = peer:call(Peer, global, sync, []),
    say("after the cut and global:sync(), a: global:registered_names", lists:sort(global:registered_names())),
    say("b: global:registered_names", lists:sort(peer:call(Peer, global, registered_names, []))),
    %% ---- the node stops: monitor_node, link and monitor all say so
    Last = spawn(B, ?MODULE, wait, []),
    link(Last),
    Rl = monitor(process, Last),
    monitor_node(B, true),
    peer:stop(Peer),
    Got2 = [receive_one() || _ <- lists:seq(1, 3)],
    say("after b stopped (sorted)", lists:sort(Got2)),
    %% global drops b's names when its own nodedown arrives, a moment after ours: poll
    say("a: global:whereis_name(lab_global_b) after b stopped, within 2 s",
        poll(fun() -> global:whereis_name(lab_global_b) end, undefined, 200)),
    say("mailbox after (the peer's own process, linked by peer:start_link)", flush()),
    _ = Rl,
    ok.

start_peer(Name, Cookie) ->
    peer:start_link(#{name => Name, host => "127.0.0.1", longnames => true,
                      connection => standard_io,
                      args => ["-setcookie", Cookie, "-kernel", "inet_dist_use_interface",
                               "{127,0,0,1}", "-pa", filename:dirname(code:which(?MODULE))]}).

%% On b: wait forever, answering {From, Msg} with {self(), Msg} (the echo process).
wait() ->
    receive
        {From, Msg} when is_pid(From) -> From ! {echo, Msg}, wait();
        _ -> wait()
    end.

%% On b: watch a's node and one process, report what it saw when asked.
watch(A) ->
    monitor_node(A, true),
    receive {watch, P, From} -> monitor(process, P), From ! watching end,
    Seen = collect([]),
    receive {report, To} -> To ! {watcher_saw, lists:sort(Seen)} end.

collect(Acc) when length(Acc) =:= 2 -> Acc;
collect(Acc) ->
    receive
        {nodedown, _} = M -> collect([M | Acc]);
        {'DOWN', _, process, _, _} = M -> collect([M | Acc])
    after 5000 -> [timeout | Acc]
    end.

poll(F, Want, N) ->
    case F() of
        Want -> Want;
        _ when N > 0 -> timer:sleep(10), poll(F, Want, N - 1);
        Other -> Other
    end.

receive_one() ->
    receive M -> M after 5000 -> timeout end.

flush() ->
    receive M -> [M | flush()] after 200 -> [] end.

catch_all(F) ->
    try F() catch C:R -> {caught, C, R} end.

say(What, Term) ->
    io:format("~s: ~0tp~n", [What, show(Term)]).

%% Pids and refs differ run to run: print the node a pid lives on, and `ref`.
show(P) when is_pid(P) -> {pid, node(P)};
show(R) when is_reference(R) -> ref;
show(T) when is_tuple(T) -> list_to_tuple(show(tuple_to_list(T)));
show([H | T]) -> [show(H) | show(T)];
show(M) when is_map(M) -> maps:from_list(show(maps:to_list(M)));
show(X) -> X.
