-module(ch11_start_types).
-behaviour(application).
-export([main/0, start/2, stop/1, top/0]).

start(normal, []) -> P = spawn_link(fun top/0), {ok, P}.
stop(_) -> ok.
top() -> receive {die, R} -> exit(R) end.

res(N, T) ->
    {application, N, [{vsn, "1"}, {modules, [?MODULE]}, {registered, []},
                      {applications, [kernel, stdlib]}, {mod, {?MODULE, []}}, {description, T}]}.

case_(N, Type, How) ->
    ok = application:load(res(N, atom_to_list(Type))),
    ok = application:start(N, Type),
    Top = hd([P || P <- processes(), {current_function, {?MODULE, top, 0}} =:= process_info(P, current_function)]),
    R = case How of
            stop -> application:stop(N);
            {die, Why} -> Top ! {die, Why}, timer:sleep(200), died
        end,
    io:format("~p ~p ~p -> ~p; running: ~p~n",
              [N, Type, How, R, [A || {A, _, _} <- application:which_applications()]]).

main() ->
    logger:set_primary_config(level, error),
    case_(a1, permanent, stop),
    case_(a2, transient, {die, normal}),
    case_(a3, temporary, {die, boom}),
    case_(a4, transient, stop),
    io:format("start(x, forever): ~p~n", [application:start(a1, forever)]),
    case_(a5, permanent, {die, normal}),
    io:format("not reached~n").
