#!/bin/sh
# run.sh: fault injection. An LD_PRELOAD shim (tests/fault/shim.c) makes the
# Nth call of write, fsync, rename, open or malloc fail, for every N up to the
# number of calls a clean run makes (counted by the shim first; sampled when
# there are more than CAP); and `ulimit -f` stops every file at N blocks, for
# every N from 1 up to the largest file written (a full disk, stdio included;
# stderr too, so 1 block leaves room for the message). Each run of
#     lognym FILE -o OUT     lognym FILE -o OUT --stats R.json --html R.html
#     lognym rotate FILE     (and, full: lognym rotate FILE.gz)
#     lognym listen unix:SOCK -o OUT   (the lines sent by logger(1), then SIGTERM)
# must either succeed with the right output, or exit non-zero (not by a
# signal) with a "lognym: ..." message; rotate must leave FILE byte for byte
# as it was or fully anonymised, and no .FILE.lognym-* temp file; a report is
# whole or absent, with no temp file left; no input address may appear in
# stderr, a partly written OUT or a report.
# listen must also remove its socket. A run that takes over 60 s counts as hung.
# Usage: tests/fault/run.sh [quick|full]   quick (make test): CAP 24; full (.ci/run): CAP 150
# (FAULT_SCENARIOS="listen ..." runs only those)
. "$(dirname "$0")/../lib.sh"
mode=${1:-quick}
cap=24
[ "$mode" = full ] && cap=150
root=$(cd "$(dirname "$0")/../.." && pwd)

# The shim replaces malloc; a sanitizer runtime must own malloc, so skip there.
if grep -q __asan_init "$LOGNYM" 2>/dev/null; then
    echo "# skip: $LOGNYM is an ASan build (the sanitizer owns malloc); fault injection runs on the plain build"
    exit 0
fi
if ! cc -shared -fPIC -O1 -o "$T/shim.so" "$root/tests/fault/shim.c" -ldl 2>"$T/cc.err"; then
    notok "fault: the shim builds" "$(cat "$T/cc.err")"
    exit 1
fi

# 1500 lines, every address with host bits set (so truncation must change it).
awk 'BEGIN {
    for (i = 1; i <= 1500; i++) {
        if (i % 3 == 0) ip = sprintf("2001:db8:%x:%x::%x", i % 7 + 1, i, i % 250 + 1)
        else ip = sprintf("198.51.%d.%d", i % 100, i % 250 + 1)
        printf "%s - - [10/Oct/2025:13:%02d:%02d +0200] \"GET /page/%d?ref=203.0.113.%d HTTP/1.1\" 200 %d \"-\" \"Mozilla/5.0 (fault test %d)\"\n",
            ip, i % 60, i % 60, i, i % 250 + 1, i * 7, i
    }
}' >"$T/in.log"
grep -oE '^[^ ]+' "$T/in.log" | sort -u >"$T/ips"
grep -oE '203\.0\.113\.[0-9]+' "$T/in.log" | sort -u >>"$T/ips"
gzip -c "$T/in.log" >"$T/in.log.gz"
"$LOGNYM" -q "$T/in.log" >"$T/want" 2>/dev/null
gzip -dc "$T/in.log.gz" | "$LOGNYM" -q >"$T/want.gz.txt" 2>/dev/null
if ! [ -s "$T/want" ] || grep -qFf "$T/ips" "$T/want"; then
    notok "fault: a clean run anonymises the test input"
    exit 1
fi

# leaks FILE: true when FILE holds an input address.
leaks() { grep -aqFf "$T/ips" "$1"; }

# run_scenario SCENARIO: one run under the shim (FAULT_* in the environment
# choose the fault); with FSIZE set, files may not grow past FSIZE blocks of
# 512 bytes (ulimit -f, SIGXFSZ ignored: write(2) fails with EFBIG, stdio's
# writes included, which the shim cannot reach).
run_scenario() {
    d=$T/run
    rm -rf "$d"
    mkdir -p "$d"
    sc=$1
    case $1 in
    output) set -- -q "$T/in.log" -o "$d/out.log" ;;
    report) set -- -q "$T/in.log" -o "$d/out.log" --stats "$d/r.json" --html "$d/r.html" ;;
    rotate) cp "$T/in.log" "$d/access.log" && set -- rotate -q "$d/access.log" ;;
    rotate-gz) cp "$T/in.log.gz" "$d/access.log.gz" && set -- rotate -q "$d/access.log.gz" ;;
    listen) set -- listen "unix:$d/l.sock" -q -o "$d/out.log" ;;
    esac
    (
        if [ -n "${FSIZE:-}" ]; then
            trap '' XFSZ
            ulimit -f "$FSIZE"
        fi
        exec timeout -k 5 60 env LD_PRELOAD="$T/shim.so" "$LOGNYM" "$@" >/dev/null 2>"$d/err"
    ) &
    pid=$!
    [ $sc = listen ] && feed_listener "$d/l.sock" $pid
    wait $pid
}

# feed_listener SOCKET PID: once lognym listen's socket is there, logger sends
# the test lines to it (lognym may have failed meanwhile), then SIGTERM.
feed_listener() {
    n=500
    while [ ! -S "$1" ] && kill -0 "$2" 2>/dev/null && [ $n -gt 0 ]; do
        sleep 0.02
        n=$((n - 1))
    done
    [ -S "$1" ] && logger -u "$1" -d --size 8192 -f "$T/in.log" 2>/dev/null
    kill -TERM "$2" 2>/dev/null
}

# check SCENARIO RC: the assertions; prints nothing and returns 0 when they hold.
check_run() {
    d=$T/run
    why=
    if [ "$2" -eq 124 ] || [ "$2" -eq 137 ]; then
        why="hung: killed after 60 s"
    elif [ "$2" -ge 128 ]; then
        why="killed by signal $(($2 - 128)): $(tail -n 3 "$d/err" | tr '\n' ' ')"
    elif [ "$2" -ne 0 ] && ! grep -q '^lognym: ' "$d/err"; then
        why="exit $2 without a 'lognym: ...' message"
    elif leaks "$d/err"; then
        why="an input address in stderr"
    fi
    case $1 in
    output | listen)
        if [ "$2" -eq 0 ] && ! cmp -s "$d/out.log" "$T/want"; then
            why="${why:+$why; }exit 0 but the output differs"
        elif [ -f "$d/out.log" ] && leaks "$d/out.log"; then
            why="${why:+$why; }an input address in the output"
        fi
        ;;
    report)
        if [ "$2" -eq 0 ] && ! cmp -s "$d/out.log" "$T/want"; then
            why="${why:+$why; }exit 0 but the output differs"
        fi
        if [ "$2" -eq 0 ] && ! { [ -s "$d/r.json" ] && [ -s "$d/r.html" ]; }; then
            why="${why:+$why; }exit 0 but a report is missing"
        fi
        for f in "$d/out.log" "$d/r.json" "$d/r.html"; do
            [ -f "$f" ] && leaks "$f" && why="${why:+$why; }an input address in $(basename "$f")"
        done
        # A report that exists is whole (written to a temp file, then renamed).
        [ -f "$d/r.json" ] && [ "$(tail -c 2 "$d/r.json" | head -c 1)" != "}" ] &&
            why="${why:+$why; }r.json is cut short"
        [ -f "$d/r.html" ] && ! tail -c 20 "$d/r.html" | grep -q '</html>' &&
            why="${why:+$why; }r.html is cut short"
        left=$(ls -A "$d" | grep '\.tmp\.' || true)
        [ -n "$left" ] && why="${why:+$why; }temp file left: $left"
        ;;
    rotate)
        if cmp -s "$d/access.log" "$T/in.log"; then
            [ "$2" -eq 0 ] && why="${why:+$why; }exit 0 but the file is unchanged"
        elif ! cmp -s "$d/access.log" "$T/want"; then
            why="${why:+$why; }the file is neither the original nor fully anonymised"
        fi
        ;;
    rotate-gz)
        if cmp -s "$d/access.log.gz" "$T/in.log.gz"; then
            [ "$2" -eq 0 ] && why="${why:+$why; }exit 0 but the file is unchanged"
        elif ! gzip -dc "$d/access.log.gz" 2>/dev/null | cmp -s - "$T/want.gz.txt"; then
            why="${why:+$why; }the file is neither the original nor fully anonymised"
        fi
        ;;
    esac
    case $1 in rotate*)
        left=$(ls -A "$d" | grep 'lognym-' || true)
        [ -n "$left" ] && why="${why:+$why; }temp file left: $left"
        ;;
    esac
    [ $1 = listen ] && [ -e "$d/l.sock" ] && why="${why:+$why; }the socket is left behind"
    [ -z "$why" ] && return 0
    echo "$why"
    return 1
}

# The Ns to try for COUNT calls: all when COUNT <= cap, else cap of them:
# the first and last cap/4 and evenly spread ones between.
pick() {
    awk -v n="$1" -v cap="$cap" 'BEGIN {
        if (n <= cap) { for (i = 1; i <= n; i++) print i; exit }
        q = int(cap / 4)
        for (i = 1; i <= q; i++) print i
        for (i = n - q + 1; i <= n; i++) print i
        m = cap - 2 * q
        for (k = 1; k <= m; k++) print q + int(k * (n - 2 * q) / (m + 1))
    }' | sort -nu
}

scenarios="output report rotate listen"
[ "$mode" = full ] && scenarios="output report rotate rotate-gz listen"
command -v logger >/dev/null || {
    echo "# skip: listen (logger from util-linux is not installed)"
    scenarios=${scenarios% listen}
}
scenarios=${FAULT_SCENARIOS:-$scenarios} # FAULT_SCENARIOS="listen": just those
for sc in $scenarios; do
    rm -f "$T/counts"
    FAULT_COUNT="$T/counts" run_scenario "$sc"
    rc=$?
    if ! check_run "$sc" $rc >"$T/why" || [ $rc -ne 0 ]; then
        notok "fault: $sc: a run under the shim, no fault, succeeds" "exit $rc: $(cat "$T/why")"
        continue
    fi
    # the largest file the clean run wrote, in 512-byte blocks, for fsize
    blocks=$(($(ls -l "$T/run" | awk '$5 > m { m = $5 } END { print m + 0 }') / 512 + 2))
    for fn in write fsync rename open malloc fsize; do
        if [ $fn = fsize ]; then
            total=$blocks
        else
            total=$(awk -v f=$fn '$1 == f { s += $2 } END { print s + 0 }' "$T/counts")
        fi
        tried=0 failures=0 errors=0
        : >"$T/bad"
        for n in $(pick "$total"); do
            if [ $fn = fsize ]; then
                FSIZE=$n run_scenario "$sc"
            else
                FAULT_FUNC=$fn FAULT_N=$n run_scenario "$sc"
            fi
            rc=$?
            tried=$((tried + 1))
            [ $rc -ne 0 ] && errors=$((errors + 1))
            if ! check_run "$sc" $rc >"$T/why"; then
                failures=$((failures + 1))
                [ $failures -le 5 ] && echo "$fn $n: $(cat "$T/why")" >>"$T/bad"
            fi
        done
        name="fault: $sc: $fn fails at call N, N in $tried of 1..$total ($errors non-zero exits)"
        [ $fn = fsize ] &&
            name="fault: $sc: files limited to N blocks of 512 bytes (EFBIG), N in $tried of 1..$total ($errors non-zero exits)"
        if [ $failures -eq 0 ]; then
            ok "$name"
        else
            notok "$name" "$failures run(s) broke the rules, e.g.:" "$(cat "$T/bad")"
        fi
    done
done
[ "$nfail" -eq 0 ]
