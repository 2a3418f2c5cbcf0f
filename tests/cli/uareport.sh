# uareport.sh: what the statistics copy from a user agent (browser and OS
# families and versions) holds nothing the anonymiser scrubs (attack 7,
# finding 8). A phone, card, national id, IBAN, e-mail or address planted in
# every position of a user agent (OS and browser version, device model,
# app name, bot name, the whole string) appears in no report (text, JSON,
# CSV, HTML) of lognym stats, in no record of lognym hits, and in no report
# of lognym stats --from-hits over a hand-made record; real versions stay.
. "$(dirname "$0")/../lib.sh"
need jq
fixed_key "$T/key"

# The values, as planted; each also checked as its bare digits below.
cat >"$T/values" <<'EOF'
09121234567
0912-123-4567
+989121234567
4111111111111111
4111 1111 1111 1111
0013542419
DE89370400440532013000
jane.doe@example.com
198.51.100.7
2001:db8::7
EOF

# The positions: V is replaced by the value.
cat >"$T/positions" <<'EOF'
Mozilla/5.0 (Linux; Android V) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Mobile Safari/537.36
Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/V.0 Mobile Safari/537.36
Mozilla/5.0 (Linux; Android 14; SM-V) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Mobile Safari/537.36
Mozilla/5.0 (Linux; Android 14; V Build/UP1A.231005.007) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.109 Mobile Safari/537.36
Mozilla/5.0 (Linux; U; Android 4.0; V Build/IMM76) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30
Dalvik/2.1.0 (Linux; U; Android V; SM-G991B Build/TP1A.220624.014)
Mozilla/5.0 (iPhone; CPU iPhone OS V like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1
Mozilla/5.0 (Macintosh; Intel Mac OS X V) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15
Mozilla/5.0 (Windows NT V; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36
Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/V
Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/V
Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/V;FBBV/V]
Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/115.0.0.0 Mobile Safari/537.36 Instagram V Android
V/1.0 CFNetwork/1410.0.3 Darwin/22.6.0
Mozilla/5.0 (compatible; VBot/1.0; +http://example.com/bot)
V
EOF

# Real user agents, and what the reports show of them.
cat >"$T/real" <<'EOF'
Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Mobile Safari/537.36
Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1
Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Safari/537.36
Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15
Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/440.0.0.31.105;FBBV/538744394]
EOF

i=0
{
    while IFS= read -r v; do
        while IFS= read -r p; do
            i=$((i + 1))
            ua=$(V=$v awk '{ gsub(/V/, ENVIRON["V"]); print }' <<EOF
$p
EOF
            )
            echo "10.$((i / 250)).$((i % 250)).1 - - [21/Nov/2026:09:12:01 +0100] \"GET /x HTTP/1.1\" 200 1 \"-\" \"$ua\""
        done <"$T/positions"
    done <"$T/values"
    while IFS= read -r ua; do
        i=$((i + 1))
        echo "10.9.$i.1 - - [21/Nov/2026:09:12:02 +0100] \"GET /x HTTP/1.1\" 200 1 \"-\" \"$ua\""
    done <"$T/real"
} >"$T/ua.log"
check "the log plants every value in every position ($i lines)" test "$(wc -l <"$T/ua.log")" -eq $((10 * 16 + 5))

# The planted values, as planted and as bare digits (7 or more).
{
    cat "$T/values"
    tr -cd '0-9\n' <"$T/values" | awk 'length($0) >= 7'
} | sort -u >"$T/needles"

"$LOGNYM" stats -q --min-visitors 1 --json "$T/r.json" --html "$T/r.html" --csv "$T/r.csv" \
    "$T/ua.log" >"$T/r.txt" 2>"$T/stats.err"
check "stats exits 0" test $? -eq 0
"$LOGNYM" hits -q -k "$T/key" "$T/ua.log" >"$T/r.hits" 2>"$T/hits.err"
check "hits exits 0" test $? -eq 0
check "hits wrote a record per line" test "$(wc -l <"$T/r.hits")" -eq "$i"
for f in r.txt r.json r.html r.csv r.hits; do
    absent "$f: no planted value" -rF -f "$T/needles" "$T/$f"
done

# Real versions are kept.
jeq "real OS versions are reported" "$T/r.json" \
    '[.os[] | select((.family == "Android" and .version == "14") or (.family == "iOS" and .version == "17.1") or (.family == "Mac OS X" and .version == "10.15") or (.family == "Windows" and .version == "10")) | .family] | unique' \
    '["Android","Mac OS X","Windows","iOS"]'
jeq "real browser versions are reported" "$T/r.json" \
    '[.browsers[] | select((.family == "Chrome Mobile" or .family == "Chrome" or .family == "Facebook" or .family == "Mobile Safari" or .family == "Safari") and (.version == "120" or .version == "440" or .version == "17")) | .family + " " + .version] | unique' \
    '["Chrome 120","Chrome Mobile 120","Facebook 440","Mobile Safari 17","Safari 17"]'
tail -n 5 "$T/r.hits" | cut -f14-17 >"$T/real.got"
printf '%s\t%s\t%s\t%s\n' Android 14 'Chrome Mobile' 120 iOS 17.1 'Mobile Safari' 17 \
    Windows 10 Chrome 120 'Mac OS X' 10.15 Safari 17 iOS 17.1 Facebook 440 >"$T/real.want"
same "hits: real families and versions" "$T/real.want" "$T/real.got"

# A record written elsewhere (an older lognym, by hand) is held to the same
# rule when read: its planted version and family are not reported.
awk -F'\t' -v OFS='\t' 'NR == 1 { $14 = "Android"; $15 = "09121234567"; $16 = "jane.doe@example.com";
    $17 = "4111111111111111"; $18 = ""; print }' "$T/r.hits" >"$T/hand.hits"
"$LOGNYM" stats -q --from-hits --min-visitors 1 "$T/hand.hits" >"$T/hand.json" 2>"$T/hand.err"
check "stats --from-hits exits 0 on a record with planted values" test $? -eq 0
absent "stats --from-hits: no planted value" -F -f "$T/needles" "$T/hand.json"
jeq "stats --from-hits: the OS family stays, its version goes" "$T/hand.json" \
    '[.os[] | .family + "/" + .version]' '["Android/"]'

# Finding 11: an app name copied from a user agent as the browser family is
# reported only when it is a plain name (letters, digits, blanks, - _ .)
# that the free-text detectors leave alone; else "Other". A rule's own
# family ("Mobile Safari UI/WKWebView") and plain app names stay.
cat >"$T/fam.needles" <<'EOF'
eyJhbGciOiJIUzI1NiJ9
password=
hunter22
jane&#64;
sid=
SECRETCOOKIE
jane(at)
EOF
for v in 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2lnbmF0dXJl' 'password=hunter22' \
    'jane&#64;example.com' 'sid=SECRETCOOKIE' 'jane(at)example.com' 'Luminary' 'My_App-2.1'; do
    printf '198.51.100.1 - - [04/Dec/2026:10:00:01 +0000] "GET / HTTP/1.1" 200 12 "-" "%s/1.0 CFNetwork/1408.0.4 Darwin/22.5.0"\n' "$v"
done >"$T/fam.log"
printf '198.51.100.2 - - [04/Dec/2026:10:00:01 +0000] "GET / HTTP/1.1" 200 12 "-" "%s"\n' \
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148' >>"$T/fam.log"
"$LOGNYM" stats -q --min-visitors 1 --json "$T/fam.json" --html "$T/fam.html" --csv "$T/fam.csv" \
    "$T/fam.log" >"$T/fam.txt" 2>"$T/fam.err"
check "families: stats exits 0" test $? -eq 0
"$LOGNYM" hits -q -k "$T/key" "$T/fam.log" >"$T/fam.hits" 2>>"$T/fam.err"
check "families: hits exits 0" test $? -eq 0
for f in fam.txt fam.json fam.html fam.csv fam.hits; do
    absent "$f: no JWT, pair, escaped or obfuscated e-mail as a family" -rF -f "$T/fam.needles" "$T/$f"
done
jeq "families: the secrets are Other, plain app names and rule names stay" "$T/fam.json" \
    '[.browsers[].family] | sort' '["Luminary","Mobile Safari UI/WKWebView","My_App-2.1","Other"]'
check "hits: the secrets' records say Other" \
    test "$(head -n 5 "$T/fam.hits" | cut -f16 | sort -u)" = "Other"
# A record written by an older lognym held such a family: not reported either.
awk -F'\t' -v OFS='\t' 'NR <= 5 { $16 = substr("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2lnbmF0dXJl password=hunter22 sid=SECRETCOOKIE jane&#64;example.com jane(at)example.com", 1); split($16, w, " "); $16 = w[NR]; print }' \
    "$T/fam.hits" >"$T/fam-old.hits"
"$LOGNYM" stats -q --from-hits --min-visitors 1 "$T/fam-old.hits" >"$T/fam-old.json" 2>"$T/fam-old.err"
check "stats --from-hits exits 0 on old records" test $? -eq 0
absent "stats --from-hits: no secret family" -F -f "$T/fam.needles" "$T/fam-old.json"
jeq "stats --from-hits: they are Other" "$T/fam-old.json" '[.browsers[].family] | unique' '["Other"]'

exit $((nfail > 0))
