# install.sh: make install honours DESTDIR and PREFIX and installs the
# program and the man page.
. "$(dirname "$0")/../lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v make >/dev/null 2>&1; then
    echo "# skip: make is not installed"
    exit 0
fi
# make install would rebuild an out-of-date ./lognym (with PREFIX=/usr baked
# in): only run it on a tree that is built.
if ! make -C "$root" -q lognym >/dev/null 2>&1; then
    echo "# skip: ./lognym is not up to date (run make first)"
    exit 0
fi

D=$T/dest
make -C "$root" --no-print-directory install DESTDIR="$D" PREFIX=/usr >"$T/make.out" 2>&1
rc=$?
check "make install DESTDIR=... PREFIX=/usr: exit 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/make.out" | tail -5

check "installs bin/lognym, mode 0755" [ "$(stat -c %a "$D/usr/bin/lognym" 2>/dev/null)" = 755 ]
check "the installed program runs" sh -c "'$D/usr/bin/lognym' --version | grep -Eq '^lognym [0-9]'"
check "installs share/man/man1/lognym.1, mode 0644" [ "$(stat -c %a "$D/usr/share/man/man1/lognym.1" 2>/dev/null)" = 644 ]
check "the installed man page is lognym.1" cmp -s "$root/lognym.1" "$D/usr/share/man/man1/lognym.1"
if command -v man >/dev/null 2>&1; then
    check "the installed man page renders" sh -c "MANWIDTH=80 man -l '$D/usr/share/man/man1/lognym.1' 2>/dev/null | grep -q 'lognym.*anonymise'"
fi
check "installs share/lognym/sample.log" [ -f "$D/usr/share/lognym/sample.log" ]
check "installs bin/lognym-dask, mode 0755" [ "$(stat -c %a "$D/usr/bin/lognym-dask" 2>/dev/null)" = 755 ]
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import distributed' 2>/dev/null; then
    check "the installed lognym-dask runs (--help)" sh -c "'$D/usr/bin/lognym-dask' --help | grep -q 'scheduler'"
fi
check "installs share/lognym/crawler-user-agents.json" \
    sh -c "cmp -s '$root/deps/crawler-user-agents.json' '$D/usr/share/lognym/crawler-user-agents.json'"
printf '192.0.2.17 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 1 "-" "Zapier"\n' >"$T/bot.log"
(cd / && "$D/usr/bin/lognym" stats -q -c /dev/null --min-visitors 1 --json "$T/bot.json" "$T/bot.log") >/dev/null 2>&1
check "the installed program reads the installed bot list" grep -q '"family": "Zapier"' "$T/bot.json"
outside=$(find "$D" ! -type d | grep -v "^$D/usr/" | head -3)
check "everything lands under DESTDIR/PREFIX${outside:+ (also: $outside)}" [ -z "$outside" ]

# the installed tree is self-contained: the installed program anonymises a
# line, and finds the installed rules (beside it, in ../share/lognym/filters)
printf '192.0.2.17 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 1 "-" "-"\n' >"$T/in.log"
(cd / && "$D/usr/bin/lognym" -q -c /dev/null "$T/in.log") >"$T/out.log" 2>"$T/err.log"
check "the installed program anonymises a line" grep -q '^192\.0\.2\.0 - - ' "$T/out.log"
if "$LOGNYM" filters --list >"$T/tree.rules" 2>/dev/null && [ -s "$T/tree.rules" ] &&
    ! "$LOGNYM" --list-formats 2>/dev/null | cmp -s - "$T/tree.rules"; then
    (cd / && "$D/usr/bin/lognym" filters --list -c /dev/null) >"$T/inst.full" 2>&1
    sed 's|^[^ ]*/filters/||' "$T/inst.full" >"$T/inst.rules"
    sed 's|^[^ ]*/filters/||' "$T/tree.rules" >"$T/tree.rules.short"
    same "the installed program uses the installed rules (same list)" "$T/tree.rules.short" "$T/inst.rules"
    check "the installed program reads them from DESTDIR" grep -q "^$D/usr/.*/filters/" "$T/inst.full"
fi

# countries out of the box: the database is installed, and the installed
# program finds it without --geoip
check "installs share/lognym/geo-whois-asn-country.mmdb" [ -s "$D/usr/share/lognym/geo-whois-asn-country.mmdb" ]
printf '8.8.8.8 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 1 "-" "Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0"\n' >"$T/us.log"
(cd / && "$D/usr/bin/lognym" stats -q -c /dev/null --min-visitors 1 --json - "$T/us.log") >"$T/us.json" 2>/dev/null
check "the installed program finds the installed country database" \
    sh -c "jq -e '.countries[0].country == \"US\" and (.country_database | startswith(\"geo-whois-asn-country.mmdb\"))' '$T/us.json' >/dev/null"

# make run: the anonymised sample, then its text report
make -C "$root" --no-print-directory run >"$T/run.out" 2>/dev/null
check "make run shows the anonymised sample log" grep -q '^192\.0\.2\.0 - - \[21/Nov/2026' "$T/run.out"
check "make run then shows its text report" sh -c "grep -q '^lognym statistics' '$T/run.out' && grep -q '^Summary' '$T/run.out'"
