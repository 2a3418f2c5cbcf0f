# stats.sh: `lognym stats`, `--stats`, `lognym merge` on a hand-written log
# whose every figure is computed by hand below (definitions: docs/stats.md).
# JSON is read with jq (Debian package jq, in scripts/install-deps.sh test).
. "$(dirname "$0")/../lib.sh"
DATA=$(cd "$(dirname "$0")/../data" && pwd)
LOG=$DATA/stats-two-days.log

need jq

# ---------------------------------------------------------------------------
# The fixture, tests/data/stats-two-days.log: combined format, time zone +0100,
# 2024-03-01 (lines 1-21) and 2024-03-02 (lines 22-31). Site: www.example.org.
#
# Visitors (client + user agent; documentation addresses):
#   A  192.0.2.10      Chrome 120 / Windows 10, desktop  (user name alice)
#   E  192.0.2.10      Mobile Safari 17 / iOS 17.1, mobile  (same address as A,
#                      another user agent: another visitor)
#   B  2001:db8:1::17  Mobile Safari 17 / iOS 17.1, mobile  (IPv6)
#   C  198.51.100.23   Mobile Safari 16 / iOS 16.6, tablet (iPad)
#   D  203.0.113.5     Firefox 121 / Ubuntu, desktop
#   G  198.51.100.66   Googlebot (bot)        H  203.0.113.99  curl (bot)
#
#  #  time      who  request                          st    bytes  page view?
#  1  D1 10:00:00 A  GET /                            200   5000  PV  ref www.google.com (Google)
#  2     10:00:01 A  GET /style.css                   200   1200  asset
#  3     10:00:01 A  GET /app.js?v=3                  200   3400  asset
#  4     10:00:40 A  GET /docs/install?utm_source=..  200   8000  PV  (query ignored)
#  5     10:02:40 A  POST /contact                    200    300  PV
#  6     10:03:10 A  GET /contact/thanks              304      0  PV  (304 counts)
#  7     10:40:00 A  GET /blog/                       200   6000  PV  new visit: 36m50s = 2210 s gap;
#                                                                 ref https://bob:hunter2pass@Partner.Example.NET:8443/...
#  8     10:41:30 A  GET /blog/post-1                 200   7000  PV
#  9     10:41:31 A  GET /img/photo.JPG               200  50000  asset (case-insensitive)
# 10     11:15:00 B  GET /blog/post-1                 200   7000  PV  ref news.ycombinator.com
# 11     11:15:02 B  GET /favicon.ico                 200    500  asset
# 12     11:15:03 B  GET /missing                     404    200  no (status)
# 13     12:00:00 C  GET /                            200   5000  PV  ref www.bing.com (Bing)
# 14     12:05:00 C  GET /docs/install                200   8000  PV
# 15     12:06:00 C  HEAD /docs/install               200      0  no (method)
# 16     12:30:00 G  GET /robots.txt                  200    100  bot
# 17     12:30:01 G  GET /                            200   5000  bot
# 18     13:00:00 H  GET /api/health                  200     20  bot
# 19     14:00:00 E  GET /docs/                       200   4000  PV  ref duckduckgo.com (DuckDuckGo)
# 20     14:10:00 E  GET /docs/install                200   8000  PV
# 21     14:10:30 E  GET /docs                        301      0  no (status)
# 22  D2 09:00:00 D  GET /unsubscribe/jane.doe@example.com?token=s3cr3tT0ken123
#                                                     200   7000  PV  ref example.org (own host: none)
# 23     09:30:00 A  GET /                            200   5000  PV  ref www.google.de (Google)
# 24     09:31:00 A  GET /blog/post-2                 200   7000  PV
# 25     09:31:00 A  GET /style.css                   304      0  asset
# 26     10:00:00 B  GET /docs/                       200   4000  PV  ref http://198.51.100.200:8080/ ([ip])
# 27     10:00:20 B  GET /docs/install                200   8000  PV
# 28     10:01:20 B  GET /docs/faq                    200   3000  PV
# 29     11:00:00 G  GET /blog/post-2                 200   7000  bot
# 30     11:05:00 H  GET /wp-login.php                404    150  bot
# 31     12:00:00 C  GET /search?q=lognym             500    100  no: a visit without page views, not counted
#
# Visits (pages = page views, hits = actions, duration = last - first hit,
# time on page = gaps between successive page views):
#   A1 day 1  lines 1-6    pages 4 hits 6  dur 190  ToP 40,120,30  Google       desktop
#   A2 day 1  lines 7-9    pages 2 hits 3  dur  91  ToP 90         partner.example.net
#   B1 day 1  lines 10-12  pages 1 hits 3  dur   3  bounce         news.ycombinator.com  mobile
#   C1 day 1  lines 13-15  pages 2 hits 3  dur 360  ToP 300        Bing         tablet
#   E1 day 1  lines 19-21  pages 2 hits 3  dur 630  ToP 600        DuckDuckGo   mobile
#   D1 day 2  line 22      pages 1 hits 1  dur   0  bounce         (internal)   desktop
#   A3 day 2  lines 23-25  pages 2 hits 3  dur  60  ToP 60         Google
#   B2 day 2  lines 26-28  pages 3 hits 3  dur  80  ToP 20,60      [ip]
#   (C, line 31: no page view, no visit)
# Summary: hits 31, bot hits 5 (16 17 18 29 30), page views 4+2+1+2+2+1+2+3 = 17,
#   visits 8, bounces 2 -> bounce rate 0.25, visit hits 6+3+3+3+3+1+3+3 = 25
#   -> actions/visit 3.125, pages/visit 17/8 = 2.125, duration 1414 s -> 176.75,
#   time on page: 9 samples (17 page views - 8 exit page views), sum 1320 ->
#   mean 146.666667; sorted 20 30 40 60 60 90 120 300 600 -> median 60;
#   visitors A B C D E = 5. Bytes: day 1 118720, day 2 41250, total 159970;
#   bots 100+5000+20+7000+150 = 12270.
# Days: 03-01 hits 21, bots 3, page views 11, visits 5, bounces 1, visitors 4
#   (A B C E), bounce rate 0.2; 03-02 hits 10, bots 2, page views 6, visits 3,
#   bounces 1, visitors 3 (D A B), bounce rate 0.333333.
# ---------------------------------------------------------------------------

SITE="--site-host www.example.org --geoip none" # countries: the test database below
# A fixed key: visitor ids, and so the small HyperLogLog estimates of folded
# rows, are then the same on every run (with a random key they may be off by one).
fixed_key "$T/key"
KEY="-k $T/key"


# shellcheck disable=SC2086 # $KEY, $SITE: several words on purpose
"$LOGNYM" stats $KEY $SITE --min-visitors 1 --json "$T/all.json" "$LOG" >"$T/all.txt" 2>"$T/all.err"
check "stats --json exits 0" [ $? -eq 0 ]
J=$T/all.json
NOHLL='del(.hll, .estimated)'

jeq "schema and version" "$J" '[.schema, .version, .min_visitors, .visit_timeout_s, .site_hosts, .inputs]' \
    '["lognym-stats",1,1,1800,"www.example.org",1]'
jeq "period in the log's own time zone, the offset stated" "$J" '.period' '{"from":"2024-03-01T10:00:00+01:00","to":"2024-03-02T12:00:00+01:00"}'
jeq "summary: hits, bots, bytes" "$J" '.summary | [.hits, .bot_hits, .bytes, .bot_bytes]' '[31,5,159970,12270]'
jeq "summary: page views, visits, bounces, visitors" "$J" \
    '.summary | [.page_views, .visits, .bounces, .visitors, .visitors_estimated]' '[17,8,2,5,false]'
jeq "summary: bounce rate" "$J" '.summary.bounce_rate' '0.25'
jeq "summary: time on page mean, median, samples, exits" "$J" \
    '.summary | [.avg_time_on_page_s, .median_time_on_page_s, .time_on_page_samples, .time_on_page_total_s, .exit_page_views]' \
    '[146.666667,60,9,1320,8]'
jeq "summary: pages and actions per visit" "$J" '.summary | [.pages_per_visit, .actions_per_visit, .visit_hits]' \
    '[2.125,3.125,25]'
jeq "summary: visit duration" "$J" '.summary | [.avg_visit_duration_s, .visit_duration_total_s]' '[176.75,1414]'
jeq "time-on-page histogram" "$J" '.sketches.time_on_page_histogram' \
    '[[20,1],[30,1],[40,1],[60,2],[90,1],[120,1],[300,1],[600,1]]'
# ua_ip_visitors: GoAccess's unique visitors (6 and 5; tests/e2e/goaccess.sh checks them).
jeq "days: the two local dates" "$J" "[.days[] | $NOHLL]" \
    '[{"date":"2024-03-01","hits":21,"bot_hits":3,"bytes":118720,"page_views":11,"visits":5,"bounces":1,"ua_ip_visitors":6,"visitors":4,"bounce_rate":0.2},{"date":"2024-03-02","hits":10,"bot_hits":2,"bytes":41250,"page_views":6,"visits":3,"bounces":1,"ua_ip_visitors":5,"visitors":3,"bounce_rate":0.333333}]'
# Hours (local): 9: lines 22-25 (pv 22 23 24: D A), 10: 1-9 and 26-28 (pv 9: A B),
# 11: 10-12, 29, 30 (2 bots; pv 10: B).
jeq "hours 9, 10, 11" "$J" '[.hours[] | select(.hour == 9 or .hour == 10 or .hour == 11) | del(.hll)]' \
    '[{"hour":9,"hits":4,"bot_hits":0,"page_views":3,"visits":2,"visitors":2},{"hour":10,"hits":12,"bot_hits":0,"page_views":9,"visits":3,"visitors":2},{"hour":11,"hits":5,"bot_hits":2,"page_views":1,"visits":1,"visitors":1}]'
# Devices: desktop A1 A2 A3 D1 (pages 4+2+2+1, visitors A D), mobile B1 B2 E1
# (1+3+2; B E), tablet C1 (2; C).
jeq "devices" "$J" "[.devices[] | $NOHLL]" \
    '[{"type":"desktop","visits":4,"page_views":9,"visitors":2},{"type":"mobile","visits":3,"page_views":6,"visitors":2},{"type":"tablet","visits":1,"page_views":2,"visitors":1}]'
# OS: iOS 17.1 B1 B2 E1, Windows 10 A1 A2 A3 (4+2+2), Ubuntu D1, iOS 16.6 C1.
# Ties (3 visits) are not ordered by the schema: compare as sets.
jeq "os" "$J" "[.os[] | $NOHLL] | sort_by(.family, .version)" \
    '[{"family":"Ubuntu","version":"","visits":1,"page_views":1,"visitors":1},{"family":"Windows","version":"10","visits":3,"page_views":8,"visitors":1},{"family":"iOS","version":"16.6","visits":1,"page_views":2,"visitors":1},{"family":"iOS","version":"17.1","visits":3,"page_views":6,"visitors":2}]'
jeq "browsers" "$J" "[.browsers[] | $NOHLL] | sort_by(.family, .version)" \
    '[{"family":"Chrome","version":"120","visits":3,"page_views":8,"visitors":1},{"family":"Firefox","version":"121","visits":1,"page_views":1,"visitors":1},{"family":"Mobile Safari","version":"16","visits":1,"page_views":2,"visitors":1},{"family":"Mobile Safari","version":"17","visits":3,"page_views":6,"visitors":2}]'
# Referrers of the visits' first page views; example.org (D1, own host) is not
# one; www. dropped, host lower-cased, port and user info dropped; an address
# becomes "[ip]". Google: A1 (4 pages) + A3 (2).
jeq "referrers (own host excluded, engines grouped)" "$J" "[.referrers[] | $NOHLL] | sort_by(.domain)" \
    '[{"domain":"Bing","visits":1,"page_views":2,"visitors":1},{"domain":"DuckDuckGo","visits":1,"page_views":2,"visitors":1},{"domain":"Google","visits":2,"page_views":6,"visitors":1},{"domain":"[ip]","visits":1,"page_views":3,"visitors":1},{"domain":"news.ycombinator.com","visits":1,"page_views":1,"visitors":1},{"domain":"partner.example.net","visits":1,"page_views":2,"visitors":1}]'
# Status (bots included in hits): 200 x25, 301 line 21, 304 lines 6 25, 404
# lines 12 30, 500 line 31. Visitors are people only (bots never count towards
# K): 200 A B C D E; 3xx A E; 4xx B; 5xx C.
jeq "status codes" "$J" "[.status[] | $NOHLL]" \
    '[{"code":200,"hits":25,"visitors":5},{"code":301,"hits":1,"visitors":1},{"code":304,"hits":2,"visitors":1},{"code":404,"hits":2,"visitors":1},{"code":500,"hits":1,"visitors":1}]'
jeq "status classes" "$J" "[.status_classes[] | $NOHLL]" \
    '[{"class":"2xx","hits":25,"visitors":5},{"class":"3xx","hits":3,"visitors":2},{"class":"4xx","hits":2,"visitors":1},{"class":"5xx","hits":1,"visitors":1}]'
jeq "bots by family" "$J" "[.bots[] | $NOHLL]" \
    '[{"family":"Googlebot","hits":3,"bytes":12100,"visitors":1},{"family":"curl","hits":2,"bytes":170,"visitors":1}]'
# Pages: / lines 1 13 23 (ToP 40 300 60), /docs/install 4 14 20 27 (ToP 120, 60;
# 14 and 20 are exits), /docs/ 19 26 (600, 20), /contact 30, /blog/ 90.
jeq "pages: views, visitors, time on page" "$J" \
    '[.pages[] | select(.path == "/" or .path == "/docs/install" or .path == "/docs/" or .path == "/blog/post-1") | [.path, .views, .visitors, .time_on_page_samples, .time_on_page_total_s]] | sort' \
    '[["/",3,2,3,400],["/blog/post-1",2,2,0,0],["/docs/",2,2,2,620],["/docs/install",4,4,2,180]]'
jeq "pages: views add up to the page views" "$J" '[.pages[].views] | add' '17'
# Entry pages: / A1 C1 A3, /docs/ E1 B2, /blog/ A2, /blog/post-1 B1 (bounce), D1's page (bounce).
jeq "entry pages" "$J" \
    '[.entry_pages[] | select(.path | startswith("/unsubscribe/") | not) | [.path, .visits, .bounces, .visitors]] | sort' \
    '[["/",3,0,2],["/blog/",1,0,1],["/blog/post-1",1,1,1],["/docs/",2,0,2]]'
# Exit pages: /blog/post-1 A2 B1, /docs/install C1 E1, /contact/thanks A1, /blog/post-2 A3, /docs/faq B2, D1's.
jeq "exit pages" "$J" \
    '[.exit_pages[] | select(.path | startswith("/unsubscribe/") | not) | [.path, .visits, .visitors]] | sort' \
    '[["/blog/post-1",2,2],["/blog/post-2",1,1],["/contact/thanks",1,1],["/docs/faq",1,1],["/docs/install",2,2]]'
jeq "countries with --geoip none: (unknown)" "$J" "[.countries[] | $NOHLL]" \
    '[{"country":"(unknown)","visits":8,"page_views":17,"visitors":5}]'
check "text summary: visitors and K stated" sh -c "grep -Eq '^  unique visitors +5\$' '$T/all.txt' &&
    grep -q 'Rows with fewer than 1 distinct visitors' '$T/all.txt'"

# --- countries from a MaxMind database built for the test (make_test_mmdb.pl:
# 192.0.2.0/24 DE, 198.51.100.0/24 IR, 203.0.113.0/25 registered SA, 2001:db8::/32 FR)
if perl "$DATA/make_test_mmdb.pl" "$T/geo.mmdb" 2>/dev/null; then
    # DE: A1 A2 A3 E1 (pages 4+2+2+2; A E), FR: B1 B2 (1+3), IR: C1, SA: D1.
    # shellcheck disable=SC2086
    "$LOGNYM" stats -q $KEY $SITE --min-visitors 1 --geoip "$T/geo.mmdb" --json "$T/geo.json" "$LOG" >/dev/null
    jeq "countries from --geoip" "$T/geo.json" "[.countries[] | $NOHLL] | sort_by(.country)" \
        '[{"country":"DE","visits":4,"page_views":10,"visitors":2},{"country":"FR","visits":2,"page_views":4,"visitors":1},{"country":"IR","visits":1,"page_views":2,"visitors":1},{"country":"SA","visits":1,"page_views":1,"visitors":1}]'
else
    echo "# skip: countries from --geoip (libmaxmind-db-writer-perl is not installed)"
fi

# --- the visit timeout: A's gap between lines 6 and 7 is 2210 s. With
# --visit-timeout 2210 A1 and A2 are one visit (the gap continues it): visits 7,
# duration 1414 - 190 - 91 + (10:41:31 - 10:00:00 = 2491) = 3624, one more
# time-on-page sample of 2210 s (/contact/thanks), 7 exit page views.
# shellcheck disable=SC2086
"$LOGNYM" stats -q $KEY $SITE --min-visitors 1 --visit-timeout 2210 --json "$T/t2210.json" "$LOG" >/dev/null
jeq "--visit-timeout 2210: a gap of exactly the timeout continues the visit" "$T/t2210.json" \
    '.summary | [.visits, .bounces, .visit_duration_total_s, .time_on_page_samples, .time_on_page_total_s, .exit_page_views]' \
    '[7,2,3624,10,3530,7]'
# shellcheck disable=SC2086
"$LOGNYM" stats -q $KEY $SITE --min-visitors 1 --visit-timeout 2209 --json "$T/t2209.json" "$LOG" >/dev/null
jeq "--visit-timeout 2209: one second less splits it" "$T/t2209.json" '.summary | [.visits, .visit_duration_total_s]' '[8,1414]'

# --- --min-visitors 5: with 5 visitors, every row of fewer folds into (other)
# shellcheck disable=SC2086
"$LOGNYM" stats $KEY $SITE --json "$T/k5.json" "$LOG" >"$T/k5.txt" 2>/dev/null
jeq "K=5 is the default and is stated" "$T/k5.json" '.min_visitors' '5'
check "K=5 stated in the text report" grep -q 'Rows with fewer than 5 distinct visitors' "$T/k5.txt"
jeq "K=5: summary is not suppressed" "$T/k5.json" '.summary | [.hits, .page_views, .visits, .visitors]' '[31,17,8,5]'
# Device types, days, hours and status codes never fold: no row of them can
# single anyone out (docs/stats.md).
jeq "K=5: device types never fold" "$T/k5.json" "[.devices[] | $NOHLL]" \
    '[{"type":"desktop","visits":4,"page_views":9,"visitors":2},{"type":"mobile","visits":3,"page_views":6,"visitors":2},{"type":"tablet","visits":1,"page_views":2,"visitors":1}]'
# referrers: 7 visits with one, pages 17 - 1 (D1), visitors A B C E.
jeq "K=5: referrers fold into (other)" "$T/k5.json" "[.referrers[] | $NOHLL]" \
    '[{"domain":"(other)","other":true,"visits":7,"page_views":16,"visitors":4}]'
jeq "K=5: days with 4 and 3 visitors stay" "$T/k5.json" '[.days[] | [.date, .hits, .visits, .visitors]]' \
    '[["2024-03-01",21,5,4],["2024-03-02",10,3,3]]'
jeq "K=5: status rows with 1 visitor stay" "$T/k5.json" "[.status[] | [.code, .hits]]" \
    '[[200,25],[301,1],[304,2],[404,2],[500,1]]'
jeq "K=5: hours of a small site stay" "$T/k5.json" '[.hours[].hits] | add' '31'
jeq "K=5: pages fold (they could single someone out)" "$T/k5.json" '[.pages[].path]' '["(other)"]'
jeq "K=5: os and browsers keep no family" "$T/k5.json" '[.os[].family, .browsers[].version, .pages[].path] | unique' '["(other)"]'
jeq "K=5: countries row with 5 visitors stays" "$T/k5.json" '[.countries[] | [.country, .visitors]]' '[["(unknown)",5]]'

# --- --stats during the anonymising pass: the same report, the same output
# shellcheck disable=SC2086
"$LOGNYM" -q $KEY $SITE --min-visitors 1 --stats "$T/pass.json" "$LOG" >"$T/pass.log"
check "--stats: anonymiser exits 0" [ $? -eq 0 ]
same "--stats gives the same JSON as lognym stats (same key)" "$J" "$T/pass.json"
# shellcheck disable=SC2086
"$LOGNYM" -q $KEY "$LOG" >"$T/plain.log"
same "--stats does not change the anonymised output" "$T/plain.log" "$T/pass.log"
# On input already anonymised (truncate keeps A and E apart, and C and G), the
# anonymised addresses make the same visitors: every count is the same.
# shellcheck disable=SC2086
"$LOGNYM" stats -q $KEY $SITE --min-visitors 1 --json "$T/re.json" "$T/pass.log" >/dev/null
jq -S 'del(.. | .hll?) | del(.sketches.visitors)' "$J" >"$T/a.n"
jq -S 'del(.. | .hll?) | del(.sketches.visitors)' "$T/re.json" >"$T/b.n"
same "stats on the anonymised log: the same figures" "$T/a.n" "$T/b.n"
# KNOWN LIMIT (not a failure): --ip-mode hash/cryptopan rewrite Chrome's reduced
# version "Chrome/120.0.0.0" as an address (README: "a dotted quad anywhere
# counts"), so stats on such output report a random Chrome major version.
"$LOGNYM" -q --ip-mode hash "$LOG" >"$T/hash.log"
# shellcheck disable=SC2086
"$LOGNYM" stats -q $KEY $SITE --min-visitors 1 --json "$T/hash.json" "$T/hash.log" >/dev/null
v=$(jq -r '[.browsers[] | select(.family == "Chrome") | .version] | join(",")' "$T/hash.json")
[ "$v" = 120 ] || echo "# note: stats on --ip-mode hash output see Chrome version $v, not 120 (Chrome/120.0.0.0 rewritten as an address)"

# --- merge: the two days' reports (same key) add up to the whole
grep '01/Mar/2024' "$LOG" >"$T/day1.log"
grep '02/Mar/2024' "$LOG" >"$T/day2.log"
for d in day1 day2; do
    # shellcheck disable=SC2086
    "$LOGNYM" stats -q $KEY $SITE --min-visitors 1 --json "$T/$d.json" "$T/$d.log" >/dev/null
done
"$LOGNYM" merge "$T/day1.json" "$T/day2.json" >"$T/merged.json"
rc=$?
check "merge exits 0 and writes JSON on stdout" sh -c "[ $rc -eq 0 ] && jq -e '.schema == \"lognym-stats\"' '$T/merged.json' >/dev/null"
jeq "merge: inputs, visitors estimated" "$T/merged.json" '[.inputs, .summary.visitors_estimated]' '[2,true]'
# Counts: everything but visitor figures (estimates) and hours: with K=1 a row
# with 0 visitors (an hour of bot hits only) is folded within each input, so
# the merged hours differ from the whole's by which hour is (other) (documented:
# "a row suppressed in one input stays inside that input's (other) row").
# Rows that tie on their counter may come in any order: arrays are sorted.
FILT='del(.. | .hll?, .visitors?, .estimated?) | del(.id, .sources, .inputs, .sketches.visitors, .summary.visitors_estimated)
      | walk(if type == "array" then sort else . end)'
jq -S "$FILT" "$J" >"$T/whole.n"
jq -S "$FILT" "$T/merged.json" >"$T/merged.n"
same "merge of the two days equals the whole for every count" "$T/whole.n" "$T/merged.n"
jeq "merge: hours add up to the hits" "$T/merged.json" '[.hours[].hits] | add' '31'
# A and B visit on both days: the sketch union counts them once (5, not 7).
v=$(jq '.summary.visitors' "$T/merged.json")
check "merge: unique visitors estimated close to 5 (got $v)" sh -c "[ '$v' -ge 4 ] && [ '$v' -le 6 ]"
jeq "merge: visitors per day" "$T/merged.json" '[.days[] | [.date, .visitors]]' '[["2024-03-01",4],["2024-03-02",3]]'
"$LOGNYM" merge --min-visitors 5 "$T/day1.json" "$T/day2.json" >"$T/merged5.json"
jeq "merge --min-visitors 5 applies K again" "$T/merged5.json" '[.min_visitors, [.pages[].path]]' '[5,["(other)"]]'
"$LOGNYM" merge "$T/day1.json" "$T/day1.json" >"$T/twice.json" 2>"$T/e"
rc=$?
check "merge of a report with itself is refused" sh -c "[ $rc -ne 0 ] && [ ! -s '$T/twice.json' ] && grep -q 'given twice' '$T/e'"
# shellcheck disable=SC2086
"$LOGNYM" stats -q $KEY $SITE --min-visitors 1 --visit-timeout 600 --json "$T/t600.json" "$T/day2.log" >/dev/null
"$LOGNYM" merge "$T/day1.json" "$T/t600.json" >/dev/null 2>"$T/e"
rc=$?
check "merge refuses different visit timeouts" sh -c "[ $rc -ne 0 ] && grep -q 'visit timeouts' '$T/e'"

# Two files on the command line, the second gzipped, read as one log.
gzip -c "$T/day2.log" >"$T/day2.log.gz"
# shellcheck disable=SC2086
"$LOGNYM" stats -q $KEY $SITE --min-visitors 1 --json "$T/two.json" "$T/day1.log" "$T/day2.log.gz" >/dev/null
jq -S 'del(.id, .sources)' "$J" >"$T/one.n"
jq -S 'del(.id, .sources)' "$T/two.json" >"$T/two.n"
same "stats of day1.log day2.log.gz: the same report as the whole file" "$T/one.n" "$T/two.n"

# --- HTML: one self-contained file
# shellcheck disable=SC2086
"$LOGNYM" stats -q $KEY $SITE --min-visitors 1 --html "$T/r.html" --csv "$T/csv" "$LOG" >"$T/hc.txt" 2>"$T/hc.err"
check "--html --csv exit 0" [ $? -eq 0 ]
check "HTML: a whole document" sh -c "head -c 15 '$T/r.html' | grep -q '<!DOCTYPE html>' && grep -q '</html>' '$T/r.html'"
check "HTML: a CSP that forbids loading anything" grep -q "Content-Security-Policy\" content=\"default-src 'none'" "$T/r.html"
check "HTML: no src/href/url() to another host" sh -c "! grep -Eiq '(src|href|action|srcset)[[:space:]]*=[[:space:]]*[\"'\\'']?[[:space:]]*(https?:)?//|url\\([\"'\\'']?(https?:)?//|@import' '$T/r.html'"
check "HTML: no script, link, iframe, object or embed elements" sh -c "! grep -Eiq '<(script|link|iframe|object|embed|img|base)[[:space:]>]' '$T/r.html'"
check "HTML: shows the figures" sh -c "grep -q 'id=\"hits\">31<' '$T/r.html' && grep -q 'partner.example.net' '$T/r.html' && grep -q '2024-03-02' '$T/r.html'"
check "HTML: charts (inline SVG)" grep -q '<svg' "$T/r.html"

# --- CSV: one file per table
(cd "$T/csv" && ls) >"$T/csv.ls"
printf '%s\n' bots.csv browsers.csv campaigns.csv countries.csv days.csv devices.csv entry_pages.csv exit_pages.csv \
    hours.csv not_found.csv os.csv pages.csv referrers.csv requests.csv status.csv status_classes.csv summary.csv \
    weekdays.csv >"$T/csv.want"
same "CSV: one file per table" "$T/csv.want" "$T/csv.ls"
# RFC 4180: quoted header, CRLF line ends.
printf '"type","visits","page_views","visitors","estimated","other"\r\n"desktop",4,9,2,false,false\r\n"mobile",3,6,2,false,false\r\n"tablet",1,2,1,false,false\r\n' >"$T/dev.want"
same "CSV: devices.csv (CRLF)" "$T/dev.want" "$T/csv/devices.csv"
tr -d '\r' <"$T/csv/days.csv" >"$T/days.csv"
tr -d '\r' <"$T/csv/summary.csv" >"$T/summary.csv"
check "CSV: days.csv" sh -c "grep -qx '\"2024-03-01\",21,3,118720,11,5,1,6,4,0.2,false,false' '$T/days.csv' &&
    grep -qx '\"2024-03-02\",10,2,41250,6,3,1,5,3,0.333333,false,false' '$T/days.csv'"
check "CSV: summary.csv" sh -c "grep -qx '\"visits\",8' '$T/summary.csv' && grep -qx '\"bounce_rate\",0.25' '$T/summary.csv'"

# --- privacy: no input address, user name, key or planted secret in any report,
# text output or message
reports="$J $T/all.txt $T/all.err $T/k5.json $T/k5.txt $T/pass.json $T/merged.json $T/merged5.json $T/r.html $T/hc.txt $T/hc.err $T/csv"
[ -f "$T/geo.json" ] && reports="$reports $T/geo.json"
leaks=
# shellcheck disable=SC2086
for s in 192.0.2.10 2001:db8:1::17 198.51.100.23 198.51.100.66 203.0.113.99 203.0.113.5 198.51.100.200 \
    alice hunter2pass "$(tr -d '\n' <"$T/key")"; do
    grep -rqiF -- "$s" $reports && leaks="$leaks $s"
done
check "privacy: no address, user name, password or key in any report${leaks:+ (found:$leaks)}" [ -z "$leaks" ]
if "$LOGNYM" filters --list >/dev/null 2>&1; then
    leaks=
    for s in jane.doe s3cr3tT0ken123 bob@example.net bob%40example.net; do
        # shellcheck disable=SC2086
        grep -rqiF -- "$s" $reports && leaks="$leaks $s"
    done
    check "privacy: planted e-mail and token scrubbed from every report${leaks:+ (found:$leaks)}" [ -z "$leaks" ]
else
    echo "# skip: planted secrets (lognym filters --list fails: no URL scrubber yet)"
fi

# --- errors
: >"$T/afile"
"$LOGNYM" stats -q --json "$T/afile/x.json" "$LOG" >/dev/null 2>"$T/e"
rc=$?
check "unwritable --json path: non-zero exit" [ $rc -ne 0 ]
check "unwritable --json path: the message names it" grep -q "afile/x.json" "$T/e"
"$LOGNYM" -q --stats "$T/afile/x.json" "$LOG" >/dev/null 2>"$T/e"
rc=$?
check "unwritable --stats path: non-zero exit, path named" sh -c "[ $rc -ne 0 ] && grep -q 'afile/x.json' '$T/e'"
"$LOGNYM" stats -q --csv "$T/afile/sub" "$LOG" >/dev/null 2>"$T/e"
rc=$?
check "unwritable --csv dir: non-zero exit, path named" sh -c "[ $rc -ne 0 ] && grep -q 'afile/sub' '$T/e'"
"$LOGNYM" merge "$T/day1.json" "$LOG" >"$T/o" 2>"$T/e"
rc=$?
check "merge of a log file: non-zero exit, the file named" sh -c "[ $rc -ne 0 ] && grep -q 'stats-two-days.log' '$T/e'"
check "merge of a log file: nothing on stdout" [ ! -s "$T/o" ]
echo '{"schema": "something-else", "version": 1}' >"$T/other.json"
"$LOGNYM" merge "$T/other.json" "$T/day1.json" >/dev/null 2>"$T/e"
rc=$?
check "merge of another JSON: non-zero exit, the file named" sh -c "[ $rc -ne 0 ] && grep -q 'other.json' '$T/e'"
"$LOGNYM" merge "$T/nonexistent.json" >/dev/null 2>"$T/e"
rc=$?
check "merge of a missing file: non-zero exit, the file named" sh -c "[ $rc -ne 0 ] && grep -q 'nonexistent.json' '$T/e'"
"$LOGNYM" stats -q --min-visitors 0 "$LOG" >/dev/null 2>"$T/e"
check "--min-visitors 0 is refused" [ $? -eq 2 ]

# --- bugs found while writing these tests (reported; "not ok" until fixed)
# BUG: src/stats/ua.c bot_rules has {"FeedFetcher-Google", "FeedFetcher-Google"},
# matched case-sensitively, but Google's feed fetcher sends
# "Feedfetcher-Google; (+http://www.google.com/feedfetcher.html; ...)" (102 hits
# in ../shared/corpus/apache-combined-elastic.log): they count as a person's
# page views. docs/devices.md lists FeedFetcher-Google as a bot.
printf '%s\n' '192.0.2.77 - - [01/Mar/2024:10:00:00 +0100] "GET /feed HTTP/1.1" 200 10 "-" "Feedfetcher-Google; (+http://www.google.com/feedfetcher.html; 1 subscribers; feed-id=11390274670024826467)"' |
    "$LOGNYM" stats -q --min-visitors 1 --json "$T/ff.json" >/dev/null
jeq "Feedfetcher-Google (Google's own spelling) is a bot" "$T/ff.json" '[.summary.bot_hits, .summary.page_views]' '[1,0]'
# BUG: src/main.c usage() prints the option column with "  %-25s" and no
# separator, so a long one runs into its help: "--visit-timeout SECONDSidle time".
"$LOGNYM" --help 2>&1 | grep -- '--visit-timeout' >"$T/h"
check "--help: a space between --visit-timeout SECONDS and its help" grep -q -- '--visit-timeout SECONDS ' "$T/h"
# BUG: src/options.c set_min_visitors() calls number("min-visitors", v, 1000000, ...),
# whose message says "a number from 0 to 1000000", yet 0 is refused.
"$LOGNYM" stats -q --min-visitors abc "$LOG" >/dev/null 2>"$T/e"
check "--min-visitors abc: the message gives the range that is accepted" sh -c "! grep -q 'from 0 to' '$T/e'"

# --- a report path that is a FIFO or device is written in place, never
# replaced by a file (--json /dev/null once did that); a symbolic link stays one
mkfifo "$T/report.fifo"
cat "$T/report.fifo" >"$T/fifo.out" &
reader=$!
"$LOGNYM" stats -q --json "$T/report.fifo" "$LOG" >/dev/null 2>"$T/e"
rc=$?
wait $reader
check "--json to a FIFO: exit 0" [ $rc -eq 0 ]
check "--json to a FIFO: the FIFO is still a FIFO" [ -p "$T/report.fifo" ]
check "--json to a FIFO: the report went through it" grep -q '"schema": "lognym-stats"' "$T/fifo.out"
echo old >"$T/target.json"
ln -s target.json "$T/link.json"
"$LOGNYM" stats -q --json "$T/link.json" "$LOG" >/dev/null
check "--json to a symbolic link: the link stays a link" [ -L "$T/link.json" ]
check "--json to a symbolic link: its target holds the report" grep -q '"schema": "lognym-stats"' "$T/target.json"
