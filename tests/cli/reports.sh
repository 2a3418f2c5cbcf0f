# reports.sh: the text report (80 columns, or a wider terminal's width; paths
# shortened in the middle; bytes for reading; status codes; the period in the
# log's own time zone), typed CSV and JSON, and countries out of the box.
. "$(dirname "$0")/../lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$root/tests/data
LOG=$DATA/stats-two-days.log

# --- a log with long paths, big responses and many status codes, +0530
gen() {
    i=0
    while [ $i -lt 60 ]; do
        v=$((i % 12))
        long="/products/category-$((i % 3))/some-really-long-product-name-that-goes-on-and-on-$((i % 2))/reviews"
        printf '198.51.100.%d - - [05/Jun/2024:%02d:%02d:00 +0530] "GET %s?utm_source=news&utm_medium=email&utm_campaign=june HTTP/1.1" 200 %d "-" "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.%d"\n' \
            $v $((9 + i / 20)) $((i % 60)) "$long" $((1500000 + i)) $v
        printf '198.51.100.%d - - [05/Jun/2024:%02d:%02d:30 +0530] "GET /gone-%d HTTP/1.1" 404 120 "https://www.example.com/x" "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.%d"\n' \
            $v $((9 + i / 20)) $((i % 60)) $((i % 2)) $v
        i=$((i + 1))
    done
    printf '198.51.100.1 - - [05/Jun/2024:12:00:00 +0530] "GET /x HTTP/1.1" 500 10 "-" "curl/8.0"\n'
    printf '198.51.100.2 - - [05/Jun/2024:12:00:00 +0530] "GET /x HTTP/1.1" 500 10 "-" "curl/8.0"\n'
}
gen >"$T/long.log"

"$LOGNYM" stats --geoip none --min-visitors 2 "$T/long.log" >"$T/long.txt" 2>/dev/null
check "text: exit 0" [ $? -eq 0 ]
# characters, not bytes: the ellipsis is one
width() { sed 's/\xe2\x80\xa6/./g' "$1" | awk '{ if (length($0) > 80) print NR": "length($0) }' | head -3; }
wide=$(width "$T/long.txt")
check "text: every line fits 80 columns${wide:+ (too wide: $wide)}" [ -z "$wide" ]
"$LOGNYM" stats --geoip none --min-visitors 1 "$LOG" >"$T/two.txt" 2>/dev/null
wide=$(width "$T/two.txt")
check "text: the fixture fits 80 columns too${wide:+ (too wide: $wide)}" [ -z "$wide" ]
check "text: a long path shortened in the middle, both ends kept" \
    grep -Eq '^  /products/…[a-z0-9-]*-on-[01]/reviews +[0-9]' "$T/long.txt"
check "text: no path cut at its end (the old ~ mark)" sh -c "! grep -q '~ ' '$T/long.txt'"
check "text: bytes for reading (MB), not raw counts" sh -c "grep -Eq '[0-9]+\.[0-9] MB' '$T/long.txt' && ! grep -q '90000' '$T/long.txt'"
check "text: large counts grouped by thousands" sh -c "grep -q 'bytes sent          90.0 MB' '$T/long.txt'"
check "text: a status-code table with 200, 404 and 500" \
    sh -c "sed -n '/^Status codes/,/^\$/p' '$T/long.txt' | grep -Eq '^  200 ' &&
           sed -n '/^Status codes/,/^\$/p' '$T/long.txt' | grep -Eq '^  404 ' &&
           sed -n '/^Status codes/,/^\$/p' '$T/long.txt' | grep -Eq '^  500 '"
check "text: the period in the log's own time zone (+05:30)" \
    grep -q '^Period: 2024-06-05 09:00 to 2024-06-05 12:00 (UTC+05:30' "$T/long.txt"
check "text: the fixture's period in +01:00" grep -q '^Period: 2024-03-01 10:00 to 2024-03-02 12:00 (UTC+01:00' "$T/two.txt"
check "text: column headers in words" sh -c "grep -q 'page views' '$T/two.txt' && ! grep -q 'page_views' '$T/two.txt'"
check "text: not-found pages" sh -c "sed -n '/^Not found/,/^\$/p' '$T/long.txt' | grep -q '/gone-0'"
check "text: campaigns" grep -q '^  news / email / june ' "$T/long.txt"
check "text: weekday (2024-06-05 was a Wednesday)" grep -Eq '^  Wednesday +1[0-9][0-9] ' "$T/long.txt"
# a terminal wider than 80 columns: its width is used (script gives stdout a tty)
if command -v script >/dev/null 2>&1 && command -v stty >/dev/null 2>&1; then
    script -qec "stty cols 132 rows 50; '$LOGNYM' stats --geoip none --min-visitors 2 '$T/long.log' 2>/dev/null" /dev/null |
        tr -d '\r' >"$T/tty.txt"
    max=$(sed 's/\xe2\x80\xa6/./g' "$T/tty.txt" | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
    check "text on a 132-column terminal: wider than 80, at most 132 (max $max)" sh -c "[ $max -gt 80 ] && [ $max -le 132 ]"
    check "text on a wide terminal: the long path shown whole" grep -q 'some-really-long-product-name-that-goes-on-and-on-1/reviews' "$T/tty.txt"
else
    echo "# skip: script or stty missing (terminal width)"
fi

jqe() { jq -e "$@" >/dev/null; }

# --- typed JSON and CSV: the (other) row flagged, numbers stay numbers
"$LOGNYM" stats -q --geoip none --min-visitors 5 --json "$T/k5.json" --csv "$T/csv" "$LOG"
check "JSON: numeric keys are numbers or null, never strings" \
    jqe '[.hours[].hour, .status[].code, .weekdays[].weekday] | all(type == "number" or type == "null")' "$T/k5.json"
# (a folded numeric key, null in JSON and empty in CSV: tests/unit/test_report.c,
# test_typed_other; status, hours and weekdays never fold)
check "JSON: rows that are not (other) carry no other flag" \
    jqe '[.status[] | select(.other != true) | has("other")] | all(. == false)' "$T/k5.json"
check "JSON: the period carries the log's offset" jqe '.period.from == "2024-03-01T10:00:00+01:00"' "$T/k5.json"
tr -d '\r' <"$T/csv/status.csv" >"$T/status.csv"
check "CSV: estimated and other columns of true/false" sh -c "head -1 '$T/status.csv' | grep -q ',\"estimated\",\"other\"\$' &&
    tail -n +2 '$T/status.csv' | grep -Evq ',(true|false)\$' && exit 1 || exit 0"
check "CSV: no (other) text in a number column" sh -c "! grep -q '(other)' '$T/status.csv'"
tr -d '\r' <"$T/csv/summary.csv" >"$T/summary.csv"
check "CSV: summary period in the log's time zone" grep -qx '"from","2024-03-01T10:00:00+01:00"' "$T/summary.csv"

# --- countries out of the box: the bundled ip-location-db database
db=$root/deps/geo-whois-asn-country.mmdb
if [ ! -s "$db" ]; then
    notok "the country database is in deps/ (scripts/install-deps.sh fetches it)" "missing: $db"
else
    # Well-known public addresses whose registration is stable: Google DNS,
    # the RIRs' own services (RIPE NCC, APNIC, LACNIC), a German and a Japanese
    # university, and RIPE NCC's and APNIC's IPv6.
    : >"$T/geo.log"
    for ip in 8.8.8.8 193.0.6.139 202.12.29.205 200.3.14.10 130.149.7.201 133.11.0.1 2001:67c:2e8:22::c100:68b 2001:dc0:2001:11::194; do
        for i in 1 2; do
            printf '%s - - [01/Mar/2024:10:0%d:00 +0000] "GET /p%d HTTP/1.1" 200 10 "-" "Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0 %s"\n' \
                "$ip" "$i" "$i" "$ip" >>"$T/geo.log"
        done
    done
    # offline: no network is needed for a lookup (unshare when it can)
    run_offline() { if unshare -rn true 2>/dev/null; then unshare -rn "$@"; else "$@"; fi; }
    run_offline "$LOGNYM" stats -q --min-visitors 1 --json "$T/geo.json" "$T/geo.log"
    check "countries without --geoip: exit 0" [ $? -eq 0 ]
    jeq() {
        got=$(jq -c "$3" "$2" 2>&1)
        if [ "$got" = "$4" ]; then ok "$1"; else notok "$1" "want: $4" "got:  $got"; fi
    }
    jeq "countries of well-known addresses (US NL AU UY DE JP; v6 NL AU)" "$T/geo.json" \
        '[.countries[] | [.country, .visits]] | sort' '[["AU",2],["DE",1],["JP",1],["NL",2],["US",1],["UY",1]]'
    check "JSON names the database and its build date" \
        jqe '.country_database | test("^geo-whois-asn-country\\.mmdb \\(.*built [0-9]{4}-[0-9]{2}-[0-9]{2}\\)$")' "$T/geo.json"
    "$LOGNYM" stats --min-visitors 1 "$T/geo.log" 2>/dev/null >"$T/geo.txt"
    check "text names the database and its build date" grep -Eq '^  countries from +geo-whois-asn-country\.mmdb \(.*built [0-9-]{10}\)' "$T/geo.txt"
    "$LOGNYM" stats -q --geoip none --min-visitors 1 --json "$T/none.json" "$T/geo.log"
    jeq "--geoip none: countries off" "$T/none.json" '[[.countries[].country], .country_database]' '[["(unknown)"],null]'
    "$LOGNYM" stats -q --geoip "$T/missing.mmdb" --json "$T/m.json" "$T/geo.log" 2>"$T/e"; rc=$?
    check "--geoip FILE that is missing: input error (exit 3) naming it" sh -c "[ $rc -eq 3 ] && grep -q 'missing.mmdb' '$T/e'"
    # privacy: the addresses looked up appear in no report
    check "countries: no address in the reports" sh -c "! grep -qE '8\\.8\\.8\\.8|193\\.0\\.6|2001:67c' '$T/geo.json' '$T/geo.txt'"
fi
exit $((nfail > 0))
