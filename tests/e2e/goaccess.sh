# goaccess.sh: lognym's statistics against the real GoAccess (Debian package
# goaccess) on the shared corpus, for the figures both compute the same way.
#
# GoAccess 1.7, run as `goaccess FILE --log-format=COMBINED -o report.json`
# plus --max-items (its JSON keeps only 366 rows per panel otherwise) and
# `-M no -H no` (so requests are keyed by URL alone, not URL+method+protocol).
# What it counts, checked on apache-combined-elastic.log:
#   - hits: every valid line, crawlers included (they are left out only with
#     --ignore-crawlers) and static files included. lognym's summary.hits,
#     days[].hits and status[].hits count bots too: like for like.
#   - dates: the day as written in the line; the time-zone offset is ignored
#     (unless --tz). lognym's days are the log's own local dates: the same.
#   - bandwidth: the %b field, "-" as 0; lognym's bytes: the same.
#   - unique visitors per day: distinct (IP, user agent) per date over the
#     hits whose status is not 4xx (4xx are added only with
#     --4xx-to-unique-count), crawlers included. lognym's days[].ua_ip_visitors
#     count exactly that (distinct visitor ids, a keyed hash of raw IP + UA);
#     its days[].visitors are people with a page view, not compared.
#   - requested paths: percent-decoded, query string kept (unless -q), split
#     over three panels (requests, static_requests, not_found); a request
#     line "-" or without a path is "-" or "". lognym's requests table: hits
#     and bytes by scrubbed path without the query string, over all hits;
#     "(none)" for no path. Compared with -q, lognym's paths percent-decoded;
#     paths lognym scrubbed ([email], [user], [address]) differ by design.
# A file is compared only when both tools parse every line of it: GoAccess's
# COMBINED pattern skips anything before "[" (so it takes a line without
# "- -" that lognym calls bad) and rejects lines that lognym's format
# detection reads (vhost prefixes, X-Forwarded-For, 408s without a request).
. "$(dirname "$0")/../lib.sh"

need goaccess jq
DATA=$(cd "$(dirname "$0")/../data" && pwd)

# ga FILE OUT.json [OPTIONS...]: GoAccess's JSON report of FILE.
ga() {
    f=$1 out=$2
    shift 2
    goaccess "$f" --log-format=COMBINED --max-items=1000000 -M no -H no "$@" -o "$out" \
        </dev/null >/dev/null 2>"$T/ga.err"
}

# compare FILE: one file through both tools; the checks that apply.
compared=0
compare() {
    f=$1
    name=$(basename "$f")
    lines=$(awk 'END { print NR }' "$f")
    if ! ga "$f" "$T/ga.json"; then
        echo "# skip: $name: GoAccess cannot read it as COMBINED"
        return
    fi
    "$LOGNYM" stats -q --partial --json "$T/ln.json" "$f" >/dev/null 2>"$T/ln.err" || {
        notok "$name: lognym stats exits 0" "$(head -3 "$T/ln.err")"
        return
    }
    gvalid=$(jq '.general.valid_requests' "$T/ga.json")
    lhits=$(jq '.summary.hits' "$T/ln.json")
    if [ "$gvalid" -ne "$lines" ] || [ "$lhits" -ne "$lines" ]; then
        echo "# skip: $name: $lines lines; GoAccess parsed $gvalid, lognym $lhits"
        return
    fi
    compared=$((compared + 1))

    # Total hits and bytes.
    jq -r '.general | "hits \(.valid_requests)", "bytes \(.bandwidth)"' "$T/ga.json" >"$T/g.tot"
    jq -r '.summary | "hits \(.hits)", "bytes \(.bytes)"' "$T/ln.json" >"$T/l.tot"
    same "$name: total hits and bytes agree with GoAccess" "$T/g.tot" "$T/l.tot"

    # Hits, bytes and unique visitors (GoAccess's definition) per day. Days
    # never fold and --partial keeps every row (rows seen only by bots, which
    # never count towards K, would fold otherwise); a folded day, should there
    # be one, is compared as one sum (GoAccess's unique visitors are per
    # date, so they add up across days).
    jq -r '.visitors.data[] | "\(.data) \(.hits.count) \(.bytes.count) \(.visitors.count)"' "$T/ga.json" |
        sort >"$T/g.days"
    jq -r '.days[] | select(.other | not) | "\(.date | gsub("-"; "")) \(.hits) \(.bytes) \(.ua_ip_visitors)"' \
        "$T/ln.json" | sort >"$T/l.days"
    jq -r '.days[] | select(.other) | "\(.hits) \(.bytes) \(.ua_ip_visitors)"' "$T/ln.json" >"$T/l.other"
    if [ -s "$T/l.other" ]; then
        # GoAccess's days that lognym does not list, summed, equal lognym's (other).
        # (l.days may be empty: read it with getline, not NR == FNR.)
        listed='BEGIN { while ((getline l <lf) > 0) { split(l, x, " "); have[x[1]] = 1 } }'
        awk -v lf="$T/l.days" "$listed"' !($1 in have) { h += $2; b += $3; u += $4 } END { print h + 0, b + 0, u + 0 }' \
            "$T/g.days" >"$T/g.other"
        awk -v lf="$T/l.days" "$listed"' $1 in have' "$T/g.days" >"$T/g.days2"
        mv "$T/g.days2" "$T/g.days"
        same "$name: hits, bytes and unique visitors of the days lognym folds" "$T/g.other" "$T/l.other"
    fi
    same "$name: hits, bytes and unique visitors (IP + UA + date) per day agree with GoAccess" \
        "$T/g.days" "$T/l.days"

    # Hits per status code.
    jq -r '.status_codes.data[].items[] | "\(.data | split(" ")[0]) \(.hits.count)"' "$T/ga.json" |
        sort >"$T/g.status"
    jq -r '.status[] | "\(.code) \(.hits)"' "$T/ln.json" | sort >"$T/l.status"
    same "$name: hits per status code agree with GoAccess" "$T/g.status" "$T/l.status"

    # Hits and bytes per requested path (no query string), over all hits.
    ga "$f" "$T/gq.json" -q
    jq -r '[.requests.data[], .static_requests.data[], .not_found.data[]][]
           | "\(.hits.count) \(.bytes.count) \(if .data == "-" or .data == "" then "(none)" else .data end)"' \
        "$T/gq.json" | LC_ALL=C sort >"$T/g.req"
    jq -r '.requests[] | "\(.hits) \(.bytes) \(.path)"' "$T/ln.json" |
        LC_ALL=C awk '{ out = ""; s = $0
                        while (match(s, /%[0-9A-Fa-f][0-9A-Fa-f]/)) {
                            out = out substr(s, 1, RSTART - 1) sprintf("%c", strtonum("0x" substr(s, RSTART + 1, 2)))
                            s = substr(s, RSTART + 3) }
                        # GoAccess trims trailing blanks of the decoded path: rows may join.
                        p = out s; sub(/^[0-9]+ [0-9]+ /, "", p); sub(/ +$/, "", p)
                        h[p] += $1; b[p] += $2 }
                      END { for (p in h) print h[p], b[p], p }' | LC_ALL=C sort >"$T/l.req"
    # Rows only one side has: lognym's must all be paths it scrubbed, or that
    # hold bytes outside ASCII (GoAccess replaces invalid UTF-8 and trims
    # around it), as many as GoAccess's.
    LC_ALL=C comm -23 "$T/g.req" "$T/l.req" >"$T/g.only"
    LC_ALL=C comm -13 "$T/g.req" "$T/l.req" >"$T/l.only"
    gonly=$(awk 'END { print NR }' "$T/g.only")
    lonly=$(awk 'END { print NR }' "$T/l.only")
    lscrub=$(LC_ALL=C grep -c '\[\(email\|user\|address\)\]\|[^ -~]' "$T/l.only")
    what="$name: hits and bytes per path agree with GoAccess ($(awk 'END { print NR }' "$T/l.req") paths, $lscrub scrubbed or not ASCII)"
    if [ "$gonly" -eq "$lonly" ] && [ "$lonly" -eq "$lscrub" ]; then
        ok "$what"
    else
        notok "$what" "GoAccess only: $(head -n 3 "$T/g.only" | tr '\n' ';')" \
            "lognym only: $(head -n 3 "$T/l.only" | tr '\n' ';')"
    fi
    # The top 10 by hits (ties by path): the same after GoAccess's decoding.
    awk '{ print $1, $3 }' "$T/g.req" | sort -k1,1nr -k2,2 | head -n 10 >"$T/g.top"
    awk '{ print $1, $3 }' "$T/l.req" | sort -k1,1nr -k2,2 | head -n 10 >"$T/l.top"
    same "$name: top 10 requested paths agree with GoAccess" "$T/g.top" "$T/l.top"

    # GoAccess's unique visitors per day, reproduced from its definition
    # (the reference lognym's days[].ua_ip_visitors are checked against above).
    # The awk split on '"' is right for plain combined lines only.
    if [ "$name" = apache-combined-elastic.log ]; then
        jq -r '.visitors.data[] | "\(.data) \(.visitors.count)"' "$T/ga.json" | sort >"$T/g.uv"
        awk -F'"' '{ split($1, a, " "); split($3, s, " ")
                     d = substr(a[4], 2, 11); split(d, p, "/")
                     m = index("JanFebMarAprMayJunJulAugSepOctNovDec", p[2]); m = (m + 2) / 3
                     day = sprintf("%s%02d%s", p[3], m, p[1])
                     if (s[1] !~ /^4/ && !((day, a[1], $6) in seen)) { seen[day, a[1], $6] = 1; n[day]++ } }
                   END { for (d in n) print d, n[d] }' "$f" | sort >"$T/a.uv"
        same "$name: reference: GoAccess visitors/day = distinct (IP, UA) per date, 4xx left out" "$T/a.uv" "$T/g.uv"
        echo "# info: unique visitors/day: GoAccess $(tr '\n' ' ' <"$T/g.uv")"

        # Top requested paths over all hits, counted from the raw log (-q: no query string).
        jq -r '[.requests.data[], .static_requests.data[], .not_found.data[]] | sort_by(-.hits.count, .data)
               | .[0:10][] | "\(.hits.count) \(.data)"' "$T/gq.json" >"$T/g.top"
        awk -F'"' '{ split($2, r, " "); sub(/\?.*/, "", r[2]); n[r[2]]++ } END { for (p in n) print n[p], p }' "$f" |
            sort -k1,1nr -k2,2 | head -n 10 >"$T/a.top"
        same "$name: reference: GoAccess top 10 paths (all hits, no query) = counted from the log" "$T/a.top" "$T/g.top"

        # Crawlers: GoAccess's list and lognym's differ; reported, not compared.
        ga "$f" "$T/gi.json" --ignore-crawlers
        echo "# info: crawler hits: GoAccess $((lines - $(jq '.general.valid_requests' "$T/gi.json"))), lognym bots $(jq '.summary.bot_hits' "$T/ln.json")"
    fi
}

# Hand-written fixtures: stats-tz.log has lines either side of local midnight
# in several time zones (+0200, -0500, +1400, -1200), a day of bots only,
# a 404 and a size "-".
for f in "$DATA"/stats-*.log; do
    compare "$f"
done
if have_shared corpus; then
    for f in "$SHARED"/corpus/*.log; do
        [ -s "$f" ] && compare "$f"
    done
fi
check "files compared with GoAccess: $compared" [ "$compared" -ge 2 ]
