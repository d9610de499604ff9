-module(e2).
-compile([export_all, nowarn_export_all]).
%% ets keys: set and bags match keys with =:= (1 and 1.0 are two keys),
%% ordered_set compares them with == (one key); run as in README.md.
c(F) -> try F() of V -> {value, V} catch C:R -> {C, R} end.
p(T, V) -> io:format("~s: ~p~n", [T, V]).
run() ->
  T = ets:new(t, [set]), ets:insert(T, {1, a}), ets:insert(T, {1.0, b}),
  p("set 1 vs 1.0", lists:sort(ets:tab2list(T))),
  p("set lookup", {ets:lookup(T, 1), ets:lookup(T, 1.0), ets:member(T, 2.0)}),
  p("set match_object", ets:match_object(T, {1, '_'})),
  p("set insert_new 1.0", ets:insert_new(T, {1.0, c})),
  p("set delete 1.0", {ets:delete(T, 1.0), ets:tab2list(T)}),
  N = ets:new(n, [set]), ets:insert(N, [{{k, 1}, a}, {{k, 1.0}, b}, {[1, 2], l}, {#{x => 1}, m}]),
  p("set nested keys", {lists:sort(ets:tab2list(N)), ets:lookup(N, [1, 2]), ets:lookup(N, #{x => 1})}),
  S = ets:new(s, [set]), ets:insert(S, {k, 1}),
  p("set delete_object {k,1.0}", {ets:delete_object(S, {k, 1.0}), ets:lookup(S, k)}),
  B = ets:new(b, [bag]), ets:insert(B, [{k, 1}, {k, 1.0}, {k, 1}, {1, a}, {1.0, a}]),
  p("bag", {ets:lookup(B, k), ets:lookup(B, 1)}),
  p("bag delete_object {k,1.0}", {ets:delete_object(B, {k, 1.0}), ets:lookup(B, k)}),
  D = ets:new(d, [duplicate_bag]), ets:insert(D, [{1, a}, {1.0, a}]),
  p("duplicate_bag", {ets:lookup(D, 1), ets:lookup_element(D, 1.0, 2)}),
  O = ets:new(o, [ordered_set]), ets:insert(O, {1, a}), ets:insert(O, {1.0, b}),
  p("ordered_set", {ets:tab2list(O), ets:lookup(O, 1), ets:first(O), ets:insert_new(O, {1, z})}),
  p("ordered_set match_object", ets:match_object(O, {1, '_'})),
  ok.
