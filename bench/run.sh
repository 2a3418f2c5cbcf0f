#!/usr/bin/env bash
# run.sh: lognym benchmark driver: builds the log generator, makes the input,
# times baselines and lognym (best wall time of N interleaved rounds, peak RSS), checks that
# lognym keeps every line, and writes bench/RESULTS.md.
#
# Usage: bench/run.sh            (`make bench` builds ./lognym first, then runs this)
# Environment (all optional):
#   BENCH_LINES=1000000   lines in the generated log
#   BENCH_RUNS=5          timed rounds (each runs every command once); the best wall time counts
#   BENCH_TIMEOUT=60      seconds before one run is killed and the row marked failed
#   LOGNYM=./lognym       the binary under test
#   BENCH_RESULTS=bench/RESULTS.md   where the report goes
#   BENCH_AWK=mawk        the awk of the awk baseline (default mawk, else awk)
#   BENCH_BIG=1           also run `lognym stats` once on a 10M-line log (bench/out/big.log,
#                         about 2.5 GB, made once) for its peak RSS; BENCH_BIG_LINES to change
# A lognym row that cannot run (no binary, unknown option, crash, timeout) is
# reported as "failed" and the run goes on. Exit status: 0, or 1 when the
# benchmark could not be set up or lognym's output lost or added lines.
# shellcheck disable=SC2015 # "a && b || die": die when either step fails, as meant
set -u
cd "$(dirname "$0")/.." || exit 1

lines_wanted=${BENCH_LINES:-1000000}
runs=${BENCH_RUNS:-5}
limit=${BENCH_TIMEOUT:-60}
lognym=${LOGNYM:-./lognym}
results=${BENCH_RESULTS:-bench/RESULTS.md}
out=bench/out
log=$out/bench.log
gz=$out/bench.log.gz
mkdir -p "$out" || exit 1
# The commit under test, taken before anything runs.
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- src Makefile 2>/dev/null)" ]; then
    commit="$commit (plus uncommitted changes in src/ or Makefile)"
fi

say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# ---- tools ----------------------------------------------------------------

gnu_time_ok() { /usr/bin/time -f '%e %M' -o /dev/null true 2>/dev/null; }
if ! gnu_time_ok && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian package time (GNU time, for peak RSS)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends time >&2 ||
        { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends time >&2; }
fi
have_gnu_time=0
gnu_time_ok && have_gnu_time=1
[ "$have_gnu_time" -eq 1 ] || say "GNU time not available: peak RSS will read n/a"
# GoAccess (Debian package goaccess) for the statistics rows, installed the same way.
if ! command -v goaccess >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian package goaccess (the statistics baseline)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends goaccess >&2 ||
        { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends goaccess >&2; }
fi
have_timeout=0
command -v timeout >/dev/null 2>&1 && have_timeout=1

# Microsecond wall clock: bash 5's EPOCHREALTIME, else GNU date.
now_us() {
    if [ -n "${EPOCHREALTIME:-}" ]; then
        local t=${EPOCHREALTIME/[.,]/}
        printf '%s\n' "$t"
    else
        local ns
        ns=$(date +%s%N)
        printf '%s\n' $((ns / 1000))
    fi
}

# ---- input ----------------------------------------------------------------

gen=$out/gen
if [ ! -x "$gen" ] || [ bench/gen.c -nt "$gen" ]; then
    say "building the generator"
    ${CC:-cc} -std=c11 -O2 -o "$gen.tmp" bench/gen.c -lm && mv -f "$gen.tmp" "$gen" ||
        die "cannot build bench/gen.c"
fi

stamp="$(cksum <bench/gen.c) lines=$lines_wanted"
if [ ! -s "$log" ] || [ ! -f "$log.stamp" ] || [ "$(cat "$log.stamp")" != "$stamp" ]; then
    say "generating $log ($lines_wanted lines)"
    rm -f "$log.stamp" "$gz"
    "$gen" "$lines_wanted" >"$log.tmp" 2>"$log.info" && mv -f "$log.tmp" "$log" ||
        die "generator failed"
    printf '%s\n' "$stamp" >"$log.stamp"
fi
if [ ! -s "$gz" ] || [ "$log" -nt "$gz" ]; then
    say "compressing $gz (gzip -6)"
    gzip -6 -c "$log" >"$gz.tmp" && mv -f "$gz.tmp" "$gz" || die "gzip failed"
fi
in_lines=$(wc -l <"$log")
in_bytes=$(wc -c <"$log")
gz_bytes=$(wc -c <"$gz")
info=$(cat "$log.info" 2>/dev/null)
# First fields of the first 1000 lines, to see that lognym changes the IPs.
head -n 1000 "$log" | cut -d' ' -f1 >"$out/ips.ref"
cat "$log" "$gz" >/dev/null # warm the page cache

# ---- measuring ------------------------------------------------------------

tf=$(mktemp) ef=$(mktemp)
trap 'rm -f "$tf" "$ef"' EXIT

# run_once STDIN CMD...: one run; sets run_us, run_kb, run_rc, run_err.
run_once() {
    local stdin=$1
    shift
    local pre=()
    [ "$have_timeout" -eq 1 ] && pre=(timeout "$limit")
    local t0 t1
    : >"$tf"
    t0=$(now_us)
    if [ "$have_gnu_time" -eq 1 ]; then
        /usr/bin/time -f '%e %M' -o "$tf" "${pre[@]}" "$@" <"$stdin" >/dev/null 2>"$ef"
    else
        "${pre[@]}" "$@" <"$stdin" >/dev/null 2>"$ef"
    fi
    run_rc=$?
    t1=$(now_us)
    run_us=$((t1 - t0))
    run_kb=$(tail -n 1 "$tf" 2>/dev/null | awk 'NF == 2 { print $2 }')
    run_err=$(head -n 1 "$ef" | cut -c1-120)
}

# Row tables, indexed by row number.
names=() wall=() rss=() status=() checks=() stdins=() cmds=()

# measure NAME STDIN CMD...: adds a row; measure_rows times it later.
measure() {
    local n=${#names[@]}
    names[n]=$1 stdins[n]=$2 wall[n]="" rss[n]="" status[n]=ok
    shift 2
    cmds[n]=$(printf '%q ' "$@")
    [ "$1" = "$lognym" ] && [ ! -x "$lognym" ] && status[n]="failed: $lognym not built"
    return 0
}

# measure_rows FIRST ROUNDS: times rows FIRST..last in rounds, each round
# running every row once, so that a slow spell of this shared machine falls
# on all rows alike instead of on one row's runs; keeps the best wall time
# and the largest peak RSS of each row.
measure_rows() {
    local first=$1 rounds=$2 r n
    for ((r = 0; r < rounds; r++)); do
        for ((n = first; n < ${#names[@]}; n++)); do
            [ "${status[n]}" = ok ] || continue
            # A command over 40 s gets one run, to keep the whole benchmark short
            # (GoAccess, 12-22 s here, runs every round: one slow run must not count).
            [ -n "${wall[n]}" ] && [ "${wall[n]}" -gt 40000000 ] && continue
            eval "set -- ${cmds[n]}"
            run_once "${stdins[n]}" "$@"
            if [ "$run_rc" -ne 0 ]; then
                if [ "$run_rc" -eq 124 ] && [ "$have_timeout" -eq 1 ]; then
                    status[n]="failed: over ${limit} s"
                elif [ "$run_rc" -gt 128 ] && [ "$run_rc" -lt 160 ]; then
                    status[n]="failed: killed by signal $((run_rc - 128))"
                else
                    status[n]="failed: exit $run_rc${run_err:+: $run_err}"
                fi
                wall[n]=""
                continue
            fi
            if [ -z "${wall[n]}" ] || [ "$run_us" -lt "${wall[n]}" ]; then wall[n]=$run_us; fi
            if [ -n "$run_kb" ] && { [ -z "${rss[n]}" ] || [ "$run_kb" -gt "${rss[n]}" ]; }; then
                rss[n]=$run_kb
            fi
        done
    done
    for ((n = first; n < ${#names[@]}; n++)); do
        if [ "${status[n]}" = ok ]; then
            say "$(printf '%-36s %8.3f s %8s KB' "${names[n]}" "$(awk -v u="${wall[n]}" 'BEGIN { print u / 1e6 }')" "${rss[n]:-n/a}")"
        else
            say "$(printf '%-36s %s' "${names[n]}" "${status[n]}")"
        fi
    done
}

# check ROW STDIN ARGS...: lognym keeps the line count and changes the IPs
# (the generator's IPv4 never end in .0, so truncation always changes them).
check() {
    local row=$1 stdin=$2
    shift 2
    [ "${status[row]}" = ok ] || { checks[row]=""; return; }
    local res rc nl same
    res=$("$lognym" "$@" <"$stdin" 2>/dev/null |
        awk -v ref="$out/ips.ref" 'NR <= 1000 { if ((getline r <ref) > 0 && $1 == r) same++ }
                                  END { print NR, same + 0 }')
    rc=${PIPESTATUS[0]}
    nl=${res% *} same=${res#* }
    if [ "$rc" -ne 0 ]; then
        checks[row]="FAILED: exit $rc"
    elif [ "$nl" != "$in_lines" ]; then
        checks[row]="FAILED: $nl lines out, $in_lines in"
    elif [ "$same" -gt 10 ]; then
        checks[row]="FAILED: $same/1000 sampled IPs unchanged (none of the generator's IPs should survive)"
    else
        checks[row]="ok: $nl lines; $same/1000 sampled IPs unchanged"
    fi
    say "$(printf '%-36s check %s' "${names[row]}" "${checks[row]}")"
}

say "input: $in_lines lines, $in_bytes bytes ($gz_bytes gzipped); $runs runs each"
# The awk baseline is pinned: Debian's /usr/bin/awk is mawk until gawk gets
# installed (make test does), and gawk is usually slower.
bench_awk=${BENCH_AWK:-$(command -v mawk || command -v awk)}
awk_impl=$(basename "$(readlink -f "$bench_awk")")
measure "wc -l" "$log" wc -l
measure "cat >/dev/null" "$log" cat
# shellcheck disable=SC2016 # the awk program, not shell
measure "awk '{\$1=\"x\"; print}' ($awk_impl)" "$log" "$bench_awk" '{$1="x"; print}'
measure "zcat bench.log.gz" /dev/null zcat "$gz"
measure "lognym --ip-mode truncate" "$log" "$lognym" --ip-mode truncate
measure "lognym --ip-mode hash" "$log" "$lognym" --ip-mode hash
measure "lognym --ip-mode cryptopan" "$log" "$lognym" --ip-mode cryptopan
measure "lognym --ip-mode truncate < .gz" "$gz" "$lognym" --ip-mode truncate
# The rows above scrub URLs with the default rules (filters/); this one
# anonymises addresses only, to show what the rules cost.
measure "lognym --ip-mode truncate --no-filters" "$log" "$lognym" --ip-mode truncate --no-filters
# ---- statistics -------------------------------------------------------------
# `lognym stats` (JSON report) and GoAccess (JSON report) on the same file in
# the same run; each report must count every line. Rows are found by index.

# json_count FILE KEY: the first "KEY": N in FILE (lognym's summary comes
# before its tables; GoAccess writes one line), or empty.
json_count() { grep -o "\"$2\": *[0-9]*" "$1" 2>/dev/null | head -n 1 | grep -o '[0-9]*$'; }

row_stats=${#names[@]}
rm -f "$out/stats.json" "$out/goaccess.json"
measure "lognym stats --json" "$log" "$lognym" stats -q --json "$out/stats.json"
row_ga=${#names[@]}
if command -v goaccess >/dev/null 2>&1; then
    ga_version=$(goaccess --version 2>/dev/null | head -n 1 | sed 's/ *- */ /; s/\.$//')
    measure "goaccess --log-format=COMBINED -o json" /dev/null \
        goaccess "$log" --log-format=COMBINED -o "$out/goaccess.json"
else
    ga_version=""
    names[row_ga]="goaccess --log-format=COMBINED -o json"
    wall[row_ga]="" rss[row_ga]="" status[row_ga]="failed: goaccess not installed (Debian package goaccess)"
    say "$(printf '%-36s %s' "${names[row_ga]}" "${status[row_ga]}")"
fi
stats_bad=0
check_count() { # ROW FILE KEY: the report of row ROW counts every input line
    local n
    if [ "${status[$1]}" != ok ]; then
        checks[$1]=""
        return
    fi
    n=$(json_count "$2" "$3")
    if [ "$n" = "$in_lines" ]; then
        checks[$1]="ok: \`$3\` = $n"
    else
        checks[$1]="FAILED: \`$3\` = ${n:-none}, $in_lines lines in"
        [ "$1" = "$row_stats" ] && stats_bad=$((stats_bad + 1))
    fi
    say "$(printf '%-36s check %s' "${names[$1]}" "${checks[$1]}")"
}

# Two load-balanced servers: the log dealt alternately into two files (each in
# time order), given as two inputs read merged by time. Its report must count
# every line too.
awk -v a="$out/web1.log" -v b="$out/web2.log" '{ print > (NR % 2 ? a : b) }' "$log" ||
    die "cannot split $log"
row_two=${#names[@]}
measure "lognym stats --json web1.log web2.log" /dev/null \
    "$lognym" stats -q --json "$out/stats-two.json" "$out/web1.log" "$out/web2.log"

# The rows above use worker threads (-j 0: one per core); these show one thread.
row_j1=${#names[@]}
measure "lognym --ip-mode truncate -j 1" "$log" "$lognym" --ip-mode truncate -j 1
row_stats_j1=${#names[@]}
measure "lognym stats --json -j 1" "$log" "$lognym" stats -q -j 1 --json "$out/stats-j1.json"
# lognym audit over the raw bench log (it finds the addresses, so exit 1 is
# its success here); target: at least the anonymiser's throughput.
row_audit=${#names[@]}
# shellcheck disable=SC2016 # "$0" is expanded by the inner sh
measure "lognym audit" "$log" sh -c '"$0" audit >/dev/null; [ $? -le 1 ]' "$lognym"

measure_rows 0 "$runs"
check 4 "$log" --ip-mode truncate
check 5 "$log" --ip-mode hash
check 6 "$log" --ip-mode cryptopan
check 7 "$gz" --ip-mode truncate
check 8 "$log" --ip-mode truncate --no-filters
# What the default rules replaced in the benchmark log, by marker.
scrubbed=""
if [ "${status[4]}" = ok ]; then
    scrubbed=$("$lognym" -q --ip-mode truncate <"$log" 2>/dev/null |
        grep -oE '%5B[a-z-]+%5D|\[[a-z-]+\]|[?&](user|login|uid)=user-[0-9a-f]{12}' |
        sed -E 's/^[?&][a-z]+=user-.*/user-<hex>/' | sort | uniq -c | sort -rn |
        awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 }')
fi

check_count "$row_stats" "$out/stats.json" hits
check_count "$row_ga" "$out/goaccess.json" valid_requests
check_count "$row_two" "$out/stats-two.json" hits
[ -n "${checks[row_two]:-}" ] && [ "${checks[row_two]#ok}" = "${checks[row_two]}" ] &&
    stats_bad=$((stats_bad + 1))

# Peak RSS of `lognym stats` on a 10M-line log, one run (BENCH_BIG=1 only).
row_big=""
big_lines=${BENCH_BIG_LINES:-10000000}
big=$out/big.log
if [ "${BENCH_BIG:-0}" = 1 ]; then
    big_stamp="$(cksum <bench/gen.c) lines=$big_lines"
    if [ ! -s "$big" ] || [ ! -f "$big.stamp" ] || [ "$(cat "$big.stamp")" != "$big_stamp" ]; then
        say "generating $big ($big_lines lines, about $(awk -v n="$big_lines" 'BEGIN { printf "%.1f", n * 255 / 1e9 }') GB)"
        rm -f "$big.stamp"
        "$gen" "$big_lines" >"$big.tmp" 2>"$big.info" && mv -f "$big.tmp" "$big" ||
            die "generator failed for $big"
        printf '%s\n' "$big_stamp" >"$big.stamp"
    fi
    big_in=$(wc -l <"$big")
    row_big=${#names[@]}
    saved_limit=$limit
    limit=$((limit > 900 ? limit : 900))
    measure "lognym stats --json ($big_in lines)" "$big" "$lognym" stats -q --json "$out/big-stats.json"
    measure_rows "$row_big" 1
    limit=$saved_limit
fi

# ---- report ---------------------------------------------------------------

num() { awk "BEGIN { printf \"$1\", $2 }"; }
secs() { [ -n "${wall[$1]}" ] && num '%.3f' "${wall[$1]} / 1e6"; }

# ratio NUM_ROW DEN_ROW: wall[num] / wall[den], or empty.
ratio() {
    [ -n "${wall[$1]}" ] && [ -n "${wall[$2]}" ] && num '%.2f' "${wall[$1]} / ${wall[$2]}"
}
# verdict VALUE OP LIMIT: met / not met / n/a.
verdict() {
    [ -n "$1" ] || { echo "n/a (a row failed)"; return; }
    if awk "BEGIN { exit !($1 $2 $3) }"; then echo "met"; else echo "**not met**"; fi
}

cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')
cores=$(nproc 2>/dev/null || echo '?')
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
when=$(date -u '+%Y-%m-%d %H:%M UTC')
mb=$(num '%.1f' "$in_bytes / 1e6")
gzmb=$(num '%.1f' "$gz_bytes / 1e6")

r_awk=$(ratio 2 4)   # awk time / truncate time = truncate throughput / awk throughput
r_wc=$(ratio 4 0)    # truncate time / wc -l time
r_hash=$(ratio 5 4)
r_cpan=$(ratio 6 4)
r_gz=$(ratio 7 3)
r_rules=$(ratio 4 8) # default rules / addresses only
peak=""
for i in 4 5 6 7 8; do
    if [ "${status[i]}" = ok ] && [ -n "${rss[i]}" ]; then
        if [ -z "$peak" ] || [ "${rss[i]}" -gt "$peak" ]; then peak=${rss[i]}; fi
    fi
done
peak_mb=""
[ -n "$peak" ] && peak_mb=$(num '%.1f' "$peak / 1024")

failed_rows=0
for i in 4 5 6 7 8; do [ "${status[i]}" = ok ] || failed_rows=$((failed_rows + 1)); done
bad_checks=0
for i in 4 5 6 7 8; do case "${checks[i]:-}" in FAILED*) bad_checks=$((bad_checks + 1)) ;; esac; done
bad_checks=$((bad_checks + stats_bad))
# Statistics: GoAccess time / lognym stats time = lognym's throughput over GoAccess's.
r_ga=$(ratio "$row_ga" "$row_stats")
r_awk_j1=$(ratio 2 "$row_j1")                    # one thread's throughput over awk's
r_threads=$(ratio "$row_j1" 4)                   # one thread's time / the default's
r_ga_j1=$(ratio "$row_ga" "$row_stats_j1")
r_ga_two=$(ratio "$row_ga" "$row_two")
r_audit=$(ratio 4 "$row_audit") # truncate time / audit time = audit throughput / anonymiser's
stats_mb="" big_mb="" big_lps=""
[ "${status[row_stats]}" = ok ] && [ -n "${rss[row_stats]}" ] && stats_mb=$(num '%.1f' "${rss[row_stats]} / 1024")
if [ -n "$row_big" ] && [ "${status[row_big]}" = ok ]; then
    [ -n "${rss[row_big]}" ] && big_mb=$(num '%.1f' "${rss[row_big]} / 1024")
    big_lps=$(num '%.0f' "$big_in / (${wall[row_big]} / 1e6)")
fi

tmp_results=$(mktemp)
{
    echo "# lognym benchmark results"
    echo
    echo "Written by \`bench/run.sh\` (\`make bench\`); see bench/README.md for what is measured."
    echo
    echo "- date: $when"
    echo "- commit: $commit"
    echo "- machine: nproc $cores, ${cpu:-unknown CPU}, ${mem:-? GiB} RAM, Linux $(uname -r)"
    echo "- input: \`bench/out/bench.log\`, $in_lines lines, $mb MB ($gzmb MB as .gz, gzip -6), from \`bench/gen.c\`"
    [ -n "$info" ] && echo "- generator: $info"
    echo "- method: best wall time of $runs rounds, each round running every command once in turn (bash EPOCHREALTIME around each run); peak RSS is the largest of the runs ($([ "$have_gnu_time" -eq 1 ] && echo 'GNU time %M' || echo 'not available'));"
    echo "  each command reads the file on stdin (zcat takes it as an argument) and writes to /dev/null; the file is in the page cache"
    echo
    if [ "$failed_rows" -gt 0 ]; then
        echo "**Note:** $failed_rows lognym row(s) failed (see Status); their figures and the targets that need them read n/a."
        echo
    fi
    echo "| command | wall s | lines/s | MB/s | peak RSS MB | status |"
    echo "| --- | ---: | ---: | ---: | ---: | --- |"
    for i in "${!names[@]}"; do
        if [ "${status[i]}" = ok ]; then
            s=$(secs "$i")
            lps=$(num '%.0f' "$in_lines / (${wall[i]} / 1e6)")
            mbs=$(num '%.1f' "$in_bytes / 1e6 / (${wall[i]} / 1e6)")
            r=n/a
            [ -n "${rss[i]}" ] && r=$(num '%.1f' "${rss[i]} / 1024")
            echo "| \`${names[i]}\` | $s | $lps | $mbs | $r | ok |"
        else
            echo "| \`${names[i]}\` | - | - | - | - | ${status[i]//|/\\|} |"
        fi
    done
    echo
    echo "MB = 10^6 bytes of uncompressed log (also for the .gz rows); RSS MB = MiB."
    echo "The lognym rows scrub URLs with the default rules of filters/, except the"
    echo "\`--no-filters\` row, which anonymises addresses only."
    echo
    echo "## Targets"
    echo
    echo "| measure | value | target | verdict |"
    echo "| --- | ---: | ---: | --- |"
    echo "| truncate throughput / awk throughput | ${r_awk:-n/a} | >= 3 | $(verdict "$r_awk" '>=' 3) |"
    echo "| truncate time / \`wc -l\` time | ${r_wc:-n/a} | (report only) | - |"
    echo "| one thread (\`-j 1\`): truncate throughput / awk throughput | ${r_awk_j1:-n/a} | (report only) | - |"
    echo "| \`-j 1\` time / default (one thread per core) time | ${r_threads:-n/a} | (report only) | - |"
    echo "| hash time / truncate time | ${r_hash:-n/a} | <= 1.3 | $(verdict "$r_hash" '<=' 1.3) |"
    echo "| cryptopan time / truncate time | ${r_cpan:-n/a} | <= 1.3 | $(verdict "$r_cpan" '<=' 1.3) |"
    echo "| gzip-input lognym time / zcat time | ${r_gz:-n/a} | <= 1.1 | $(verdict "$r_gz" '<=' 1.1) |"
    echo "| default URL rules time / \`--no-filters\` time | ${r_rules:-n/a} | <= 1.5 | $(verdict "$r_rules" '<=' 1.5) |"
    echo "| peak RSS of lognym, MB (largest row) | ${peak_mb:-n/a} | < 32 | $(verdict "$peak_mb" '<' 32) |"
    echo "| \`lognym audit\` throughput / anonymiser (truncate) throughput | ${r_audit:-n/a} | >= 1 | $(verdict "$r_audit" '>=' 1) |"
    echo
    echo "## URL scrubbing"
    echo
    echo "The default rules of \`filters/\` (e-mails, phones, national ids, cards, IBANs, secrets and"
    echo "identifiers by parameter name, JWTs) run on the request line and the referrer of every line;"
    echo "a URL that none of them can match costs one pass over its bytes (see filters/README.md)."
    echo
    echo "- addresses only (\`--no-filters\`): $(secs 8 || echo n/a) s; with the default rules: $(secs 4 || echo n/a) s; ratio ${r_rules:-n/a} (target <= 1.5)"
    echo "- replaced in this log, by marker: ${scrubbed:-n/a}"
    echo
    echo "## Statistics"
    echo
    echo "\`lognym stats -q --json FILE\` reads the log on stdin and writes the JSON report (visits, tables,"
    echo "sketches) and its text summary (to /dev/null). GoAccess${ga_version:+ ($ga_version)} is run as"
    echo "\`goaccess bench.log --log-format=COMBINED -o goaccess.json\`: it reads the file itself"
    echo "(stdin is /dev/null) and writes its JSON report. Both run in this same benchmark."
    echo
    echo "| measure | value | target | verdict |"
    echo "| --- | ---: | ---: | --- |"
    echo "| lognym stats throughput / GoAccess throughput | ${r_ga:-n/a} | >= 10 | $(verdict "$r_ga" '>=' 10) |"
    echo "| the same with one thread (\`-j 1\`; GoAccess uses one) | ${r_ga_j1:-n/a} | (report only) | - |"
    echo "| the same log as two inputs merged by time (\`stats web1.log web2.log\`) | ${r_ga_two:-n/a} | >= 10 | $(verdict "$r_ga_two" '>=' 10) |"
    echo "| peak RSS of lognym stats, 1M lines, MB | ${stats_mb:-n/a} | (report only) | - |"
    if [ -n "$row_big" ]; then
        echo "| peak RSS of lognym stats, $big_in lines, MB | ${big_mb:-n/a} | < 256 | $(verdict "$big_mb" '<' 256) |"
    else
        echo "| peak RSS of lognym stats, 10M lines, MB | n/a (run with BENCH_BIG=1) | < 256 | n/a |"
    fi
    echo
    if [ -n "$row_big" ]; then
        echo "10M-line input: \`bench/out/big.log\`, $big_in lines from \`bench/out/gen $big_lines\`, one run"
        echo "(${big_lps:-n/a} lines/s). $(cat "$big.info" 2>/dev/null)"
        echo
    fi
    echo "Each report must count every input line (lognym \`summary.hits\`, GoAccess \`valid_requests\`):"
    echo
    echo "- \`${names[row_stats]}\`: ${checks[row_stats]:-not run (row failed)}"
    echo "- \`${names[row_ga]}\`: ${checks[row_ga]:-not run (row failed)}"
    echo "- \`${names[row_two]}\`: ${checks[row_two]:-not run (row failed)}"
    echo
    echo "## Sanity checks"
    echo
    echo "Each lognym mode is run once more with its output piped to awk: the output must have"
    echo "as many lines as the input, and the first field (the IP) of at most 10 of the first"
    echo "1000 lines may come out unchanged. A failed check makes \`bench/run.sh\` exit 1."
    echo
    for i in 4 5 6 7 8; do
        echo "- \`${names[i]}\`: ${checks[i]:-not run (row failed)}"
    done
    # The hand-written before/after record of changes, kept as it was.
    if [ -f "$results" ] && grep -q '^## Before and after$' "$results"; then
        echo
        awk '/^## Before and after$/ { keep = 1; print; next } /^## / { keep = 0 } keep' "$results"
    fi
    if [ -f "$results" ] && grep -q '^## More than one machine$' "$results"; then
        echo # bench/dask.sh's section, kept as it was
        sed -n '/^## More than one machine$/,$p' "$results"
    fi
} >"$tmp_results"
mv -f "$tmp_results" "$results" || die "cannot write $results"
chmod 0644 "$results" 2>/dev/null
echo
cat "$results"
if [ "$bad_checks" -gt 0 ]; then
    say "$bad_checks sanity check(s) failed: lognym lost or added lines, or kept IPs"
    exit 1
fi
exit 0
