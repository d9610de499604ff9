-module(ch11_release_lab).
-export([main/0]).

app(Dir, Name, Vsn, Apps, Incs) ->
    Eb = filename:join([Dir, "lib", atom_to_list(Name) ++ "-" ++ Vsn, "ebin"]),
    ok = filelib:ensure_dir(filename:join(Eb, "x")),
    T = {application, Name, [{description, ""}, {vsn, Vsn}, {modules, []}, {registered, []},
                             {applications, Apps}, {included_applications, Incs}]},
    ok = file:write_file(filename:join(Eb, atom_to_list(Name) ++ ".app"), io_lib:format("~p.~n", [T])),
    Eb.

rel(Name, Apps) ->
    K = {kernel, "8.5.3"}, S = {stdlib, "4.2"},
    T = {release, {Name, "1.0"}, {erts, "13.1.5"}, Apps(K, S)},
    ok = file:write_file(Name ++ ".rel", io_lib:format("~p.~n", [T])).

script(Name, Path) ->
    R = systools:make_script(Name, [{path, Path}, silent, no_warn_sasl]),
    io:format("~s: ~p~n", [Name, R]),
    case R of
        {ok, _, _} ->
            {ok, [{script, _, Instrs}]} = file:consult(Name ++ ".script"),
            [io:format("  ~p~n", [I]) || I <- Instrs,
                 case I of
                     {apply, {application, load, [{application, A, _}]}} -> io:format("  load ~p~n", [A]), false;
                     {apply, {application, start_boot, _}} -> true;
                     _ -> false
                 end];
        _ -> ok
    end.

main() ->
    D = "/tmp/probe_l5/rel",
    P = [app(D, db, "2.1", [kernel, stdlib], []),
         app(D, web, "1.4", [kernel, stdlib, db], [inc]),
         app(D, inc, "0.1", [kernel, stdlib], []),
         app(D, admin, "0.3", [kernel, stdlib, web, db], []),
         app(D, x, "1", [kernel, stdlib, y], []),
         app(D, y, "1", [kernel, stdlib, x], []),
         app(D, lone, "1", [kernel, stdlib], [])]
      ++ [filename:join(code:lib_dir(A), "ebin") || A <- [kernel, stdlib]],
    rel("shop", fun(K, S) -> [K, S, {admin, "0.3", temporary}, {web, "1.4"}, {inc, "0.1"}, {db, "2.1", transient}] end),
    script("shop", P),
    rel("shop_load", fun(K, S) -> [K, S, {admin, "0.3", load}, {web, "1.4"}, {inc, "0.1"}, {db, "2.1"}, {lone, "1", none}] end),
    script("shop_load", P),
    rel("shop_noinc", fun(K, S) -> [K, S, {web, "1.4"}, {db, "2.1"}] end),
    script("shop_noinc", P),
    rel("shop_nodb", fun(K, S) -> [K, S, {web, "1.4"}, {inc, "0.1"}, {admin, "0.3"}] end),
    script("shop_nodb", P),
    rel("cyc", fun(K, S) -> [K, S, {x, "1"}, {y, "1"}] end),
    script("cyc", P),
    rel("nokernel", fun(_K, S) -> [S, {db, "2.1"}] end),
    script("nokernel", P),
    rel("nostdlib", fun(K, _S) -> [K, {db, "2.1"}] end),
    script("nostdlib", P),
    rel("badtype", fun(K, S) -> [K, S, {db, "2.1", forever}] end),
    script("badtype", P),
    rel("kfirst", fun(K, S) -> [{db, "2.1"}, S, K] end),
    script("kfirst", P),
    rel("wrongvsn", fun(K, S) -> [K, S, {db, "2.2"}] end),
    script("wrongvsn", P),
    rel("dup", fun(K, S) -> [K, S, {db, "2.1"}, {db, "2.1"}] end),
    script("dup", P),
    rel("inctype", fun(K, S) -> [K, S, {web, "1.4"}, {inc, "0.1", temporary}, {db, "2.1"}] end),
    script("inctype", P),
    ok.
