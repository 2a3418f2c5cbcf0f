#!/bin/bash
# dask.sh: lognym statistics on one machine and on a local Dask cluster of 1
# and 2 workers (scripts/lognym-dask), over one log set split at random
# between three servers; the bytes per hit record that cross the shuffle.
# Writes the section "## More than one machine" of bench/RESULTS.md (the
# rest of the file is bench/run.sh's, which keeps this section).
# Usage: bench/dask.sh [LINES]   (default 10000000; `make bench-dask`)
set -u
cd "$(dirname "$0")/.."
lines=${1:-10000000}
out=bench/out/dask
results=${BENCH_RESULTS:-bench/RESULTS.md}
lognym=$PWD/lognym
mkdir -p "$out"
say() { echo "bench/dask.sh: $*" >&2; }
die() { say "$*"; exit 1; }
[ -x "$lognym" ] || die "build lognym first (make lognym)"
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import distributed' 2>/dev/null ||
    die "python3-distributed is missing (scripts/install-deps.sh test)"

gen=bench/out/gen
if [ ! -x "$gen" ] || [ bench/gen.c -nt "$gen" ]; then
    mkdir -p bench/out
    ${CC:-cc} -std=c11 -O2 -o "$gen" bench/gen.c -lm || die "cannot build bench/gen.c"
fi
stamp="$(cksum <bench/gen.c) lines=$lines"
if [ ! -f "$out/stamp" ] || [ "$(cat "$out/stamp")" != "$stamp" ]; then
    say "generating $lines lines, split at random between web1..web3"
    rm -f "$out"/web*.log "$out/stamp"
    "$gen" "$lines" 2>"$out/gen.info" |
        awk -v dir="$out" 'BEGIN { srand(3) } { print > (dir "/web" (1 + int(rand() * 3)) ".log") }' ||
        die "generator failed"
    printf '%s\n' "$stamp" >"$out/stamp"
fi
logs="$out/web1.log $out/web2.log $out/web3.log"
[ -f "$out/key" ] || "$lognym" keygen "$out/key" 2>/dev/null
in_lines=$(cat $logs | wc -l)
in_mb=$(cat $logs | wc -c | awk '{ printf "%.1f", $1 / 1e6 }')

# run NAME COMMAND...: one run, wall seconds and peak RSS (of the command and
# its children that GNU time sees; Dask workers are separate processes).
declare -a names walls
run() {
    local name=$1
    shift
    say "$name"
    local t0 t1
    t0=$EPOCHREALTIME
    "$@" >/dev/null 2>"$out/err" || { cat "$out/err" >&2; die "$name failed"; }
    t1=$EPOCHREALTIME
    names+=("$name")
    walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')")
}
run "lognym stats (one machine, threads: one per core)" \
    "$lognym" stats -q -k "$out/key" --json "$out/one.json" $logs
run "lognym-dask --workers 1" scripts/lognym-dask --lognym "$lognym" --workers 1 -q \
    -k "$out/key" --json "$out/dask1.json" $logs
run "lognym-dask --workers 2" scripts/lognym-dask --lognym "$lognym" --workers 2 -q \
    -k "$out/key" --json "$out/dask2.json" $logs

# Bytes per hit record: the map output of one server's log.
"$lognym" hits -q -k "$out/key" "$out/web1.log" | wc -lc >"$out/hits.wc"
read -r rec_lines rec_bytes <"$out/hits.wc"
per=$(awk -v b="$rec_bytes" -v n="$rec_lines" 'BEGIN { printf "%.1f", b / n }')
# The same figures? (lognym stats reads the files one after the other; the
# Dask reduce orders each visitor's hits by time across servers.)
same=$(for f in one dask1 dask2; do jq -c '.summary | {hits, page_views, visits, bounces, visitors}' "$out/$f.json"; done | sort -u | wc -l)
summary=$(jq -c '.summary | {hits, page_views, visits, bounces, visitors}' "$out/dask2.json")
one_summary=$(jq -c '.summary | {hits, page_views, visits, bounces, visitors}' "$out/one.json")

section=$(mktemp)
{
    echo "## More than one machine"
    echo
    echo "Written by \`bench/dask.sh\` (\`make bench-dask\`), one run each, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null)."
    echo "Input: \`bench/gen.c\` $lines lines split at random between three \"servers\" ($in_lines lines, $in_mb MB),"
    echo "on this shared 2-core machine (load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)); Dask local clusters start inside the timed run."
    echo
    echo "| command | wall s | lines/s |"
    echo "| --- | ---: | ---: |"
    for i in "${!names[@]}"; do
        echo "| \`${names[i]}\` | ${walls[i]} | $(awk -v n="$in_lines" -v s="${walls[i]}" 'BEGIN { printf "%d", n / s }') |"
    done
    echo
    echo "- hit record: $per bytes a hit on average (\`lognym hits\` of web1: $rec_bytes bytes, $rec_lines records); raw log: $(awk -v b="$(wc -c <"$out/web1.log")" -v n="$rec_lines" 'BEGIN { printf "%.1f", b / n }') bytes a line"
    echo "- figures: lognym-dask (1 and 2 workers) $summary; lognym stats $one_summary ($same distinct summaries)"
    echo
    # Projection, on paper: a busy site, 50 million hits a day for a year, on
    # 100 machines of 8 cores, at the per-core rate measured here with 1 worker.
    awk -v per="$per" -v rate="$(awk -v n="$in_lines" -v s="${walls[1]}" 'BEGIN { print n / s }')" 'BEGIN {
        hits = 50e6 * 365; tb = hits * per / 1e12; cores = 100 * 8
        printf "Projection (on paper): a busy site with 50 million hits a day has %.2g hits a year;", hits
        printf " at %.0f bytes a record, %.1f TB of hit records cross the shuffle (%.0f GB sent and", per, tb, tb * 1000 / 100
        printf " about as much received by each of 100 machines: %.0f s at 10 Gbit/s).", tb * 1e12 / 100 / 1.25e9
        printf " At the end-to-end rate of one worker here (%.0f lines/s a core, on this loaded machine),", rate
        printf " 100 machines of 8 cores take about %.0f minutes for the year;", hits / (rate * cores) / 60
        printf " partitions of about 1 GB (`--partitions %d`) keep each reduce task in memory.", tb * 1000 / 1
        printf " Unique visitors are exact only within one job (the same key and partitions):"
        printf " monthly jobs merged together give estimated visitors.\n"
    }'
} >"$section"

# Replace the section in the results file, or append it.
if [ -f "$results" ]; then
    awk '/^## More than one machine$/ { skip = 1 } /^## / && !/^## More than one machine$/ { skip = 0 } !skip' \
        "$results" >"$results.tmp"
else
    : >"$results.tmp"
fi
{ cat "$results.tmp"; echo; cat "$section"; } | cat -s >"$results"
rm -f "$results.tmp" "$section"
sed -n '/^## More than one machine$/,$p' "$results"
