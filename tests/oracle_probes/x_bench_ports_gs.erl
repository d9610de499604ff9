-module(x_bench_ports_gs).
-behaviour(gen_server).
-export([init/1, handle_call/3, handle_cast/2]).
init([]) -> {ok, undefined}.
handle_call(stop, _From, S) -> {stop, normal, ok, S};
handle_call(_, _From, S) -> {reply, ok, S}.
handle_cast(_, S) -> {noreply, S}.
