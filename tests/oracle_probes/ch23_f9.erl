%% issue 23, item 9 (gen_server_SUITE / gen_statem_SUITE / gen_event_SUITE cases, OTP 25).
-module(ch23_f9).
-export([main/0]).
-define(CB, ch23_f9_cb).

show(Tag, V) -> io:format("~p: ~p~n", [Tag, V]).

down(Fun) ->
    {P, R} = spawn_monitor(Fun),
    receive {'DOWN', R, _, P, Why} -> Why after 1000 -> timeout end.

pdown(Fun) ->
    P = proc_lib:spawn(Fun), R = monitor(process, P),
    receive {'DOWN', R, _, P, Why} -> Why after 1000 -> timeout end.

main() ->
    logger:set_primary_config(level, none),
    %% A: {global, Name} names are global's
    {ok, G1} = gen_server:start({global, f9_g1}, ?CB, s1, []),
    show(global_whereis, global:whereis_name(f9_g1) =:= G1),
    show(global_call, gen_server:call({global, f9_g1}, get)),
    show(global_already, gen_server:start({global, f9_g1}, ?CB, s1, []) =:= {error, {already_started, G1}}),
    gen_server:stop(G1),
    show(global_after_stop, global:whereis_name(f9_g1)),
    %% B: enter_loop under a name registered with global:register_name
    Me = self(),
    B = proc_lib:spawn(fun() -> yes = global:register_name(f9_g2, self()), Me ! go,
                               gen_server:enter_loop(?CB, [], s2, {global, f9_g2}) end),
    receive go -> ok end,
    show(enter_loop_global_call, gen_server:call({global, f9_g2}, get)),
    show(enter_loop_global_same, global:whereis_name(f9_g2) =:= B),
    %% C: enter_loop exit reasons
    show(gs_enter_not_local, pdown(fun() -> gen_server:enter_loop(?CB, [], s, {local, f9_nope}) end)),
    show(gs_enter_not_global, pdown(fun() -> gen_server:enter_loop(?CB, [], s, {global, f9_nope}) end)),
    show(gs_enter_not_proc_lib, down(fun() -> gen_server:enter_loop(?CB, [], s) end)),
    show(gs_enter_not_proc_lib_named, down(fun() -> gen_server:enter_loop(?CB, [], s, {local, f9_nope}) end)),
    show(sm_enter_not_local, pdown(fun() -> gen_statem:enter_loop(?CB, [], idle, d, {local, f9_nope}) end)),
    show(sm_enter_not_global, pdown(fun() -> gen_statem:enter_loop(?CB, [], idle, d, {global, f9_nope}) end)),
    show(sm_enter_not_proc_lib, down(fun() -> gen_statem:enter_loop(?CB, [], idle, d) end)),
    show(sm_enter_not_proc_lib_named, down(fun() -> gen_statem:enter_loop(?CB, [], idle, d, {local, f9_nope}) end)),
    %% D, E: stop with an invalid timeout
    {ok, S1} = gen_server:start(?CB, s, []),
    {'EXIT', {Why1, [Top1 | _]}} = (catch gen_server:stop(S1, normal, invalid_timeout)),
    show(gs_stop_bad_timeout, {Why1, Top1}),
    {'EXIT', {Why1b, [Top1b | _]}} = (catch gen_server:stop(S1, normal, -1)),
    show(gs_stop_neg_timeout, {Why1b, Top1b}),
    show(gs_alive_after, is_process_alive(S1)),
    {ok, M1} = gen_statem:start(?CB, {statem, d}, []),
    {'EXIT', {Why2, [Top2 | _]}} = (catch gen_statem:stop(M1, normal, invalid_timeout)),
    show(sm_stop_bad_timeout, {Why2, Top2}),
    show(sm_alive_after, is_process_alive(M1)),
    show(sm_stop_noproc_bad_timeout, catch gen_statem:stop(f9_nope, normal, invalid_timeout)),
    %% F: a hand-built From gets {Tag, Reply}
    Tag = make_ref(),
    M1 ! {'$gen_call', {self(), Tag}, hello},
    show(sm_handbuilt_ref, receive {Tag, R1} -> {got, R1} after 500 -> nothing end),
    M1 ! {'$gen_call', {self(), my_tag}, hello},
    show(sm_handbuilt_atom, receive {my_tag, R2} -> {got, R2} after 500 -> nothing end),
    S1 ! {'$gen_call', {self(), Tag}, get},
    show(gs_handbuilt_ref, receive {Tag, R3} -> {got, R3} after 500 -> nothing end),
    gen_statem:reply({self(), tag2}, direct),
    show(sm_reply_direct, receive {tag2, R4} -> {got, R4} after 500 -> nothing end),
    gen_server:reply({self(), tag3}, direct),
    show(gs_reply_direct, receive {tag3, R5} -> {got, R5} after 500 -> nothing end),
    %% H: gen_event's status calls each handler's format_status/2
    {ok, E} = gen_event:start(),
    ok = gen_event:add_handler(E, ?CB, hs),
    {status, _, _, [_, _, _, _, Misc]} = sys:get_status(E),
    show(ge_status, Misc),
    ok.
