#!/usr/bin/env escript
%%! -name ch13_junk@127.0.0.1 -setcookie ch13probe -kernel inet_dist_use_interface {127,0,0,1} -kernel net_setuptime 2
%% OTP 25 (issue 24): what a real erl node does with bad input on its distribution port,
%% before any handshake completes: a frame that is no handshake message, a frame cut
%% short, an HTTP request, silence, a valid send_name then silence.  For otp_lite's own
%% "bad input from the wire closes that connection" rule, this is erl's answer.
%%
%% Run: ERL_EPMD_ADDRESS=127.0.0.1 escript ch13_real_dist_junk.escript
%% (net_setuptime is 2 s here, 7 s by default: the handshake timer that closes a
%% connection cut short).  Times are rounded to 0.5 s.
-mode(compile).

main(_) ->
    {ok, Port} = dist_port(),
    {ok, Setup} = application:get_env(kernel, net_setuptime),
    io:format("dist port found through epmd; net_setuptime ~p s~n", [Setup]),
    try_case("a 3-byte frame that is no handshake message", <<0, 3, "xyz">>, Port),
    try_case("a send_name frame cut short (15 bytes announced, 11 sent)",
             <<0, 15, $N, 0:80>>, Port),
    try_case("an HTTP request (its first 2 bytes read as a length of 18245)",
             <<"GET / HTTP/1.0\r\n\r\n">>, Port),
    try_case("nothing at all", <<>>, Port),
    Name = <<"junk@127.0.0.1">>,
    {erts_dflags, Default, Mandatory, _, _, _} = erts_internal:get_dflags(),
    io:format("erl's default flags 16#~.16b, mandatory 16#~.16b~n", [Default, Mandatory]),
    try_case("a version-5 send_name ('n') without the mandatory flags",
             <<(7 + byte_size(Name)):16, $n, 5:16, (Mandatory band bnot 16#600):32, Name/binary>>, Port),
    try_case("a send_name ('N', OTP 23+) with erl's default flags, then silence",
             send_name(Default, Name), Port),
    try_case("the same from a node name on another host (x@10.9.8.7)",
             send_name(Default, <<"x@10.9.8.7">>), Port),
    try_case("the same with the node's own name",
             send_name(Default, atom_to_binary(node())), Port),
    io:format("nodes() after all that: ~p~n", [nodes()]).

send_name(Flags, Name) ->
    Body = <<$N, Flags:64, 16#1234:32, (byte_size(Name)):16, Name/binary>>,
    <<(byte_size(Body)):16, Body/binary>>.

dist_port() ->
    {port, Port, _Version} = erl_epmd:port_please("ch13_junk", {127, 0, 0, 1}),
    {ok, Port}.

try_case(What, Bytes, Port) ->
    {ok, S} = gen_tcp:connect({127, 0, 0, 1}, Port, [binary, {active, false}, {packet, raw}]),
    ok = gen_tcp:send(S, Bytes),
    T0 = erlang:monotonic_time(millisecond),
    Got = read_all(S, <<>>),
    Secs = round((erlang:monotonic_time(millisecond) - T0) / 500) / 2,
    gen_tcp:close(S),
    io:format("~s: ~s after ~p s~n", [What, Got, Secs]),
    timer:sleep(100).

read_all(S, Acc) ->
    case gen_tcp:recv(S, 0, 10000) of
        {ok, B} -> read_all(S, <<Acc/binary, B/binary>>);
        {error, closed} when Acc =:= <<>> -> "closed, nothing sent back";
        {error, closed} -> io_lib:format("sent back ~s, then closed", [frames(Acc)]);
        {error, timeout} -> io_lib:format("still open (sent back ~s)", [frames(Acc)])
    end.

%% Handshake frames: 2-byte length, a tag byte.  's' is a status; 'N' the challenge
%% (flags, a random challenge and creation: shown by size and the name it carries).
frames(<<>>) -> [];
frames(<<L:16, $s, Status:(L - 1)/binary, Rest/binary>>) ->
    [io_lib:format("[status ~p]", [Status]) | frames(Rest)];
frames(<<L:16, $N, _Flags:64, _Chal:32, _Cr:32, NL:16, Name:NL/binary, Rest0/binary>>)
  when L =:= 1 + 8 + 4 + 4 + 2 + NL ->
    [io_lib:format("[challenge 'N', ~p bytes, name ~s]", [L, Name]) | frames(Rest0)];
frames(Other) -> [io_lib:format("[~p]", [Other])].
