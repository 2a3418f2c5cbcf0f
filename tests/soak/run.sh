#!/bin/sh
# run.sh: signal soak tests (issue 6, item 5); .ci/run runs them, `make test` does not.
# 1. LINES generated lines (default 5,000,000, each with a sequence number)
#    are piped through `lognym -o FILE` while the output is moved away and
#    SIGHUP sent every 100 ms; afterwards every line is present exactly once
#    across the output files, anonymised, and lognym exited 0.
# 2. The same with `-o FILE.gz` (1/5 of the lines): every file is a complete
#    gzip stream, and the lines are all there once.
# 3. `lognym rotate` killed with SIGKILL at KILLS random points, on a plain and
#    a gzip file: the file is always the original or fully anonymised, never
#    half-written (a temp file may be left: that is what SIGKILL allows).
# Usage: tests/soak/run.sh [LINES [KILLS]]
. "$(dirname "$0")/../lib.sh"
lines=${1:-5000000}
kills=${2:-30}

gen() { # gen N: N lines; line i asks for /seq/i and comes from a documentation address
    awk -v n="$1" 'BEGIN {
        for (i = 1; i <= n; i++)
            printf "198.51.100.%d - - [10/Oct/2025:13:55:%02d +0200] \"GET /seq/%d HTTP/1.1\" 200 %d \"-\" \"soak\"\n",
                i % 250 + 1, i % 60, i, i % 5000
    }'
}

# soak N OUT: pipes N lines into lognym -o OUT, rotating OUT every 100 ms.
soak() {
    n=$1 out=$2
    rm -f "$out" "$out".* "$T/fifo"
    mkfifo "$T/fifo"
    "$LOGNYM" -q -o "$out" <"$T/fifo" 2>"$T/soak.err" &
    pid=$!
    gen "$n" >"$T/fifo" &
    gpid=$!
    k=0
    while kill -0 $gpid 2>/dev/null; do
        sleep 0.1
        k=$((k + 1))
        mv "$out" "$out.$k" 2>/dev/null && kill -HUP $pid 2>/dev/null
    done
    wait $gpid
    wait $pid
    rc=$?
    echo "# soak: $n lines, $k rotations, $(ls "$out"* | wc -l) files"
    return $rc
}

# count_seq: reads log lines, prints "LINES DISTINCT MIN MAX" of their /seq/ numbers.
count_seq() {
    sed -n 's|.*"GET /seq/\([0-9]*\) HTTP.*|\1|p' | sort -n | uniq -c |
        awk '{ lines += $1; distinct++; if ($1 > 1) dup++; v = $2 + 0
               if (min == "" || v < min) min = v; if (v > max) max = v }
             END { printf "%d %d %d %d %d\n", lines, distinct, min, max, dup }'
}

start=$(date +%s)
soak "$lines" "$T/out.log"
rc=$?
check "soak: lognym -o, SIGHUP every 100 ms: exit 0" [ $rc -eq 0 ]
check "soak: nothing on stderr" [ ! -s "$T/soak.err" ]
set -- $(cat "$T/out.log"* | count_seq)
check "soak: $lines lines in, $1 out" [ "$1" -eq "$lines" ]
check "soak: every line exactly once (distinct $2, range $3..$4, duplicated ${5:-0})" \
    [ "$2" -eq "$lines" -a "$3" -eq 1 -a "$4" -eq "$lines" ]
check "soak: every line anonymised" sh -c "! cat '$T/out.log'* | grep -q '^198\.51\.100\.[1-9]'"
check "soak: every file ends with a whole line" sh -c \
    "for f in '$T/out.log'*; do [ ! -s \"\$f\" ] || [ \"\$(tail -c 1 \"\$f\" | od -An -c | tr -d ' ')\" = '\\n' ] || exit 1; done"
echo "# soak: plain took $(($(date +%s) - start)) s"

gz=$((lines / 5))
start=$(date +%s)
soak "$gz" "$T/out.log.gz"
rc=$?
check "soak gzip: lognym -o FILE.gz, SIGHUP every 100 ms: exit 0" [ $rc -eq 0 ]
bad=0
for f in "$T/out.log.gz"*; do
    gzip -t "$f" 2>/dev/null || bad=$((bad + 1))
done
check "soak gzip: every file is a complete gzip stream ($bad bad)" [ $bad -eq 0 ]
set -- $(for f in "$T/out.log.gz"*; do gzip -dc "$f"; done | count_seq)
check "soak gzip: every line exactly once ($1 lines, $2 distinct of $gz)" \
    [ "$1" -eq "$gz" -a "$2" -eq "$gz" -a "$4" -eq "$gz" ]
echo "# soak: gzip took $(($(date +%s) - start)) s"

# --- SIGKILL during rotate: intact or fully replaced
start=$(date +%s)
gen 300000 >"$T/big.log"
gzip -c "$T/big.log" >"$T/big.log.gz"
"$LOGNYM" -q "$T/big.log" >"$T/big.want"
mkdir "$T/k"
half=0 intact=0 replaced=0
i=0
while [ $i -lt "$kills" ]; do
    for kind in plain gz; do
        if [ $kind = plain ]; then f=$T/k/access.log; cp "$T/big.log" "$f"; else f=$T/k/access.log.gz; cp "$T/big.log.gz" "$f"; fi
        "$LOGNYM" rotate -q "$f" 2>/dev/null &
        pid=$!
        # a random point in the first ~0.4 s (the run takes about that long)
        sleep "0.$(awk -v s="$i$kind$$" 'BEGIN { srand(s); printf "%03d", int(rand() * 400) }')"
        kill -9 $pid 2>/dev/null
        wait $pid 2>/dev/null
        if [ $kind = plain ]; then
            if cmp -s "$f" "$T/big.log"; then intact=$((intact + 1))
            elif cmp -s "$f" "$T/big.want"; then replaced=$((replaced + 1))
            else half=$((half + 1)); fi
        else
            if cmp -s "$f" "$T/big.log.gz"; then intact=$((intact + 1))
            elif gzip -dc "$f" 2>/dev/null | cmp -s - "$T/big.want"; then replaced=$((replaced + 1))
            else half=$((half + 1)); fi
        fi
        rm -f "$T"/k/.access.log*lognym-* "$f"
    done
    i=$((i + 1))
done
check "rotate killed at $((kills * 2)) random points: never half-written ($intact intact, $replaced replaced, $half other)" \
    [ $half -eq 0 ]
echo "# soak: SIGKILL took $(($(date +%s) - start)) s"
[ "$nfail" -eq 0 ]
