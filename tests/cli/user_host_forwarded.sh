#!/bin/sh
# user_host_forwarded.sh: attack 7, findings 4, 9 and 10, each with its exact
# expected output in every IP mode (an address's expected form is what the
# same mode makes of the bare address in a client field, so the test does
# not echo the code under test):
# - the user of a bad line that reads like an access log line: cut after the
#   user or inside the time, an ISO or epoch time, a format without %l; a
#   text that merely starts with an address keeps its words;
# - the host policy: a card as the port, a phone as a label, a JWT; host
#   names and addresses as before;
# - Forwarded (RFC 7239): for=/by= host names pseudonymised as in
#   X-Forwarded-For, addresses anonymised (quoted, bracketed, escaped),
#   obfuscated ids kept; reverse-DNS names with the address glued to a word
#   or followed by one.
. "$(dirname "$0")/../lib.sh"

fixed_key "$T/key"

# anon ADDR: what the mode makes of ADDR as a client address.
anon() {
    printf '%s\n' "$1" | "$LOGNYM" -q --nginx-format '$remote_addr' $mode_args
}

for mode in truncate hash cryptopan; do
    mode_args="--ip-mode $mode --key-file $T/key"
    A=$(anon 192.0.2.1)
    B=$(anon 198.51.100.7)
    D=$(printf '%s' "$B" | tr . -) # B in a host name, with dashes
    V6=$(anon 2001:db8:cafe::17)

    # --- finding 4: bad lines that read like access log lines
    cat >"$T/want" <<X
$A - user-<hash>
$A - user-<hash> 2026-11-21T09:12:01+01:00 "GET /x HTTP/1.1" 200 1
$A user-<hash> [21/Nov/2026:09:12:01 +0100] "GET /x HTTP/1.1" 200 1
$A - user-<hash> [2
$A - user-<hash> 1700000000.123 "GET /x"
$A ident-<hash> user-<hash> 2026-11-21 09:12:01 "GET /x"
2022-01-28T16:04:05Z stdout F $A - user-<hash>
$A closed the connection
$A - connection reset by peer
$A failed login
X
    printf '%s\n' '192.0.2.1 - jane' \
        '192.0.2.1 - jane.doe 2026-11-21T09:12:01+01:00 "GET /x HTTP/1.1" 200 1' \
        '192.0.2.1 jane.doe [21/Nov/2026:09:12:01 +0100] "GET /x HTTP/1.1" 200 1' \
        '192.0.2.1 - jane [2' \
        '192.0.2.1 - jane.doe 1700000000.123 "GET /x"' \
        '192.0.2.1 jdoe jane 2026-11-21 09:12:01 "GET /x"' \
        '2022-01-28T16:04:05Z stdout F 192.0.2.1 - jane' \
        '192.0.2.1 closed the connection' \
        '192.0.2.1 - connection reset by peer' \
        '192.0.2.1 failed login' |
        expect "$mode: bad lines: the user of a cut or near-common line pseudonymised, plain text kept" $mode_args

    # --- finding 9: the host policy
    cat >"$T/want" <<X
ex.com:[card] $A
x.[phone] $A
[jwt] $A
[phone].example.com $A
[card].example.com $A
$B:8080 $A
[$V6]:443 $A
localhost:8080 $A
www.example.com $A
v2.api.example.com:443 $A
1.2.3.example.com $A
shop-2026-11-21.example.com $A
_ $A
X
    printf '%s 192.0.2.1\n' ex.com:4111111111111111 x.09121234567 \
        eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.abc123def456 09121234567.example.com \
        4111111111111111.example.com 198.51.100.7:8080 '[2001:db8:cafe::17]:443' localhost:8080 \
        www.example.com v2.api.example.com:443 1.2.3.example.com shop-2026-11-21.example.com _ |
        expect "$mode: \$host: a card port, a phone label, a JWT are scrubbed; host names and addresses as before" \
            --nginx-format '$host $remote_addr' $mode_args

    # --- finding 10: Forwarded, pair by pair
    cat >"$T/want" <<X
$A "for=host-<hash>;host=x"
$A "for=$A;proto=http;by=$B"
$A "for="[$V6]:4711""
$A "for=\\x22[$V6]:4711\\x22, for=unknown;by=_hidden"
$A "for=_[phone];proto=https;host=shop.example.com"
$A "For=$B:4711;secret=[key]"
$A "for=host-<hash>:8080;host=x.[phone]"
$A "$B="
$A "for=$A;$B=;[email]="
X
    printf '192.0.2.1 "%s"\n' 'for=client.dsl.example.net;host=x' \
        'for=192.0.2.1;proto=http;by=198.51.100.7' \
        'for="[2001:db8:cafe::17]:4711"' \
        'for=\x22[2001:db8:cafe::17]:4711\x22, for=unknown;by=_hidden' \
        'for=_09121234567;proto=https;host=shop.example.com' \
        'For=198.51.100.7:4711;secret=hunter2' \
        'for=client.dsl.example.net:8080;host=x.09121234567' \
        '198.51.100.7=' 'for=192.0.2.1;198.51.100.7=;jane.doe%40example.com=' |
        expect "$mode: \$http_forwarded: for/by host names pseudonymised, addresses anonymised, host= by the host policy" \
            --nginx-format '$remote_addr "$http_forwarded"' $mode_args

    # --- finding 10: addresses spelt in reverse-DNS names
    cat >"$T/want" <<X
$A "host$D.range198-51.btcentralplus.com"
$A "ip-$D ip-$D.ec2.internal"
$A "$D-static.example.net $D-static"
$A "c-$D.hsd1.ma.comcast.net"
$A "order 2026-11-21 /p/1-2-3-4 v1-2-3-4 item12-3-4-5.jpg /p/1-2-3-4-blue-shoes host198-51-100-7"
X
    printf '192.0.2.1 "%s"\n' 'host198-51-100-7.range198-51.btcentralplus.com' \
        'ip-198-51-100-7 ip-198-51-100-7.ec2.internal' \
        '198-51-100-7-static.example.net 198-51-100-7-static' \
        'c-198-51-100-7.hsd1.ma.comcast.net' \
        'order 2026-11-21 /p/1-2-3-4 v1-2-3-4 item12-3-4-5.jpg /p/1-2-3-4-blue-shoes host198-51-100-7' |
        expect "$mode: dashed addresses glued to a word or before one; dates, slugs and versions kept" \
            --nginx-format '$remote_addr "$foo"' $mode_args

    # --- fuzz (fuzz_parse, seed 1): a number field holding an IPv6 address
    # of decimal groups is no number
    N=$(anon 612:14::4933)
    cat >"$T/want" <<X
$A $N 0.012, 0.004 : 0.031
X
    printf '%s\n' '192.0.2.1 612:14::4933 0.012, 0.004 : 0.031' |
        expect "$mode: a decimal IPv6 address in a number field is anonymised, upstream times kept" \
            --nginx-format '$remote_addr $body_bytes_sent $upstream_response_time' $mode_args
done

# --- the same name, the same pseudonym: a cut line's user as the parsed
# line's, a Forwarded node as an X-Forwarded-For name
printf '%s\n' '192.0.2.1 - jane.doe [21/Nov/2026:09:12:01 +0100] "GET /x HTTP/1.1" 200 1' \
    '192.0.2.1 - jane.doe' '192.0.2.1 jane.doe [21/Nov/2026:09:12:01 +0100] "GET /x HTTP/1.1" 200 1' |
    "$LOGNYM" -q --format common -k "$T/key" >"$T/users"
check "a cut line's user gets the parsed line's pseudonym" \
    sh -c "[ \$(grep -Eo 'user-[0-9a-f]{12}' '$T/users' | sort -u | wc -l) -eq 1 ] && [ \$(grep -c user- '$T/users') -eq 3 ]"
printf '%s\n' '192.0.2.1 "client.dsl.example.net" "for=client.dsl.example.net;by=_x"' |
    "$LOGNYM" -q -k "$T/key" --nginx-format '$remote_addr "$http_x_forwarded_for" "$http_forwarded"' >"$T/fwd"
check "a Forwarded node's host name gets X-Forwarded-For's pseudonym" \
    sh -c "[ \$(grep -Eo 'host-[0-9a-f]{12}' '$T/fwd' | sort -u | wc -l) -eq 1 ] && [ \$(grep -o host- '$T/fwd' | wc -l) -eq 2 ]"

# --- --explain-format says what happens
"$LOGNYM" --explain-format --nginx-format '$remote_addr "$http_forwarded" $host' >"$T/explain"
check "--explain-format: Forwarded pairs" grep -q 'Forwarded: for=/by= so, host= as a host' "$T/explain"
check "--explain-format: the bad-line user rule" grep -q 'or %h - %u cut there or before a time' "$T/explain"
exit $((nfail > 0))
