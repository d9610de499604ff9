#!/usr/bin/env escript
%% Issue 24: term_to_binary fixtures for otp_lite.dist.etf (tests/test_etf.py).
%% One line per term: Name, hex of term_to_binary(T) (OTP 25 default, minor_version 1),
%% hex of term_to_binary(T, [{minor_version, 2}]) (UTF-8 atoms, what otp_lite sends).
main(_) ->
    Terms = [
        {small_int, 42}, {zero, 0}, {int_neg, -1}, {int_256, 256},
        {int_max32, 2147483647}, {int_min32, -2147483648},
        {big_pos, 2147483648}, {big_neg, -2147483649},
        {big_huge, 1 bsl 2100}, {big_huge_neg, -(1 bsl 2100) + 7},
        {float, 3.14159}, {float_neg, -0.5}, {float_big, 1.0e300},
        {atom, ok}, {atom_quoted, 'EXIT'}, {atom_utf8, 'héllo'}, {atom_true, true}, {atom_false, false},
        {atom_undefined, undefined}, {atom_empty, ''},
        {tuple0, {}}, {tuple, {a, 1, "x"}}, {tuple_large, list_to_tuple(lists:seq(1, 300))},
        {nil, []}, {string, "abc"}, {string_unicode, "héllo"}, {list, [1, a, {b}]},
        {list_big_ints, [1000, 2000]}, {improper, [a | b]}, {improper2, [1, 2 | 3]},
        {binary, <<1, 2, 3>>}, {binary_empty, <<>>}, {bitstring, <<1:3>>},
        {map_empty, #{}}, {map, #{a => 1}}, {map_nested, #{k => #{x => [1]}}},
        {nested, {[{a, <<"b">>}], #{1 => 2.5}}},
        {long_list, lists:seq(1, 300)}
    ],
    lists:foreach(fun({Name, T}) ->
        io:format("~s ~s ~s~n", [Name, hex(term_to_binary(T)),
                                  hex(term_to_binary(T, [{minor_version, 2}]))])
    end, Terms),
    %% pids, refs, ports, funs of a distributed node: printed as hex only
    {ok, _} = net_kernel:start([probe@localhost, shortnames]),
    io:format("self_pid ~s~n", [hex(term_to_binary(self()))]),
    io:format("ref ~s~n", [hex(term_to_binary(make_ref()))]),
    io:format("port ~s~n", [hex(term_to_binary(hd(erlang:ports())))]),
    io:format("export_fun ~s~n", [hex(term_to_binary(fun lists:reverse/1))]),
    io:format("compressed ~s~n", [hex(term_to_binary(lists:duplicate(100, ok), [compressed]))]).

hex(B) -> [io_lib:format("~2.16.0b", [X]) || <<X>> <= B].
