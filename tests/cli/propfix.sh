#!/bin/sh
# propfix.sh: the leaks the privacy property test found at seeds other than
# its default (issue 11), each with its exact expected output (pseudonyms
# written <hash>):
# A. a bad line whose leading fields line up with the format's (address,
#    ident, user, time) has its ident and user pseudonymised however many
#    later fields break, and a field glued to its neighbour ("%v:%p") takes
#    no field's place (the address stays an address);
# B. X-Forwarded-For host names of damaged lines (a user name with a blank,
#    a line cut inside the list, a lone CRI partial record) pseudonymised;
# C. report paths: an address percent-encoded twice is "[ip]" in every IP
#    mode's output form;
# D. free text: a JSON value under a name-ruled key replaced leaf by leaf,
#    and name/value pair objects ({"name":"password","value":…}).
# Innocent text around them is kept.
. "$(dirname "$0")/../lib.sh"
need jq
fixed_key "$T/k.key"
UA='Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0'

# --- A: ident and user of a bad line, however many later fields break
cat >"$T/want" <<'X'
shop.example.com:n=[card] 178.194.243.0 ident-<hash> user-<hash> [[email]] "HEAD /a HTTP/1.1" 200 93739 "-" "UA"
shop.example.com:n=5 178.194.243.0 ident-<hash> user-<hash> [10/Oct/2025:13:55:36 +0200] "HEAD /a HTTP/1.1" 200 93739 "-" "UA"
X
printf '%s\n' \
    'shop.example.com:n=5022-1606-6388-5346 178.194.243.247 veisg.cwekh dlemnp@example.com [goev.gutkm%EF%BC%A0mail.example.net] "HEAD /a HTTP/1.1" 200 93739 "-" "UA"' \
    'shop.example.com:n=5 178.194.243.247 veisg.cwekh dlemnp@example.com [10/Oct/2025:13:55:36 +0200] "HEAD /a HTTP/1.1" 200 93739 "-" "UA"' |
    expect "A: vhost_combined, port and time spoiled: ident and user pseudonymised, the address in its place" \
        --format vhost_combined
cat >"$T/want" <<'X'
192.0.2.0 ident-<hash> user-<hash> [x] "GET /a"b HTTP/1.1" 2OO 12x
192.0.2.0 - user-<hash> [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 2OO 12x
X
printf '%s\n' '192.0.2.10 veisg.cwekh jane.doe [x] "GET /a"b HTTP/1.1" 2OO 12x' \
    '192.0.2.10 - jane doe [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 2OO 12x' |
    expect "A: common, time, request, status and bytes spoiled, a user with a blank: ident and user pseudonymised" \
        --format common
cat >"$T/want" <<'X'
192.0.2.0 closed the connection
backup to odonujlv.dsl.example.net done, 198.51.100.0 next
X
printf '%s\n' '192.0.2.1 closed the connection' 'backup to odonujlv.dsl.example.net done, 198.51.100.7 next' |
    expect "A, B: text that merely starts with an address, or names a host, is kept"

# --- B: X-Forwarded-For host names in damaged lines
cat >"$T/want" <<'X'
192.0.2.0 - user-<hash> [21/Nov/2026:09:12:01 +0100] "GET /a HTTP/1.1" 200 1 "-" "curl/8" "host-<hash>, 198.51.100.0"
192.0.2.0 - - [21/Nov/2026:09:12:01 +0100] "GET /a HTTP/1.1" 200 1 "-" "curl/8" "host-<hash>, host-<hash>
2026-11-21T09:12:01.000Z stdout P 192.0.2.0 - user-<hash> [21/Nov/2026:09:12:01 +0100] "GET /a HTTP/1.1" 200 1 "-" "curl/8" "host-<hash>"
X
printf '%s\n' \
    '192.0.2.10 - jane doe [21/Nov/2026:09:12:01 +0100] "GET /a HTTP/1.1" 200 1 "-" "curl/8" "odonujlv.dsl.example.net, 198.51.100.7"' \
    '192.0.2.10 - - [21/Nov/2026:09:12:01 +0100] "GET /a HTTP/1.1" 200 1 "-" "curl/8" "odonujlv.dsl.example.net, 198.51' \
    '2026-11-21T09:12:01.000Z stdout P 192.0.2.10 - jane [21/Nov/2026:09:12:01 +0100] "GET /a HTTP/1.1" 200 1 "-" "curl/8" "odonujlv.dsl.example.net"' \
    >"$T/b.log"
expect "B: user with a blank, cut line, lone CRI partial: X-Forwarded-For host names pseudonymised" <"$T/b.log"
absent "B: auto mode leaves no host name either" -e odonujlv "$T/got.raw"

# --- C: report paths, an address percent-encoded twice, every mode
printf '%s\n' \
    "192.0.2.1 - - [10/Oct/2025:13:55:36 +0200] \"GET /blog/10285/%2530.60.61.229 HTTP/1.1\" 200 1 \"-\" \"$UA\"" \
    "192.0.2.2 - - [10/Oct/2025:13:55:37 +0200] \"GET /v6/2001%253Adb8%253A%253A7/files/report%2Epdf/v1%2E2 HTTP/1.1\" 200 1 \"-\" \"$UA\"" \
    >"$T/c.log"
for m in truncate hash cryptopan; do
    "$LOGNYM" -q -m $m -k "$T/k.key" --min-visitors 1 --stats "$T/c-$m.json" --csv "$T/c-$m" \
        <"$T/c.log" >"$T/c-$m.out"
    jeq "C: -m $m: JSON report's pages show [ip], escaped dots of innocent segments kept" "$T/c-$m.json" \
        '[.pages[].path] | sort' '["/blog/10285/[ip]","/v6/[ip]/files/report%2Epdf/v1%2E2"]'
    absent "C: -m $m: no address in the CSV report" -r -e '%2E[0-9]*%2E' -e '%3A[0-9a-f]*%3A' "$T/c-$m"
done
"$LOGNYM" stats --min-visitors 1 "$T/c.log" >"$T/c.txt" 2>/dev/null
check "C: lognym stats text report: the path as /blog/10285/[ip]" grep -q '^  /blog/10285/\[ip\] ' "$T/c.txt"

# --- D: JSON in free text (a raw body inside a quoted field breaks the line)
NGX='$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$request_body"'
cat >"$T/want" <<'X'
192.0.2.0 - - [21/Nov/2026:09:12:01 +0100] "POST /login HTTP/1.1" 200 1 "{"password":{"old":"[password]","new":"[password]"}}"
192.0.2.0 - - [21/Nov/2026:09:12:01 +0100] "POST /login HTTP/1.1" 200 1 "{"fields":[{"name":"password","value":"[password]"},{"name":"api_key","value":["[key]",[key]]}]}"
X
printf '%s\n' \
    '192.0.2.1 - - [21/Nov/2026:09:12:01 +0100] "POST /login HTTP/1.1" 200 1 "{"password":{"old":"a1","new":"hunter2"}}"' \
    '192.0.2.1 - - [21/Nov/2026:09:12:01 +0100] "POST /login HTTP/1.1" 200 1 "{"fields":[{"name":"password","value":"hunter2"},{"name":"api_key","value":["s3cr3tvalue",42]}]}"' |
    expect "D: a raw JSON body in a bad line: nested values and name/value pairs replaced" --nginx-format "$NGX"
cat >"$T/want" <<'X'
note {"password":{"old":"[password]","new":["[password]","[password]"]},"user":"user-<hash>"} and {"settings":{"theme":"dark","page":2}} {"label":"theme","note":"dark"}
X
printf '%s\n' 'note {"password":{"old":"a1","new":["hunter2","x9"]},"user":"abc"} and {"settings":{"theme":"dark","page":2}} {"label":"theme","note":"dark"}' |
    expect "D: free text: arrays under a ruled key replaced; innocent objects kept"
exit $((nfail > 0))
