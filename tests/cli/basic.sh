# basic.sh: the lognym command on hand-written lines, with exact expected output.
. "$(dirname "$0")/../lib.sh"

# --- a combined log through a pipe: IPs truncated, all other bytes unchanged
cat >"$T/in.log" <<'IN'
192.0.2.17 - - [10/Oct/2025:13:55:36 +0200] "GET /index.html?ref=198.51.100.7 HTTP/1.1" 200 2326 "http://example.com/start" "Mozilla/5.0 (X11; Linux x86_64)"
2001:db8:85a3:1:2:8a2e:370:7334 - - [10/Oct/2025:13:55:37 +0200] "POST /login HTTP/1.1" 302 0 "-" "curl/8.0"
::ffff:203.0.113.200 - - [10/Oct/2025:13:55:38 +0200] "GET / HTTP/1.1" 200 1 "-" "-"
IN
cat >"$T/want.log" <<'OUT'
192.0.2.0 - - [10/Oct/2025:13:55:36 +0200] "GET /index.html?ref=198.51.100.0 HTTP/1.1" 200 2326 "http://example.com/start" "Mozilla/5.0 (X11; Linux x86_64)"
2001:db8:85a3:: - - [10/Oct/2025:13:55:37 +0200] "POST /login HTTP/1.1" 302 0 "-" "curl/8.0"
::ffff:203.0.113.0 - - [10/Oct/2025:13:55:38 +0200] "GET / HTTP/1.1" 200 1 "-" "-"
OUT
cat >"$T/want.err" <<'ERR'
lognym: input format: combined (auto-detected; --format to override)
lognym: 3 lines, 3 written, 4 addresses anonymised, 0 values scrubbed, 0 bad lines
ERR
cat "$T/in.log" | "$LOGNYM" >"$T/out.log" 2>"$T/err.log"
check "pipe exits 0" [ $? -eq 0 ]
same "pipe: combined output" "$T/want.log" "$T/out.log"
same "pipe: summary on stderr" "$T/want.err" "$T/err.log"

"$LOGNYM" -q "$T/in.log" >"$T/out2.log" 2>"$T/err2.log"
same "file argument gives the same output" "$T/want.log" "$T/out2.log"
check "--quiet writes nothing to stderr" [ ! -s "$T/err2.log" ]

# --- prefixes
printf '192.0.2.17 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 1 "-" "-"\n' >"$T/one.log"
"$LOGNYM" -q --ipv4-prefix 16 "$T/one.log" >"$T/o16.log"
check "--ipv4-prefix 16" grep -q '^192\.0\.0\.0 - - ' "$T/o16.log"
printf '2001:db8:85a3:1:2:8a2e:370:7334 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 1 "-" "-"\n' >"$T/six.log"
"$LOGNYM" -q --ipv6-prefix 64 "$T/six.log" >"$T/o64.log"
check "--ipv6-prefix 64" grep -q '^2001:db8:85a3:1:: - - ' "$T/o64.log"

# --- every address in X-Forwarded-For, Forwarded and upstream fields
cat >"$T/xff.log" <<'IN'
203.0.113.5 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 1 "-" "-" "198.51.100.23, [2001:db8::8]:4711, unknown, 192.0.2.44:8080"
IN
"$LOGNYM" -q --format nginx_main "$T/xff.log" >"$T/xff.out"
printf '%s\n' '203.0.113.0 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 1 "-" "-" "198.51.100.0, [2001:db8::]:4711, unknown, 192.0.2.0:8080"' >"$T/xff.want"
same "X-Forwarded-For list: every element, ports and brackets kept" "$T/xff.want" "$T/xff.out"

"$LOGNYM" -q --apache-format '%h %{Forwarded}i' >"$T/fwd.out" <<'IN'
203.0.113.5 for=192.0.2.60;proto=http;by=203.0.113.43,for="[2001:db8:cafe::17]:4711"
IN
printf '%s\n' '203.0.113.0 for=192.0.2.0;proto=http;by=203.0.113.0,for="[2001:db8:cafe::]:4711"' >"$T/fwd.want"
same "Forwarded: for= and by= parameters" "$T/fwd.want" "$T/fwd.out"

"$LOGNYM" -q --nginx-format '$remote_addr [$time_local] "$request" $status $upstream_addr' >"$T/up.out" <<'IN'
fe80::1%eth0 [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 502 10.0.0.7:8080, [2001:db8::7]:5000, unix:/run/php.sock
IN
printf '%s\n' 'fe80::%eth0 [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 502 10.0.0.0:8080, [2001:db8::]:5000, unix:/run/php.sock' >"$T/up.want"
same "upstream list and zone id" "$T/up.want" "$T/up.out"

# --- host names in %h (HostnameLookups On) are pseudonymised, never passed through
printf 'client-7.example.net - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 1\n' |
    "$LOGNYM" -q --format common >"$T/host.out"
check "host name replaced by a pseudonym" grep -Eq '^host-[0-9a-f]{12} - - \[' "$T/host.out"
check "host name not passed through" sh -c "! grep -q client-7 '$T/host.out'"

# --- options and errors
"$LOGNYM" --help >"$T/help" 2>&1
check "--help exits 0 and shows usage" grep -q '^usage: lognym' "$T/help"
"$LOGNYM" --version >"$T/ver" 2>&1
check "--version" grep -Eq '^lognym [0-9]+\.[0-9]+' "$T/ver"
"$LOGNYM" --bogus </dev/null >/dev/null 2>"$T/e"; rc=$?
check "unknown option: exit 2" [ $rc -eq 2 ]
check "unknown option: message" grep -q "unknown option '--bogus'" "$T/e"
"$LOGNYM" --ip-mode foo </dev/null >/dev/null 2>"$T/e"; rc=$?
check "bad --ip-mode: exit 2 and choices listed" sh -c "[ $rc -eq 2 ] && grep -q 'truncate hash cryptopan' '$T/e'"
"$LOGNYM" --ipv4-prefix 33 </dev/null >/dev/null 2>"$T/e"; rc=$?
check "bad --ipv4-prefix: exit 2" [ $rc -eq 2 ]
"$LOGNYM" -o </dev/null >/dev/null 2>"$T/e"; rc=$?
check "option without value: exit 2" sh -c "[ $rc -eq 2 ] && grep -q \"needs a value\" '$T/e'"
"$LOGNYM" --apache-format '%h %l %Z' </dev/null >/dev/null 2>"$T/e"; rc=$?
check "bad Apache format: exit 2, column named" sh -c "[ $rc -eq 2 ] && grep -q 'column 7: unknown Apache directive' '$T/e'"
"$LOGNYM" --nginx-format '$remote_addr$status' </dev/null >/dev/null 2>"$T/e"; rc=$?
check "bad nginx format: exit 2, column named" sh -c "[ $rc -eq 2 ] && grep -q 'column 13: field .status directly follows' '$T/e'"
"$LOGNYM" --format nosuch </dev/null >/dev/null 2>"$T/e"; rc=$?
check "unknown preset: exit 2" sh -c "[ $rc -eq 2 ] && grep -q \"unknown format 'nosuch'\" '$T/e'"
"$LOGNYM" --list-formats >"$T/lf"
for p in common combined vhost_combined nginx_combined nginx_main json; do
    check "--list-formats shows $p" grep -q "^$p " "$T/lf"
done

# --- explicit presets
printf 'www.example.com:443 192.0.2.9 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 5 "-" "UA"\n' |
    "$LOGNYM" -q --format vhost_combined >"$T/vh.out"
check "vhost_combined" grep -q '^www.example.com:443 192.0.2.0 - - ' "$T/vh.out"
printf '{"ts":"2025-10-10T13:55:36Z","remote_ip":"192.0.2.9","xff":"198.51.100.1, 2001:db8::1","uri":"/a"}\n' |
    "$LOGNYM" -q >"$T/js.out" 2>"$T/js.err"
printf '%s\n' '{"ts":"2025-10-10T13:55:36Z","remote_ip":"192.0.2.0","xff":"198.51.100.0, 2001:db8::","uri":"/a"}' >"$T/js.want"
same "JSON lines: address values anonymised, the rest kept" "$T/js.want" "$T/js.out"
"$LOGNYM" --list-format </dev/null >/dev/null 2>"$T/e"; rc=$?
check "abbreviated long options are refused" sh -c "[ $rc -eq 2 ] && grep -q \"unknown option '--list-format'\" '$T/e'"

# --- hostile lines: addresses hidden in loosely parsed fields still get anonymised
cat >"$T/hostile.log" <<'IN'
1.2.3.4 - - [10/Oct/2025:13:55:36 9.8.7.6 +0200] "GET / HTTP/1.1" 200 1 "-" "-"
unix:198.51.100.7 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 404 162 "-" "curl/7.68.0"
unix:/run/php.sock - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 404 162 "-" "curl/7.68.0"
IN
"$LOGNYM" -q "$T/hostile.log" >"$T/hostile.out"
check "an address inside the time field is anonymised" \
    grep -qF '1.2.3.0 - - [10/Oct/2025:13:55:36 9.8.7.0 +0200]' "$T/hostile.out"
check "unix: followed by an address is pseudonymised" grep -Eq '^host-[0-9a-f]{12} - - ' "$T/hostile.out"
check "unix: socket path is kept" grep -q '^unix:/run/php.sock - - ' "$T/hostile.out"
check "no raw address from the hostile lines" sh -c "! grep -Eq '198\.51\.100\.7|9\.8\.7\.6|1\.2\.3\.4' '$T/hostile.out'"
printf '192.0.2.9 POST7.7.7.7 HTTP/1.1 HTTP/9.9.9.9\n' >"$T/method.log"
"$LOGNYM" -q --apache-format '%h %m %H %H' "$T/method.log" >"$T/method.out"
check "addresses in method and protocol fields are anonymised" \
    grep -qx '192.0.2.0 POST7.7.7.0 HTTP/1.1 HTTP/9.9.9.0' "$T/method.out"
printf 'fe80::1:80 192.0.2.1 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 0 "-" "-"\n' >"$T/vh.log"
"$LOGNYM" -q --format vhost_combined "$T/vh.log" >"$T/vh.out" 2>"$T/vh.err"
check "vhost_combined: a port is digits only, so an IPv6 vhost is not split" \
    sh -c "! grep -q 'fe80::1:80' '$T/vh.out'"
