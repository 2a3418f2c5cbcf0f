# scrub.sh: personal data in URLs, referrers and bad lines (filters/ rules):
# common, combined, vhost_combined, nginx and custom formats, the options,
# rule-file errors, the rules' own examples, the shared corpus, and a
# privacy check that no planted secret survives in output or stderr.
. "$(dirname "$0")/../lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)

T1='[10/Oct/2025:13:55:36 +0200]'

# --- combined: request and referrer scrubbed, everything else byte for byte
cat >"$T/combined.log" <<EOF
192.0.2.17 - - $T1 "GET /account/reset-password?token=9f8e7d6c5b4a&email=jane.doe%40example.com&utm_source=mail HTTP/1.1" 200 2326 "https://mail.example.net/inbox?email=jane.doe%40example.com" "Mozilla/5.0 (X11; Linux x86_64)"
192.0.2.18 - - $T1 "GET /search?q=wool+return&page=2&utm_source=newsletter&utm_medium=email HTTP/1.1" 200 512 "https://www.google.com/search?q=wool" "Mozilla/5.0"
192.0.2.19 - - $T1 "GET /users/jane.doe@example.com/orders/1234567890 HTTP/1.1" 200 1 "-" "curl/8.0"
EOF
cat >"$T/combined.want" <<EOF
192.0.2.0 - - $T1 "GET /account/reset-password?token=%5Btoken%5D&email=%5Bemail%5D&utm_source=mail HTTP/1.1" 200 2326 "https://mail.example.net/inbox?email=%5Bemail%5D" "Mozilla/5.0 (X11; Linux x86_64)"
192.0.2.0 - - $T1 "GET /search?q=wool+return&page=2&utm_source=newsletter&utm_medium=email HTTP/1.1" 200 512 "https://www.google.com/search?q=wool" "Mozilla/5.0"
192.0.2.0 - - $T1 "GET /users/%5Bemail%5D/orders/1234567890 HTTP/1.1" 200 1 "-" "curl/8.0"
EOF
"$LOGNYM" -q "$T/combined.log" >"$T/combined.out" 2>"$T/combined.err"
check "combined: exit 0" [ $? -eq 0 ]
same "combined: token, e-mails scrubbed; utm_*, page, search terms, order number kept" \
    "$T/combined.want" "$T/combined.out"

# --- common (no referrer): phone in Persian digits as \xHH escapes, card, national code
cat >"$T/common.log" <<EOF
192.0.2.20 - - $T1 "GET /otp?to=\\xDB\\xB0\\xDB\\xB9\\xDB\\xB1\\xDB\\xB2\\xDB\\xB1\\xDB\\xB2\\xDB\\xB3\\xDB\\xB4\\xDB\\xB5\\xDB\\xB6\\xDB\\xB7&lang=fa HTTP/1.1" 200 1
192.0.2.21 - - $T1 "GET /pay?c=4111+1111+1111+1111&order=4111111111111112&kyc=0076229645 HTTP/1.1" 302 0
192.0.2.22 - - $T1 "GET /c?n=%2B989121234567&m=0912-123-4567&sa=%D9%A0%D9%A5%D9%A0%D9%A1%D9%A2%D9%A3%D9%A4%D9%A5%D9%A6%D9%A7 HTTP/1.1" 200 1
EOF
cat >"$T/common.want" <<EOF
192.0.2.0 - - $T1 "GET /otp?to=%5Bphone%5D&lang=fa HTTP/1.1" 200 1
192.0.2.0 - - $T1 "GET /pay?c=%5Bcard%5D&order=4111111111111112&kyc=%5Bnational-code%5D HTTP/1.1" 302 0
192.0.2.0 - - $T1 "GET /c?n=%5Bphone%5D&m=%5Bphone%5D&sa=%5Bphone%5D HTTP/1.1" 200 1
EOF
"$LOGNYM" -q --format common "$T/common.log" >"$T/common.out"
same "common: phones (Persian, Arabic-Indic, +98), card and national code; failed checksum kept" \
    "$T/common.want" "$T/common.out"

# --- vhost_combined: the vhost stays, an external referrer is scrubbed too
printf '%s\n' "shop.example.com:443 198.51.100.7 - - $T1 \"GET /cart;jsessionid=A1B2C3D4?item=12 HTTP/1.1\" 200 99 \"https://partner.example.org/go?sid=abc123&to=shop\" \"UA\"" >"$T/vhost.log"
printf '%s\n' "shop.example.com:443 198.51.100.0 - - $T1 \"GET /cart;jsessionid=%5Bsession%5D?item=12 HTTP/1.1\" 200 99 \"https://partner.example.org/go?sid=%5Bsession%5D&to=shop\" \"UA\"" >"$T/vhost.want"
"$LOGNYM" -q --format vhost_combined "$T/vhost.log" >"$T/vhost.out"
same "vhost_combined: ;jsessionid= in the path, sid= in the referrer" "$T/vhost.want" "$T/vhost.out"

# --- nginx: main preset, and $request_uri $args $uri in a custom format
printf '%s\n' "203.0.113.9 - - $T1 \"GET /api/v1/orders?since=2024-03-05&api_key=sk_live_51H8x HTTP/2.0\" 200 10 \"-\" \"curl\" \"198.51.100.23\"" >"$T/nginx.log"
printf '%s\n' "203.0.113.0 - - $T1 \"GET /api/v1/orders?since=2024-03-05&api_key=%5Bkey%5D HTTP/2.0\" 200 10 \"-\" \"curl\" \"198.51.100.0\"" >"$T/nginx.want"
"$LOGNYM" -q --format nginx_main "$T/nginx.log" >"$T/nginx.out"
same "nginx main: api_key scrubbed, date kept" "$T/nginx.want" "$T/nginx.out"

printf '%s\n' "192.0.2.17 $T1 \"/u?phone=09121234567&page=2\" \"phone=09121234567&page=2\" /users/jane@example.com/ 200" |
    "$LOGNYM" -q --nginx-format '$remote_addr [$time_local] "$request_uri" "$args" $uri $status' >"$T/nvars.out"
printf '%s\n' "192.0.2.0 $T1 \"/u?phone=%5Bphone%5D&page=2\" \"phone=%5Bphone%5D&page=2\" /users/%5Bemail%5D/ 200" >"$T/nvars.want"
same "nginx \$request_uri \$args \$uri" "$T/nvars.want" "$T/nvars.out"

printf '%s\n' "192.0.2.17 $T1 \"/r\" \"?password=hunter2&x=1\" 200" |
    "$LOGNYM" -q --apache-format '%h %t "%U" "%q" %>s' >"$T/apq.out"
check "Apache %q" grep -qF '"?password=%5Bpassword%5D&x=1"' "$T/apq.out"

# --- the user field: a keyed pseudonym, as user= in a URL
printf '%s\n' "192.0.2.17 - jsmith $T1 \"GET /profile?user=jsmith HTTP/1.1\" 200 1" |
    "$LOGNYM" -q --format common >"$T/user.out"
u1=$(cut -d' ' -f3 "$T/user.out")
check "%u is a pseudonym" sh -c "echo '$u1' | grep -Eqx 'user-[0-9a-f]{12}'"
check "user= in the URL gets the same pseudonym as %u" grep -qF "?user=$u1 " "$T/user.out"

# --- JSON lines: each key decides ("uri" is a URL: its markers are percent-encoded)
printf '%s\n' '{"ip":"192.0.2.5","uri":"/x?a=1\u0026password=pw","user_email":"jane@example.com"}' |
    "$LOGNYM" -q --format json >"$T/json.out"
printf '%s\n' '{"ip":"192.0.2.0","uri":"/x?a=1\u0026password=%5Bpassword%5D","user_email":"[email]"}' >"$T/json.want"
same "JSON body: password pair and e-mail scrubbed" "$T/json.want" "$T/json.out"

# --- bad lines: e-mails, JWTs, secrets anywhere in the line
cat >"$T/bad.log" <<'EOF'
2022/04/05 13:25:31 [info] 8#8: *24790 client logged in, client: 174.233.1.144, server: 0.0.0.0:11587, from: "admin@example.com", upstream: 172.69.69.9:10025
2021/09/30 09:23:53 [error] 7#7: *1 open() failed, client: 192.0.2.77, request: "GET /a?token=s3cr3t HTTP/1.1", referrer: "https://x.example/?jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
EOF
cat >"$T/bad.want" <<'EOF'
2022/04/05 13:25:31 [info] 8#8: *24790 client logged in, client: 174.233.1.0, server: 0.0.0.0:11587, from: "[email]", upstream: 172.69.69.0:10025
2021/09/30 09:23:53 [error] 7#7: *1 open() failed, client: 192.0.2.0, request: "GET /a?token=[token] HTTP/1.1", referrer: "https://x.example/?jwt=[token]"
EOF
"$LOGNYM" -q --format combined "$T/bad.log" >"$T/bad.out"
same "bad lines (--bad-lines scrub): e-mail, token and JWT scrubbed too" "$T/bad.want" "$T/bad.out"

# --- options
"$LOGNYM" -q --no-filters "$T/combined.log" >"$T/nf.out"
check "--no-filters: URLs untouched" grep -qF 'token=9f8e7d6c5b4a&email=jane.doe%40example.com' "$T/nf.out"
check "--no-filters: addresses still anonymised" sh -c "! grep -q '192.0.2.17' '$T/nf.out'"
"$LOGNYM" -q --query drop "$T/combined.log" >"$T/qd.out"
check "--query drop: request and referrer lose their query" \
    grep -qF '"GET /account/reset-password HTTP/1.1" 200 2326 "https://mail.example.net/inbox" ' "$T/qd.out"
"$LOGNYM" -q --keep-params 'page,utm_*' "$T/combined.log" >"$T/kp.out"
check "--keep-params: only listed parameters stay" \
    grep -qF '"GET /search?page=2&utm_source=newsletter&utm_medium=email HTTP/1.1"' "$T/kp.out"
check "--keep-params: a query with none of them goes" grep -qF '"https://mail.example.net/inbox" ' "$T/kp.out"
"$LOGNYM" --query keep </dev/null >/dev/null 2>"$T/e"; rc=$?
check "bad --query: exit 2, choices listed" sh -c "[ $rc -eq 2 ] && grep -q 'scrub drop' '$T/e'"

# --- rule files: --filters replaces, --filter adds, errors are FILE:LINE
mkdir -p "$T/rules"
cat >"$T/rules/10-mine.rules" <<'EOF'
# only this rule
rule ref
    name    ref|affiliate
    action  drop
    expect  /p?ref=abc&x=1 => /p?x=1
EOF
"$LOGNYM" -q --filters "$T/rules" "$T/combined.log" >"$T/own.out"
check "--filters DIR replaces the default set" grep -qF 'token=9f8e7d6c5b4a' "$T/own.out"
printf '%s\n' "192.0.2.17 - - $T1 \"GET /p?ref=abc&token=t&x=1 HTTP/1.1\" 200 1" >"$T/ref.log"
"$LOGNYM" -q --format common --filter "$T/rules/10-mine.rules" "$T/ref.log" >"$T/add.out"
check "--filter FILE adds to the default set (drop + default token rule)" \
    grep -qF '"GET /p?token=%5Btoken%5D&x=1 HTTP/1.1"' "$T/add.out"
"$LOGNYM" -q --format common --no-filters --filter "$T/rules/10-mine.rules" "$T/ref.log" >"$T/only.out"
check "--no-filters --filter FILE: only that file" grep -qF '"GET /p?token=t&x=1 HTTP/1.1"' "$T/only.out"

printf 'rule broken\n    value   (unclosed\n    action  redact x\n' >"$T/rules/20-broken.rules"
"$LOGNYM" --filters "$T/rules" -o "$T/never.log" "$T/combined.log" >/dev/null 2>"$T/e"; rc=$?
check "broken rule file: exit 2" [ $rc -eq 2 ]
check "broken rule file: FILE:LINE: message" \
    grep -qxF "lognym: $T/rules/20-broken.rules:1: value pattern: missing closing parenthesis at offset 9" "$T/e"
check "broken rule file: nothing written" [ ! -e "$T/never.log" ]
printf 'rule x\n  name y\n  chek luhn\n' >"$T/typo.rules"
"$LOGNYM" --filter "$T/typo.rules" </dev/null >/dev/null 2>"$T/e"; rc=$?
check "unknown keyword: exit 2, FILE:LINE" sh -c "[ $rc -eq 2 ] && grep -qF '$T/typo.rules:3: unknown keyword '\"'\"'chek'\"'\"'' '$T/e'"
"$LOGNYM" --filters "$T/nowhere" </dev/null >/dev/null 2>"$T/e"; rc=$?
check "missing --filters DIR: exit 2" sh -c "[ $rc -eq 2 ] && grep -qF '$T/nowhere: No such file or directory' '$T/e'"

# --- the default set is found beside the binary
mkdir -p "$T/bin/filters"
cp "$LOGNYM" "$T/bin/lognym"
cp "$T/rules/10-mine.rules" "$T/bin/filters/"
"$T/bin/lognym" filters list >"$T/beside.list" 2>&1
check "default rules: filters/ beside the executable" grep -qF "$T/bin/filters/10-mine.rules:2: ref:" "$T/beside.list"

# --- lognym filters list / test
"$LOGNYM" filters list >"$T/list" 2>&1
check "filters list: every default file" sh -c "grep -q '25 rules from 6 files' '$T/list' || grep -Eq '^[0-9]+ rules from [0-9]+ files' '$T/list'"
check "filters list: file, line, rule" grep -q '/filters/30-email.rules:[0-9]*: email: value' "$T/list"
"$LOGNYM" filters test >"$T/test.out" 2>&1; rc=$?
check "filters test: every example of the default rules passes (exit 0)" [ $rc -eq 0 ]
grep -E '^(not )?ok - ' "$T/test.out" # each example counts as a test
check "filters test: at least 70 examples" [ "$(grep -c '^ok - ' "$T/test.out")" -ge 70 ]
printf 'rule wrong\n  name x\n  action drop\n  expect /a?x=1 => /a?x=1\n' >"$T/wrong.rules"
"$LOGNYM" filters --test --filter "$T/wrong.rules" >"$T/wrong.out" 2>"$T/wrong.err"; rc=$?
check "filters --test: a failing example gives exit 1" [ $rc -eq 1 ]
check "filters --test: names the failing example" grep -qF "not ok - $T/wrong.rules:4: wrong: /a?x=1" "$T/wrong.out"
check "filters --test: says what came out" grep -qF '#   got:  /a' "$T/wrong.out"

# --- privacy: no planted secret anywhere in output or stderr, in any IP mode
cat >"$T/planted.log" <<EOF
192.0.2.30 - - $T1 "GET /login?user=PLANTuser1&password=PLANTpass2&next=%2Freset%3Ftoken%3DPLANTtok3 HTTP/1.1" 302 0 "https://ref.example/?email=plant.four%40example.com" "UA"
192.0.2.31 - - $T1 "GET /u/plant.five@example.com/x;jsessionid=PLANTsess6 HTTP/1.1" 200 1 "https://ref.example/#access_token=PLANTtok7&id_token=eyJhbGciOiJIUzI1NiJ9.eyJQTEFOVDgiOjF9.UExBTlQ4c2ln" "UA"
192.0.2.32 - - $T1 "GET /c?m=09125550199&k=%2B966501239999&card=5555555555554444&iban=IR062960000000100324200001&code=1583250689 HTTP/1.1" 200 1 "-" "UA"
192.0.2.33 - - $T1 "GET /geo?ip=2001%3Adb8%3Aabcd%3A12%3A%3A7 HTTP/1.1" 200 1 "https://plant:PLANTpw9@example.org/" "UA"
not a log line: login: "plant.ten@example.com" api_key=PLANTkey11
EOF
cat >"$T/secrets" <<'EOF'
PLANTuser1
PLANTpass2
PLANTtok3
plant.four
plant.five
PLANTsess6
PLANTtok7
eyJQTEFOVDgiOjF9
UExBTlQ4c2ln
09125550199
501239999
5555555555554444
IR062960000000100324200001
1583250689
2001%3Adb8%3Aabcd%3A12
PLANTpw9
plant.ten
PLANTkey11
EOF
printf '%s\n' 1522178d33a4cf80130a5b1649907d10d8988f837979652762574c2d2a842202 >"$T/key"
chmod 600 "$T/key"
for mode in truncate hash cryptopan; do
    "$LOGNYM" --ip-mode $mode --key-file "$T/key" "$T/planted.log" >"$T/p.out" 2>"$T/p.err"
    leaked=$(cat "$T/p.out" "$T/p.err" | grep -oF -f "$T/secrets" | sort -u | tr '\n' ' ')
    check "privacy ($mode): none of $(wc -l <"$T/secrets") planted secrets in output or stderr${leaked:+ (leaked: $leaked)}" [ -z "$leaked" ]
done
check "privacy: every line still written" [ "$(wc -l <"$T/p.out")" -eq 5 ]

# --- scrubbing twice changes nothing (truncate mode, fixed key)
"$LOGNYM" -q --key-file "$T/key" "$T/planted.log" >"$T/once.out"
"$LOGNYM" -q --key-file "$T/key" "$T/once.out" >"$T/twice.out"
same "scrubbing a scrubbed log changes nothing" "$T/once.out" "$T/twice.out"

# --- the shared corpus: e-mails in paths and bad lines, nothing else touched
if have_shared corpus; then
    C=$SHARED/corpus
    f=$C/nginx-apache-attack-probes-crowdsec.log
    "$LOGNYM" -q "$f" >"$T/cs.out" 2>"$T/cs.err"
    check "corpus: crowdsec probes: exit 0" [ $? -eq 0 ]
    check "corpus: /avatars/url/noreply%40test.fr is scrubbed" grep -qF '/avatars/url/%5Bemail%5D ' "$T/cs.out"
    check "corpus: no noreply@test.fr in any form" sh -c "! grep -qi -e 'noreply%40test' -e 'noreply@test' '$T/cs.out'"
    check "corpus: mail-proxy login e-mails scrubbed" sh -c "! grep -qF 'admin@example.com' '$T/cs.out'"
    check "corpus: users in %u pseudonymised" sh -c "! grep -qE ' - (user123|test) \\[' '$T/cs.out'"
    "$LOGNYM" -q "$C/nginx-ingress-upstream-ipv6-beats.log" >"$T/ing.out"
    check "corpus: ?address=delhi+technological+university scrubbed" \
        grep -qF '/products/42?address=%5Baddress%5D ' "$T/ing.out"
    "$LOGNYM" -q "$C/apache-ssl-request-log-beats.log" >"$T/ssl.out"
    check "corpus: the nsp= session nonce (after &amp;) scrubbed" sh -c "[ \$(grep -c 'nsp=%5Bsession%5D ' '$T/ssl.out') -eq 2 ]"
    # e-mail addresses outside user agents (bots' contacts) never survive
    for f in "$C"/*.log; do
        "$LOGNYM" -q "$f" 2>/dev/null | sed 's/"[^"]*"$//' |
            grep -oE '(^|[^A-Za-z0-9._%+-]|%[0-9A-Fa-f]{2})[A-Za-z0-9._+-]+(@|%40|%2540)[A-Za-z0-9-]+\.[A-Za-z]{2,}' >>"$T/mails"
    done
    touch "$T/mails"
    check "corpus: no e-mail address outside user agents $(sort -u "$T/mails" | head -3 | tr '\n' ' ')" [ ! -s "$T/mails" ]
    # only URL fields change: compare with an addresses-only run, line by line
    for f in "$C"/apache-combined-elastic.log "$C"/nginx-combined-beats.log; do
        "$LOGNYM" -q --key-file "$T/key" "$f" >"$T/d.out"
        "$LOGNYM" -q --key-file "$T/key" --no-filters "$f" >"$T/n.out"
        bad=$(paste -d '\n' "$T/n.out" "$T/d.out" | awk 'NR % 2 { a = $0; next } a != $0 {
                 # the same line up to the markers: everything outside the URLs is equal
                 n = split(a, x, "\""); m = split($0, y, "\"")
                 if (n != m || x[1] != y[1] || x[3] != y[3] || (n > 6 && x[7] != y[7])) { print NR / 2; exit }
               }')
        check "corpus: $(basename "$f"): scrubbing changes only request and referrer" [ -z "$bad" ]
    done
fi

# --- the summary counts the values scrubbed
printf '192.0.2.1 - - [10/Oct/2025:13:55:36 +0200] "GET /login?email=jane%%40example.com&password=hunter2&page=2 HTTP/1.1" 200 1 "-" "-"\n' >"$T/count.log"
"$LOGNYM" "$T/count.log" >/dev/null 2>"$T/count.err"
check "summary: values scrubbed counted" grep -q '1 address anonymised, 2 values scrubbed, 0 bad lines' "$T/count.err"
"$LOGNYM" --no-filters "$T/count.log" >/dev/null 2>"$T/count0.err"
check "summary: no values scrubbed without filters" grep -q ' 0 values scrubbed' "$T/count0.err"

# --- other headers that hold URLs (Origin, Location, ...) are scrubbed like the Referer
printf '192.0.2.1 https://app.example.com/?email=jane%%40example.com https://example.com/reset?token=abc123&page=2\n' >"$T/hdr.log"
"$LOGNYM" -q --apache-format '%h %{Origin}i %{Location}o' "$T/hdr.log" >"$T/hdr-apache.out"
printf '%s\n' '192.0.2.0 https://app.example.com/?email=%5Bemail%5D https://example.com/reset?token=%5Btoken%5D&page=2' >"$T/hdr.want"
same "Apache %{Origin}i and %{Location}o scrubbed as URLs" "$T/hdr.want" "$T/hdr-apache.out"
"$LOGNYM" -q --nginx-format '$remote_addr $http_origin $sent_http_location' "$T/hdr.log" >"$T/hdr-nginx.out"
same "nginx \$http_origin and \$sent_http_location scrubbed as URLs" "$T/hdr.want" "$T/hdr-nginx.out"
