#!/bin/sh
# ch. 11 "Rebar3": what rebar3 3.19 (Debian's rebar3 package, offline) generates and assembles on OTP 25:
# the project of `rebar3 new release`, a dependency (a `rebar3 new lib` in _checkouts/, so nothing
# is fetched), and the release directory `rebar3 release` builds.  Run: sh ch11_rebar3.sh > ch11_rebar3.out
set -e
T=$(mktemp -d); export HOME=$T/home; mkdir -p $HOME; cd $T
rebar3 new release bsc_rel >/dev/null; rebar3 new lib freq >/dev/null
echo "== rebar3 new release bsc_rel"; (cd bsc_rel && find . -type f | sort)
echo "== rebar.config"; cat bsc_rel/rebar.config
echo "== config/sys.config"; cat bsc_rel/config/sys.config
echo "== config/vm.args"; cat bsc_rel/config/vm.args
echo "== apps/bsc_rel/src/bsc_rel.app.src"; cat bsc_rel/apps/bsc_rel/src/bsc_rel.app.src
cd bsc_rel; mkdir _checkouts; mv ../freq _checkouts/
sed -i 's/{deps, \[\]}/{deps, [{freq, "0.1.0"}]}/; s/\[bsc_rel,/[bsc_rel, freq,/' rebar.config
rebar3 release >/dev/null
echo "== rebar3 release (with the dependency freq): _build/default/rel/bsc_rel"
(cd _build/default/rel/bsc_rel && find . -maxdepth 3 | sort)
echo "== releases/0.1.0/bsc_rel.rel"; cat _build/default/rel/bsc_rel/releases/0.1.0/bsc_rel.rel; echo
echo "== releases/start_erl.data"; cat _build/default/rel/bsc_rel/releases/start_erl.data; echo
echo "== bin/bsc_rel foreground -extra hello: the command it runs, and init's view"
R=$PWD/_build/default/rel/bsc_rel
$R/bin/bsc_rel foreground -extra hello > fg.out 2>&1 & sleep 8
head -1 fg.out | sed "s|$T|\$T|g"
$R/bin/bsc_rel eval '{init:get_status(), init:get_plain_arguments(), code:get_mode(), init:get_argument(progname)}.'
$R/bin/bsc_rel stop; wait; cd /; rm -rf $T
