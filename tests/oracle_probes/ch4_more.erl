-module(ch4_more).
-behaviour(gen_server).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2, main/0]).
init(trap) -> process_flag(trap_exit, true), {ok, trap};
init(S) -> {ok, S}.
handle_call({call, Other, Req}, _From, S) -> {reply, gen_server:call(Other, Req), S};
handle_call({call, Other, Req, T}, _From, S) -> {reply, gen_server:call(Other, Req, T), S};
handle_call(nap, _From, S) -> {reply, ok, S, hibernate};
handle_call(R, _From, S) -> {reply, R, S}.
handle_cast(_M, S) -> {noreply, S}.
handle_info(M, S) -> io:format("handle_info(~p, ~p)~n", [M, S]), {noreply, S}.
terminate(R, S) -> io:format("terminate(~p, ~p)~n", [R, S]), ok.
main() ->
    logger:set_primary_config(level, none),
    {ok, P} = gen_server:start(?MODULE, plain, []),
    P ! hello, timer:sleep(10),
    ok = gen_server:call(P, nap),
    io:format("after hibernate: ~p~n", [process_info(P, current_function)]),
    Self = self(),
    Parent = spawn(fun() -> {ok, C1} = gen_server:start_link(?MODULE, plain, []), {ok, C2} = gen_server:start_link(?MODULE, trap, []), Self ! {kids, C1, C2}, receive stop -> exit(shutdown) end end),
    receive {kids, C1, C2} -> ok end,
    Parent ! stop, timer:sleep(20),
    io:format("plain child alive: ~p, trapping child alive: ~p~n", [is_process_alive(C1), is_process_alive(C2)]),
    {ok, A} = gen_server:start(?MODULE, a, []),
    {ok, B} = gen_server:start(?MODULE, b, []),
    R = (catch gen_server:call(A, {call, B, {call, A, hello, 1000}}, 10000)),
    io:format("deadlock: ~p~n", [R]),
    timer:sleep(100),
    io:format("A alive ~p, B alive ~p~n", [is_process_alive(A), is_process_alive(B)]).
