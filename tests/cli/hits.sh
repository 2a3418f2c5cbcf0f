#!/bin/sh
# hits.sh: `lognym hits` (hit records, docs/hits.md), `lognym stats
# --from-hits --partition`, and the exact merge of disjoint visitor
# partitions, without Dask (tests/cli/dask.sh runs the cluster).
. "$(dirname "$0")/../lib.sh"
DATA=$(cd "$(dirname "$0")/../data" && pwd)
LOG=$DATA/stats-two-days.log
PY=/usr/bin/python3

need jq
"$LOGNYM" keygen "$T/key" 2>/dev/null

# A log with planted addresses and personal data in every field it has:
# client, X-Forwarded-For-like user field, path, query, referrer, user agent.
cat >"$T/planted.log" <<'EOF'
192.0.2.77 - jane.doe [01/Mar/2024:10:00:00 +0100] "GET /ip/198.51.100.7/profile?email=jane.doe%40example.com&phone=09121234567 HTTP/1.1" 200 5000 "https://203.0.113.45/reset?token=8f14e45fceea167a&email=jane.doe@example.com" "Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0 jane.doe@example.com"
2001:db8:4f2a:17::c0de - - [01/Mar/2024:10:00:05 +0100] "GET /search?q=whois+198.51.100.8 HTTP/1.1" 200 300 "http://[2001:db8::99]/x?user=jane" "curl/8.0 (198.51.100.9)"
198.51.100.200 - - [01/Mar/2024:10:00:09 +0100] "GET /users/jane.doe@example.com/orders HTTP/1.1" 404 10 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0"
EOF
"$LOGNYM" hits -q -k "$T/key" "$T/planted.log" >"$T/planted.hits" 2>"$T/planted.err"
check "hits: exit 0 on the planted log" test $? -eq 0
check "hits: one record per line" test "$(wc -l <"$T/planted.hits")" -eq 3
leaked=
for v in 192.0.2.77 198.51.100.7 198.51.100.8 198.51.100.9 198.51.100.200 203.0.113.45 \
    2001:db8:4f2a:17::c0de 2001:db8::99 jane.doe jane 09121234567 8f14e45fceea167a \
    'email=' 'token=' 'q=whois' 'Firefox/121.0' 'x86_64'; do
    grep -qF "$v" "$T/planted.hits" "$T/planted.err" && leaked="$leaked $v"
done
if [ -z "$leaked" ]; then ok "hits: no planted address, name, query or raw user agent in the records"; else
    notok "hits: planted values in the records" "$leaked"; fi
if awk -F'\t' 'NF != 18 || $1 != "h1" || $2 !~ /^[0-9a-f]{16}$/ { bad = 1 } END { exit bad }' \
    "$T/planted.hits"; then ok "hits: 18 tab-separated fields, tag h1, 16-hex visitor ids"; else
    notok "hits: record shape" "$(head -3 "$T/planted.hits")"; fi
check "hits: paths end before the query" test "$(cut -f10 "$T/planted.hits" | grep -c '?')" -eq 0
check "hits: a bot is named, a person is not" \
    test "$(sed -n 2,3p "$T/planted.hits" | cut -f18 | tr '\n' ,)" = "curl,,"

# The same key, the same visitor ids; another key, others.
"$LOGNYM" hits -q -k "$T/key" "$LOG" >"$T/a.hits"
"$LOGNYM" hits -q -k "$T/key" "$LOG" >"$T/b.hits"
"$LOGNYM" keygen "$T/key2" 2>/dev/null
"$LOGNYM" hits -q -k "$T/key2" "$LOG" >"$T/c.hits"
same "hits: the same key gives the same records" "$T/a.hits" "$T/b.hits"
if [ "$(cut -f2 "$T/a.hits" | sort -u)" != "$(cut -f2 "$T/c.hits" | sort -u)" ]; then
    ok "hits: another key gives other visitor ids"
else notok "hits: visitor ids do not depend on the key"; fi
"$LOGNYM" hits -q "$LOG" >"$T/nokey.out" 2>"$T/nokey.err"
st=$?
if [ $st -eq 2 ] && grep -q 'key-file' "$T/nokey.err" && [ ! -s "$T/nokey.out" ]; then
    ok "hits: without --key-file, exit 2 and nothing written"
else notok "hits: without --key-file" "exit $st" "$(cat "$T/nokey.err")"; fi
"$LOGNYM" hits -q -k "$T/key" --source 7 "$LOG" "$LOG" >"$T/src.hits"
check "hits: inputs numbered from --source" \
    test "$(cut -f5 "$T/src.hits" | sort -u | tr '\n' ,)" = "7,8,"

# Reduce: in any order, the report of one pass (lognym stats over the log).
"$LOGNYM" stats -q -k "$T/key" --min-visitors 1 --json "$T/one.json" "$LOG" >/dev/null
$PY -c 'import random,sys; l=open(sys.argv[1]).readlines(); random.seed(4); random.shuffle(l); sys.stdout.writelines(l)' \
    "$T/a.hits" >"$T/shuffled.hits"
"$LOGNYM" stats --from-hits --min-visitors 1 "$T/shuffled.hits" >"$T/partial.json"
check "stats --from-hits: exit 0 on shuffled records" test $? -eq 0
check "stats --from-hits: the report is partial (every row kept, for lognym merge)" \
    test "$(jq .partial "$T/partial.json")" = true
"$LOGNYM" merge --min-visitors 1 "$T/partial.json" >"$T/merged1.json"
jq -S 'del(.inputs, .id, .sources, .country_database)' "$T/one.json" >"$T/one.norm"
jq -S 'del(.inputs, .id, .sources, .country_database)' "$T/merged1.json" >"$T/merged1.norm"
same "stats --from-hits: shuffled records give the report of one pass" "$T/one.norm" "$T/merged1.norm"

# Disjoint partitions merge exactly; the same partition twice does not.
for i in 0 1 2; do
    awk -F'\t' -v i=$i 'BEGIN { for (k = 0; k < 16; k++) h[substr("0123456789abcdef", k + 1, 1)] = k }
        { r = 0; for (k = 1; k <= 16; k++) r = (r * 16 + h[substr($2, k, 1)]) % 3; if (r == i) print }' \
        "$T/shuffled.hits" >"$T/p$i.hits"
    "$LOGNYM" stats --from-hits --min-visitors 1 --partition $i/3 "$T/p$i.hits" >"$T/p$i.json"
done
check "partitions: the records are split between the three" \
    test "$(cat "$T"/p?.hits | wc -l)" -eq "$(wc -l <"$T/a.hits")"
check "partitions: each report says which partition it holds" \
    test "$(jq -c .visitor_partitions "$T/p1.json")" = '{"of":3,"held":[1]}'
"$LOGNYM" merge --min-visitors 1 "$T/p2.json" "$T/p0.json" "$T/p1.json" >"$T/merged3.json"
jq -S 'del(.inputs, .id, .sources, .country_database)' "$T/merged3.json" >"$T/merged3.norm"
same "merge: three disjoint partitions give the report of one pass, visitors exact" \
    "$T/one.norm" "$T/merged3.norm"
"$LOGNYM" merge --min-visitors 1 "$T/p0.json" "$T/p0.json" >"$T/twice.json" 2>"$T/twice.err"
check "merge: the same partition twice is refused" test $? -eq 2
"$LOGNYM" merge --min-visitors 1 "$T/p0.json" "$T/p1.json" >"$T/two.json"
check "merge: two of three partitions still say what they hold" \
    test "$(jq -c .visitor_partitions "$T/two.json")" = '{"of":3,"held":[0,1]}'

# The second round of lognym-dask: the partitions fold what their merged
# report folded (--fold-as) and count "(other)" exactly from visitor ids
# that never leave them; merged again, the report of one pass, "(other)"
# visitors included (the first merge can only estimate them).
"$LOGNYM" stats -q -k "$T/key" --json "$T/one5.json" "$LOG" >/dev/null
for i in 0 1 2; do "$LOGNYM" stats --from-hits --partition $i/3 "$T/p$i.hits" >"$T/q$i.json"; done
"$LOGNYM" merge "$T/q0.json" "$T/q1.json" "$T/q2.json" >"$T/m5.json"
jeq "partitions: merged once, \"(other)\" visitors are an estimate" "$T/m5.json" \
    '[.. | objects | select(.other == true and .estimated == true)] | length > 0' true
for i in 0 1 2; do
    "$LOGNYM" stats --from-hits --partition $i/3 --fold-as "$T/m5.json" "$T/p$i.hits" >"$T/f$i.json"
done
"$LOGNYM" merge "$T/f0.json" "$T/f1.json" "$T/f2.json" >"$T/f.json"
jq -S 'del(.inputs, .id, .sources, .country_database)' "$T/one5.json" >"$T/one5.norm"
jq -S 'del(.inputs, .id, .sources, .country_database)' "$T/f.json" >"$T/f.norm"
same "stats --from-hits --fold-as: merged, the report of one pass, \"(other)\" visitors exact" \
    "$T/one5.norm" "$T/f.norm"
jeq "stats --from-hits --fold-as: \"(other)\" rows there, none estimated" "$T/f.json" \
    '[.. | objects | select(.other == true)] | length > 0 and all(.estimated != true)' true
"$LOGNYM" stats --from-hits --partition 0/3 --fold-as "$T/q1.json" "$T/p0.hits" >/dev/null \
    2>"$T/fold.err"
st=$?
if [ $st -eq 2 ] && grep -q "q1.json: --fold-as wants the merged report" "$T/fold.err"; then
    ok "stats --from-hits --fold-as a partial report: exit 2, said why"
else notok "stats --from-hits --fold-as a partial report" "exit $st" "$(cat "$T/fold.err")"; fi
"$LOGNYM" stats --fold-as "$T/m5.json" "$LOG" >/dev/null 2>"$T/fold2.err"
check "--fold-as without --from-hits: exit 2" test $? -eq 2

# Bad records: file, line and field named, nothing of the record echoed.
printf 'h1\tnot-a-visitor-jane\t0\t0\t0\t1\tp\t200\t1\t/\t\t\t\t\t\t\t\t\n' >"$T/bad1.hits"
printf 'GET /secret-jane 200\n' >"$T/bad2.hits"
head -2 "$T/a.hits" >"$T/bad3.hits"
printf 'h1\t0123456789abcdef\t5\t0\t0\t1\tp\t200\t1\t/x\\q\t\t\t\t\t\t\t\t\n' >>"$T/bad3.hits"
for b in 1 2 3; do
    "$LOGNYM" stats --from-hits "$T/bad$b.hits" >"$T/bad.out" 2>"$T/bad.err"
    st=$?
    line=$([ $b = 3 ] && echo 3 || echo 1)
    if [ $st -eq 3 ] && grep -q "bad$b.hits:$line: not a hit record" "$T/bad.err" &&
        ! grep -q jane "$T/bad.err" && [ ! -s "$T/bad.out" ]; then
        ok "stats --from-hits: bad record $b: exit 3, file and line named, nothing echoed"
    else notok "stats --from-hits: bad record $b" "exit $st" "$(cat "$T/bad.err")"; fi
done
# A record written elsewhere whose referring domain is an address: counted as "[ip]".
printf 'h1\t0123456789abcdef\t1709283600000\t60\t0\t1\tp\t200\t1\t/x\t198.51.100.7\t\t\t\t\t\t\t\n' \
    >"$T/addr.hits"
"$LOGNYM" stats --from-hits --min-visitors 1 "$T/addr.hits" >"$T/addr.json" 2>/dev/null
if [ "$(jq -c '[.referrers[].domain]' "$T/addr.json")" = '["[ip]"]' ] &&
    ! grep -q 198.51.100.7 "$T/addr.json"; then
    ok "stats --from-hits: a referring domain holding an address is counted as [ip]"
else notok "stats --from-hits: address as referring domain" "$(jq -c .referrers "$T/addr.json")"; fi
"$LOGNYM" stats --from-hits --partition 1/3 "$T/a.hits" >/dev/null 2>"$T/part.err"
st=$?
if [ $st -eq 3 ] && grep -q 'a.hits:[0-9]*: the visitor is not in partition 1 of 3' "$T/part.err"; then
    ok "stats --from-hits --partition: a visitor of another partition is refused"
else notok "stats --from-hits --partition: wrong partition" "exit $st" "$(cat "$T/part.err")"; fi
"$LOGNYM" stats --from-hits --partition 3/3 "$T/p0.hits" >/dev/null 2>&1
check "stats --partition 3/3 is a usage error" test $? -eq 2
# The visitor id and country of a client and user agent are worked out once
# and then remembered (ingest.c): whatever was seen in between (more pairs
# than the memory holds, a client with several user agents, user agents too
# long to remember), each line gets what its pair alone gets.
awk 'BEGIN {
    ua[0] = "Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0"
    ua[1] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0"
    ua[2] = "curl/8.0"
    ua[3] = "Mozilla/5.0 (Macintosh) Safari/17.0"
    while (length(ua[3]) < 400) ua[3] = ua[3] " x"
    for (r = 0; r < 3; r++)
        for (i = 0; i < 3000; i++) {
            c = (i * (1 + 6 * r)) % 3000
            n = (c + (c % 4 == 0 ? r : 0)) % 3
            if (c % 97 == 0) n = 3
            cl = c % 5 == 0 ? sprintf("2001:db8::%x", c) : c % 5 == 1 ? sprintf("host-%d.example", c) \
                 : sprintf("%d.%d.%d.%d", 23 + c % 150, (c * 13) % 256, (c * 7) % 256, 1 + c % 250)
            printf "%s - - [01/Mar/2024:10:%02d:%02d +0000] \"GET /p%d HTTP/1.1\" 200 5 \"-\" \"%s\"\n", \
                cl, int(i / 60) % 60, i % 60, c, ua[n]
        }
}' >"$T/who.log"
awk -F'"' '{ split($1, f, " ") } !seen[f[1] "|" $6]++' "$T/who.log" >"$T/who1.log"
"$LOGNYM" hits -q -k "$T/key" "$T/who.log" >"$T/who.hits" 2>/dev/null
"$LOGNYM" hits -q -k "$T/key" "$T/who1.log" >"$T/who1.hits" 2>/dev/null
paste -d'\t' "$T/who1.log" "$T/who1.hits" >"$T/who1.both"
paste -d'\t' "$T/who.log" "$T/who.hits" >"$T/who.both"
# the pair of each line (its client and user agent) -> the visitor and country it alone gets
bad=$(awk -F'\t' 'function pair(l,  q, f) { split(l, q, "\""); split(q[1], f, " "); return f[1] "|" q[6] }
    NR == FNR { want[pair($1)] = $3 " " $13; ids[$3] = 1; n1++; next }
    { n++; if (want[pair($1)] != $3 " " $13) bad++ }
    END { nid = 0; for (v in ids) nid++; if (n != 9000 || n1 < 3500 || nid != n1) bad++; print bad + 0 }' \
    "$T/who1.both" "$T/who.both")
if [ "$bad" = 0 ]; then
    ok "hits: each client and user agent keeps its own visitor id and country, remembered or not"
else notok "hits: remembered visitor ids" "$bad lines differ from their pair's own"; fi
exit $((nfail > 0))
