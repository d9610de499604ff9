#!/bin/sh
# Build Concuerror without rebar3's hex.pm (not reachable here): erlc of its
# sources, getopt 1.0.1 (its one dependency) compiled beside it.
#
#   sh bench/explore/build_concuerror.sh CONCUERROR_GIT GETOPT_GIT BUILD_DIR
#
# CONCUERROR_GIT: a clone of github.com/parapluu/Concuerror (0cbd2fc was used);
# GETOPT_GIT: a clone of github.com/jcomellas/getopt (tag v1.0.1, as rebar.lock).
# Leaves BUILD_DIR/concuerror (a launcher: BUILD_DIR/concuerror -f x.erl -m x -t test)
# and BUILD_DIR/src (Concuerror's tree, its tests under src/tests/suites).
set -e
C=$1; G=$2; B=$3
mkdir -p "$B"
B=$(cd "$B" && pwd)
rm -rf "$B/src" "$B/getopt"
git clone -q "$C" "$B/src"
git clone -q "$G" "$B/getopt"
git -C "$B/getopt" checkout -q v1.0.1
mkdir -p "$B/getopt/ebin" "$B/src/ebin"
erlc -o "$B/getopt/ebin" "$B/getopt/src/getopt.erl"
cp "$B/getopt/src/getopt.app.src" "$B/getopt/ebin/getopt.app"
# what rebar3's pre_hook writes: the OTP release and BEFORE_OTP_N macros
(cd "$B/src" && priv/generate_version_hrl 23 > src/concuerror_otp_version.hrl)
erlc -o "$B/src/ebin" -I "$B/src/src" -pa "$B/getopt/ebin" "$B"/src/src/*.erl
cp "$B/src/src/concuerror.app.src" "$B/src/ebin/concuerror.app"
cat > "$B/concuerror" <<EOS
#!/bin/sh
# arguments after -extra reach concuerror:main/1 untouched by erl's own flag parsing
exec erl +S1 -boot start_clean -noshell -pa "$B/src/ebin" -pa "$B/getopt/ebin" \\
  -eval 'concuerror:main(init:get_plain_arguments())' -extra "\$@"
EOS
chmod +x "$B/concuerror"
echo "built: $B/concuerror"
