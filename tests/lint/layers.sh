#!/bin/sh
# layers.sh: the include order of src/'s stage folders, written once here.
# A file may include headers of its own folder and of folders listed before
# it, never of a folder listed after it: a lower layer knows nothing of the
# layers built on it. "." is src/ itself (the commands and the pipeline).
# Run by `make lint`; exits 1 naming each include that goes against the order.
set -u
cd "$(dirname "$0")/../.."
LAYERS="common io anon format scrub rewrite report stats ."

rank() { # rank FOLDER: its position in LAYERS, or nothing when unlisted
    i=0
    for l in $LAYERS; do
        [ "$l" = "$1" ] && { echo $i; return; }
        i=$((i + 1))
    done
}
folder() { # folder PATH: the stage folder of a file under src/
    d=$(dirname "${1#src/}")
    echo "${d%%/*}"
}

all=$(find src -name '*.[ch]' | sort)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
for d in src src/*/; do
    d=${d%/}
    [ "$d" = src ] && f=. || f=${d#src/}
    if [ -z "$(rank "$f")" ]; then
        echo "layers: src/$f is not in tests/lint/layers.sh's LAYERS" >&2
        status=1
    fi
done
for file in $all; do
    from=$(folder "$file")
    rfrom=$(rank "$from")
    grep -n '^#include "' "$file" | while IFS=: read -r line inc; do
        h=$(printf '%s\n' "$inc" | sed 's/^#include "\(.*\)".*/\1/')
        target=$(printf '%s\n' $all | grep -m 1 "/$h\$")
        if [ -z "$target" ]; then
            echo "$file:$line: includes \"$h\", which is not under src/"
            continue
        fi
        to=$(folder "$target")
        rto=$(rank "$to")
        if [ -n "$rfrom" ] && [ -n "$rto" ] && [ "$rto" -gt "$rfrom" ]; then
            echo "$file:$line: $from/ includes $target, a higher layer ($LAYERS)"
        fi
    done
done >"$out"
if [ -s "$out" ]; then
    cat "$out"
    echo "lint: layers: $(wc -l <"$out") include(s) against the layer order"
    status=1
else
    echo "lint: layers: clean ($LAYERS)"
fi
rm -f "$out"
exit $status
