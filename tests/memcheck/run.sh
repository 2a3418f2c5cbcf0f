#!/bin/sh
# run.sh: valgrind memcheck over the CLI (`make valgrind`, run by .ci/run).
# Runs lognym under memcheck on every file of ../shared/corpus/ (skipped when
# absent) and on a few set-ups the corpus does not cover (hash and cryptopan
# modes, gzip in and out, rotate, a config file, bad lines). A memcheck error
# or a definite leak fails the check (valgrind exits 99); so does an exit
# code other than the one the same command gives without valgrind. One run
# of worker threads (-j 3) goes through helgrind, which reports data races.
# Usage: tests/memcheck/run.sh  (LOGNYM: the binary, default ./lognym)
. "$(dirname "$0")/../lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v valgrind >/dev/null 2>&1; then
    notok "valgrind is installed (scripts/install-deps.sh ci)"
    exit 1
fi
VG="valgrind -q --suppressions=$root/tests/memcheck/pcre2-jit.supp --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --track-fds=no --num-callers=30"

# vg NAME ARGS...: runs lognym ARGS under memcheck (stdin from $T/stdin, if any).
vg() {
    name=$1
    shift
    in=/dev/null
    [ -f "$T/stdin" ] && in=$T/stdin
    "$LOGNYM" "$@" <"$in" >/dev/null 2>&1
    want=$?
    # shellcheck disable=SC2086
    $VG "$LOGNYM" "$@" <"$in" >"$T/vg.out" 2>"$T/vg.err"
    rc=$?
    if [ $rc -eq 99 ]; then
        notok "valgrind: $name" "$(grep '^==' "$T/vg.err" | head -40)"
    elif [ $rc -ne $want ]; then
        notok "valgrind: $name" "exit $rc under valgrind, $want without" "$(head -5 "$T/vg.err")"
    else
        ok "valgrind: $name (exit $rc)"
    fi
    rm -f "$T/stdin"
}

"$LOGNYM" keygen "$T/key" 2>/dev/null
if have_shared corpus; then
    for f in "$SHARED"/corpus/*.log; do
        vg "$(basename "$f")" -q "$f"
    done
    big=$(ls -S "$SHARED"/corpus/*.log | head -n 1)
    probes=$SHARED/corpus/nginx-apache-attack-probes-crowdsec.log
    [ -f "$probes" ] || probes=$big
    vg "hash mode, key file, daily keys: $(basename "$probes")" \
        -q --ip-mode hash --key-rotate daily --key-file "$T/key" "$probes"
    vg "cryptopan: $(basename "$probes")" -q --ip-mode cryptopan "$probes"
    gzip -c "$big" >"$T/big.log.gz"
    vg "gzip in, gzip out: $(basename "$big")" -q "$T/big.log.gz" -o "$T/out.log.gz"
    cp "$probes" "$T/rot.log"
    vg "rotate: $(basename "$probes")" rotate -q "$T/rot.log"
    cp "$T/big.log.gz" "$T/rot.log.gz"
    vg "rotate .gz: $(basename "$big")" rotate -q "$T/rot.log.gz"
    cp "$probes" "$T/stdin"
    vg "stdin, --bad-lines drop, summary: $(basename "$probes")" --bad-lines drop
    # Hit records (lognym-dask's map and reduce) and an exact partition merge.
    vg "hits: $(basename "$big")" hits -q -k "$T/key" "$big" -o "$T/big.hits"
    cp "$T/big.hits" "$T/stdin"
    vg "stats --from-hits: $(basename "$big")" stats --from-hits --json "$T/part.json"
    vg "merge of a partial report" merge "$T/part.json"
    # lognym audit on worker threads (findings merged batch by batch), JSON out
    vg "audit -j 3 --json: $(basename "$big") plain and gzip" audit -q -j 3 --json "$big" "$T/big.log.gz"
    # Worker threads under helgrind: no data race, no lock misuse.
    if valgrind --tool=helgrind --error-exitcode=99 -q "$LOGNYM" -q -j 3 -o "$T/hg.log" \
        "$big" "$T/big.log.gz" 2>"$T/hg.err"; then
        ok "helgrind: -j 3 over $(basename "$big") plain and gzip"
    else
        notok "helgrind: -j 3 over $(basename "$big") plain and gzip" "$(head -40 "$T/hg.err")"
    fi
    valgrind --tool=helgrind --error-exitcode=99 -q "$LOGNYM" audit -q -j 3 "$big" "$T/big.log.gz" \
        2>"$T/hg.err"
    if [ $? -ne 99 ]; then
        ok "helgrind: audit -j 3 over $(basename "$big") plain and gzip"
    else
        notok "helgrind: audit -j 3 over $(basename "$big") plain and gzip" "$(head -40 "$T/hg.err")"
    fi
fi
printf '192.0.2.1 - - [10/Oct/2025:13:55:36 +0200] "GET /a?email=a%%40example.com HTTP/1.1" 200 1 "-" "-"\n' >"$T/one.log"
printf 'ip-mode = hash\nquiet = yes\nbad-lines = scrub\n' >"$T/conf"
vg "config file, key file" -c "$T/conf" --key-file "$T/key" "$T/one.log"
printf 'garbage \000 with NUL 10.1.2.3\n\377\376 binary 2001:db8::1\nno newline 192.0.2.9' >"$T/stdin"
vg "bad lines from stdin"
vg "--help" --help
vg "unknown option" --no-such-option
vg "missing input file" "$T/missing.log"
[ "$nfail" -eq 0 ]
