# schema.sh: reports of the fixture and of every access log in the shared
# corpus validate against docs/report.schema.json (Debian's python3-jsonschema),
# and a report with a string in a number column does not.
. "$(dirname "$0")/../lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
schema=$root/docs/report.schema.json
PY=/usr/bin/python3
if ! $PY -c 'import jsonschema' 2>/dev/null; then
    notok "python3-jsonschema is installed (scripts/install-deps.sh test)"
    exit 1
fi
cat >"$T/validate.py" <<'PYEOF'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
bad = 0
for path in sys.argv[2:]:
    errors = sorted(v.iter_errors(json.load(open(path))), key=lambda e: list(e.path))
    for e in errors[:3]:
        print("%s: %s: %s" % (path, "/".join(map(str, e.path)), e.message))
    bad += bool(errors)
sys.exit(1 if bad else 0)
PYEOF
validate() { $PY "$T/validate.py" "$schema" "$@" >"$T/v.out" 2>&1; }

"$LOGNYM" stats -q --geoip none --min-visitors 1 --json "$T/fixture.json" "$root/tests/data/stats-two-days.log"
"$LOGNYM" stats -q --geoip none --min-visitors 5 --json "$T/fixture-k5.json" "$root/tests/data/stats-two-days.log"
"$LOGNYM" stats -q --min-visitors 1 --json "$T/geo.json" "$root/tests/data/stats-two-days.log"
"$LOGNYM" merge "$T/fixture.json" "$T/fixture-k5.json" >"$T/merged.json" 2>/dev/null || cp "$T/fixture.json" "$T/merged.json"
validate "$T/fixture.json" "$T/fixture-k5.json" "$T/geo.json" "$T/merged.json"
check "the fixture's reports (K 1 and 5, countries, merged) match the schema$(head -c 300 "$T/v.out" | tr '\n' ' ')" [ $? -eq 0 ]
if have_shared corpus; then
    n=0
    for log in "$SHARED"/corpus/*.log; do
        n=$((n + 1))
        "$LOGNYM" stats -q --min-visitors 1 --json "$T/corpus-$n.json" "$log" 2>/dev/null
    done
    ls "$T"/corpus-*.json >"$T/list" 2>/dev/null
    # shellcheck disable=SC2046
    validate $(cat "$T/list")
    check "reports of the $(wc -l <"$T/list") corpus logs match the schema$(head -c 300 "$T/v.out" | tr '\n' ' ')" [ $? -eq 0 ]
fi
# the schema catches what it is for: a string in a number column
jq '.hours[0].hour = "(other)"' "$T/fixture.json" >"$T/bad1.json"
jq '.summary.visits = "8"' "$T/fixture.json" >"$T/bad2.json"
jq '.period.from = "2024-03-01 10:00"' "$T/fixture.json" >"$T/bad3.json"
for b in bad1 bad2 bad3; do
    validate "$T/$b.json"
    check "the schema refuses $b (string in a number column, or a period without offset)" [ $? -ne 0 ]
done
exit $((nfail > 0))
