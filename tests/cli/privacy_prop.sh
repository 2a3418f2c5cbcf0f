#!/bin/sh
# privacy_prop.sh: the privacy property test (issue 11, item 6). A seeded
# generator (tests/prop/privacy_gen.py) plants secrets of every kind into
# every field kind of every preset, of random Apache and nginx formats and of
# JSON lines, runs every IP mode with every report, and fails when a planted
# value survives (output, stderr, reports) or an innocent value is lost.
# PROP_SEED=N repeats a run (the seed is printed); see the generator's head
# for the other knobs.
. "$(dirname "$0")/../lib.sh"

py=/usr/bin/python3 # Debian's: the standard library is all the generator needs
if [ ! -x "$py" ]; then
    echo "# skip: $py is absent"
    exit 0
fi
LOGNYM="$LOGNYM" "$py" "$(dirname "$0")/../prop/privacy_gen.py"
