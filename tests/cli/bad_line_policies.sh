#!/bin/sh
# bad_line_policies.sh: issue 11, field policies that must hold where the
# line or the field is unusual, each with its exact expected output
# (pseudonyms written <hash>): records joined by a bare CR keep their
# fields' policies piece by piece; a structured field out of shape is free
# text on its own; JSON key names are free text (Caddy logs the client's
# header names), known keys byte-identical; every element of an upstream
# address list gets the address-list policy.
. "$(dirname "$0")/../lib.sh"

# --- records joined by a bare CR: user, ident, X-Forwarded-For host names
# of each piece pseudonymised, the CR kept
printf '%s\r%s\n' \
    '192.0.2.0 - user-<hash> [21/Nov/2026:09:12:01 +0100] "GET /a HTTP/1.1" 200 1 "-" "x" "host-<hash>, 198.51.100.0"' \
    '192.0.2.0 - user-<hash> [21/Nov/2026:09:12:02 +0100] "GET /r?email=%5Bemail%5D HTTP/1.1" 200 1 "-" "x" "host-<hash>"' >"$T/want"
printf '%s\r%s\n' \
    '192.0.2.10 - jane.doe [21/Nov/2026:09:12:01 +0100] "GET /a HTTP/1.1" 200 1 "-" "x" "client.dsl.example.net, 198.51.100.7"' \
    '192.0.2.11 - gvdjk.nwnha [21/Nov/2026:09:12:02 +0100] "GET /r?email=jane.doe@example.com HTTP/1.1" 200 1 "-" "x" "other.dsl.example.net"' |
    expect "records joined by a bare CR keep their fields' policies" --format nginx_main
printf '%s\r%s\n' \
    '192.0.2.0 - user-<hash> [21/Nov/2026:09:12:01 +0100] "GET /a?card=%5Bcard%5D HTTP/1.1" 200 1 "https://shop.example.com/cut?u=[email]' \
    '192.0.2.0 - user-<hash> [21/Nov/2026:09:12:02 +0100] "GET /b HTTP/1.1" 200 1 "-" "x" "-"' >"$T/want"
printf '%s\r%s\n' \
    '192.0.2.10 - jane.doe [21/Nov/2026:09:12:01 +0100] "GET /a?card=4111+1111+1111+1111 HTTP/1.1" 200 1 "https://shop.example.com/cut?u=jane.doe@example.com' \
    '192.0.2.11 - gvdjk.nwnha [21/Nov/2026:09:12:02 +0100] "GET /b HTTP/1.1" 200 1 "-" "x" "-"' |
    expect "a record cut short, then a CR and a whole record" --format nginx_main

# --- a structured field out of shape is free text on its own: the user,
# the X-Forwarded-For host name, credentials and cookies keep their policies
cat >"$T/want" <<'X'
192.0.2.0 - user-<hash> [token=[token]] "GET / HTTP/1.1" 200 1 "-" "x" "host-<hash>"
X
printf '%s\n' '192.0.2.1 - jane.doe [token=abcdef123456] "GET / HTTP/1.1" 200 1 "-" "x" "client.dsl.example.net"' |
    expect "nginx_main: a time that is no time, the rest keeps its policies" --format nginx_main
cat >"$T/want" <<'X'
192.0.2.0 [[email]] user-<hash> "Bearer [key]" "sid=[cookie]" host-<hash> 2OO
X
printf '%s\n' '192.0.2.1 [jane@example.com] jane "Bearer abcdefghijk123456" "sid=abc123" client.dsl.example.net 2OO' |
    expect "a custom format: time and status out of shape, user, credential, cookie, X-Forwarded-For keep their policies" \
        --nginx-format '$remote_addr [$time_local] $remote_user "$http_authorization" "$http_cookie" $http_x_forwarded_for $status'

# --- JSON key names: addresses and e-mails in them anonymised and scrubbed,
# known keys byte-identical
cat >"$T/want" <<'X'
{"remote_addr":"192.0.2.0","remote_user":"user-<hash>","request":{"headers":{"198.51.100.0":["x"],"[email]":["y"],"User-Agent":["curl/8"],"X-Forwarded-For":["host-<hash>"]}},"status":200}
X
printf '%s\n' '{"remote_addr":"192.0.2.1","remote_user":"jane","request":{"headers":{"198.51.100.7":["x"],"jane.q7x@example.com":["y"],"User-Agent":["curl/8"],"X-Forwarded-For":["client.dsl.example.net"]}},"status":200}' |
    expect "JSON lines: key names are free text, known keys kept" --format json
printf '%s\n' '{"remote_addr":"192.0.2.1","request":{"method":"GET","uri":"/a","headers":{"Accept":["*/*"]}},"status":200,"duration":0.01}' >"$T/known.json"
"$LOGNYM" -q --format json "$T/known.json" >"$T/known.out"
check "JSON lines: a line whose keys are all known keeps every key byte for byte" \
    sh -c "sed 's/192.0.2.1/192.0.2.0/' '$T/known.json' | cmp -s - '$T/known.out'"

# --- an upstream address list: every element gets the address-list policy
cat >"$T/want" <<'X'
192.0.2.0 10.0.0.0:8080, host-<hash>:8080 : unix:/run/php.sock, host-<hash>
X
printf '%s\n' '192.0.2.1 10.0.0.5:8080, client.dsl.example.net:8080 : unix:/run/php.sock, backend.example.net' |
    expect "\$upstream_addr: host names after addresses pseudonymised, ports kept" --nginx-format '$remote_addr $upstream_addr'
# A line cut inside or just after a cookie, certificate or credential field:
# the field keeps its policy (the line was cut, the value is still one)
F='$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_cookie" "$ssl_client_s_dn" "$http_authorization"'
L='192.0.2.10 - janedoe [04/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12 "_ga=GA1.2.3" "CN=Jane Doe,O=Example" "Basic amFuZTpodW50ZXIy"'
for c in 88 84 114 121; do printf '%s\n' "$L" | cut -c1-$c; done | "$LOGNYM" -q --nginx-format "$F" >"$T/cut.out"
absent "a line cut in or after a cookie, DN or credential field keeps none of them" \
    -e 'GA1' -e 'Jane' -e 'amFu' -e 'janedoe' "$T/cut.out"

exit $((nfail > 0))
