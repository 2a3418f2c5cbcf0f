# threads.sh: worker threads (-j) give byte for byte the output, summary,
# statistics and errors of one thread: order kept, bad lines numbered in order, the lines
# before a fatal error written and none after, gzip in and out, a pipe that
# pauses, several files. Reads ../shared/corpus when present.
. "$(dirname "$0")/../lib.sh"
printf '%s\n' 1522178d33a4cf80130a5b1649907d10d8988f837979652762574c2d2a842202 >"$T/key"
chmod 600 "$T/key"

# A log of N lines over many batches; every 997th line matches no format.
gen() {
    awk -v n="$1" 'BEGIN {
        for (i = 1; i <= n; i++) {
            if (i % 997 == 0) { printf "junk line %d from 198.51.100.%d\n", i, i % 250; continue }
            printf "203.0.%d.%d - user%d [10/Oct/2025:13:%02d:%02d +0200] \"GET /p/%d?email=u%d%%40example.com HTTP/1.1\" 200 %d \"-\" \"curl/8.0\"\n",
                i % 200, i % 250, i % 50, (i / 60) % 60, i % 60, i, i, i
        }
    }'
}
gen 30000 >"$T/in.log"

# same_run NAME ARGS...: -j 1 and -j 4 agree on stdout, stderr and exit code.
same_run() {
    name=$1
    shift
    "$LOGNYM" -j 1 -k "$T/key" "$@" >"$T/one.out" 2>"$T/one.err"
    echo "exit $?" >>"$T/one.err"
    "$LOGNYM" -j 4 -k "$T/key" "$@" >"$T/four.out" 2>"$T/four.err"
    echo "exit $?" >>"$T/four.err"
    if cmp -s "$T/one.out" "$T/four.out" && cmp -s "$T/one.err" "$T/four.err"; then
        ok "$name"
    else
        notok "$name" "$(diff "$T/one.err" "$T/four.err" | head -5)" \
            "$(cmp "$T/one.out" "$T/four.out")"
    fi
}

same_run "-j 4 = -j 1: output, summary with bad line numbers" "$T/in.log"
check "the summary lists the first bad lines in order" \
    grep -q '30 lines matched no log format, scrubbed (.*in.log:997, .*in.log:1994, .*in.log:2991' "$T/four.err"
for m in hash cryptopan; do
    same_run "-j 4 = -j 1: --ip-mode $m" -m "$m" "$T/in.log"
done
same_run "-j 4 = -j 1: --bad-lines drop" --bad-lines drop "$T/in.log"
same_run "-j 4 = -j 1: --bad-lines fail stops at the first bad line" --bad-lines fail "$T/in.log"
check "--bad-lines fail: the 996 lines before it are written, none after" \
    [ "$(wc -l <"$T/four.out")" -eq 996 ]
check "--bad-lines fail: exit code 1" grep -qx 'exit 1' "$T/four.err"

gzip -c "$T/in.log" >"$T/in.log.gz"
same_run "-j 4 = -j 1: gzip input" "$T/in.log.gz"
same_run "-j 4 = -j 1: two files, the second gzip" "$T/in.log" "$T/in.log.gz"

"$LOGNYM" -q -j 4 -k "$T/key" -o "$T/four.log.gz" "$T/in.log"
"$LOGNYM" -q -j 1 -k "$T/key" "$T/in.log" >"$T/one.log"
check "-j 4 gzip output decompresses to the -j 1 output" sh -c "gzip -dc '$T/four.log.gz' | cmp -s - '$T/one.log'"

# A truncated gzip: the lines before the damage are written, exit 3.
head -c 200000 "$T/in.log.gz" >"$T/cut.gz"
same_run "-j 4 = -j 1: truncated gzip, everything before it written" "$T/cut.gz"
check "truncated gzip: exit 3" grep -qx 'exit 3' "$T/four.err"

# A pipe that pauses: lines written before the wait reach the file at once.
{
    head -n 100 "$T/in.log"
    sleep 1
    tail -n +101 "$T/in.log" | head -n 100
} | "$LOGNYM" -q -j 4 -k "$T/key" -o "$T/paced.log" &
pid=$!
sleep 0.6
check "-j 4 from a pipe: lines before a pause are written during it" [ "$(wc -l <"$T/paced.log")" -eq 100 ]
wait $pid
check "-j 4 from a pipe: all lines at the end" [ "$(wc -l <"$T/paced.log")" -eq 200 ]

# Statistics: workers parse, scrub and classify; hits are counted in order.
for j in 1 4; do
    "$LOGNYM" stats -q -j $j -k "$T/key" --json "$T/stats$j.json" "$T/in.log" >"$T/stats$j.txt"
    "$LOGNYM" -q -j $j -k "$T/key" --stats "$T/pass$j.json" -o "$T/pass$j.log" "$T/in.log"
done
check "-j 4 = -j 1: lognym stats, JSON and text" \
    sh -c "cmp -s '$T/stats1.json' '$T/stats4.json' && cmp -s '$T/stats1.txt' '$T/stats4.txt'"
check "-j 4 = -j 1: --stats during the pass, report and log" \
    sh -c "cmp -s '$T/pass1.json' '$T/pass4.json' && cmp -s '$T/pass1.log' '$T/pass4.log'"
check "the stats report counts every hit" grep -q '"hits": 29970,' "$T/stats4.json"

# The real logs of the corpus.
if have_shared corpus; then
    for f in "$SHARED"/corpus/*.log; do
        same_run "-j 4 = -j 1: $(basename "$f")" "$f"
    done
fi

# --key-rotate daily: an undated line (here one that matches no format, first
# in a batch) keeps the key of the line before it, as with one thread.
awk 'BEGIN {
    for (i = 1; i <= 5000; i++) {
        if (i % 1024 == 1 && i > 1) { printf "junk from 198.51.100.%d\n", i % 250; continue }
        printf "203.0.113.%d - - [%02d/Oct/2025:13:00:00 +0200] \"GET / HTTP/1.1\" 200 1 \"-\" \"curl/8.0\"\n",
            i % 250, 10 + int(i / 700)
    }
}' >"$T/days.log"
same_run "-j 4 = -j 1: --key-rotate daily with undated lines" -m hash --key-rotate daily "$T/days.log"

# A write error: the same message and exit code (the summary counts the lines
# read before the error, which depends on buffer sizes), and the summary
# still counts the addresses anonymised.
for j in 1 4; do
    "$LOGNYM" -j $j -k "$T/key" -o /dev/full "$T/in.log" 2>"$T/full$j.err"
    echo "exit $?" >>"$T/full$j.err"
done
check "-j 4 = -j 1: output to /dev/full, same error and exit 4" \
    sh -c "grep -v '^lognym: [0-9]* lines\\|matched no log format' '$T/full1.err' >'$T/f1'; grep -v '^lognym: [0-9]* lines\\|matched no log format' '$T/full4.err' >'$T/f4'; cmp -s '$T/f1' '$T/f4' && grep -qx 'exit 4' '$T/f4' && grep -q 'No space left' '$T/f4'"
for j in 1 4; do
    check "-j $j: /dev/full: the summary counts addresses anonymised before the error" \
        grep -q ' [1-9][0-9]* addresses anonymised' "$T/full$j.err"
done
