# nginx.sh: a real nginx (Debian) on a loopback port sends its access log as
# syslog datagrams to "lognym listen unix:PATH -o FILE". curl sends requests
# carrying personal data; the lines must arrive anonymised (no raw address),
# SIGHUP after "mv access.log access.log.1" must reopen the output, and
# SIGTERM must flush and exit 0.
. "$(dirname "$0")/../lib.sh"
NGINX=$(command -v nginx || ls /usr/sbin/nginx 2>/dev/null)
if [ -z "$NGINX" ]; then
    echo "# skip: nginx is not installed (scripts/install-deps.sh test installs it)"
    exit 0
fi
need curl
CURL=$(command -v curl)
. "$(dirname "$0")/servers.lib"

# as root, the workers drop to an unprivileged user: they must reach the
# socket (lognym makes it 0666; the directory must be searchable) and the
# documents
server_setup
mkdir -p "$T/tmp"
user_line=
[ -n "$run_user" ] && user_line="user $run_user $run_group;"
SOCK=$T/lognym.sock

conf() { # conf PORT: the whole nginx.conf
    cat <<EOF
$user_line
daemon off;
worker_processes 1;
pid $T/nginx.pid;
events { worker_connections 64; }
http {
    access_log syslog:server=unix:$SOCK combined;
    client_body_temp_path $T/tmp/body;
    proxy_temp_path $T/tmp/proxy;
    fastcgi_temp_path $T/tmp/fastcgi;
    uwsgi_temp_path $T/tmp/uwsgi;
    scgi_temp_path $T/tmp/scgi;
    server {
        listen 127.0.0.1:$1;
        root $T/htdocs;
        log_not_found off;
    }
}
EOF
}
served() { "$CURL" -s -o /dev/null --max-time 2 "http://127.0.0.1:$1/"; }
npid=
lpid=
trap '[ -n "$npid" ] && kill -TERM $npid 2>/dev/null; [ -n "$lpid" ] && kill -TERM $lpid 2>/dev/null; sleep 0.3; rm -rf "$T"' EXIT
trap 'exit 1' HUP INT PIPE TERM # so that the EXIT trap cleans up

# lognym first, so that no datagram finds the socket missing
"$LOGNYM" listen "unix:$SOCK" --ip-mode hash --key-file "$T/key" -o "$T/access.log" 2>"$T/lognym.err" &
lpid=$!
wait_while 10 "[ ! -S '$SOCK' ] && kill -0 $lpid 2>/dev/null" || true
check "lognym listen creates the socket" [ -S "$SOCK" ]

port=
for try in 1 2 3 4 5; do
    p=$(free_port)
    conf "$p" >"$T/nginx.conf"
    "$NGINX" -p "$T" -c "$T/nginx.conf" -e "$T/error.log" 2>>"$T/nginx.stderr" &
    npid=$!
    wait_while 15 "kill -0 $npid 2>/dev/null && ! served $p" || true
    if kill -0 $npid 2>/dev/null && served "$p"; then port=$p; break; fi
    wait $npid 2>/dev/null
    npid=
done
if [ -z "$port" ]; then
    notok "nginx starts on a loopback port" "$(tail -5 "$T/error.log" "$T/nginx.stderr" 2>/dev/null)"
    exit 0
fi
ok "nginx starts on 127.0.0.1:$port, logging to lognym's socket"

base=http://127.0.0.1:$port
n=0
req() { # req PATH-AND-QUERY [curl options...]
    n=$((n + 1))
    q=$1; shift
    "$CURL" -s -o /dev/null -A 'curl-e2e' "$@" "$base$q&n=$n"
}
req "/index.html?email=jane.doe@example.com&password=hunter2"
req "/?ip=198.51.100.24" -e 'http://192.0.2.55/from?ip=192.0.2.56'
req "/missing?user=jane.doe@example.com" -H 'X-Forwarded-For: 203.0.113.77'
i=0; while [ $i -lt 20 ]; do req "/index.html?i=$i"; i=$((i + 1)); done
first=$n
# every request so far, plus the readiness probes
wait_while 10 "[ \$(grep -c 'curl-e2e' '$T/access.log' 2>/dev/null || echo 0) -lt $first ]" || true
check "the lines arrive at once ($first requests)" [ "$(grep -c curl-e2e "$T/access.log")" -eq "$first" ]

# rotation by mv + SIGHUP: new lines go to a new file
mv "$T/access.log" "$T/access.log.1"
kill -HUP $lpid
sleep 0.2
i=0; while [ $i -lt 5 ]; do req "/index.html?after=hup"; i=$((i + 1)); done
wait_while 10 "[ \$(grep -c 'after=hup' '$T/access.log' 2>/dev/null || echo 0) -lt 5 ]" || true
check "SIGHUP reopens the output: new lines in the new access.log" [ "$(grep -c after=hup "$T/access.log" 2>/dev/null)" = 5 ]
check "SIGHUP: no new line in access.log.1" [ "$(grep -c after=hup "$T/access.log.1")" -eq 0 ]
check "SIGHUP: the new access.log is created 0640" [ "$(stat -c %a "$T/access.log" 2>/dev/null)" = 640 ]
check "lognym still running after SIGHUP" kill -0 $lpid

# a burst, then stop nginx (graceful) and lognym (SIGTERM: flush, exit 0)
i=0; while [ $i -lt 30 ]; do req "/index.html?burst=$i"; i=$((i + 1)); done
kill -QUIT $npid
if wait_while 15 "kill -0 $npid 2>/dev/null"; then wait $npid 2>/dev/null; npid=; fi
check "nginx stops on SIGQUIT" [ -z "$npid" ]
sleep 0.3
kill -TERM $lpid
wait $lpid; rc=$?
lpid=
check "SIGTERM: lognym exits 0" [ $rc -eq 0 ]
check "lognym removes its socket on exit" [ ! -e "$SOCK" ]

cat "$T/access.log.1" "$T/access.log" >"$T/all.log"
missing=
k=1; while [ $k -le $n ]; do
    [ "$(grep -c "[?&]n=$k HTTP/" "$T/all.log")" -eq 1 ] || missing="$missing $k"
    k=$((k + 1))
done
check "each of the $n requests logged once${missing:+ (missing or doubled:$missing)}" [ -z "$missing" ]
check "the syslog header is stripped: lines start with the client field" \
    sh -c "! grep -Ev '^(24[0-9]|25[0-5])\\.[0-9]+\\.[0-9]+\\.[0-9]+ - - \\[' '$T/all.log'"
check "one client, one pseudonym" [ "$(cut -d' ' -f1 "$T/all.log" | sort -u | wc -l)" -eq 1 ]
for ip in 127.0.0.1 198.51.100.24 192.0.2.55 192.0.2.56; do
    check "no raw $ip in the logs or on lognym's stderr" sh -c "! grep -qF '$ip' '$T/all.log' '$T/lognym.err'"
done
check "no nginx error (the socket was reachable)" sh -c "! grep -q -e '\\[error\\]' -e '\\[crit\\]' -e '\\[alert\\]' '$T/error.log'"

if filters_available; then
    for s in jane.doe@example.com hunter2; do
        check "planted secret $s scrubbed" sh -c "! grep -qF '$s' '$T/all.log' '$T/lognym.err'"
    done
else
    echo "# skip: planted email and password in query strings (lognym filters --list does not work yet)"
fi
