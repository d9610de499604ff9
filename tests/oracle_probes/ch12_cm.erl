-module(ch12_cm).
-export([loop/0, vsn/0]).
vsn() -> 1.
loop() -> receive stop -> ok; _ -> loop() end.
