#!/bin/sh
# dask.sh: scripts/lognym-dask on a real Dask cluster (dask-scheduler and two
# dask-worker processes on loopback, started here) against `lognym stats` on
# one machine: a generated log split at random between three servers, the
# shared corpus, a worker killed during the map step, and bad inputs.
# Packages: python3-distributed, jq (scripts/install-deps.sh test).
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DASK="$ROOT/scripts/lognym-dask --lognym $LOGNYM"
PY=/usr/bin/python3

for tool in dask-scheduler dask-worker jq; do
    if ! command -v $tool >/dev/null 2>&1; then
        notok "dask: $tool is missing (scripts/install-deps.sh test installs python3-distributed and jq)"
        exit 1
    fi
done

pids=
alive() { s=$(ps -o stat= -p "$1" 2>/dev/null) && [ "${s#Z}" = "$s" ]; }
stop() { # our own processes only, by id: the job and workers before the
    # scheduler; one still there after 10 s gets SIGKILL (a worker's
    # graceful close after SIGTERM was seen to hang on a loaded machine)
    rev=
    for p in $pids; do rev="$p $rev"; done
    for p in $rev; do kill "$p" 2>/dev/null; done
    i=0
    while [ $i -lt 100 ]; do
        left=
        for p in $pids; do alive "$p" && left=1; done
        [ -z "$left" ] && break
        sleep 0.1
        i=$((i + 1))
    done
    for p in $pids; do alive "$p" && kill -9 "$p" 2>/dev/null; done
    for p in $pids; do wait "$p" 2>/dev/null; done
    rm -rf "$T"
}
trap stop EXIT
dask-scheduler --host 127.0.0.1 --port 0 --no-dashboard --scheduler-file "$T/sched.json" \
    >"$T/scheduler.log" 2>&1 &
pids="$!"
start_worker() { # start_worker N: a worker without nanny, so a kill is final
    dask-worker --scheduler-file "$T/sched.json" --host 127.0.0.1 --nworkers 1 --nthreads 1 \
        --no-nanny --no-dashboard --local-directory "$T/w$1" >"$T/worker$1.log" 2>&1 &
    eval "worker$1=$!"
    pids="$pids $!"
}
i=0
while [ ! -s "$T/sched.json" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
start_worker 1
start_worker 2
ADDR=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["address"])' "$T/sched.json")
if $PY -c 'import sys; from distributed import Client
c = Client(sys.argv[1], timeout=30); c.wait_for_workers(2, timeout=60); c.close()' "$ADDR" \
    >"$T/wait.log" 2>&1; then
    ok "dask: scheduler and two workers up on loopback ($ADDR)"
else
    notok "dask: the cluster did not start" "$(tail -3 "$T/wait.log")"
    exit 1
fi

"$LOGNYM" keygen "$T/key" 2>/dev/null
# compare NAME ONE.json DASK.json: every figure identical, "(other)" rows
# and their exact visitors included, and the report not empty. Aside: what
# says how the report was made (the reports merged, ids, sources).
NORM='del(.inputs, .id, .sources, .country_database)'

compare() {
    jq -S "$NORM" "$2" >"$T/one.norm" && jq -S "$NORM" "$3" >"$T/dask.norm"
    visits=$(jq .summary.visits "$2")
    if [ "${visits:-0}" -gt 0 ] && cmp -s "$T/one.norm" "$T/dask.norm"; then
        ok "$1 (visits $visits, visitors $(jq .summary.visitors "$3"))"
    else
        notok "$1" "$(diff "$T/one.norm" "$T/dask.norm" | head -20)"
    fi
}

# A generated log (bench/gen.c) split at random between three servers, each
# file in time order; the third one gzipped (read whole by one task).
${CC:-cc} -std=c11 -O2 -o "$T/gen" "$ROOT/bench/gen.c" -lm
"$T/gen" 40000 15 >"$T/all.log" 2>/dev/null
awk -v dir="$T" 'BEGIN { srand(15) } { print > (dir "/web" (1 + int(rand() * 3)) ".log") }' \
    "$T/all.log"
gzip "$T/web3.log"
WEB="$T/web1.log $T/web2.log $T/web3.log.gz"
# One machine: lognym stats over the three files (read merged by time).
"$LOGNYM" stats -q -k "$T/key" --json "$T/one.json" --csv "$T/one.csv" $WEB >/dev/null
$DASK --scheduler "$ADDR" -q -k "$T/key" --json "$T/dask.json" --csv "$T/dask.csv" \
    --chunk-size 500000 --partitions 6 $WEB 2>"$T/dask.err"
st=$?
check "dask: three servers: exit 0" test $st -eq 0
compare "dask: three servers: every count and unique visitors as lognym stats on one machine" \
    "$T/one.json" "$T/dask.json"
grep -v '^"inputs",' "$T/one.csv/summary.csv" >"$T/one.sum" && mv "$T/one.sum" "$T/one.csv/summary.csv"
grep -v '^"inputs",' "$T/dask.csv/summary.csv" >"$T/dask.sum" && mv "$T/dask.sum" "$T/dask.csv/summary.csv"
if diff -r "$T/one.csv" "$T/dask.csv" >"$T/csv.diff"; then ok "dask: three servers: the CSV tables identical"
else notok "dask: three servers: CSV tables differ" "$(head -10 "$T/csv.diff")"; fi
n_other=$(jq '[.. | objects | select(.other == true)] | length' "$T/dask.json")
n_est=$(jq '[.. | objects | select(.other == true and .estimated == true)] | length' "$T/dask.json")
if [ "${n_other:-0}" -gt 0 ] && [ "$n_est" -eq 0 ] && grep -q '^"(other)",' "$T/dask.csv/pages.csv"; then
    ok "dask: three servers: $n_other \"(other)\" rows, visitors counted exactly (second round)"
else notok "dask: \"(other)\" rows not exact" "rows $n_other, estimated $n_est"; fi
check "dask: the merged report covers every partition (no partition left in it)" \
    test "$(jq .visitor_partitions "$T/dask.json")" = null
check "dask: nothing on stderr with -q" test ! -s "$T/dask.err"
# --key-rotate daily: the map step keys each day's hits by that day's key,
# as lognym stats --key-rotate daily does on one machine; --min-visitors 3:
# both rounds fold at that K.
"$LOGNYM" stats -q -k "$T/key" --key-rotate daily --min-visitors 3 --json "$T/rot1.json" $WEB \
    >/dev/null
$DASK --scheduler "$ADDR" -q -k "$T/key" --key-rotate daily --min-visitors 3 --json "$T/rot2.json" \
    --chunk-size 500000 --partitions 6 $WEB
compare "dask --key-rotate daily --min-visitors 3: every figure as lognym stats" \
    "$T/rot1.json" "$T/rot2.json"
jeq "dask --min-visitors 3: the report says K 3" "$T/rot2.json" .min_visitors 3
check "dask --key-rotate daily: a visitor on several days counts once a day (more visitors)" \
    test "$(jq .summary.visitors "$T/rot2.json")" -gt "$(jq .summary.visitors "$T/dask.json")"

# The shared corpus: every access log, each in its own format. One run reads
# a line that comes later than the reorder window (60 s) after lines of a
# later time as best it can (it counts at its visitor's latest settled hit);
# the reduce step sees all of a visitor's hits and sorts them. So the logs
# in time order within the window must give identical reports, and the
# others (fixtures that join lines of different years and time zones) the
# same figures that do not depend on order.
if have_shared corpus; then
    inorder= late=
    for f in "$SHARED"/corpus/*.log; do
        if "$LOGNYM" hits -q -k "$T/key" "$f" | awk -F'\t' '$3 != "-" {
            if (seen && $3 < max - 60000) late = 1; if (!seen || $3 > max) max = $3; seen = 1 }
            END { exit late }'; then inorder="$inorder $f"; else late="$late $f"; fi
    done
    "$LOGNYM" stats -q -k "$T/key" --json "$T/c1.json" $inorder >/dev/null
    $DASK --scheduler "$ADDR" -q -k "$T/key" --json "$T/c2.json" $late $inorder
    check "dask: corpus: exit 0" test $? -eq 0
    "$LOGNYM" stats -q -k "$T/key" --json "$T/c3.json" $inorder $late >/dev/null
    $DASK --scheduler "$ADDR" -q -k "$T/key" --json "$T/c4.json" $inorder
    compare "dask: corpus, the $(echo $inorder | wc -w) logs in time order: every figure as one machine" \
        "$T/c1.json" "$T/c4.json"
    for f in c3 c2; do
        jq -S '{s: (.summary | {hits, bot_hits, bytes, bot_bytes, page_views}), requests,
            status, status_classes, bots, pages: [.pages[] | {path, views}]}
            | del(.. | .hll?, .visitors?, .estimated?)' "$T/$f.json" >"$T/$f.sel"
    done
    if [ -n "$late" ] && cmp -s "$T/c3.sel" "$T/c2.sel"; then
        ok "dask: corpus, all $(echo $inorder $late | wc -w) logs: hits, bytes, page views, requests, status codes, bots as one machine"
    else notok "dask: corpus, all logs: figures differ" "$(diff "$T/c3.sel" "$T/c2.sel" | head -20)"; fi
fi

# Bad inputs: a clear message naming the problem, a non-zero exit, no report.
$DASK --scheduler "$ADDR" -q -k "$T/key" --json "$T/x.json" "$T/web1.log" "$T/missing.log" \
    2>"$T/err"
st=$?
if [ $st -eq 3 ] && grep -q "missing.log: No such file" "$T/err" && [ ! -e "$T/x.json" ]; then
    ok "dask: a missing file: exit 3, the file named"
else notok "dask: a missing file" "exit $st" "$(cat "$T/err")"; fi
head -c 20000 "$T/web3.log.gz" >"$T/cut.log.gz"
$DASK --scheduler "$ADDR" -q -k "$T/key" --json "$T/x.json" "$T/web1.log" "$T/cut.log.gz" \
    2>"$T/err"
st=$?
if [ $st -eq 3 ] && grep -q "cut.log.gz" "$T/err" && grep -qi "gzip\|truncated\|corrupt" "$T/err" &&
    [ ! -e "$T/x.json" ]; then
    ok "dask: a corrupt gzip file: exit 3, the file named"
else notok "dask: a corrupt gzip file" "exit $st" "$(cat "$T/err")"; fi
$DASK --scheduler tcp://127.0.0.1:9 --timeout 2 -q -k "$T/key" "$T/web1.log" >"$T/out" 2>"$T/err"
st=$?
if [ $st -eq 69 ] && grep -q "cannot reach the Dask scheduler at tcp://127.0.0.1:9" "$T/err" &&
    [ ! -s "$T/out" ]; then
    ok "dask: a scheduler that cannot be reached: exit 69, said so"
else notok "dask: unreachable scheduler" "exit $st" "$(cat "$T/err")"; fi

# A worker killed while the map tasks run: the job still finishes, with the
# same figures (Dask runs the lost tasks again on the other worker).
$DASK --scheduler "$ADDR" --progress -k "$T/key" --json "$T/kill.json" --chunk-size 400000 \
    --partitions 4 $WEB >/dev/null 2>"$T/kill.err" &
job=$!
pids="$pids $job"
i=0
while ! grep -q "map [1-9][0-9]*/" "$T/kill.err" && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
at=$(grep "map " "$T/kill.err" | tail -n 1)
kill -9 "$worker2"
wait "$job"
st=$?
case "$at" in
*"map "*) n=${at#*map }; n=${n%% *}; done_=${n%/*}; total=${n#*/} ;;
*) done_=0; total=0 ;;
esac
if [ "$done_" -lt "$total" ]; then ok "dask: worker killed during the map step ($at)"
else notok "dask: the worker was not killed during the map step" "$at"; fi
check "dask: the job finished after the kill" test $st -eq 0
check "dask: the scheduler saw the worker go" grep -q "Remove worker" "$T/scheduler.log"
compare "dask: after the kill, the figures of one machine" "$T/one.json" "$T/kill.json"
exit $((nfail > 0))
