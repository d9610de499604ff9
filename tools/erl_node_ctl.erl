%% erl_node_ctl: the control loop tools/erl_node.py runs inside a real `erl` node.
%%
%% Python drives the node through its stdin/stdout, never through distribution, so
%% the node's connections (nodes(), net_adm:ping, monitor_node) are only the ones a
%% test makes.  erl_node.py compiles this file in the node at start-up
%% (compile:file/2 with `binary`, then code:load_binary/3), so no .beam is kept.
%%
%% Requests, one line each on stdin (hex keeps any expression on one line):
%%     E <Id> <hex of the UTF-8 expression text>   evaluate, like one shell prompt
%%     I                                          kill the running evaluation
%%     F                                          forget every variable binding
%% Replies, one line each on stdout, after a marker that cannot occur in hex:
%%     @@otplab@@ ready <hex node()>
%%     @@otplab@@ <Id> ok <hex ~0tp text> <hex term_to_binary>
%%     @@otplab@@ <Id> exc <hex class> <hex ~0tp reason> <hex ~0tp stacktrace>
%%     @@otplab@@ <Id> died <hex ~0tp exit reason>    the evaluator was killed
%%     @@otplab@@ - died <hex ~0tp exit reason>       ... between two requests
%% End of stdin halts the node: a Python parent that dies leaves no beam behind.
%%
%% The evaluator is one long-lived process, like the shell's: a message it
%% receives, a monitor or a link it makes, stay for the next request.  Variable
%% bindings live here in the controller, so they survive an evaluator that dies.
-module(otplab_erl_node_ctl).
-export([main/0]).

-define(MARK, "@@otplab@@ ").

main() ->
    Ctl = self(),
    spawn_link(fun() -> read_loop(Ctl) end),
    say(["ready ", hex(atom_to_list(node()))]),
    loop(new_evaluator(), erl_eval:new_bindings(), none).

%% Controller state: the evaluator {Pid, MonitorRef}, the bindings, the Id of the
%% request being evaluated (none when idle).
loop({Ev, Mon} = E, Bs, Busy) ->
    receive
        {line, eof} ->
            erlang:halt(0);
        {line, "E " ++ Rest} when Busy =:= none ->
            [Id, Hex] = string:lexemes(Rest, " \n"),
            Ev ! {eval, self(), Id, unicode:characters_to_list(unhex(Hex)), Bs},
            loop(E, Bs, Id);
        {line, "I" ++ _} when Busy =/= none ->
            exit(Ev, kill),
            loop(E, Bs, Busy);
        {line, "I" ++ _} ->
            loop(E, Bs, Busy);
        {line, "F" ++ _} ->
            loop(E, erl_eval:new_bindings(), Busy);
        {line, [C | _] = Other} when C =/= $E ->       % an E line while busy waits its turn
            say(["- bad_request ", hex(io_lib:format("~0tp", [Other]))]),
            loop(E, Bs, Busy);
        {Ev, Id, Reply, NewBs} when Id =:= Busy ->
            say([Id, " " | Reply]),
            loop(E, NewBs, none);
        {'DOWN', Mon, process, Ev, Why} ->
            Tag = case Busy of none -> "-"; _ -> Busy end,
            say([Tag, " died ", hex(io_lib:format("~0tp", [Why]))]),
            loop(new_evaluator(), Bs, none)
    end.

new_evaluator() ->
    spawn_monitor(fun evaluator/0).

evaluator() ->
    receive
        {eval, Ctl, Id, Text, Bs} ->
            {Reply, NewBs} = eval(Text, Bs),
            Ctl ! {self(), Id, Reply, NewBs},
            evaluator()
    end.

eval(Text, Bs) ->
    try
        {ok, Toks, _} = ok_or_throw(erl_scan:string(Text, 1, [text])),
        {ok, Exprs} = ok_or_throw(erl_parse:parse_exprs(Toks)),
        {value, V, NewBs} = erl_eval:exprs(Exprs, Bs),
        {["ok ", hex(io_lib:format("~0tp", [V])), " ", hex(term_to_binary(V))], NewBs}
    catch
        throw:{syntax, Why} ->
            {exc(error, {syntax, Why}, []), Bs};
        Class:Reason:Stack ->
            {exc(Class, Reason, Stack), Bs}
    end.

ok_or_throw({ok, _} = Ok) -> Ok;
ok_or_throw({ok, _, _} = Ok) -> Ok;
ok_or_throw({error, {_Loc, Mod, Desc}, _}) -> throw({syntax, lists:flatten(Mod:format_error(Desc))});
ok_or_throw({error, {_Loc, Mod, Desc}}) -> throw({syntax, lists:flatten(Mod:format_error(Desc))});
ok_or_throw(Other) -> throw({syntax, Other}).

exc(Class, Reason, Stack) ->
    ["exc ", hex(atom_to_list(Class)), " ", hex(io_lib:format("~0tp", [Reason])),
     " ", hex(io_lib:format("~0tp", [Stack]))].

read_loop(Ctl) ->
    case io:get_line(standard_io, "") of
        eof -> Ctl ! {line, eof};
        {error, _} -> Ctl ! {line, eof};
        Line -> Ctl ! {line, Line}, read_loop(Ctl)
    end.

say(Iodata) ->
    io:put_chars(standard_io, [?MARK, Iodata, "\n"]).

hex(Chars) when is_list(Chars) -> hex(unicode:characters_to_binary(Chars));
hex(Bin) when is_binary(Bin) -> binary:encode_hex(Bin).

unhex(Hex) -> binary:decode_hex(list_to_binary(Hex)).
