%% ch. 11 "Arguments and Flags": how init parses a command line.  Run:
%%   erl -noshell -sname args -setcookie secret -env GREETING hello -pa /tmp +P 5000 \
%%       -mykey a b -mykey c -eval 'ch11_init_args:main(), init:stop().' -extra x -y +z
-module(ch11_init_args).
-export([main/0]).
main() ->
    io:format("get_argument(mykey): ~p~n", [init:get_argument(mykey)]),
    io:format("get_argument(noshell): ~p~n", [init:get_argument(noshell)]),
    io:format("get_argument(sname): ~p~n", [init:get_argument(sname)]),
    io:format("get_argument(setcookie): ~p~n", [init:get_argument(setcookie)]),
    io:format("get_argument(env): ~p~n", [init:get_argument(env)]),
    io:format("get_argument(pa): ~p~n", [init:get_argument(pa)]),
    io:format("get_argument(nokey): ~p~n", [init:get_argument(nokey)]),
    io:format("get_argument(extra): ~p~n", [init:get_argument(extra)]),
    io:format("get_argument(eval): ~p~n", [init:get_argument(eval)]),
    io:format("get_argument(root) is a list: ~p~n", [element(1, init:get_argument(root))]),
    io:format("get_argument(progname): ~p~n", [init:get_argument(progname)]),
    io:format("get_plain_arguments(): ~p~n", [init:get_plain_arguments()]),
    io:format("keys of get_arguments(): ~p~n", [[K || {K, _} <- init:get_arguments()]]),
    io:format("user flags in get_arguments(): ~p~n", [[KV || {K, _} = KV <- init:get_arguments(), lists:member(K, [mykey, noshell, sname, setcookie, env, pa, eval])]]),
    io:format("os:getenv(\"GREETING\"): ~p~n", [os:getenv("GREETING")]),
    io:format("node(): ~p~n", [node()]),
    io:format("get_cookie(): ~p~n", [erlang:get_cookie()]),
    io:format("process_limit (+P 5000): ~p~n", [erlang:system_info(process_limit)]),
    io:format("code:get_mode(): ~p~n", [code:get_mode()]),
    io:format("/tmp first in the code path: ~p~n", [hd(code:get_path())]),
    io:format("init:get_status(): ~p~n", [init:get_status()]).
