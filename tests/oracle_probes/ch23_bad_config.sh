# erl -config with a missing, an unterminated and a non-list config file (OTP 25)
echo '[{a, [{k, 1}]}' > bad.config
echo 'notalist.' > bad2.config
erl -noshell -config ./nofile -eval 'init:stop().' 2>&1 | head -2
erl -noshell -config ./bad -eval 'init:stop().' 2>&1 | head -2
erl -noshell -config ./bad2 -eval 'init:stop().' 2>&1 | head -2
