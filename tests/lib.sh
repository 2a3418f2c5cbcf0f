# lib.sh: helpers for CLI tests. Each check prints "ok - NAME" or "not ok - NAME".
# Tests run the binary named by $LOGNYM in a fresh temp dir ($T).
: "${LOGNYM:=$(cd "$(dirname "$0")/../.." && pwd)/lognym}"
SHARED=${SHARED:-$(cd "$(dirname "$0")/../.." && pwd)/../shared}
export LC_ALL=C # byte semantics for grep on invalid UTF-8
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

ok() { echo "ok - $1"; }
# notok counts failures too, so a script can end with `exit $((nfail > 0))`.
nfail=0
notok() {
    nfail=$((nfail + 1))
    echo "not ok - $1"
    shift
    for l in "$@"; do echo "#   $l"; done
}

# check NAME COMMAND...: passes when COMMAND succeeds.
check() {
    name=$1; shift
    if "$@"; then ok "$name"; else notok "$name" "failed: $*"; fi
}

# same NAME EXPECTED_FILE ACTUAL_FILE: exact byte comparison, diff on failure.
same() {
    if cmp -s "$2" "$3"; then ok "$1"; else notok "$1" "$(diff "$2" "$3" | head -20)"; fi
}

# jeq NAME FILE FILTER EXPECTED: `jq -c FILTER FILE` prints exactly EXPECTED.
jeq() {
    got=$(jq -c "$3" "$2" 2>&1)
    if [ "$got" = "$4" ]; then ok "$1"; else notok "$1" "want: $4" "got:  $got"; fi
}

# have_corpus: true when ../shared/corpus is present; else says the test is skipped.
have_shared() {
    if [ -d "$SHARED/$1" ]; then return 0; fi
    echo "# skip: $SHARED/$1 is absent (these tests read the shared corpus)"
    return 1
}
