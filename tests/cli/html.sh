# html.sh: the HTML report in real headless Chromium: no horizontal overflow
# at 1400 and 420 px (the document's scroll width against the viewport), every
# section there, charts by hour/weekday/status class, a one-day log drawn by
# hour, long tables behind <details>; screenshots at both widths are kept in
# build/screenshots/ (SCREENSHOT_DIR).
. "$(dirname "$0")/../lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
shots=${SCREENSHOT_DIR:-$root/build/screenshots}
LOG=$root/tests/data/stats-two-days.log

# --- a log with what makes a page hard to lay out: long unbroken paths and
# referrers, 150 pages (a long table), campaigns, 404s, several days
gen() {
    i=0
    while [ $i -lt 900 ]; do
        v=$((i % 40))
        day=$((1 + i / 300))
        page="/catalogue/$((i % 150))/an-extremely-long-unbroken-product-slug-$((i % 150))-with-no-spaces-at-all-whatsoever-to-wrap-on"
        printf '198.51.100.%d - - [0%d/Jun/2024:%02d:%02d:%02d +0200] "GET %s?utm_source=newsletter&utm_medium=email&utm_campaign=summer-sale-2024 HTTP/1.1" 200 %d "https://a-very-long-referring-host-name.subdomain.example.org/path" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/12%d.0.0.0 Safari/537.36"\n' \
            $v $day $((i % 24)) $((i % 60)) $((i % 50)) "$page" $((2000 + i * 37)) $((v % 5))
        [ $((i % 7)) -eq 0 ] && printf '198.51.100.%d - - [0%d/Jun/2024:%02d:%02d:55 +0200] "GET /missing-%d HTTP/1.1" 404 100 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0.0.0 Safari/537.36"\n' \
            $v $day $((i % 24)) $((i % 60)) $((i % 3))
        i=$((i + 1))
    done
}
gen >"$T/big.log"
"$LOGNYM" stats -q --geoip none --min-visitors 2 --html "$T/big.html" "$T/big.log"
check "big log: HTML written" [ -s "$T/big.html" ]
# one day only
grep '01/Jun/2024' "$T/big.log" >"$T/oneday.log"
"$LOGNYM" stats -q --geoip none --min-visitors 2 --html "$T/oneday.html" "$T/oneday.log"
"$LOGNYM" stats -q --geoip none --min-visitors 1 --html "$T/fixture.html" "$LOG"

# --- the page itself (no browser needed)
H=$T/big.html
check "HTML: one file, no script" sh -c "! grep -Eiq '<script|<link|<img|<iframe' '$H'"
check "HTML: the CSP forbids loading anything" grep -q "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"" "$H"
check "HTML: not capped at 1000 px" sh -c "! grep -q 'max-width:1000px' '$H'"
check "HTML: column headers in words, no snake_case" sh -c "grep -q '<th class=\"n\">page views</th>' '$H' && ! grep -Eq '<th[^>]*>[a-z]+_[a-z_]+</th>' '$H'"
check "HTML: numbers formatted for reading (thousands, MB)" sh -c "grep -Eq '>[0-9]{1,3}(,[0-9]{3})+<' '$H' || grep -Eq '[0-9] MB<' '$H'"
check "HTML: a long table opens with <details>" grep -q '<details><summary>[0-9]* more rows</summary>' "$H"
check "HTML: every page row is in the page (none dropped)" \
    [ "$(grep -o 'an-extremely-long-unbroken-product-slug-[0-9]*-' "$H" | sort -u | wc -l)" -ge 150 ]
for id in chart-days chart-hours chart-weekdays; do
    check "HTML: chart $id" grep -q "<figure id=\"$id\">" "$H"
done
check "HTML: status class chart" grep -q '<figcaption>Status classes (hits)</figcaption>' "$H"
check "HTML: one-day log charted by hour, no day chart" \
    sh -c "grep -q '<figure id=\"chart-hours\"><figcaption>Hits and visits by hour (one day)' '$T/oneday.html' && ! grep -q 'chart-days' '$T/oneday.html'"
check "HTML: exit rate column" grep -q '<th class="n">exit rate</th>' "$H"
check "HTML: bounce rate on entry pages" sh -c "sed -n '/<section id=\"entry_pages\">/,/<\\/section>/p' '$H' | grep -q 'bounce rate'"
printf '198.51.100.9 - - [01/Jun/2024:10:00:00 +0200] "GET / HTTP/1.1" 200 10 "-" "Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0"\n' >"$T/direct.log"
"$LOGNYM" stats -q --geoip none --min-visitors 1 --html "$T/direct.html" "$T/direct.log"
check "HTML: a visit without referrer shown as (direct)" grep -q '<td class="k">(direct)</td>' "$T/direct.html"
check "HTML: campaigns" grep -q 'newsletter / email / summer-sale-2024' "$H"
check "HTML: not-found pages" sh -c "sed -n '/<section id=\"not_found\">/,/<\\/section>/p' '$H' | grep -q '/missing-0'"
check "HTML: browser versions" grep -Eq '<td class="k">Chrome</td><td class="k">12[0-4]</td>' "$H"
check "HTML: the period in the log's own time zone" grep -q 'UTC+02:00, the log' "$H"

# --- real headless Chromium
if ! command -v chromium >/dev/null 2>&1; then
    notok "chromium is installed (scripts/install-deps.sh test)"
    exit 1
fi
chrome() { # chrome NAME ARGS...: headless Chromium with a fresh profile T/profile.NAME
    p=$1
    shift
    timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$T/profile.$p" --hide-scrollbars "$@" 2>/dev/null
}
sections="summary charts chart-hours chart-weekdays pages entry_pages exit_pages not_found referrers campaigns countries devices os browsers status status_classes bots days hours weekdays requests"
# A test page (scripts allowed: it is not the report) loads the report in
# frames 1400 and 420 px wide and writes what it measures into its own DOM,
# which --dump-dom prints. The report's CSP applies to the report only.
measure() { # measure REPORT.html OUT
    cp "$1" "$T/page.html"
    cat >"$T/measure.html" <<EOF
<!DOCTYPE html><html><body>
<iframe id="w1400" src="page.html" style="width:1400px;height:900px;border:0"></iframe>
<iframe id="w420" src="page.html" style="width:420px;height:900px;border:0"></iframe>
<pre id="out"></pre>
<script>
var want = "$sections".split(" "), done = 0;
function report(fr) {
  var d = fr.contentDocument, e = d.documentElement;
  var missing = want.filter(function (id) { return !d.getElementById(id); });
  document.getElementById("out").textContent += "width=" + fr.id + " scroll=" + e.scrollWidth +
    " client=" + e.clientWidth + " missing=" + (missing.join(",") || "none") + "\\n";
}
["w1400", "w420"].forEach(function (id) {
  var fr = document.getElementById(id);
  fr.addEventListener("load", function () { report(fr); });
});
</script></body></html>
EOF
    chrome m --allow-file-access-from-files --virtual-time-budget=10000 --dump-dom \
        "file://$T/measure.html" | grep -o 'width=w[0-9]* scroll=[0-9]* client=[0-9]* missing=[a-z_,-]*' >"$2"
}
measure "$H" "$T/m.big"
for w in 1400 420; do
    line=$(grep "width=w$w " "$T/m.big")
    scroll=$(echo "$line" | sed -n 's/.*scroll=\([0-9]*\).*/\1/p')
    client=$(echo "$line" | sed -n 's/.*client=\([0-9]*\).*/\1/p')
    missing=$(echo "$line" | sed -n 's/.*missing=\([a-z_,-]*\).*/\1/p')
    check "Chromium at $w px: measured (${line:-nothing})" [ -n "$scroll" ]
    check "Chromium at $w px: no horizontal overflow (scroll $scroll <= viewport $client)" \
        sh -c "[ -n '$scroll' ] && [ '$scroll' -le '$client' ]"
    check "Chromium at $w px: every section present (missing: ${missing:-?})" [ "$missing" = none ]
done
measure "$T/oneday.html" "$T/m.one"
check "Chromium: the one-day page has no overflow at 420 px" \
    sh -c "grep 'width=w420 ' '$T/m.one' | awk '{ split(\$2, s, \"=\"); split(\$3, c, \"=\"); exit !(s[2] + 0 > 0 && s[2] + 0 <= c[2] + 0) }'"
# the check fails when it should: a page made to overflow is caught
sed 's|<body>|<body><div style="width:2000px">wide</div>|' "$H" >"$T/wide.html"
measure "$T/wide.html" "$T/m.wide"
check "Chromium: a page wider than the viewport is caught (control)" \
    sh -c "grep 'width=w420 ' '$T/m.wide' | awk '{ split(\$2, s, \"=\"); split(\$3, c, \"=\"); exit !(s[2] + 0 > c[2] + 0) }'"

# --- screenshots, kept in the build tree
mkdir -p "$shots"
cp "$H" "$T/shot.html"
for w in 1400 420; do
    rm -f "$shots/report-$w.png"
    chrome "s$w" --window-size="$w,2400" --screenshot="$shots/report-$w.png" "file://$T/shot.html" >/dev/null
    check "screenshot at $w px: $shots/report-$w.png" sh -c "[ -s '$shots/report-$w.png' ] && head -c 8 '$shots/report-$w.png' | grep -q PNG"
done
exit $((nfail > 0))
