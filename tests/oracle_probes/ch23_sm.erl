-module(ch23_sm).
-behaviour(gen_statem).
-export([init/1, callback_mode/0, idle/3]).
init(_) -> {ok, idle, 0}.
callback_mode() -> state_functions.
idle(_, _, D) -> {keep_state, D}.
