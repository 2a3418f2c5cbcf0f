#!/bin/sh
# policies.sh: issue 11's field policies, each with its exact expected
# output (pseudonyms written <hash>): cookies (--keep-cookies), credentials,
# query values ($arg_NAME), bodies, user agents, structured fields that fail
# their shape, identity fields, free text, JSON lines key by key, escapes
# that keep their case, and --explain-format.
. "$(dirname "$0")/../lib.sh"

# --- nginx: cookie, cookie_NAME, credential, query value, body, user agent
NGX='$remote_addr [$time_local] "$request" $status "$http_cookie" "$cookie_sid" "$http_authorization" "$http_x_auth_token" $arg_email $arg_q "$request_body" "$http_user_agent"'
printf '%s\n' '192.0.2.10 [21/Nov/2026:09:12:01 +0100] "GET /a HTTP/1.1" 200 "PHPSESSID=abc123; email=jane.doe@example.com; consent=yes; lone" "s3cr3tsid" "Basic YWxpOmh1bnRlcjI=" "tok123" jane%40example.com shoes "password=hunter2&email=jane@example.com&q=shoes" "Mozilla/5.0 Chrome/120.0.0.0 +http://bot.example; bot@example.com; ip/203.0.113.9:8080 tel 09121234567 card 4111 1111 1111 1111 iban DE89 3704 0044 0532 0130 00"' >"$T/ngx.log"

cat >"$T/want" <<'X'
192.0.2.0 [21/Nov/2026:09:12:01 +0100] "GET /a HTTP/1.1" 200 "PHPSESSID=[cookie]; email=[cookie]; consent=[cookie]; [cookie]" "[cookie]" "Basic [key]" "[token]" %5Bemail%5D shoes "password=%5Bpassword%5D&email=%5Bemail%5D&q=shoes" "Mozilla/5.0 Chrome/120.0.0.0 +http://bot.example; bot@example.com; ip/203.0.113.0:8080 tel [phone] card [card] iban [iban]"
X
expect "nginx: cookie values, credentials, \$arg_NAME, form body, user-agent detectors (e-mail and versions kept)" --nginx-format "$NGX" "$T/ngx.log"

cat >"$T/want" <<'X'
192.0.2.0 [21/Nov/2026:09:12:01 +0100] "GET /a HTTP/1.1" 200 "PHPSESSID=[cookie]; email=[email]; consent=yes; [cookie]" "s3cr3tsid" "Basic [key]" "[token]" %5Bemail%5D shoes "password=%5Bpassword%5D&email=%5Bemail%5D&q=shoes" "Mozilla/5.0 Chrome/120.0.0.0 +http://bot.example; bot@example.com; ip/203.0.113.0:8080 tel [phone] card [card] iban [iban]"
X
expect "--keep-cookies: listed cookies keep their values, still scrubbed as free text" --keep-cookies 'consent,s*,email' --nginx-format "$NGX" "$T/ngx.log"

cat >"$T/want" <<'X'
192.0.2.0 [21/Nov/2026:09:12:01 +0100] "GET /a HTTP/1.1" 200 "PHPSESSID=[cookie]; email=[cookie]; consent=[cookie]; [cookie]" "[cookie]" "Basic [credential]" "[credential]" jane%40example.com shoes "password=hunter2&email=jane@example.com&q=shoes" "Mozilla/5.0 Chrome/120.0.0.0 +http://bot.example; bot@example.com; ip/203.0.113.0:8080 tel 09121234567 card 4111 1111 1111 1111 iban DE89 3704 0044 0532 0130 00"
X
expect "--no-filters: cookies and credentials are still replaced" --no-filters --nginx-format "$NGX" "$T/ngx.log"

cat >"$T/want" <<'X'
192.0.2.0 [21/Nov/2026:09:12:01 +0100] "GET /a HTTP/1.1" 200 "PHPSESSID=[cookie]; email=[cookie]; consent=[cookie]; [cookie]" "[cookie]" "Basic [key]" "[token]" - shoes "q=shoes" "Mozilla/5.0 Chrome/120.0.0.0 +http://bot.example; bot@example.com; ip/203.0.113.0:8080 tel [phone] card [card] iban [iban]"
X
expect "--keep-params: \$arg_NAME of an unlisted parameter is '-', the body keeps listed ones" --keep-params q --nginx-format "$NGX" "$T/ngx.log"

# --- Apache: Cookie, Set-Cookie, Authorization, a header named by a rule,
# client certificate and OIDC claims (user), %{NAME}C, free text, numbers
APA='%h %l %u %t "%r" %>s %b "%{Cookie}i" "%{Set-Cookie}o" "%{Authorization}i" "%{Proxy-Authorization}i" "%{Password}i" "%{SSL_CLIENT_S_DN}x" "%{OIDC_CLAIM_email}e" "%{sid}C" "%{UNIQUE_ID}e" %D'
cat >"$T/want" <<'X'
192.0.2.0 - user-<hash> [21/Nov/2026:09:12:01 +0100] "GET /a HTTP/1.1" 200 512 "sid=[cookie]; theme=[cookie]" "sid=[cookie]; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly, theme=[cookie]; Path=/; Secure" "Bearer [key]" "Digest [key]" "[password]" "user-<hash>" "user-<hash>" "[cookie]" "id [email] 1" [phone]
X
printf '%s\n' '192.0.2.10 - jane [21/Nov/2026:09:12:01 +0100] "GET /a HTTP/1.1" 200 512 "sid=abc; theme=dark" "sid=abc123; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly, theme=dark; Path=/; Secure" "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln" "Digest username=\"jane\", realm=\"x\"" "hunter2" "CN=Jane Doe,O=Example,emailAddress=jane@example.com" "jane.doe@example.com" "zz9" "id jane@example.com 1" 09121234567' |
    expect "Apache: cookies, Set-Cookie attributes kept, credentials, rule-named header, identity variables, free text, a number that is a phone" --apache-format "$APA"

# a Set-Cookie attribute's value is free text: an address there is anonymised
printf '%s\n' '"sid=abc; Domain=198.51.100.7; Path=/"' >"$T/sc.log"
printf '%s\n' '"sid=[cookie]; Domain=198.51.100.0; Path=/"' >"$T/want"
expect "Set-Cookie: an address in an attribute is anonymised" --nginx-format '"$sent_http_set_cookie"' "$T/sc.log"

# a cookie "name" that is not a token (a cut line run into the header) or
# that holds an address or an e-mail address goes with its value; plain
# names stay (found by fuzz_parse: "sid=abc; e3.0.113.9 - - [10P=x")
printf '%s\n' '"sid=abc; e3.0.113.9 - - [10P=x; ip3.0.113.9=1; jane@example.com=1; theme=dark"' >"$T/cn.log"
printf '%s\n' '"sid=[cookie]; [cookie]; [cookie]; [cookie]; theme=[cookie]"' >"$T/want"
expect "Cookie: a name that is not a token, or holds an address or e-mail, is replaced with its value" --nginx-format '"$http_cookie"' "$T/cn.log"

# --- structured fields that fail their shape are free text; identity
# headers; escapes keep their case when nothing in them was replaced
NGX2='$remote_addr [$time_local] $request_method "$request_uri" $status $body_bytes_sent $request_time "$request_id" "$http_x_auth_request_email" "$ssl_client_s_dn" "$http_x_trace"'
cat >"$T/want" <<'X'
192.0.2.0 [21/Nov/2026:09:12:01 +0100] GET "/a?x=198%2e51%2e100%2e0&y=%3a&z=2001%3Adb8%3A%3A" 200 512 0.012 "req [email]" "user-<hash>" "user-<hash>" "ping 198.51.100.0"
192.0.2.0 [[email]] [email] "/" 2OO 198.51.100.0 [phone] "-" "-" "-" "-"
X
printf '%s\n' '192.0.2.10 [21/Nov/2026:09:12:01 +0100] GET "/a?x=198%2e51%2e100%2e7&y=%3a&z=2001%3Adb8%3A%3A1" 200 512 0.012 "req jane@example.com" "jane@example.com" "CN=Jane Doe" "ping 198.51.100.7"' \
    '192.0.2.10 [jane@example.com] jane@example.com "/" 2OO 198.51.100.7 09121234567 "-" "-" "-" "-"' |
    expect "structured fields out of shape are free text; identity headers pseudonymised; %2e stays %2e" --nginx-format "$NGX2"

# --- a bad line with a known format's shape keeps its fields' policies:
# the user and the X-Forwarded-For host name are pseudonymised, the broken
# time is free text; a ':'-fenced field stays strict (no split address)
cat >"$T/want" <<'X'
192.0.2.0 - - [21/Nov/2026:09:12:01 +0100] "GET / HTTP/1.1" 200 1 "-" "x" "-"
192.0.2.0 - user-<hash> [token=[token]] "GET / HTTP/1.1" 2OO 1 "-" "x" "host-<hash>"
X
printf '%s\n' '192.0.2.1 - - [21/Nov/2026:09:12:01 +0100] "GET / HTTP/1.1" 200 1 "-" "x" "-"' \
    '192.0.2.1 - jane.doe [token=abcdef123456] "GET / HTTP/1.1" 2OO 1 "-" "x" "client.dsl.example.net"' |
    expect "a bad line keeps the policies of the format it has the shape of" --format nginx_main
printf '%s\n' '192.0.2.1 - jane.doe [token=abcdef123456] "GET / HTTP/1.1" 2OO 1 "-" "x" "-"' >"$T/bad.in"
"$LOGNYM" --format nginx_main "$T/bad.in" >/dev/null 2>"$T/bad.err"
check "a loosely read line is still a bad line in the summary" grep -q "matched no log format" "$T/bad.err"

# --- the last field of a format may hold an address list with host names
printf '%s\n' '192.0.2.0 10.0.0.0:8080, host-<hash>:8080' >"$T/want"
printf '%s\n' '192.0.2.1 10.0.0.5:8080, client.dsl.example.net:8080' |
    expect "\$upstream_addr as the last field: the whole list, host names pseudonymised (the port kept)" --nginx-format '$remote_addr $upstream_addr'

# --- JSON lines: the key decides, nested objects, arrays, headers objects,
# numbers that are replaced become strings
cat >"$T/want" <<'X'
{"level":"info","ts":1646861401.52,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"192.0.2.0","remote_port":"41342","client_ip":"192.0.2.0","proto":"HTTP/1.1","method":"GET","host":"shop.example.com","uri":"/reset?email=%5Bemail%5D&page=2","headers":{"User-Agent":["curl/8 tel [phone]"],"Cookie":["sid=[cookie]; lang=[cookie]"],"Authorization":["Bearer [key]"],"X-Forwarded-For":["host-<hash>, 198.51.100.0"],"Accept":["*/*"]}},"bytes_read":0,"user_id":"user-<hash>","duration":0.000929675,"size":10900,"status":200,"resp_headers":{"Set-Cookie":["sid=[cookie]; Path=/"],"Content-Type":["text/html"]},"mobile":"[phone]","email":"[email]","note":"call [phone]","tags":["a",{"password":"[password]"}],"http_cookie":"a=[cookie]","arg_email":"%5Bemail%5D","cookie_sid":"[cookie]","request_body":"password=%5Bpassword%5D&x=1","ok":true,"n":null}
X
printf '%s\n' '{"level":"info","ts":1646861401.52,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"192.0.2.10","remote_port":"41342","client_ip":"192.0.2.10","proto":"HTTP/1.1","method":"GET","host":"shop.example.com","uri":"/reset?email=jane%40example.com&page=2","headers":{"User-Agent":["curl/8 tel 09121234567"],"Cookie":["sid=abc; lang=en"],"Authorization":["Bearer s3cr3t"],"X-Forwarded-For":["client.example.net, 198.51.100.7"],"Accept":["*/*"]}},"bytes_read":0,"user_id":"jane","duration":0.000929675,"size":10900,"status":200,"resp_headers":{"Set-Cookie":["sid=xyz; Path=/"],"Content-Type":["text/html"]},"mobile":9121234567,"email":"jane@example.com","note":"call 09121234567","tags":["a",{"password":"hunter2"}],"http_cookie":"a=b","arg_email":"jane%40example.com","cookie_sid":"abc","request_body":"password=hunter2&x=1","ok":true,"n":null}' |
    expect "JSON lines (Caddy): each key's policy, headers objects, nested arrays, numbers" --format json
"$LOGNYM" -q --format json "$T/got.raw" >"$T/again"
check "JSON lines: anonymising the output again changes nothing" cmp -s "$T/got.raw" "$T/again"
if command -v jq >/dev/null 2>&1; then
    check "JSON lines: the output is still JSON" jq -e . "$T/got.raw" >/dev/null
fi

# --- --explain-format
cat >"$T/want" <<'X'
format nginx-format (--nginx-format)
  $remote_addr             address      anonymised by --ip-mode; a host name pseudonymised (host-<hex>)
  $remote_user             user         pseudonymised (user-<hex>)
  $status                  structured   kept when shaped like a status, else free text
  $http_cookie             cookie       cookie names kept, values replaced unless --keep-cookies lists them
  $cookie_sid              cookie       the value of cookie sid: replaced unless --keep-cookies lists it
  $http_authorization      credential   scheme word (Basic, Bearer) kept, the rest by rule api-key
  $http_x_api_key          credential   scheme word (Basic, Bearer) kept, the rest by rule api-key
  $http_x_password         credential   scheme word (Basic, Bearer) kept, the rest by rule password
  $arg_email               query value  scrubbed as the value of query parameter email
  $request_body            body         a form as a query string, JSON as an object (keys through the name rules)
  $http_user_agent         user agent   addresses (not product versions), phones, ids, cards, IBANs; e-mails kept
  $request_id              free text    every detector, name=value pairs by the name rules, every address
  (wrapper, extra fields)  free text    syslog and CRI prefixes, fields after the format
  (lines of no format)     free text    the user pseudonymised when the line starts like %h %l %u [%t, %h %u [%t, or %h - %u cut there or before a time
X
"$LOGNYM" --explain-format --nginx-format '$remote_addr $remote_user $status "$http_cookie" $cookie_sid "$http_authorization" $http_x_api_key $http_x_password $arg_email "$request_body" "$http_user_agent" $request_id' >"$T/got" 2>"$T/err"
same "--explain-format: every field with its policy" "$T/want" "$T/got"
check "--explain-format writes nothing on stderr" [ ! -s "$T/err" ]

"$LOGNYM" --explain-format --apache-format '%{X-Session-Id}i %{API_KEY}e %{X-Request-Id}i' >"$T/got"
check "--explain-format: headers and variables named by a name rule are credentials" \
    sh -c "grep -Eq '^  %\{X-Session-Id\}i +credential .*rule session\$' '$T/got' && grep -Eq '^  %\{API_KEY\}e +credential .*rule api-key\$' '$T/got' && grep -Eq '^  %\{X-Request-Id\}i +free text ' '$T/got'"

printf '%s\n' '192.0.2.10 - - [21/Nov/2026:09:12:01 +0100] "GET / HTTP/1.1" 200 1' >"$T/common.log"
"$LOGNYM" --explain-format "$T/common.log" >"$T/got" 2>&1
check "--explain-format detects the format from the first lines" grep -q "^format common (detected from .*common.log:1)" "$T/got"
check "--explain-format: %u is a user field" grep -Eq '^  %u +user ' "$T/got"
printf 'no access log here\n' | "$LOGNYM" --explain-format >"$T/got" 2>"$T/err"
rc=$?
check "--explain-format: no line matches: exit 1" [ "$rc" -eq 1 ]
check "--explain-format: no line matches: a message, no line content" sh -c "grep -q 'matched a log format' '$T/err' && ! grep -q 'access log here' '$T/err'"

exit $((nfail > 0))
