# apache.sh: a real Apache httpd (Debian apache2) on a loopback port logs
# through lognym as a piped logger (CustomLog "|lognym -o FILE"). curl sends
# requests carrying personal data; a graceful restart in the middle starts new
# loggers; after a graceful stop every request must be in the anonymised log,
# no raw address anywhere, and lognym must have exited when the pipe closed.
. "$(dirname "$0")/../lib.sh"
APACHE=$(command -v apache2 || ls /usr/sbin/apache2 2>/dev/null)
MODS=/usr/lib/apache2/modules
if [ -z "$APACHE" ] || [ ! -f "$MODS/mod_mpm_event.so" ]; then
    echo "# skip: Apache httpd (Debian apache2) is not installed (scripts/install-deps.sh test installs it)"
    exit 0
fi
need curl
CURL=$(command -v curl)
. "$(dirname "$0")/servers.lib"

# as root, the children drop to an unprivileged user, who must reach the
# documents; the parent (root) opens the logs and starts the piped loggers
server_setup
mkdir -p "$T/run"
user_lines=
[ -n "$run_user" ] && user_lines="User $run_user
Group $run_group"

# conf PORT: the whole httpd.conf
conf() {
    cat <<EOF
ServerRoot "$T"
ServerName 127.0.0.1
Listen 127.0.0.1:$1
LoadModule mpm_event_module $MODS/mod_mpm_event.so
LoadModule authz_core_module $MODS/mod_authz_core.so
LoadModule dir_module $MODS/mod_dir.so
$user_lines
PidFile "$T/run/apache2.pid"
DefaultRuntimeDir "$T/run"
ErrorLog "$T/error.log"
LogLevel warn
StartServers 1
DocumentRoot "$T/htdocs"
<Directory "$T/htdocs">
    Require all granted
</Directory>
DirectoryIndex index.html
LogFormat "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"" combined
LogFormat "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" \"%{X-Forwarded-For}i\"" xff
CustomLog "|$LOGNYM --ip-mode hash --key-file $T/key -o $T/access.log" combined
CustomLog "|$LOGNYM --ip-mode hash --key-file $T/key --format nginx_main -o $T/xff.log" xff
EOF
}

# start_apache PORT: starts httpd in the foreground (a child of this shell);
# true once it answers on PORT, false if it exited (port taken, bad config)
start_apache() {
    conf "$1" >"$T/httpd.conf"
    "$APACHE" -f "$T/httpd.conf" -DFOREGROUND 2>>"$T/apache.stderr" &
    apid=$!
    wait_while 15 "kill -0 $apid 2>/dev/null && ! served $1" || true
    kill -0 $apid 2>/dev/null && served "$1"
}
served() { "$CURL" -s -o /dev/null --max-time 2 "http://127.0.0.1:$1/"; }
apid=
trap '[ -n "$apid" ] && kill -TERM $apid 2>/dev/null && sleep 0.5; stop_procs "$T/access.log" "$T/xff.log"; rm -rf "$T"' EXIT
trap 'exit 1' HUP INT PIPE TERM # so that the EXIT trap cleans up

port=
for try in 1 2 3 4 5; do
    p=$(free_port)
    if start_apache "$p"; then port=$p; break; fi
    wait $apid 2>/dev/null
    apid=
done
if [ -z "$port" ]; then
    notok "Apache starts on a loopback port" "$(tail -5 "$T/error.log" "$T/apache.stderr" 2>/dev/null)"
    exit 0
fi
ok "Apache starts on 127.0.0.1:$port with lognym as its piped logger"
check "two lognym loggers running" [ "$(find_procs "$T/access.log" "$T/xff.log" | wc -l)" -eq 2 ]

# requests carrying personal data: an email and a password in the query, a
# client address in the query, the Referer and X-Forwarded-For
base=http://127.0.0.1:$port
n=0
req() { # req PATH-AND-QUERY [curl options...]
    n=$((n + 1))
    q=$1; shift
    "$CURL" -s -o /dev/null -A 'curl-e2e' "$@" "$base$q&n=$n"
}
req "/index.html?email=jane.doe@example.com&password=hunter2"
req "/?email=jane.doe%40example.com&pass=hunter2" -H 'X-Forwarded-For: 203.0.113.77, 198.51.100.23'
req "/index.html?ip=198.51.100.24" -e 'http://192.0.2.55/from?ip=192.0.2.56'
req "/missing?user=jane.doe@example.com"
i=0; while [ $i -lt 20 ]; do req "/index.html?i=$i"; i=$((i + 1)); done
before=$n
# a graceful restart starts new piped loggers; the old ones drain and exit
kill -USR1 $apid
wait_while 10 "! served $port" || true
req "/index.html?after=restart&email=jane.doe@example.com" -H 'X-Forwarded-For: 203.0.113.78'
i=0; while [ $i -lt 10 ]; do req "/index.html?j=$i"; i=$((i + 1)); done
check "the requests after a graceful restart were served" served "$port"

# graceful stop: Apache closes the pipes, lognym drains them and exits
kill -WINCH $apid
if wait_while 20 "kill -0 $apid 2>/dev/null"; then
    wait $apid 2>/dev/null
    ok "Apache stops on SIGWINCH (graceful stop)"
else
    notok "Apache stops on SIGWINCH (graceful stop)"
fi
apid=
if wait_while 10 "[ -n \"\$(find_procs '$T/access.log' '$T/xff.log')\" ]"; then
    ok "lognym exits when Apache closes the pipe"
else
    notok "lognym exits when Apache closes the pipe" "still running: $(find_procs "$T/access.log" "$T/xff.log")"
fi

for log in access.log xff.log; do
    missing=
    k=1; while [ $k -le $n ]; do
        [ "$(grep -c "[?&]n=$k HTTP/" "$T/$log")" -eq 1 ] || missing="$missing $k"
        k=$((k + 1))
    done
    check "$log: each of the $n requests logged once${missing:+ (missing or doubled:$missing)}" [ -z "$missing" ]
    check "$log: lines from before and after the graceful restart" sh -c "grep -q '[?&]n=$before HTTP/' '$T/$log' && grep -q 'after=restart' '$T/$log'"
    check "$log: client address is a hash pseudonym (240.0.0.0/4) on every line" \
        sh -c "! grep -Ev '^(24[0-9]|25[0-5])\\.[0-9]+\\.[0-9]+\\.[0-9]+ - - \\[' '$T/$log'"
    check "$log: one client, one pseudonym" [ "$(cut -d' ' -f1 "$T/$log" | sort -u | wc -l)" -eq 1 ]
    check "$log: created 0640" [ "$(stat -c %a "$T/$log")" = 640 ]
done
check "xff.log: X-Forwarded-For logged (anonymised)" grep -Eq '"(24[0-9]|25[0-5])\.[0-9.]+, (24[0-9]|25[0-5])\.[0-9.]+"$' "$T/xff.log"

# no raw address anywhere lognym writes (its stderr goes to Apache's error log)
grep '^lognym:' "$T/error.log" >"$T/lognym.err"
check "lognym's summaries reached Apache's error log" grep -q 'lines, .* written' "$T/lognym.err"
for ip in 127.0.0.1 203.0.113.77 203.0.113.78 198.51.100.23 198.51.100.24 192.0.2.55 192.0.2.56; do
    check "no raw $ip in the logs or lognym's messages" sh -c "! grep -qF '$ip' '$T/access.log' '$T/xff.log' '$T/lognym.err'"
done

# planted secrets in query strings: scrubbed once URL filters exist
if filters_available; then
    for s in jane.doe@example.com jane.doe%40example.com hunter2; do
        check "planted secret $s scrubbed" sh -c "! grep -qF '$s' '$T/access.log' '$T/xff.log' '$T/lognym.err'"
    done
else
    echo "# skip: planted email and password in query strings (lognym filters --list does not work yet)"
fi
