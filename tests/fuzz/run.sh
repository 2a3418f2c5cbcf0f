#!/bin/sh
# run.sh: runs the libFuzzer targets built by `make fuzz-build`.
# For each target: every input in tests/fuzz/regress/TARGET/ once (a crash or
# privacy leak found earlier must stay fixed), then SECONDS of fuzzing from the
# seed corpus tests/fuzz/corpus/TARGET/ (new inputs go to a temp dir; with
# FUZZ_MERGE=1 the ones that add coverage are merged into the seed corpus).
# Any crash, leak, timeout (10 s per input) or oracle failure fails the run;
# the input is saved in build/fuzz/artifacts/ and printed in base64.
# Usage: tests/fuzz/run.sh BIN_DIR [SECONDS [TARGET...]]  (SECONDS 0: replay only)
set -u
cd "$(dirname "$0")/../.."
bindir=${1:-build/fuzz/bin}
secs=${2:-45}
[ $# -ge 2 ] && shift 2 || shift $#
if [ $# -gt 0 ]; then
    targets=$*
else
    targets=$(cd "$bindir" && ls | grep -v '\.d$')
fi
art=build/fuzz/artifacts
mkdir -p "$art"
log=$(mktemp)
work=$(mktemp -d)
trap 'rm -rf "$log" "$work"' EXIT
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
passed=0
failed=0
# Seeds cut from ../shared/corpus when it is there (real logs, not committed).
tests/fuzz/seeds.sh shared "$work/shared" >/dev/null

report() { # name, log: the sanitizer or oracle report without libFuzzer's chatter
    echo "not ok - $1"
    grep -v -e '^INFO:' -e '^#[0-9]' -e '^	NEW_FUNC' -e '^MS:' "$2" | head -60 | sed 's/^/#   /'
    failed=$((failed + 1))
}

for t in $targets; do
    bin=$bindir/$t
    [ -x "$bin" ] || { echo "not ok - $t: $bin is missing"; failed=$((failed + 1)); continue; }
    corpus=tests/fuzz/corpus/$t
    regress=tests/fuzz/regress/$t
    mkdir -p "$corpus"
    if [ -d "$regress" ]; then
        for f in "$regress"/*; do
            [ -f "$f" ] || continue
            if "$bin" -timeout=10 "$f" >"$log" 2>&1; then
                echo "ok - $t: regression $(basename "$f")"
                passed=$((passed + 1))
            else
                report "$t: regression $(basename "$f")" "$log"
            fi
        done
    fi
    rm -rf "$work/$t"
    mkdir -p "$work/$t"
    extra=
    [ -d "$work/shared/$t" ] && extra=$work/shared/$t
    dict=
    [ -f "tests/fuzz/$t.dict" ] && dict="-dict=tests/fuzz/$t.dict"
    if [ "$secs" -gt 0 ]; then
        # A fixed seed (FUZZ_SEED, 1 unless given; 0 = random) so that a run
        # that fails replays the same way; explore with FUZZ_SEED=0.
        what="fuzzed ${secs}s, seed ${FUZZ_SEED:-1}"
        set -- -max_total_time="$secs" -seed="${FUZZ_SEED:-1}"
    else
        what="seed corpus replayed"
        set -- -runs=0
    fi
    # shellcheck disable=SC2086
    if "$bin" "$@" -timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
        -artifact_prefix="$art/$t-" $dict "$work/$t" "$corpus" $extra >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
        echo "ok - $t: $what, ${runs:-?} inputs, $cov, $(ls "$corpus" | wc -l) seeds"
        passed=$((passed + 1))
        if [ "${FUZZ_MERGE:-0}" = 1 ] && [ "$secs" -gt 0 ]; then
            "$bin" -merge=1 "$corpus" "$work/$t" >/dev/null 2>&1
            echo "# $t: seed corpus now $(ls "$corpus" | wc -l) inputs"
        fi
    else
        report "$t: $what" "$log"
        crash=$(sed -n "s/.*Test unit written to \(.*\)$/\1/p" "$log" | tail -n 1)
        if [ -n "$crash" ] && [ -f "$crash" ]; then
            echo "#   input saved as $crash; once fixed, keep it in $regress/"
            echo "#   base64: $(base64 -w0 "$crash" | head -c 4000)"
        fi
    fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
