#!/bin/sh
# run.sh: runs every unit test binary (cmocka) and every CLI test script
# (tests/cli/*.sh, tests/e2e/*.sh: "ok - name" / "not ok - name" lines),
# then prints one summary line: "N passed, N failed".
# Usage: tests/run.sh BUILD_DIR [PATTERN]
set -u
build=${1:-build}
pattern=${2:-}
cd "$(dirname "$0")/.."
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count() { # $1 = output file, $2 = name, $3 = exit status
    p=$(grep -c '^ok ' "$1")
    f=$(grep -c '^not ok ' "$1")
    cp=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -n 1)
    cf=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -n 1)
    p=$((p + ${cp:-0}))
    f=$((f + ${cf:-0}))
    if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "not ok - $2 exited with status $3"
        f=1
    fi
    passed=$((passed + p))
    failed=$((failed + f))
}

for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    case "$t" in *"$pattern"*) ;; *) continue ;; esac
    echo "# $t"
    "$t" >"$log" 2>&1
    st=$?
    cat "$log"
    count "$log" "$t" "$st"
done

# CLI tests run $LOGNYM when it is set, else BUILD_DIR/lognym when there is one
# (make debug: build/debug/lognym), else ./lognym.
if [ -z "${LOGNYM:-}" ]; then
    LOGNYM="$PWD/lognym"
    [ -x "$build/lognym" ] && LOGNYM=$(cd "$build" && pwd)/lognym
fi
for t in tests/cli/*.sh tests/e2e/*.sh; do
    [ -f "$t" ] || continue
    case "$t" in *"$pattern"*) ;; *) continue ;; esac
    echo "# $t"
    LOGNYM="$LOGNYM" sh "$t" >"$log" 2>&1
    st=$?
    cat "$log"
    count "$log" "$t" "$st"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
