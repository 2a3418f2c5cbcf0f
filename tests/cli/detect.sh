# detect.sh: spellings the detectors missed and innocent data they
# destroyed (attack 7, findings 11 and 15): cards in Amex 4-6-5 and Diners
# 4-6-4 groups, phones with the country code in parentheses, a phone or a
# card right after a word's dot, five-part versions of in-app browsers,
# "a::b::c::d", search parameters named by their words; and lognym audit
# on host names that hold a phone. Outputs are exact, innocent look-alikes
# included (order numbers failing Luhn, fractions, versions, dates).
. "$(dirname "$0")/../lib.sh"

T1='[21/Nov/2026:09:12:01 +0100]'
FOO='$remote_addr "$foo"'

# --- free text (a field no format explains)
cat >"$T/text.in" <<'EOF'
192.0.2.1 "amex 3782 822463 10005 paid"
192.0.2.1 "diners 3056 930902 5904 paid"
192.0.2.1 "amex 3782-822463-10005, diners 3056.930902.5904"
192.0.2.1 "call (+98) 912-123-4567 now"
192.0.2.1 "call (0098) 912 123 4567 now"
192.0.2.1 "call (+1) 415-555-2671 now"
192.0.2.1 "office (+98) 21 8877 6655, riyadh (+966) 50 123 4567"
192.0.2.1 "note x.09121234567"
192.0.2.1 "ref.4111111111111111 end"
192.0.2.1 "order 3782 822464 10005 and 3056 930903 5904"
192.0.2.1 "t=16:09:40.091212345678 v=2.09121234567 on 2026-11-21"
192.0.2.1 "score (+1) 2345 of (00) 1234567"
EOF
cat >"$T/want" <<'EOF'
192.0.2.0 "amex [card] paid"
192.0.2.0 "diners [card] paid"
192.0.2.0 "amex [card], diners [card]"
192.0.2.0 "call [phone] now"
192.0.2.0 "call [phone] now"
192.0.2.0 "call [phone] now"
192.0.2.0 "office [phone], riyadh [phone]"
192.0.2.0 "note x.[phone]"
192.0.2.0 "ref.[card] end"
192.0.2.0 "order 3782 822464 10005 and 3056 930903 5904"
192.0.2.0 "t=16:09:40.091212345678 v=2.09121234567 on 2026-11-21"
192.0.2.0 "score (+1) 2345 of (00) 1234567"
EOF
expect "free text: Amex and Diners groups are cards, country codes in parentheses are phones, after a word's dot too; order numbers, fractions, versions kept" \
    --nginx-format "$FOO" <"$T/text.in"

# --- URLs: the same, percent-encoded, in the request and the referrer
for v in '3782%20822463%2010005' '3056+930902+5904' '3782-822463-10005' '(%2B98)+912-123-4567' \
    '(0098)%20912%20123%204567' '(%2B1)%20415-555-2671' '(+98)+912+123+4567' \
    'x.09121234567' 'ref.4111111111111111' '3782+822464+10005' '(%2B1)+2345'; do
    printf '192.0.2.1 - - %s "GET /p?c=%s&page=2 HTTP/1.1" 200 1 "https://r.example/?c=%s" "UA"\n' "$T1" "$v" "$v"
done >"$T/url.in"
for v in '%5Bcard%5D' '%5Bcard%5D' '%5Bcard%5D' '%5Bphone%5D' '%5Bphone%5D' '%5Bphone%5D' '%5Bphone%5D' \
    'x.%5Bphone%5D' 'ref.%5Bcard%5D' '3782+822464+10005' '(%2B1)+2345'; do
    printf '192.0.2.0 - - %s "GET /p?c=%s&page=2 HTTP/1.1" 200 1 "https://r.example/?c=%s" "UA"\n' "$T1" "$v" "$v"
done >"$T/want"
expect "URLs: cards in 4-6-x groups and phones with a country code in parentheses, encoded; look-alikes kept" <"$T/url.in"

# --- innocent data kept whole: in-app browsers' versions, "a::b::c::d";
# addresses still found (a port after a dot, a version before a break)
FB='Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) [FBAN/FBIOS;FBAV/440.0.0.31.105;FBBV/123] Instagram 309.1.0.41.113 (iPhone14,5)'
{
    printf '192.0.2.1 - - %s "GET / HTTP/1.1" 200 1 "-" "%s"\n' "$T1" "$FB"
    printf '192.0.2.1 - - %s "GET /s?q=a::b::c::d&r=dead::beef::1 HTTP/1.1" 200 1 "-" "UA"\n' "$T1"
} >"$T/keep.in"
{
    printf '192.0.2.0 - - %s "GET / HTTP/1.1" 200 1 "-" "%s"\n' "$T1" "$FB"
    printf '192.0.2.0 - - %s "GET /s?q=a::b::c::d&r=dead::beef::1 HTTP/1.1" 200 1 "-" "UA"\n' "$T1"
} >"$T/want"
expect "Facebook and Instagram five-part versions and a::b::c::d kept byte for byte" <"$T/keep.in"
cat >"$T/addr.in" <<'EOF'
192.0.2.1 "to 198.51.100.7.443 ip=203.0.113.9. v 1.2.3.4.5"
192.0.2.1 "FBAV/440.0.0.31.105/198.51.100.7 and 440.0.0.31.105:203.0.113.9"
192.0.2.1 "peer 2a02:cf40::::::::4e36 net 2001:db8:7::cafe::1"
EOF
cat >"$T/want" <<'EOF'
192.0.2.0 "to 198.51.100.0.443 ip=203.0.113.0. v 1.2.3.0.5"
192.0.2.0 "FBAV/440.0.0.31.105/198.51.100.0 and 440.0.0.31.105:203.0.113.0"
192.0.2.0 "peer 2a02:cf40:: net 2001:db8:7::"
EOF
expect "addresses with a port after a dot, after a version's break, malformed IPv6 with a network still anonymised" \
    --nginx-format "$FOO" <"$T/addr.in"

# --- --search-terms drop: search parameters by their words
cat >"$T/s.in" <<EOF
192.0.2.1 - - $T1 "GET /s?query%5B%5D=Jane+Doe&search[term]=Jane+Doe&query[]=Jane&filter[q]=Jane&search_query=Jane&searchTerm=Jane&searchBox=Jane&page=2&sort=name HTTP/1.1" 200 1 "https://www.youtube.com/results?search_query=jane+doe" "UA"
192.0.2.1 - - $T1 "GET /go?next=%2Fs%3Fsearch%255Bterm%255D%3DJane HTTP/1.1" 200 1 "-" "UA"
EOF
cat >"$T/want" <<EOF
192.0.2.0 - - $T1 "GET /s?query%5B%5D=%5Bsearch%5D&search[term]=%5Bsearch%5D&query[]=%5Bsearch%5D&filter[q]=%5Bsearch%5D&search_query=%5Bsearch%5D&searchTerm=%5Bsearch%5D&searchBox=%5Bsearch%5D&page=2&sort=name HTTP/1.1" 200 1 "https://www.youtube.com/results?search_query=%5Bsearch%5D" "UA"
192.0.2.0 - - $T1 "GET /go?next=%2Fs%3Fsearch%255Bterm%255D%3D%5Bsearch%5D HTTP/1.1" 200 1 "-" "UA"
EOF
expect "--search-terms drop: query[], search[term], filter[q], search_query, searchTerm (encoded, nested); page and sort kept" \
    --search-terms drop <"$T/s.in"
cat >"$T/want" <<EOF
192.0.2.0 - - $T1 "GET /s?query%5B%5D=Jane+Doe&search[term]=Jane+Doe&query[]=Jane&filter[q]=Jane&search_query=Jane&searchTerm=Jane&searchBox=%5Bsearch%5D&page=2&sort=%5Bsearch%5D HTTP/1.1" 200 1 "https://www.youtube.com/results?search_query=jane+doe" "UA"
192.0.2.0 - - $T1 "GET /go?next=%2Fs%3Fsearch%255Bterm%255D%3DJane HTTP/1.1" 200 1 "-" "UA"
EOF
expect "--search-params sort,Search_Box: only names with those words" \
    --search-terms drop --search-params sort,Search_Box <"$T/s.in"

# --- lognym audit: a phone in a host name, whole or only label by label
HOSTF='$remote_addr $host "$foo"'
cat >"$T/h.log" <<'EOF'
192.0.2.0 x.09121234567 "-"
192.0.2.0 1.09121234567.example.com "-"
192.0.2.0 www.example.com "note x.09121234567"
EOF
"$LOGNYM" audit --nginx-format "$HOSTF" "$T/h.log" >"$T/a.out" 2>&1; rc=$?
check "audit: a phone after a dot in a host name is found (exit 1)" [ $rc -eq 1 ]
check "audit: the phones in \$host (lines 1 and 2, whole and label by label) and in free text (line 3)" \
    grep -qE '^  phone +3  in \$host +first at .*h\.log:1, .*h\.log:2, .*h\.log:3$' "$T/a.out"
check "audit: nothing else" grep -q '^found: 1 kind of personal data in 3 lines' "$T/a.out"
absent "audit: prints no value it found" -F -e 09121234567 "$T/a.out"
"$LOGNYM" -q --nginx-format "$HOSTF" "$T/h.log" >"$T/h.out"
printf '%s\n' '192.0.2.0 x.[phone] "-"' '192.0.2.0 1.[phone].example.com "-"' '192.0.2.0 www.example.com "note x.[phone]"' >"$T/want"
same "anonymiser: the same phones replaced" "$T/want" "$T/h.out"
"$LOGNYM" audit --nginx-format "$HOSTF" "$T/h.out" >"$T/a2.out" 2>&1; rc=$?
check "audit of lognym's output: clean (exit 0)" [ $rc -eq 0 ]

exit $((nfail > 0))
