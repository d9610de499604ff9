-module(ch10_dynamic_h).
-behaviour(gen_event).
-export([init/1, handle_event/2, handle_call/2]).
init(_) -> {ok, []}.
handle_event(_, S) -> {ok, S}.
handle_call(_, S) -> {ok, ok, S}.
