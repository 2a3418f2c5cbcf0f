# trust.sh: statistics on the logs analysts really have (issue 13): several
# load-balanced servers, lines out of order, small sites, repeated runs,
# daily partial reports merged, duplicate merges refused. A real log from
# ../shared/corpus and logs generated here.
. "$(dirname "$0")/../lib.sh"
need jq
fixed_key "$T/key"

# figures FILE: every figure of a report, without what names the run (id,
# sources) and the sketches (keyed: they differ between runs without a key).
figures() {
    jq -S 'del(.. | .hll?) | del(.id, .sources, .inputs, .sketches.visitors)' "$1"
}
# stats OUT ARGS...: lognym stats to a JSON report, quietly.
stats() {
    out=$1
    shift
    "$LOGNYM" stats -q "$@" --json "$out" >/dev/null 2>"$out.err"
}

# --- generated: a small site (K = 5 by default)
# Three 500 errors from three people in a day, a page only bots fetch, and a
# page six bots and one person fetch.
gen_small() {
    d='03/Mar/2024'
    for i in 1 2 3; do
        echo "192.0.2.$i - - [$d:10:0$i:00 +0000] \"GET /checkout HTTP/1.1\" 500 10 \"-\" \"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36\""
    done
    for i in 1 2 3 4 5 6; do
        echo "198.51.100.$i - - [$d:11:0$i:00 +0000] \"GET /bots-only HTTP/1.1\" 200 10 \"-\" \"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)\""
        echo "198.51.100.$i - - [$d:11:1$i:00 +0000] \"GET /shared HTTP/1.1\" 200 10 \"-\" \"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)\""
    done
    echo "192.0.2.9 - - [$d:12:00:00 +0000] \"GET /shared HTTP/1.1\" 200 10 \"-\" \"Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0\""
}
gen_small >"$T/small.log"
stats "$T/small.json" "$T/small.log"
jeq "small site: three 500 errors stay in the status table (K=5)" "$T/small.json" \
    '[.status[] | select(.code == 500) | .hits]' '[3]'
jeq "small site: the 5xx class stays" "$T/small.json" '[.status_classes[] | select(.class == "5xx") | .hits]' '[3]'
jeq "small site: its day and hours stay" "$T/small.json" '[[.days[].date], [.hours[].hour]]' \
    '[["2024-03-03"],[10,11,12]]'
jeq "small site: device types stay" "$T/small.json" '[.devices[].type]' '["desktop"]'
# Bots never count towards K: with K = 2 a page six bots and one person
# fetched is a one-visitor row and folds; with K = 1 it shows 1 visitor.
stats "$T/small2.json" --min-visitors 2 "$T/small.log"
jeq "a page seen by six bots and one person folds at K=2" "$T/small2.json" \
    '[.requests[] | select(.path == "/shared" or .path == "/bots-only")] | length' '0'
stats "$T/small1.json" --min-visitors 1 "$T/small.log"
jeq "... and is a one-visitor row at K=1" "$T/small1.json" '[.requests[] | select(.path == "/shared") | [.hits, .visitors]]' '[[7,1]]'
jeq "a page seen only by bots folds even at K=1" "$T/small1.json" '[.requests[] | select(.path == "/bots-only")] | length' '0'
jeq "bot figures are still counted" "$T/small1.json" '[.summary.bot_hits, (.bots[] | select(.family == "Googlebot") | .hits)]' '[12,12]'

# --- --partial: every row kept, marked
stats "$T/smallp.json" --partial "$T/small.log"
jeq "--partial keeps every row and says it is not for publication" "$T/smallp.json" \
    '[.partial, (.not_for_publication | type), ([.requests[].path] | sort)]' \
    '[true,"string",["/bots-only","/checkout","/shared"]]'
jeq "a report that is not partial says so" "$T/small.json" '[.partial, has("not_for_publication")]' '[false,false]'
jeq "every report has an id" "$T/small.json" '.id | test("^[0-9a-f]{32}$")' 'true'

# --- bots: --bot-list FILE, a family name only from a list
ua_line() { echo "203.0.113.$1 - - [03/Mar/2024:13:0$1:00 +0000] \"GET / HTTP/1.1\" 200 10 \"-\" \"$2\""; }
{
    ua_line 1 "Mozilla/5.0 (compatible; FooFetcherZ/2.0)"
    ua_line 2 "JaneDoeFetcher/1.0 (jane.doe@example.com)"
    ua_line 3 "Zapier"
} >"$T/bots.log"
printf '[{"pattern": "FooFetcherZ\\/"}]\n' >"$T/list.json"
stats "$T/own.json" --min-visitors 1 --bot-list "$T/list.json" "$T/bots.log"
jeq "--bot-list FILE: a bot named by that list" "$T/own.json" '[.bots[] | [.family, .hits]] | sort' \
    '[["FooFetcherZ",1],["other bot",2]]'
jeq "a bot in no list is 'other bot': nothing of its user agent is shown" "$T/own.json" \
    '[.. | strings | select(test("Jane|jane"))] | length' '0'
"$LOGNYM" stats -q --bot-list "$T/nope.json" --json "$T/nope.out" "$T/bots.log" >/dev/null 2>"$T/nope.err"
rc=$?
check "--bot-list of a missing file: exit 3, the file named" sh -c "[ $rc -eq 3 ] && grep -q 'nope.json' '$T/nope.err'"
printf '{"not": "a list"}\n' >"$T/notlist.json"
"$LOGNYM" stats -q --bot-list "$T/notlist.json" --json "$T/nl.out" "$T/bots.log" >/dev/null 2>"$T/notlist.err"
rc=$?
check "--bot-list of something else: exit 2, says so" sh -c "[ $rc -eq 2 ] && grep -q 'not a crawler-user-agents list' '$T/notlist.err'"
if [ -f "$(dirname "$0")/../../deps/crawler-user-agents.json" ]; then
    stats "$T/inst.json" --min-visitors 1 "$T/bots.log"
    jeq "the fetched crawler-user-agents list is used by default" "$T/inst.json" \
        '[.bots[] | select(.family == "Zapier") | .hits]' '[1]'
else
    echo "# skip: deps/crawler-user-agents.json absent (scripts/install-deps.sh build fetches it)"
fi

if ! have_shared corpus; then exit $((nfail > 0)); fi
LOG=$SHARED/corpus/apache-combined-elastic.log

# --- several servers: the log split at random between two and three files,
# each in the log's order, gives the figures of the whole log.
stats "$T/whole.json" -k "$T/key" "$LOG"
figures "$T/whole.json" >"$T/whole.f"
awk -v seed=13 -v dir="$T" 'BEGIN { srand(seed) } { print > (dir "/w" (rand() < 0.5 ? 1 : 2) ".log") }' "$LOG"
awk -v seed=7 -v dir="$T" 'BEGIN { srand(seed) } { print > (dir "/t" int(rand() * 3) ".log") }' "$LOG"
stats "$T/two.json" -k "$T/key" "$T/w1.log" "$T/w2.log"
figures "$T/two.json" >"$T/two.f"
same "two servers: lognym stats A B gives the whole log's report" "$T/whole.f" "$T/two.f"
gzip "$T/t2.log"
stats "$T/three.json" -k "$T/key" "$T/t0.log" "$T/t1.log" "$T/t2.log.gz"
figures "$T/three.json" >"$T/three.f"
same "three servers (one gzipped): the whole log's report" "$T/whole.f" "$T/three.f"
# one line of the log is cut inside its user agent (a quote that never closes): a damaged line, not a hit
jeq "three servers: three sources" "$T/three.json" '[.sources[].hits] | add' '9999'
# The anonymiser with --stats reads them merged too.
"$LOGNYM" -q -k "$T/key" --stats "$T/pass.json" "$T/w1.log" "$T/w2.log" >"$T/pass.log"
figures "$T/pass.json" >"$T/pass.f"
same "the anonymiser with --stats over two servers: the whole log's report" "$T/whole.f" "$T/pass.f"
check "... and writes every line" [ "$(wc -l <"$T/pass.log")" -eq 10000 ]

# --- order: this real log is already shuffled within each minute (4915
# lines earlier than the one before, by up to 59 s). Sorted by time, and
# shuffled again, it gives the same figures.
sort -s -t '[' -k 2.8,2.11n -k 2.4,2.6M -k 2.1,2.2n -k 2.13,2.20 "$LOG" >"$T/sorted.log"
awk -v seed=3 'BEGIN { srand(seed) } { print substr($4, 2, 17) "\t" rand() "\t" $0 }' "$T/sorted.log" |
    sort -t "$(printf '\t')" -k 1,1 -k 2,2 | cut -f 3- >"$T/shuffled.log"
stats "$T/sorted.json" -k "$T/key" "$T/sorted.log"
stats "$T/shuffled.json" -k "$T/key" "$T/shuffled.log"
figures "$T/sorted.json" >"$T/sorted.f"
figures "$T/shuffled.json" >"$T/shuffled.f"
same "sorted by time: the same figures" "$T/whole.f" "$T/sorted.f"
same "shuffled within each minute: the figures of the sorted log" "$T/sorted.f" "$T/shuffled.f"
stats "$T/w0.json" -k "$T/key" --reorder-window 0 "$T/shuffled.log"
a=$(jq '.summary.median_time_on_page_s' "$T/sorted.json")
b=$(jq '.summary.median_time_on_page_s' "$T/w0.json")
check "--reorder-window 0 on the shuffled log changes the median time on page ($a s sorted, $b s)" [ "$a" != "$b" ]
jeq "the report states its reorder window" "$T/w0.json" '.reorder_window_s' '0'

# --- stable figures: without a key file, runs give the same figures
stats "$T/r1.json" "$LOG"
stats "$T/r2.json" "$LOG"
stats "$T/r3.json" "$LOG"
figures "$T/r1.json" >"$T/r1.f"
figures "$T/r2.json" >"$T/r2.f"
figures "$T/r3.json" >"$T/r3.f"
same "no key file: run 2 gives the figures of run 1" "$T/r1.f" "$T/r2.f"
same "no key file: run 3 gives the figures of run 1" "$T/r1.f" "$T/r3.f"
same "no key file: the figures of a run with a key file" "$T/whole.f" "$T/r1.f"
jeq "a run's rows are exact counts (no row is marked estimated)" "$T/r1.json" \
    '[.pages, .requests, .referrers, .entry_pages | .[] | select(.other | not) | select(.estimated)] | length' '0'

# --- daily partial reports merged give the rows of the whole period
for d in 17 18 19 20; do
    grep "\\[$d/May/2015" "$LOG" >"$T/day$d.log"
    stats "$T/p$d.json" -k "$T/key" --partial "$T/day$d.log"
    stats "$T/f$d.json" -k "$T/key" "$T/day$d.log"
done
"$LOGNYM" merge "$T/p17.json" "$T/p18.json" "$T/p19.json" "$T/p20.json" >"$T/merged.json" 2>"$T/merged.err"
check "merge of four daily partial reports exits 0" [ $? -eq 0 ]
# Page views and hits are per hit: the same on every row.
for t in pages:views requests:hits; do
    f="[.${t%:*}[] | select(.other | not) | [.path, .${t#*:}]] | sort"
    jq -c "$f" "$T/whole.json" >"$T/${t%:*}.w"
    jq -c "$f" "$T/merged.json" >"$T/${t%:*}.m"
    same "merged daily partial reports: the ${t%:*} rows of the whole period" "$T/${t%:*}.w" "$T/${t%:*}.m"
done
w=$(jq '[.pages[] | select(.other) | .views] | add // 0' "$T/whole.json")
m=$(jq '[.pages[] | select(.other) | .views] | add // 0' "$T/merged.json")
check "merged daily partial reports: (other) holds the whole period's $w page views (got $m)" [ "$w" = "$m" ]
"$LOGNYM" merge "$T/f17.json" "$T/f18.json" "$T/f19.json" "$T/f20.json" >"$T/mfolded.json" 2>/dev/null
f=$(jq '[.pages[] | select(.other) | .views] | add // 0' "$T/mfolded.json")
echo "# (other) page views: whole period $w, merged partial reports $m, merged folded reports $f"
jeq "merged rows are marked as estimates" "$T/merged.json" '[.pages[] | select(.estimated)] | length > 0' 'true'
jeq "the merged report lists the four sources" "$T/merged.json" '[(.sources | length), .partial]' '[4,false]'
"$LOGNYM" merge --partial "$T/p17.json" "$T/p18.json" >"$T/mp.json" 2>/dev/null
jeq "merge --partial keeps every row" "$T/mp.json" '[.partial, ([.pages[] | select(.other)] | length)]' '[true,0]'

# --- merging cannot double count
"$LOGNYM" merge "$T/p17.json" "$T/p17.json" >"$T/dup.json" 2>"$T/dup.err"
rc=$?
check "merging a report twice is refused" sh -c "[ $rc -eq 2 ] && [ ! -s '$T/dup.json' ] && grep -q 'given twice' '$T/dup.err'"
stats "$T/p1718.json" -k "$T/key" --partial "$T/day17.log" "$T/day18.log"
"$LOGNYM" merge "$T/p1718.json" "$T/p18.json" >"$T/dup2.json" 2>"$T/dup2.err"
rc=$?
check "merging two reports that share an input is refused" sh -c "[ $rc -eq 2 ] && grep -q 'shares an input' '$T/dup2.err' && grep -q 'p18.json' '$T/dup2.err'"
"$LOGNYM" merge "$T/p17.json" "$LOG" >"$T/nr.json" 2>"$T/nr.err"
rc=$?
check "a log given to merge: a message saying it is not a report" sh -c "[ $rc -eq 2 ] && grep -q 'apache-combined-elastic.log: not a lognym report' '$T/nr.err'"
check "... and nothing of the log echoed" sh -c "! grep -q 'GET /' '$T/nr.err'"

# --- reports of different servers that overlap in time: merge warns
stats "$T/s1.json" -k "$T/key" --partial --input-host web1 "$T/w1.log"
stats "$T/s2.json" -k "$T/key" --partial --input-host web2 "$T/w2.log"
"$LOGNYM" merge "$T/s1.json" "$T/s2.json" >"$T/s12.json" 2>"$T/s12.err"
check "merge of overlapping reports from two servers warns" sh -c "grep -q 'warning: .*web1, web2.*overlap in time' '$T/s12.err' && grep -q 'upper bounds' '$T/s12.err'"
v1=$(jq '.summary.visits' "$T/s12.json")
v0=$(jq '.summary.visits' "$T/whole.json")
echo "# visits: lognym stats w1 w2 $v0, merge of the two servers' reports $v1 (an upper bound)"
check "... whose visits are an upper bound ($v1 >= $v0)" [ "$v1" -ge "$v0" ]
jeq "sources name their servers" "$T/s12.json" '[.sources[].host]' '["web1","web2"]'
"$LOGNYM" merge "$T/p17.json" "$T/p18.json" >/dev/null 2>"$T/seq.err"
check "daily reports of one server: no warning" [ ! -s "$T/seq.err" ]
stats "$T/d1.json" -k "$T/key" --input-host web1 "$T/day17.log"
stats "$T/d2.json" -k "$T/key" --input-host web2 "$T/day18.log"
"$LOGNYM" merge "$T/d1.json" "$T/d2.json" >/dev/null 2>"$T/seq2.err"
check "two servers on different days: no warning" [ ! -s "$T/seq2.err" ]
exit $((nfail > 0))
