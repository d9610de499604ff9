-module(ch12_loaders).
-export([main/0]).

setup() ->
    code:purge(ch12_cm), code:delete(ch12_cm), code:purge(ch12_cm),
    {module, ch12_cm} = code:load_file(ch12_cm),
    P = spawn(ch12_cm, loop, []),
    {module, ch12_cm} = code:load_file(ch12_cm),        % P now runs old code
    true = erlang:check_process_code(P, ch12_cm),
    P.

try_loader(Name, F) ->
    P = setup(),
    R = (catch F()),
    timer:sleep(20),
    io:format("~s: ~p; old-code process alive: ~p~n", [Name, R, is_process_alive(P)]),
    exit(P, kill).

main() ->
    {ok, ch12_cm, Bin} = compile:file("ch12_cm.erl", [binary]),
    try_loader("code:load_file", fun() -> code:load_file(ch12_cm) end),
    try_loader("code:load_abs", fun() -> code:load_abs("ch12_cm") end),
    try_loader("code:load_binary", fun() -> code:load_binary(ch12_cm, "ch12_cm.beam", Bin) end),
    try_loader("c:l", fun() -> c:l(ch12_cm) end),
    try_loader("c:c", fun() -> c:c(ch12_cm) end),
    try_loader("code:ensure_loaded", fun() -> code:ensure_loaded(ch12_cm) end),
    %% old code exists but no process runs it
    code:purge(ch12_cm), code:delete(ch12_cm), code:purge(ch12_cm),
    {module, ch12_cm} = code:load_file(ch12_cm), {module, ch12_cm} = code:load_file(ch12_cm),
    io:format("load_file with unused old code: ~p~n", [code:load_file(ch12_cm)]),
    io:format("load_binary with unused old code: ~p~n", [code:load_binary(ch12_cm, "ch12_cm.beam", Bin)]),
    ok.
