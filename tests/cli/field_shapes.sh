#!/bin/sh
# field_shapes.sh: issue 11, fields that must have their kind's shape, each
# with its exact expected output (pseudonyms written <hash>): a request
# line's protocol, a time with text glued on, a custom format's time against
# its own strftime pattern, and host fields (%v $host $http_host
# $server_name JSON "host"): a host name or an address, anything else free text.
. "$(dirname "$0")/../lib.sh"

# --- the protocol of a request line: HTTP/d(.d) kept, anything else free text
cat >"$T/want" <<'X'
192.0.2.0 - - [21/Nov/2026:09:20:31 +0100] "GET /x HTTP/[email]" 200 1 "-" "x"
192.0.2.0 - - [21/Nov/2026:09:20:31 +0100] "GET /x?q=shoes HTTP/[phone]" 200 1 "-" "x"
192.0.2.0 - - [21/Nov/2026:09:20:31 +0100] "GET /x HTTP/sid=[session]" 200 1 "-" "x"
192.0.2.0 - - [21/Nov/2026:09:20:31 +0100] "GET /x?email=[email] HTTP/[email]" 200 1 "-" "x"
192.0.2.0 - - [21/Nov/2026:09:20:31 +0100] "GET /x HTTP/1.1" 200 1 "-" "x"
192.0.2.0 - - [21/Nov/2026:09:20:31 +0100] "GET /x HTTP/2" 200 1 "-" "x"
192.0.2.0 - - [21/Nov/2026:09:20:31 +0100] "GET /x HTTP/2.0" 200 1 "-" "x"
192.0.2.0 - - [21/Nov/2026:09:20:31 +0100] "GET /x" 200 1 "-" "x"
X
for proto in 'HTTP/jane.q7x@example.com' 'HTTP/+966587084983' 'HTTP/sid=ZVBoar9kJoK78CeEPLxD7b3' 'HTTP/1.1' 'HTTP/2' 'HTTP/2.0'; do
    q=
    [ "$proto" = 'HTTP/+966587084983' ] && q='?q=shoes'
    printf '192.0.2.1 - - [21/Nov/2026:09:20:31 +0100] "GET /x%s %s" 200 1 "-" "x"\n' "$q" "$proto"
    [ "$proto" = 'HTTP/sid=ZVBoar9kJoK78CeEPLxD7b3' ] &&
        printf '%s\n' '192.0.2.1 - - [21/Nov/2026:09:20:31 +0100] "GET /x?email=jane@example.com HTTP/jane@example.com" 200 1 "-" "x"'
done >"$T/proto.log"
printf '%s\n' '192.0.2.1 - - [21/Nov/2026:09:20:31 +0100] "GET /x" 200 1 "-" "x"' >>"$T/proto.log"
expect "a request line's protocol that is not HTTP/d(.d) is free text" --format combined "$T/proto.log"
"$LOGNYM" -q --format combined --stats "$T/proto.json" "$T/proto.log" >/dev/null
check "a request line's protocol: nothing of it in the report" sh -c "! grep -Eq 'jane|966587|ZVBoar' '$T/proto.json'"

# --- a time with text glued on is not a time: the field is free text
cat >"$T/want" <<'X'
192.0.2.0 - - [21/Nov/2026:09:20:31 +0100sid=[session]] "GET /x HTTP/1.1" 200 1 "-" "x"
192.0.2.0 - - [21/Nov/2026:09:20:31 [email]] "GET /x HTTP/1.1" 200 1 "-" "x"
192.0.2.0 - - [21/Nov/2026:09:20:31 +0100 token=[token]] "GET /x HTTP/1.1" 200 1 "-" "x"
X
printf '%s\n' '192.0.2.1 - - [21/Nov/2026:09:20:31 +0100sid=abc123def456] "GET /x HTTP/1.1" 200 1 "-" "x"' \
    '192.0.2.1 - - [21/Nov/2026:09:20:31 +0100jane.q7x@example.com] "GET /x HTTP/1.1" 200 1 "-" "x"' \
    '192.0.2.1 - - [21/Nov/2026:09:20:31 +0100 token=abcdef123456] "GET /x HTTP/1.1" 200 1 "-" "x"' |
    expect "a time with text glued on is free text" --format combined

# --- a custom format's time must have its own pattern's shape
cat >"$T/want" <<'X'
192.0.2.0 2026-11-21T09:12:01+0100 x
192.0.2.0 [iban] x
192.0.2.0 [phone] x
192.0.2.0 2026-11-21T09:12:01+[email] x
X
printf '%s\n' '192.0.2.1 2026-11-21T09:12:01+0100 x' '192.0.2.1 DE04638233017040873268 x' \
    '192.0.2.1 09121234567 x' '192.0.2.1 2026-11-21T09:12:01+0100_jane@example.com x' |
    expect "a custom %{FORMAT}t time: its own pattern's shape, else free text" --apache-format '%h %{%Y-%m-%dT%H:%M:%S%z}t x'
cat >"$T/want" <<'X'
192.0.2.0 [21/Nov/2026 09:12:01 CET] 1700000000123 x
192.0.2.0 [21/Nov/2026 09:12:01 [email]] [iban] x
X
printf '%s\n' '192.0.2.1 [21/Nov/2026 09:12:01 CET] 1700000000123 x' '192.0.2.1 [21/Nov/2026 09:12:01 jane@example.com] DE04638233017040873268 x' |
    expect "custom times with blanks and msec" --apache-format '%h [%{%d/%b/%Y %T %Z}t] %{msec}t x'
"$LOGNYM" --explain-format --apache-format '%h %{%Y-%m-%dT%H:%M:%S%z}t %{%Q}t' >"$T/explain" 2>&1
check "--explain-format: a custom time is checked against its own pattern" \
    grep -Eq '^  %\{%Y-%m-%dT%H:%M:%S%z\}t +structured +kept when shaped like its own pattern' "$T/explain"
check "--explain-format: a pattern without a fixed shape is a time" \
    grep -Eq '^  %\{%Q\}t +structured +kept when shaped like a time,' "$T/explain"

# --- host fields: a host name or address (anonymised), anything else free text
cat >"$T/want" <<'X'
[email]:443 192.0.2.0 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 5 "-" "UA"
www.example.com:443 192.0.2.0 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 5 "-" "UA"
198.51.100.0:443 192.0.2.0 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 5 "-" "UA"
[phone]:443 192.0.2.0 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 5 "-" "UA"
X
printf '%s\n' 'jane.q7x@example.com:443 192.0.2.9 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 5 "-" "UA"' \
    'www.example.com:443 192.0.2.9 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 5 "-" "UA"' \
    '198.51.100.7:443 192.0.2.9 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 5 "-" "UA"' \
    '09121234567:443 192.0.2.9 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 5 "-" "UA"' |
    expect "vhost_combined: %v holding an e-mail or a phone is free text, names kept" --format vhost_combined
cat >"$T/want" <<'X'
192.0.2.0 [email] shop.example.com:8080 _ [2001:db8::]:443
192.0.2.0 198.51.100.0 [email] token=[token] localhost
X
printf '%s\n' '192.0.2.1 jane.q7x@example.com shop.example.com:8080 _ [2001:db8::1]:443' \
    '192.0.2.1 198.51.100.7 jane%40example.com token=abcdef123456 localhost' |
    expect "nginx: \$host \$http_host \$server_name \$hostname" --nginx-format '$remote_addr $host $http_host $server_name $hostname'
cat >"$T/want" <<'X'
{"remote_addr":"192.0.2.0","host":"[email]","request":{"host":"www.example.com","headers":{"Host":["198.51.100.0:8080"]}}}
X
printf '%s\n' '{"remote_addr":"192.0.2.1","host":"jane.q7x@example.com","request":{"host":"www.example.com","headers":{"Host":["198.51.100.7:8080"]}}}' |
    expect "JSON lines: a host key holding an e-mail is free text" --format json
"$LOGNYM" --explain-format --format vhost_combined >"$T/explain" 2>&1
check "--explain-format: %v has the host policy" grep -Eq '^  %v +host +a host name kept' "$T/explain"
# An address is no time, though "2001:db8::1" has a time's bytes (found by
# fuzz_parse): a time key or field holding one is free text
printf '%s\n' '{"ts":"2025-10-, 2001:db8::"}' '{"ts":"2026-12-04 10:00:00,123"}' >"$T/want"
printf '%s\n' '{"ts":"2025-10-, 2001:db8::1"}' '{"ts":"2026-12-04 10:00:00,123"}' | expect "a time value holding an IPv6 address is free text"

exit $((nfail > 0))
