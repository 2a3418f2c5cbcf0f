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

# need TOOL...: ends the script with a skip when a TOOL is not on PATH.
need() {
    for _tool in "$@"; do
        command -v "$_tool" >/dev/null 2>&1 && continue
        echo "# skip: $_tool is not installed (scripts/install-deps.sh test installs it)"
        exit 0
    done
}

# fixed_key FILE: a fixed key in FILE (mode 600), so that pseudonyms and
# visitor ids are the same on every run.
fixed_key() {
    printf '%s\n' 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f >"$1"
    chmod 600 "$1"
}

# norm: pseudonyms (NAME-<12 hex digits>) written NAME-<hash>, as in a
# hand-written expected output.
norm() { sed -E 's/-[0-9a-f]{12}/-<hash>/g'; }

# expect NAME ARGS...: `lognym -q ARGS` (stdin is the input) writes exactly
# $T/want, pseudonyms normalised; the raw output stays in $T/got.raw.
expect() {
    name=$1; shift
    "$LOGNYM" -q "$@" >"$T/got.raw" 2>"$T/err"
    norm <"$T/got.raw" >"$T/got"
    same "$name" "$T/want" "$T/got"
}

# absent NAME GREP-ARGS...: passes when `grep GREP-ARGS` matches nothing;
# else shows what it matched. A grep error (a missing file) fails too.
absent() {
    name=$1; shift
    grep "$@" >"$T/absent.hits" 2>&1
    case $? in
    1) ok "$name" ;;
    0) notok "$name" "$(head -c 600 "$T/absent.hits")" ;;
    *) notok "$name" "grep failed: $(head -c 300 "$T/absent.hits")" ;;
    esac
}
