# reportpriv.sh: reports hold no address and no pseudonym (issue 11, scope
# item 4): addresses planted in paths, referrer hosts and campaign tags, in
# every spelling, are "[ip]" in every report (text, JSON, CSV, HTML) of
# lognym stats over the raw log and over lognym's own output in every IP
# mode; bot family names come only from lists; bots never count towards K;
# the visitor key follows --key-rotate daily (stats and hits).
. "$(dirname "$0")/../lib.sh"
need jq
fixed_key "$T/key"
FF='Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0'

# --- addresses in paths and referrer hosts, every spelling
line() { # line I K PATH REFERRER: each line its own visitor, so each referrer counts
    echo "192.0.$2.$1 - - [03/Mar/2024:1$2:0$1:00 +0000] \"GET $3 HTTP/1.1\" 200 10 \"$4\" \"$FF\""
}
for i in 1 2 3 4 5 6; do
    line $i 1 "/ip/198.51.100.$i" "http://198.51.100.$i.nip.io/x"
    line $i 2 "/peer/ip:2001:db8:4f2a:17::c0de:5432$i" "http://[2001:db8::$i]:8080/"
    line $i 3 "/rev/$i.113.0.203.in-addr.arpa" "https://ec2-203-0-113-$i.compute-1.amazonaws.com/"
    line $i 4 "/h/ec2-203-0-113-$i.compute-1.amazonaws.com" "https://$i.113.0.203.in-addr.arpa/"
    line $i 5 "/six/2002:c633:6407::$i" "-"
    line $i 6 "/landing?utm_source=198.51.100.$i&utm_medium=mail" "-"
    line $i 7 "/by/host-c0ffeebeefa$i/profile/user-5f4dcc3b5aa$i" "http://host-c0ffeebeefa$i.example/"
    line $i 8 "/t/deadbeefcafebab$i" "-"
done >"$T/raw.log"

# planted LOG: every planted value as LOG spells it (path segments after the
# first, referrer hosts, the utm_source value), one a line.
planted() {
    awk '{ split($7, p, "?"); n = split(p[1], s, "/"); for (k = 3; k <= n; k++) print s[k]
           if (p[2] != "") { split(p[2], q, "[&=]"); print q[2] }
           r = $11; gsub(/"/, "", r); sub(/^[a-z]+:\/\//, "", r); sub(/\/.*/, "", r)
           if (r != "-" && r != "") print r }' "$1" | sort -u | awk 'length($0) >= 7 && /[0-9]/'
}

# reports NAME LOG: every report of lognym stats over LOG holds "[ip]" and
# none of LOG's planted values (K = 1: no row folded away).
reports() {
    "$LOGNYM" stats --min-visitors 1 --input-host web1 --json "$T/$1.json" --html "$T/$1.html" \
        --csv "$T/$1.csv" "$2" >"$T/$1.txt" 2>"$T/$1.err"
    planted "$2" >"$T/$1.planted"
    cat "$T/$1.json" "$T/$1.html" "$T/$1.csv"/*.csv "$T/$1.txt" >"$T/$1.all"
    n=$(wc -l <"$T/$1.planted")
    if [ "$n" -ge 30 ] && ! grep -F -f "$T/$1.planted" "$T/$1.all" >"$T/$1.leak"; then
        ok "$1: no planted address or pseudonym ($n values) in the text, JSON, CSV and HTML reports"
    else notok "$1: planted values in a report ($n planted)" "$(head -5 "$T/$1.leak")"; fi
    # nor anything shaped like one (the name pseudonyms, an IPv4 address)
    if ! grep -E '(host|user|ident)-[0-9a-f]{12}|[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}' \
        "$T/$1.all" >"$T/$1.shape"; then ok "$1: nothing shaped like an address or a name pseudonym"
    else notok "$1: an address or pseudonym shape in a report" "$(head -3 "$T/$1.shape")"; fi
    # (a value the scrubber replaced first, e.g. digits of a Crypto-PAn
    # address read as a national id, is a row with its marker: left out here)
    jeq "$1: the rows are there, as [ip]" "$T/$1.json" \
        '[([.requests[].path | select(test("%5B") | not)] | sort), ([.referrers[].domain] | sort), [.campaigns[].campaign]]' \
        '[["/by/[ip]/profile/[ip]","/h/[ip]","/ip/[ip]","/landing","/peer/[ip]","/rev/[ip]","/six/[ip]","/t/[ip]"],["(direct)","[ip]"],["[ip] / mail / -"]]'
}
reports raw "$T/raw.log"
for mode in truncate hash token cryptopan; do
    case $mode in
    token) opts="--ip-mode hash --ip-format token" ;;
    *) opts="--ip-mode $mode" ;;
    esac
    "$LOGNYM" -q $opts -k "$T/key" -o "$T/$mode.log" "$T/raw.log"
    reports "$mode" "$T/$mode.log"
done
# the hit records (lognym-dask's map output) hold none either
"$LOGNYM" hits -q -k "$T/key" "$T/hash.log" >"$T/hash.hits"
if ! grep -F -f "$T/hash.planted" "$T/hash.hits" >"$T/hits.leak" &&
    [ "$(grep -c '\[ip\]' "$T/hash.hits")" -eq 48 ]; then
    ok "hits: the records' paths, campaign tags and referrers hold [ip], no planted value"
else notok "hits: planted values in hit records" "$(head -3 "$T/hits.leak")"; fi

# --- bots: a family name only from the lists; bots never count towards K
BOT='Mozilla/5.0 (compatible; AliRezaei09121234567Bot/1.0)'
{
    echo "192.0.2.50 - - [03/Mar/2024:11:00:00 +0000] \"GET /about HTTP/1.1\" 200 10 \"-\" \"$BOT\""
    n=0
    for ua in 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)' \
        'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)' \
        'Twitterbot/1.0' 'WhatsApp/2.23.20.0' \
        'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)' \
        'TelegramBot (like TwitterBot)'; do
        n=$((n + 1))
        echo "198.51.100.$n - - [03/Mar/2024:11:0$n:00 +0000] \"GET /reset?token=8f14e45fceea HTTP/1.1\" 200 10 \"-\" \"$ua\""
        echo "198.51.100.$n - - [03/Mar/2024:11:1$n:00 +0000] \"GET /old-reset HTTP/1.1\" 404 10 \"-\" \"$ua\""
    done
    echo "192.0.2.9 - - [03/Mar/2024:12:00:00 +0000] \"GET /reset?token=8f14e45fceea HTTP/1.1\" 200 10 \"-\" \"$FF\""
    echo "192.0.2.9 - - [03/Mar/2024:12:00:05 +0000] \"GET /old-reset HTTP/1.1\" 404 10 \"-\" \"$FF\""
} >"$T/bots.log"
"$LOGNYM" stats -q --min-visitors 1 --json "$T/b1.json" "$T/bots.log"
"$LOGNYM" stats -q --min-visitors 2 --json "$T/b2.json" "$T/bots.log"
jeq "a bot in no list is 'other bot'; nothing of its user agent is in the report" "$T/b1.json" \
    '[(.bots[] | select(.family == "other bot") | .hits), ([.. | strings | select(test("AliRezaei|0912"))] | length)]' '[1,0]'
jeq "six link-preview bots and one person: a one-visitor row (requests, not found)" "$T/b1.json" \
    '[(.requests[] | select(.path == "/reset", .path == "/old-reset") | [.path, .hits, .visitors]), (.not_found[] | [.path, .hits, .visitors])]' \
    '[["/old-reset",7,1],["/reset",7,1],["/old-reset",7,1]]'
jeq "... which folds at K = 2" "$T/b2.json" \
    '[.requests[], .not_found[] | select(.path == "/reset" or .path == "/old-reset")] | length' '0'
# merge keeps them masked (the rows it reads are the reports')
"$LOGNYM" merge -q --min-visitors 1 --json "$T/m.json" "$T/hash.json" "$T/b1.json" 2>/dev/null
jeq "merge: [ip] rows stay [ip]" "$T/m.json" '[.referrers[].domain] | sort' '["(direct)","[ip]"]'

# --- the visitor key follows --key-rotate daily
{
    echo "192.0.2.7 - - [03/Mar/2024:10:00:00 +0000] \"GET / HTTP/1.1\" 200 10 \"-\" \"$FF\""
    echo "192.0.2.7 - - [03/Mar/2024:10:00:30 +0000] \"GET /a HTTP/1.1\" 200 10 \"-\" \"$FF\""
    echo "192.0.2.7 - - [04/Mar/2024:10:00:00 +0000] \"GET / HTTP/1.1\" 200 10 \"-\" \"$FF\""
    echo "192.0.2.8 - - [04/Mar/2024:10:00:00 +0000] \"GET / HTTP/1.1\" 200 10 \"-\" \"$FF\""
} >"$T/days.log"
for k in keyed random; do
    kopt=; [ $k = keyed ] && kopt="-k $T/key"
    "$LOGNYM" stats -q --min-visitors 1 $kopt --json "$T/d0.json" "$T/days.log"
    "$LOGNYM" stats -q --min-visitors 1 $kopt --key-rotate daily --json "$T/d1.json" "$T/days.log"
    jeq "stats ($k key): one visitor on two days is one visitor without rotation" "$T/d0.json" \
        '[.summary.visitors, [.days[].visitors]]' '[2,[1,2]]'
    jeq "stats ($k key): with --key-rotate daily, two (not linkable); each day's figures unchanged" \
        "$T/d1.json" '[.summary.visitors, [.days[].visitors], .summary.visits]' '[3,[1,2],3]'
done
"$LOGNYM" hits -q -k "$T/key" "$T/days.log" | cut -f2 >"$T/h0"
"$LOGNYM" hits -q -k "$T/key" --key-rotate daily "$T/days.log" | cut -f2 >"$T/h1"
check "hits: without rotation the visitor's id is the same on both days" \
    sh -c "[ \"\$(sed -n 1p '$T/h0')\" = \"\$(sed -n 3p '$T/h0')\" ]"
check "hits --key-rotate daily: one id within a day, another the next day" \
    sh -c "[ \"\$(sed -n 1p '$T/h1')\" = \"\$(sed -n 2p '$T/h1')\" ] && [ \"\$(sed -n 1p '$T/h1')\" != \"\$(sed -n 3p '$T/h1')\" ]"
check "hits --key-rotate daily: the day's id is not the unrotated one" \
    sh -c "[ \"\$(sed -n 1p '$T/h1')\" != \"\$(sed -n 1p '$T/h0')\" ] && [ \"\$(sed -n 3p '$T/h1')\" != \"\$(sed -n 3p '$T/h0')\" ]"
"$LOGNYM" hits -q -k "$T/key" --key-rotate daily "$T/days.log" >"$T/days.hits"
"$LOGNYM" stats -q --from-hits --json "$T/fh.json" "$T/days.hits"
jeq "stats --from-hits of rotated records: the figures of stats --key-rotate daily" "$T/fh.json" \
    '[.summary.visitors, [.days[].visitors], .summary.visits]' '[3,[1,2],3]'
exit $((nfail > 0))
