# startup.sh: lognym stats when its statistics cannot start. Every way
# start-up can fail (bot list, user-agent rules, country database, key file,
# option values, report paths, out of memory), in every output mode (the text
# report on stdout, -q with no report, --json FILE, --json -, --html, --csv,
# several inputs read merged, stdin): the documented exit code, a message
# naming the file and the problem, nothing on stdout, no report written.
# Also: a text report that cannot be written (a full disk) is exit 4.
. "$(dirname "$0")/../lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
FF='Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0'
for i in 1 2 3; do
    echo "192.0.2.$i - - [03/Mar/2024:10:0$i:00 +0000] \"GET /p$i HTTP/1.1\" 200 10 \"-\" \"$FF\""
done >"$T/a.log"
cp "$T/a.log" "$T/b.log"

fixed_key "$T/key"
cp "$T/key" "$T/open.key"
chmod 644 "$T/open.key"
printf 'not a key\n' >"$T/bad.key"
chmod 600 "$T/bad.key"
printf '{"not": "a list"}\n' >"$T/notlist.json"
printf 'just: text\n' >"$T/notrules.yaml"
printf 'not a database' >"$T/notdb.mmdb"
many=$(awk 'BEGIN { for (i = 0; i < 70; i++) printf "%sh%d.example", i ? "," : "", i }')

# fails CODE WHAT PATTERN OPTIONS: every output mode exits CODE with a
# message matching PATTERN (naming the file or option), nothing on stdout
# and no report left behind. OPTIONS is split at spaces ($T has none).
fails() {
    code=$1 what=$2 pat=$3 opts=$4
    bad=
    for mode in text quiet json json- html csv two stdin; do
        rm -rf "$T/out"
        mkdir "$T/out"
        case $mode in
        text) args="$T/a.log" ;;
        quiet) args="-q $T/a.log" ;;
        json) args="--json $T/out/r.json $T/a.log" ;;
        json-) args="--json - $T/a.log" ;;
        html) args="--html $T/out/r.html $T/a.log" ;;
        csv) args="--csv $T/out/csv $T/a.log" ;;
        two) args="$T/a.log $T/b.log" ;;
        stdin) args= ;;
        esac
        # shellcheck disable=SC2086
        "$LOGNYM" stats $opts $args <"$T/a.log" >"$T/stdout" 2>"$T/stderr"
        rc=$?
        if [ $rc -ne "$code" ]; then bad="$bad $mode: exit $rc ($(head -c 150 "$T/stderr"));"
        elif ! grep -q "^lognym: .*$pat" "$T/stderr"; then
            bad="$bad $mode: message '$(head -c 200 "$T/stderr")';"
        elif [ -s "$T/stdout" ]; then bad="$bad $mode: something on stdout;"
        elif [ -n "$(ls -A "$T/out")" ]; then bad="$bad $mode: a report was written;"
        fi
    done
    if [ -z "$bad" ]; then ok "stats, $what: exit $code and a message, in every output mode"
    else notok "stats, $what (want exit $code, /$pat/)" "$bad"; fi
}

fails 3 "a missing --bot-list" "nope.json: No such file" "--bot-list $T/nope.json"
fails 2 "a --bot-list that is not a list" "notlist.json: not a crawler-user-agents list" \
    "--bot-list $T/notlist.json"
fails 3 "missing --ua-regexes" "nope.yaml: cannot open user-agent rules" "--ua-regexes $T/nope.yaml"
fails 3 "--ua-regexes that are not rules" "notrules.yaml: no user_agent_parsers or os_parsers rules" \
    "--ua-regexes $T/notrules.yaml"
fails 3 "a missing --geoip database" "nope.mmdb: cannot read the country database" \
    "--geoip $T/nope.mmdb"
fails 2 "a --geoip file that is not a database" "notdb.mmdb: not a MaxMind country database" \
    "--geoip $T/notdb.mmdb"
fails 5 "a missing key file" "key file .*nope.key" "-k $T/nope.key"
fails 5 "a key file others can read" "open.key" "-k $T/open.key"
fails 5 "a malformed key file" "bad.key" "-k $T/bad.key"
fails 2 "a bad --assets entry" "--assets: bad entry" "--assets css,b%d"
fails 2 "too many --site-host names" "--site-host: more than 64" "--site-host $many"
fails 2 "a bad --reorder-window" "--reorder-window" "--reorder-window -3"
fails 2 "a command's wrong option" "--gzip" "--gzip"

# report paths are checked before any input is read
"$LOGNYM" stats --json "$T/no/such/dir/r.json" "$T/a.log" >"$T/stdout" 2>"$T/stderr"
rc=$?
check "stats --json into a missing directory: exit 4 before reading, the path named" \
    sh -c "[ $rc -eq 4 ] && grep -q 'no/such/dir' '$T/stderr' && [ ! -s '$T/stdout' ]"

# the text report that cannot be written (a full disk): exit 4, said so
if [ -w /dev/full ]; then
    "$LOGNYM" stats -k "$T/key" "$T/a.log" >/dev/full 2>"$T/stderr"
    rc=$?
    check "stats text report to a full disk: exit 4, 'writing the report'" \
        sh -c "[ $rc -eq 4 ] && grep -q 'lognym: writing the report: No space left' '$T/stderr'"
    "$LOGNYM" stats -q --json "$T/r.json" "$T/a.log" 2>/dev/null
    "$LOGNYM" merge --text "$T/r.json" >/dev/full 2>"$T/stderr"
    rc=$?
    check "merge --text to a full disk: exit 4" sh -c "[ $rc -eq 4 ] && grep -q 'writing the report' '$T/stderr'"
else
    echo "# skip: /dev/full is not writable here"
fi

# out of memory at start-up (an LD_PRELOAD shim fails the Nth malloc and
# every later one): exit 70 with a message, or the whole report; never a
# silent exit or a crash. Sampled over the start-up's allocations.
if grep -q __asan_init "$LOGNYM" 2>/dev/null; then
    echo "# skip: $LOGNYM is an ASan build (the sanitizer owns malloc)"
elif cc -shared -fPIC -O1 -o "$T/shim.so" "$root/tests/fault/shim.c" -ldl 2>"$T/cc.err"; then
    FAULT_COUNT="$T/count" LD_PRELOAD="$T/shim.so" "$LOGNYM" stats -q "$T/a.log" 2>/dev/null
    total=$(awk '$1 == "malloc" { print $2 }' "$T/count")
    bad= oom=0 runs=0
    n=1
    while [ "$n" -le "${total:-0}" ]; do
        FAULT_FUNC=malloc FAULT_N=$n FAULT_STICKY=1 LD_PRELOAD="$T/shim.so" \
            timeout -k 5 60 "$LOGNYM" stats "$T/a.log" >"$T/stdout" 2>"$T/stderr"
        rc=$?
        runs=$((runs + 1))
        if [ $rc -eq 0 ]; then
            grep -q '^Summary' "$T/stdout" || bad="$bad N=$n: exit 0 without the report;"
        elif [ $rc -ge 124 ]; then bad="$bad N=$n: exit $rc (crash or hang);"
        elif ! grep -q '^lognym: ' "$T/stderr"; then bad="$bad N=$n: exit $rc without a message;"
        else
            [ $rc -eq 70 ] && oom=$((oom + 1))
        fi
        n=$((n + n / 6 + 1))
    done
    if [ -z "$bad" ] && [ $oom -gt 0 ]; then
        ok "stats, out of memory at any of $runs points of ${total} allocations: exit 70 with a message ($oom times) or the whole report"
    else notok "stats under malloc failures ($runs runs, $oom exit 70)" "$bad"; fi
else
    notok "startup: the fault shim builds" "$(cat "$T/cc.err")"
fi
exit $((nfail > 0))
