# statsview.sh: `lognym stats` scrubs only what its reports read (a request's
# path and campaign tags, a referrer's host: src/rewrite/statsview.c); the
# anonymiser with --stats scrubs whole values. Their reports must be equal:
# over every access log of the shared corpus, and over a generated log with
# personal data in paths, queries, fragments, referrers and campaign tags,
# in every IP mode.
. "$(dirname "$0")/../lib.sh"
need jq
fixed_key "$T/key"
# figures FILE: the report without what names the run
figures() { jq -S 'del(.id, .sources, .inputs)' "$1"; }

# equal NAME OPTIONS LOG: lognym stats and the anonymiser's --stats (with
# OPTIONS) agree. A log no line of matches is an error for lognym stats only.
equal() {
    "$LOGNYM" stats -q -k "$T/key" --min-visitors 1 --json "$T/a.json" "$3" 2>"$T/a.err"
    if [ $? -eq 1 ] && grep -q 'no line matched' "$T/a.err"; then
        echo "# skip: $1: no line matches a format (lognym stats exits 1)"
        return
    fi
    # shellcheck disable=SC2086
    "$LOGNYM" -q -k "$T/key" --min-visitors 1 $2 --stats "$T/b.json" "$3" >/dev/null 2>"$T/b.err"
    figures "$T/a.json" >"$T/a.f" 2>/dev/null
    figures "$T/b.json" >"$T/b.f" 2>/dev/null
    if [ -s "$T/a.f" ] && cmp -s "$T/a.f" "$T/b.f"; then ok "$1"
    else notok "$1" "$(diff "$T/a.f" "$T/b.f" | head -10)" "$(head -c 300 "$T/a.err" "$T/b.err")"; fi
}

FF='Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0'
awk -v ua="$FF" 'BEGIN {
    split("/reset?email=jane.doe%40example.com&token=8f14e45fceea /landing?utm_source=news&utm_medium=jane@example.com&utm_campaign=0912%20123%204567 /p/jane.doe@example.com/orders?x=1#frag=09121234567 /search?q=198.51.100.7&utm_source=198.51.100.7 /a?utm_source=x#utm_medium=y /b#?utm_source=z /c?&&utm_campaign=&utm_source /shop/cart?IBAN=DE89370400440532013000&utm_campaign=spring /u/jq7x.doe&#64;example.com/x?y=1", paths, " ")
    split("- https://mail.example.com/?to=jane.doe@example.com http://198.51.100.9.nip.io/x?ip=203.0.113.5 https://user:pw@www.google.com/search?q=jane //cdn.example.net/x /relative/page?x=1 https://example.com:8443 android-app://com.example/?q=09121234567 https://jq7x.roe&#x40;example.org/x", refs, " ")
    for (i = 0; i < 400; i++) {
        p = paths[1 + i % 9]; r = refs[1 + int(i / 9) % 9]
        printf "192.0.2.%d - - [03/Mar/2024:10:%02d:%02d +0000] \"GET %s HTTP/1.1\" 200 10 \"%s\" \"%s\"\n",
            i % 37, int(i / 60) % 60, i % 60, p, r, ua
    }
}' >"$T/pii.log"
for mode in truncate hash cryptopan; do
    equal "generated personal data, --ip-mode $mode: lognym stats = the anonymiser's --stats" \
        "--ip-mode $mode" "$T/pii.log"
done
# "&#64;" (an e-mail written as HTML) holds a '#': cut there before
# scrubbing, its local part would reach the report
"$LOGNYM" stats -k "$T/key" --min-visitors 1 "$T/pii.log" >"$T/report.txt" 2>/dev/null # text on stdout: not with -q
if [ -s "$T/report.txt" ] && ! grep -q jq7x "$T/report.txt"; then
    ok "lognym stats: an e-mail written with &#64; / &#x40; in a path or referrer is not in the report"
else
    notok "lognym stats: an e-mail written with &#64; / &#x40; in a path or referrer is not in the report" \
        "$(grep -n jq7x "$T/report.txt" | head -3 | sed 's/jq7x[^ ]*/<local part>/g')"
fi
if have_shared corpus; then
    for f in "$SHARED"/corpus/*.log; do
        equal "corpus $(basename "$f"): lognym stats = the anonymiser's --stats" "" "$f"
    done
fi
exit $((nfail > 0))
