%% Chapter 16: logger's levels (the primary level filters) and a rotating log file
%% (logger_std_h with max_no_bytes / max_no_files).
-module(ch16_logger).
-export([main/0]).

main() ->
    #{level := L} = logger:get_primary_config(),
    io:format("primary level: ~p~n", [L]),
    Levels = [emergency, alert, critical, error, warning, notice, info, debug],
    io:format("passes the primary level: ~p~n",
              [[Lv || Lv <- Levels, logger:allow(Lv, ?MODULE)]]),
    [file:delete(F) || F <- filelib:wildcard("rot.log*")],
    ok = logger:remove_handler(default),              % (keep the console quiet)
    ok = logger:add_handler(rot, logger_std_h,
                            #{config => #{file => "rot.log", max_no_bytes => 400, max_no_files => 2,
                                          filesync_repeat_interval => no_repeat},
                              formatter => {logger_formatter, #{single_line => true, template => [level, " ", msg, "\n"]}}}),
    [logger:notice("event ~p", [I]) || I <- lists:seq(1, 100)],
    logger_std_h:filesync(rot),
    timer:sleep(500),
    ok = logger:remove_handler(rot),
    [io:format("~s: ~p bytes, first line ~p~n", [F, filelib:file_size(F), first(F)])
     || F <- lists:sort(filelib:wildcard("rot.log*"))].

first(F) ->
    {ok, B} = file:read_file(F),
    hd(binary:split(B, <<"\n">>)).
