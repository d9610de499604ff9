%% Chapter 7: one notify reaches every handler, newest first, inside the manager's
%% process; swap_handler hands the old handler's terminate value to the new one's
%% init and puts the new handler first.
-module(ch7_fanout).
-behaviour(gen_event).
-export([main/0, init/1, handle_event/2, handle_call/2, terminate/2]).

init({Name, {swap, N}}) -> {ok, {Name, N}};
init(Name) -> {ok, {Name, 0}}.

handle_event(Ev, {Name, N}) ->
    io:format("~p (count ~p) handles ~p in ~p~n", [Name, N + 1, Ev, self()]),
    {ok, {Name, N + 1}}.

handle_call(_Req, S) -> {ok, ok, S}.

terminate(swap, {_Name, N}) -> {swap, N};
terminate(_Arg, _S) -> ok.

main() ->
    {ok, M} = gen_event:start({local, m}),
    io:format("manager ~p~n", [M]),
    ok = gen_event:add_handler(m, {?MODULE, logger}, logger),
    ok = gen_event:add_handler(m, {?MODULE, counter}, counter),
    io:format("~p~n", [gen_event:which_handlers(m)]),
    ok = gen_event:sync_notify(m, hello),
    ok = gen_event:swap_handler(m, {{?MODULE, logger}, swap}, {{?MODULE, file_logger}, file_logger}),
    io:format("~p~n", [gen_event:which_handlers(m)]),
    ok = gen_event:sync_notify(m, again).
