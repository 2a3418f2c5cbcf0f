# plumbing.sh: how lognym is driven: where the stats text goes, per-command
# --help, the typo suggestion, output paths checked before reading, the
# no-match exit, the mostly-bad warning and the stats summary on stderr.
. "$(dirname "$0")/../lib.sh"
DATA=$(cd "$(dirname "$0")/../data" && pwd)
LOG=$DATA/stats-two-days.log
lines=$(wc -l <"$LOG")

# --- stdout of lognym stats
"$LOGNYM" stats --json - "$LOG" >"$T/j.out" 2>"$T/j.err"
check "stats --json -: exit 0" [ $? -eq 0 ]
check "stats --json -: stdout is one JSON document and nothing else" \
    sh -c "jq -s -e 'length == 1 and .[0].schema == \"lognym-stats\"' '$T/j.out' >/dev/null"
check "stats --json -: no text report anywhere" sh -c "! grep -q 'lognym statistics' '$T/j.out' '$T/j.err'"
"$LOGNYM" stats -q "$LOG" >"$T/q.out" 2>"$T/q.err"
check "stats -q: exit 0, nothing on stdout or stderr" sh -c "[ $? -eq 0 ] && [ ! -s '$T/q.out' ] && [ ! -s '$T/q.err' ]"
"$LOGNYM" stats "$LOG" >"$T/t.out" 2>"$T/t.err"
check "stats: the text report on stdout" grep -q '^lognym statistics' "$T/t.out"
check "stats: no text report on stderr" sh -c "! grep -q 'lognym statistics' '$T/t.err'"

# --- the stderr summary of stats mode: lines read, hits counted, bad lines
check "stats summary: lines read, hits counted, bad lines" \
    grep -qx "lognym: $lines lines read, $lines hits counted, 0 bad lines" "$T/t.err"
check "stats summary: nothing about lines written or addresses" \
    sh -c "! grep -Eq 'written|anonymised' '$T/t.err'"
hits=$(jq '.summary.hits' "$T/j.out")
check "stats summary: hits counted is the report's hit count" grep -q " $hits hits counted" "$T/t.err"

# --- per-command --help: only that command's options
for cmd in stats merge rotate listen keygen filters; do
    "$LOGNYM" $cmd --help >"$T/h.$cmd" 2>&1
    check "$cmd --help: exit 0, its own usage line" sh -c "[ $? -eq 0 ] && head -1 '$T/h.$cmd' | grep -q '^usage: lognym $cmd'"
done
"$LOGNYM" --help >"$T/h.main"
check "lognym --help: longer than stats --help" [ "$(wc -l <"$T/h.main")" -gt "$(wc -l <"$T/h.stats")" ]
check "stats --help: no anonymiser options (--output, --ip-mode, --gzip)" \
    sh -c "! grep -Eq -- '--(output|ip-mode|gzip|in-place)( |$)' '$T/h.stats'"
check "stats --help: its own options (--json, --html, --geoip, --min-visitors)" \
    sh -c "grep -q -- '--json' '$T/h.stats' && grep -q -- '--html' '$T/h.stats' && grep -q -- '--geoip' '$T/h.stats' && grep -q -- '--min-visitors' '$T/h.stats'"
check "merge --help: no input options (--format, --threads, --visit-timeout)" \
    sh -c "! grep -Eq -- '--(format|threads|visit-timeout|ip-mode)( |$)' '$T/h.merge'"
check "keygen --help: no options but --help" \
    sh -c "[ \$(grep -oE -- '--[a-z][a-z-]+' '$T/h.keygen' | sort -u | tr -d '\n') = '--help' ]"
check "filters --help: the rule options, not the stats ones" \
    sh -c "grep -q -- '--keep-params' '$T/h.filters' && ! grep -q -- '--json' '$T/h.filters'"
# every option a command's help lists is accepted by that command, and one it
# does not list is refused (help and parser share one table)
"$LOGNYM" merge --threads 2 x.json >/dev/null 2>"$T/e"; rc=$?
check "merge --threads: usage error naming the command" sh -c "[ $rc -eq 2 ] && grep -q 'merge takes no --threads' '$T/e'"
"$LOGNYM" stats -o "$T/x.log" "$LOG" >/dev/null 2>"$T/e"; rc=$?
check "stats -o: usage error, no file written" sh -c "[ $rc -eq 2 ] && [ ! -e '$T/x.log' ]"
"$LOGNYM" stats -q --top 3 --min-visitors 1 -j 1 --visit-timeout 60 --json "$T/ok.json" "$LOG" >/dev/null
check "stats accepts the options its help lists" [ $? -eq 0 ]

# --- a mistyped command: an error with a suggestion, nothing written
cd "$T" || exit 1
"$LOGNYM" stat "$LOG" >"$T/typo.out" 2>"$T/typo.err"; rc=$?
check "lognym stat: usage error" [ $rc -eq 2 ]
check "lognym stat: did you mean 'lognym stats'" grep -q "no such file 'stat'; did you mean 'lognym stats'?" "$T/typo.err"
check "lognym stat: nothing on stdout" [ ! -s "$T/typo.out" ]
"$LOGNYM" mreg a.json >"$T/typo2.out" 2>"$T/typo2.err"; rc=$?
check "lognym mreg: did you mean 'lognym merge'" sh -c "[ $rc -eq 2 ] && grep -q \"did you mean 'lognym merge'\" '$T/typo2.err'"
"$LOGNYM" access.log >/dev/null 2>"$T/nf.err"; rc=$?
check "a missing file unlike any command: input error, no suggestion" sh -c "[ $rc -eq 3 ] && ! grep -q 'did you mean' '$T/nf.err'"
cp "$LOG" "$T/stat"
"$LOGNYM" stat >"$T/file.out" 2>/dev/null; rc=$?
check "an existing file named 'stat' is read as a file" sh -c "[ $rc -eq 0 ] && [ \$(wc -l <'$T/file.out') -eq $lines ]"
cd - >/dev/null || exit 1

# --- output paths checked before any input is read: a FIFO that is never
# written to would block the read forever, so a quick failure proves it
mkfifo "$T/never.fifo"
for opt in "--json $T/nodir/r.json" "--html $T/nodir/r.html" "--csv $T/nodir/sub/csv" "--html $T" "--json $T/plain.txt/x"; do
    : >"$T/plain.txt"
    timeout 10 "$LOGNYM" stats $opt "$T/never.fifo" >/dev/null 2>"$T/e"; rc=$?
    check "stats $opt: output error (4) before reading" sh -c "[ $rc -eq 4 ] && grep -q '^lognym: ' '$T/e'"
done
timeout 10 "$LOGNYM" -o "$T/nodir/out.log" "$T/never.fifo" 2>"$T/e"; rc=$?
check "-o in a missing directory: output error before reading" [ $rc -eq 4 ]
timeout 10 "$LOGNYM" --stats "$T/nodir/r.json" "$T/never.fifo" >/dev/null 2>"$T/e"; rc=$?
check "--stats in a missing directory: output error before reading" [ $rc -eq 4 ]
if [ "$(id -u)" -ne 0 ]; then
    mkdir "$T/ro" && chmod 555 "$T/ro"
    timeout 10 "$LOGNYM" stats --json "$T/ro/r.json" "$T/never.fifo" >/dev/null 2>"$T/e"; rc=$?
    check "stats --json in a read-only directory: output error before reading" [ $rc -eq 4 ]
fi
printf '{}\n' >"$T/a.json"
"$LOGNYM" merge --html "$T/nodir/m.html" "$T/a.json" 2>"$T/e"; rc=$?
check "merge --html in a missing directory: output error" sh -c "[ $rc -eq 4 ] && grep -q 'nodir' '$T/e'"

# --- no line in the format: exit 1 naming the format and the first line; no report
"$LOGNYM" stats -f json --json "$T/none.json" "$LOG" >"$T/none.out" 2>"$T/none.err"; rc=$?
check "stats with the wrong --format: exit 1" [ $rc -eq 1 ]
check "stats with the wrong --format: the message names the format and line 1" \
    grep -q "no line matched the log format (--format json; first line: .*stats-two-days.log:1)" "$T/none.err"
check "stats with the wrong --format: no report, no text" sh -c "[ ! -e '$T/none.json' ] && [ ! -s '$T/none.out' ]"
"$LOGNYM" stats -q --nginx-format '$status $remote_addr' "$LOG" >/dev/null 2>"$T/none2.err"; rc=$?
check "stats with a wrong --nginx-format: exit 1, the format named" \
    sh -c "[ $rc -eq 1 ] && grep -q 'the --nginx-format string' '$T/none2.err'"
printf 'one\ntwo\n' | "$LOGNYM" stats >/dev/null 2>"$T/none3.err"; rc=$?
check "stats of stdin with no access-log line: exit 1" sh -c "[ $rc -eq 1 ] && grep -q 'first line: .*:1)' '$T/none3.err'"
: | "$LOGNYM" stats -q >/dev/null; rc=$?
check "stats of empty input: exit 0 (nothing to match)" [ $rc -eq 0 ]

# --- most lines bad: a warning; some bad: none
{ cat "$LOG"; i=0; while [ $i -lt 40 ]; do echo "not a log line $i"; i=$((i + 1)); done; } >"$T/mostly.log"
"$LOGNYM" stats "$T/mostly.log" >/dev/null 2>"$T/mb.err"; rc=$?
check "mostly bad lines: exit 0 with a warning giving the share" \
    sh -c "[ $rc -eq 0 ] && grep -q 'warning: 40 of 71 lines (56%) matched no log format' '$T/mb.err'"
"$LOGNYM" stats -q "$T/mostly.log" >/dev/null 2>"$T/mbq.err"
check "mostly bad lines with -q: no warning" [ ! -s "$T/mbq.err" ]
{ cat "$LOG"; echo "not a log line"; } >"$T/few.log"
"$LOGNYM" stats "$T/few.log" >/dev/null 2>"$T/few.err"
check "one bad line: no warning, the summary counts it" \
    sh -c "! grep -q warning '$T/few.err' && grep -q '1 bad line' '$T/few.err'"
exit $((nfail > 0))
