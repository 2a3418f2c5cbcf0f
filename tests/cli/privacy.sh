#!/bin/sh
# privacy.sh: issue 11's hostile lines, each with its exact expected output
# (pseudonyms written <hash>): damaged lines, addresses in every spelling,
# JSON keys, X-Forwarded-For host names, bad lines keeping a user name.
. "$(dirname "$0")/../lib.sh"

# --- damaged lines: cut inside the referrer, CRI partial records, bare CR
cat >"$T/want" <<'X'
192.0.2.0 - - [21/Nov/2026:09:12:01 +0100] "GET /welcome HTTP/1.1" 200 5120 "https://shop.example.com/reset?email=[email]&token=[token]&phone=[phone]
X
printf '%s\n' '192.0.2.10 - - [21/Nov/2026:09:12:01 +0100] "GET /welcome HTTP/1.1" 200 5120 "https://shop.example.com/reset?email=jane.doe%40example.com&token=8f14e45fceea&phone=09121234567' |
    expect "a line cut inside the referrer is free text, not common plus extras"

cat >"$T/want" <<'X'
2026-11-21T09:12:01.000Z stdout F 192.0.2.0 - - [21/Nov/2026:09:12:01 +0100] "GET /reset?email=%5Bemail%5D HTTP/1.1" 200 5120 "https://shop.example.com/reset?email=%5Bemail%5D&token=%5Btoken%5D" "curl/8"
X
printf '%s\n%s\n' '2026-11-21T09:12:01.000Z stdout P 192.0.2.10 - - [21/Nov/2026:09:12:01 +0100] "GET /reset?email=jane.doe%40example.com HTTP/1.1" 200 5120 "https://shop.example.com/reset?email=jane.doe%40exa' \
    '2026-11-21T09:12:01.000Z stdout F mple.com&token=8f14e45fceea" "curl/8"' |
    expect "a CRI partial record is joined with its continuation"

# Kubernetes writes stdout and stderr into one file: whole records of the
# other stream between two parts do not cut a partial record; the joined
# record keeps its place and they follow it, as in the file
cat >"$T/want" <<'X'
2026-11-21T09:12:01.000Z stdout F 192.0.2.0 - - [21/Nov/2026:09:12:01 +0100] "GET /x?q=%5Bemail%5D HTTP/1.1" 200 1 "-" "x"
2026-11-21T09:12:01.000Z stderr F warn 198.51.100.0 end
2026-11-21T09:12:01.000Z stderr F more
2026-11-21T09:12:02.000Z stderr F plain
X
printf '%s\n' '2026-11-21T09:12:01.000Z stdout P 192.0.2.10 - - [21/Nov/2026:09:12:01 +0100] "GET /x?q=jane.doe' \
    '2026-11-21T09:12:01.000Z stderr F warn 198.51.100.7 end' '2026-11-21T09:12:01.000Z stdout P @exam' \
    '2026-11-21T09:12:01.000Z stderr F more' '2026-11-21T09:12:01.000Z stdout F ple.com HTTP/1.1" 200 1 "-" "x"' \
    '2026-11-21T09:12:02.000Z stderr F plain' |
    expect "CRI: whole stderr records between the parts of a stdout record do not cut it; the order is kept"

# lognym stats over several files reads them merged by time: the partial
# records of each file are joined there too
printf '%s\n' '2026-11-21T09:12:01.000Z stdout P 192.0.2.10 - - [21/Nov/2026:09:12:01 +0100] "GET /x?q=jane.doe' \
    '2026-11-21T09:12:01.000Z stderr F warn' \
    '2026-11-21T09:12:01.000Z stdout F @example.com HTTP/1.1" 200 1 "-" "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"' >"$T/cri1.log"
printf '%s\n' '2026-11-21T09:12:02.000Z stdout P 192.0.2.11 - - [21/Nov/2026:09:12:02 +0100] "GET /y HTTP/1.1" 200 1 "-" "Mozilla/5.0 (X11; ' \
    '2026-11-21T09:12:02.000Z stdout F Linux x86_64) Firefox/120.0"' >"$T/cri2.log"
"$LOGNYM" stats -q --json "$T/cri.json" "$T/cri1.log" "$T/cri2.log" 2>"$T/err"
check "stats over two CRI files merged by time: partial records joined (2 hits)" \
    test "$(jq '.summary.hits' "$T/cri.json" 2>/dev/null)" = 2
absent "stats over two CRI files: the report holds no part of the e-mail" -e jane -e '@example' "$T/cri.json" "$T/err"

cat >"$T/want" <<'X'
2026-11-21T09:12:01.000Z stdout P 192.0.2.0 - - [21/Nov/2026:09:12:01 +0100] "GET /welcome HTTP/1.1" 200 5120 "https://x.example/r?email=[email]&token=[token]
X
printf '%s\n' '2026-11-21T09:12:01.000Z stdout P 192.0.2.10 - - [21/Nov/2026:09:12:01 +0100] "GET /welcome HTTP/1.1" 200 5120 "https://x.example/r?email=jane.doe%40example.com&token=8f14e45fceea' |
    expect "a lone CRI partial record is free text"

printf '192.0.2.0 - - [21/Nov/2026:09:12:01 +0100] "GET /a HTTP/1.1" 200 1 "-" "x"\r192.0.2.0 - - [21/Nov/2026:09:12:02 +0100] "GET /r?email=%%5Bemail%%5D HTTP/1.1" 200 1 "-" "x"\n' >"$T/want"
printf '192.0.2.10 - - [21/Nov/2026:09:12:01 +0100] "GET /a HTTP/1.1" 200 1 "-" "x"\r192.0.2.11 - - [21/Nov/2026:09:12:02 +0100] "GET /r?email=jane.doe@example.com HTTP/1.1" 200 1 "-" "x"\n' |
    expect "two records joined by a bare CR: each piece by the policies of its format, the CR kept"

# --- wrappers with an explicit format: a custom format on Kubernetes (CRI)
# or behind syslog (RFC 3164 and RFC 5424 headers) keeps its fields' policies
F='$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_cookie"'
L='198.51.100.7 - janedoe [04/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "Mozilla/5.0" "_ga=GA1.2.3"'
W='198.51.100.0 - user-<hash> [04/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "Mozilla/5.0" "_ga=[cookie]"'
printf '%s\n' "2026-12-04T10:00:00.000000000Z stdout F $W" "<190>Dec  4 10:00:00 web nginx: $W" \
    "<190>1 2026-12-04T10:00:00Z web nginx - - - $W" "<190>1 2026-12-04T10:00:00Z web nginx 12 ID47 [ex@1 a=\"b\\]\"] $W" >"$T/want"
printf '%s\n' "2026-12-04T10:00:00.000000000Z stdout F $L" "<190>Dec  4 10:00:00 web nginx: $L" \
    "<190>1 2026-12-04T10:00:00Z web nginx - - - $L" "<190>1 2026-12-04T10:00:00Z web nginx 12 ID47 [ex@1 a=\"b\\]\"] $L" |
    expect "--nginx-format: CRI, syslog and RFC 5424 wrapped lines keep their fields' policies" --nginx-format "$F"
printf '%s\n' '{"remote_addr":"198.51.100.0","http_cookie":"_ga=[cookie]","http_x_forwarded_for":"host-<hash>"}' >"$T/want"
printf '%s\n' '2026-12-04T10:00:00.000000000Z stdout F {"remote_addr":"198.51.100.7","http_cookie":"_ga=GA1","http_x_forwarded_for":"janes-laptop.example.net"}' |
    "$LOGNYM" -q -f json | sed 's/^2026-12-04T10:00:00.000000000Z stdout F //' | norm >"$T/got"
same "-f json: a CRI-wrapped JSON line keeps its keys' policies" "$T/want" "$T/got"

# --- access log lines inside free text (Docker's json-file "log", records
# run together without a CR): ident and user pseudonymised as in a parsed line
cat >"$T/want" <<'X'
{"log":"192.0.2.0 - user-<hash> [04/Dec/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 12 \"-\" \"Mozilla/5.0\"\n","stream":"stdout","time":"2026-12-04T10:00:00.000000000Z"}
192.0.2.0 - user-<hash> [04/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "x" 198.51.100.0 - user-<hash> [04/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "x"
192.0.2.0 - - [04/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "x"	198.51.100.0 ident-<hash> user-<hash> [04/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "x"
X
cat <<'X' | expect "access lines inside free text keep no ident or user name"
{"log":"192.0.2.10 - janedoe [04/Dec/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 12 \"-\" \"Mozilla/5.0\"\n","stream":"stdout","time":"2026-12-04T10:00:00.000000000Z"}
192.0.2.10 - janedoe [04/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "x" 198.51.100.8 - johnroe [04/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "x"
192.0.2.10 - - [04/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "x"	198.51.100.8 ident7 johnroe [04/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "x"
X
printf '%s\n' 'see [04/Dec/2026:10:00:00 +0000] a b c [04/Dec/2026:10:00:00 +0000] x' >"$T/want"
printf '%s\n' 'see [04/Dec/2026:10:00:00 +0000] a b c [04/Dec/2026:10:00:00 +0000] x' |
    expect "free text: a time after words that are no client is left alone" --nginx-format '$foo'

# --- user names in identity headers and JSON keys of auth proxies
printf '%s\n' '192.0.2.0 "user-<hash>" "user-<hash>" "user-<hash>" "user-<hash>" "user-<hash>"' >"$T/want"
printf '%s\n' '192.0.2.1 "janedoe" "Jane Doe" "jdoe42" "CN=Jane Doe,OU=Staff,O=Example" "jd"' |
    expect "identity headers of auth proxies are user names" --nginx-format \
    '$remote_addr "$http_x_webauth_user" "$http_x_ms_client_principal_name" "$http_x_user_id" "$http_x_ssl_client_s_dn" "$http_x_remote_user"'
printf '%s\n' '{"ClientAddr":"192.0.2.0:4711","ClientUsername":"user-<hash>","RequestPath":"/"}' >"$T/want"
printf '%s\n' '{"ClientAddr":"192.0.2.1:4711","ClientUsername":"janedoe","RequestPath":"/"}' |
    expect "Traefik's ClientUsername is a user name" -f json

# --- a JSON record that is not exactly one line's object (a byte-order mark,
# a trailing blank, an array around it) keeps its keys' policies
L='{"remote_addr":"192.0.2.10","remote_user":"janedoe","http_cookie":"_ga=GA1.2.3","http_x_forwarded_for":"janes-laptop.example.net"}'
W='{"remote_addr":"192.0.2.0","remote_user":"user-<hash>","http_cookie":"_ga=[cookie]","http_x_forwarded_for":"host-<hash>"}'
printf '\357\273\277%s\n%s \n[%s]\n' "$W" "$W" "$W" >"$T/want"
printf '\357\273\277%s\n%s \n[%s]\n' "$L" "$L" "$L" | expect "JSON records after a BOM, before a blank, in an array keep their keys' policies"

# --- "unix:" in an address field is kept only as a socket path
cat >"$T/want" <<'X'
192.0.2.0 - - [04/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "x" "host-<hash>"
192.0.2.0 - - [04/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "x" "host-<hash>"
192.0.2.0 - - [04/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "x" "host-<hash>"
192.0.2.0 - - [04/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "x" "unix:/run/php/php8.2-fpm.sock"
X
printf '192.0.2.10 - - [04/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "x" "%s"\n' 'unix:jane@example.com' \
    'unix:/x/4111111111111111' 'unix:0912-123-4567' 'unix:/run/php/php8.2-fpm.sock' |
    expect "X-Forwarded-For: 'unix:' followed by anything but a socket path is a name" -f nginx_main

# --- JSON keys in camelCase, with '-' or '.', or a header's name alone name
# the nginx variable they stand for
printf '%s\n' '{"remoteAddr":"192.0.2.0","remoteUser":"user-<hash>","remote-user":"user-<hash>","httpCookie":"_ga=[cookie]","xForwardedFor":"host-<hash>","sslClientSDn":"user-<hash>","cookie":"abc=[cookie]","requestTime":"0.123","msg":"hello"}' >"$T/want"
printf '%s\n' '{"remoteAddr":"192.0.2.10","remoteUser":"janedoe","remote-user":"janedoe","httpCookie":"_ga=GA1.2.3","xForwardedFor":"janes-laptop.example.net","sslClientSDn":"CN=Jane Doe","cookie":"abc=opaque2","requestTime":"0.123","msg":"hello"}' |
    expect "JSON keys spelled in camelCase or as a header name get their variable's policy"

# --- a request line without a protocol (raw blanks, as nginx logs a 400):
# its last word is the end of the target, not a protocol
cat >"$T/want" <<'X'
GET /?name=%5Bname%5D
GET /login?password=%5Bpassword%5D
GET /?q=x&card=%5Bcard%5D
GET /x HTTP/[email]
X
for r in 'GET /?name=Jane Doe' 'GET /login?password=correct horse battery' 'GET /?q=x&card=4111 1111 1111 1111' \
    'GET /x HTTP/jane@example.com'; do
    printf '192.0.2.10 - - [04/Dec/2026:10:00:00 +0000] "%s" 400 12 "-" "x"\n' "$r"
done | "$LOGNYM" -q | cut -d'"' -f2 >"$T/got"
same "a request line's last word that is no protocol stays in the target's value" "$T/want" "$T/got"

# --- NUL bytes hide nothing: dropped, the rest read as a bad line (a NUL
# inside a value, a UTF-16 log)
printf '192.0.2.0 - - [04/Dec/2026:10:00:00 +0000] "GET /?e=%%5Bemail%%5D&ip=203.0.113.0 HTTP/1.1" 200 12 "-" "x"\n' >"$T/want"
printf '192.0.2\000.10 - - [04/Dec/2026:10:00:00 +0000] "GET /?e=jane\000@example.com&ip=203.0.\000113.9 HTTP/1.1" 200 12 "-" "x"\n' |
    expect "NUL bytes inside values are dropped and hide nothing"
printf '192.0.2.10 - janedoe [04/Dec/2026:10:00:00 +0000] "GET /?e=jane@example.com HTTP/1.1" 200 12 "-" "x"\n' |
    iconv -f utf-8 -t utf-16le >"$T/u16.log"
"$LOGNYM" -q "$T/u16.log" | tr -d '\000' >"$T/u16.out"
absent "a UTF-16 log: no address, user or e-mail survives" -e janedoe -e jane@ -e 192.0.2.10 "$T/u16.out"

# --- a bad line keeps no user name
cat >"$T/want" <<'X'
192.0.2.0 - user-<hash> [21/Nov/2026:09:12:01 +0100] "GET /welcome HTTP/1.1" 200 5120 "-" "curl/8"
X
printf '%s\n' '192.0.2.10 - jane doe [21/Nov/2026:09:12:01 +0100] "GET /welcome HTTP/1.1" 200 5120 "-" "curl/8"' |
    expect "a user name with a space is pseudonymised on a bad line"

# --- addresses in every spelling, in free text (an unparsable line)
cat >"$T/want" <<'X'
GET /search?q=whois%20198.51.100.0 ping%20198.51.100.0 %22198.51.100.0%22 %40198.51.100.0 \x20198.51.100.0
[client 2001:db8:4f2a:::54321] AH01617: x
/peer/ip:2001:db8:4f2a:: 2001:db8:4f2a::.443 2002:c633:6400::
0.113.0.203.in-addr.arpa 0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.a.2.f.4.8.b.d.0.1.0.0.2.ip6.arpa
ec2-203-0-113-0.compute-1.amazonaws.com 203-0-113-0.static.isp.example host-203.0.113.0
X
cat <<'X' | expect "addresses after escapes and words, with ports, 6to4, reverse DNS, host names" --ipv6-prefix 48
GET /search?q=whois%20198.51.100.7 ping%20198.51.100.7 %22198.51.100.7%22 %40198.51.100.7 \x20198.51.100.7
[client 2001:db8:4f2a:17::c0de:54321] AH01617: x
/peer/ip:2001:db8:4f2a:17::c0de 2001:db8:4f2a::1.443 2002:c633:6407::1
9.113.0.203.in-addr.arpa e.d.0.c.0.0.0.0.0.0.0.0.7.1.0.0.0.0.0.0.a.2.f.4.8.b.d.0.1.0.0.2.ip6.arpa
ec2-203-0-113-9.compute-1.amazonaws.com 203-0-113-9.static.isp.example host-203.0.113.9
X
# A zone id is an interface name: anything else glued after '%' makes the
# client token a name, pseudonymised whole
cat >"$T/want" <<'X'
host-<hash> - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 502 0 "-" "-"
fe80::%eth0 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 502 0 "-" "-"
[fe80::%eth0]:443 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 502 0 "-" "-"
X
cat <<'X' | expect "an IPv6 zone id holding more than an interface name is no zone id"
fe80::1%eth0jane.q7x@example.com& - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 502 0 "-" "-"
fe80::1%eth0 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 502 0 "-" "-"
[fe80::1%eth0]:443 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 502 0 "-" "-"
X
# An address right after a double-encoded escape or a \u/%u escape whose
# last hex digit is a digit ("%2540198…", "\u0020198…", Go's "\u0026")
cat >"$T/want" <<'X'
192.0.2.0 - - [04/Dec/2026:10:00:00 +0000] "GET /a?x=j%2540198.51.100.0&q=%2520198.51.100.0&t=%252540198.51.100.0&u=\u0040198.51.100.0&v=%u0040198.51.100.0&w=%5Cx20198.51.100.0&y=%5Cu0020198.51.100.0 HTTP/1.1" 200 12 "http://example.com/?x=%2522198.51.100.0%2522" "x"
{"remote_addr":"192.0.2.0","msg":"from\u0020198.51.100.0","RequestPath":"/a?198.51.100.0\u0026198.51.100.0"}
X
cat <<'X' | expect "addresses after double-encoded and \\u escapes are anonymised"
192.0.2.10 - - [04/Dec/2026:10:00:00 +0000] "GET /a?x=j%2540198.51.100.7&q=%2520198.51.100.8&t=%252540198.51.100.9&u=\u0040198.51.100.10&v=%u0040198.51.100.11&w=%5Cx20198.51.100.12&y=%5Cu0020198.51.100.13 HTTP/1.1" 200 12 "http://example.com/?x=%2522198.51.100.14%2522" "x"
{"remote_addr":"192.0.2.10","msg":"from\u0020198.51.100.8","RequestPath":"/a?198.51.100.11\u0026198.51.100.12"}
X
printf '%s\n' '2002:c633:6407::1' | "$LOGNYM" -q --ipv6-prefix 128 >"$T/6to4"
check "6to4 with a /128 IPv6 prefix: the IPv4 inside is truncated" grep -qx '2002:c633:6400::1' "$T/6to4"
# A fixed key: with a random one a pseudonym may spell '.203.in' or 'c0de' by chance.
fixed_key "$T/fixed.key"
for mode in hash cryptopan; do
    printf '%s\n' 'x 9.113.0.203.in-addr.arpa ec2-203-0-113-9.compute-1.amazonaws.com %20198.51.100.7 2001:db8:4f2a:17::c0de:54321' |
        "$LOGNYM" -q --ip-mode $mode --key-file "$T/fixed.key" >"$T/m"
    absent "--ip-mode $mode: every spelling anonymised" '203.0.113\|113-9\|\.203\.in\|198\.51\|c0de' "$T/m"
done

# --- JSON lines: the key decides
cat >"$T/want" <<'X'
{"remote_addr":"192.0.2.0","remote_user":"user-<hash>","request_body":"{\"password\":\"[password]\"}","mobile":"[phone]","http_authorization":"Basic [key]","http_x_api_key":"[key]","user_id":"user-<hash>","request":{"headers":{"X-Api-Key":["[key]"]}}}
X
printf '%s\n' '{"remote_addr":"192.0.2.10","remote_user":"jane","request_body":"{\"password\":\"hunter2\"}","mobile":"9121234567","http_authorization":"Basic YWxpOmh1bnRlcjI=","http_x_api_key":"s3cr3t","user_id":"42","request":{"headers":{"X-Api-Key":["s3cr3t"]}}}' |
    expect "JSON lines: user, body, phone, credential and header keys" --format json

# --- X-Forwarded-For host names
cat >"$T/want" <<'X'
host-<hash>, 198.51.100.0 192.0.2.0 - - [21/Nov/2026:09:12:01 +0100] "GET / HTTP/1.1" 200 1 "-" "x"
X
printf '%s\n' 'client.example.net, 198.51.100.7 192.0.2.10 - - [21/Nov/2026:09:12:01 +0100] "GET / HTTP/1.1" 200 1 "-" "x"' |
    expect "X-Forwarded-For host names are pseudonymised" --format xff_combined

exit $((nfail > 0))
