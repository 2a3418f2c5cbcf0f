# listen.sh: `lognym listen unix:PATH` takes datagrams from the real logger(1)
# (util-linux): the form syslog(3) and logger send on a local socket by
# default ("<PRI>TIMESTAMP TAG: ", no host), RFC 3164 with a host, and RFC
# 5424 with structured data; each
# comes out exactly as `lognym < FILE` writes the same lines. (nginx's form,
# with a host, is tested against a real nginx in tests/e2e/nginx.sh.)
. "$(dirname "$0")/../lib.sh"
if ! command -v logger >/dev/null; then
    echo "# skip: logger (util-linux) is not installed"
    exit 0
fi
printf '%s\n' 1522178d33a4cf80130a5b1649907d10d8988f837979652762574c2d2a842202 >"$T/key"
chmod 600 "$T/key"
awk 'BEGIN {
    for (i = 1; i <= 200; i++)
        printf "198.51.100.%d - - [10/Oct/2025:13:%02d:%02d +0200] \"GET /p/%d?email=u%d%%40example.com HTTP/1.1\" 200 %d \"http://192.0.2.%d/\" \"curl/8.0\"\n",
            i % 250 + 1, i % 60, i % 60, i, i, i, i % 250 + 1
}' >"$T/in.log"
"$LOGNYM" -q -m hash -k "$T/key" "$T/in.log" >"$T/want.log"

# until SECONDS COMMAND: retries the shell COMMAND every 0.1 s until it succeeds.
until_ok() {
    n=$(($1 * 10))
    until eval "$2"; do
        [ $n -le 0 ] && return 1
        n=$((n - 1))
        sleep 0.1
    done
}

for form in local rfc3164 rfc5424; do
    sock=$T/$form.sock
    "$LOGNYM" listen "unix:$sock" -m hash -k "$T/key" -o "$T/$form.log" 2>"$T/$form.err" &
    pid=$!
    until_ok 10 "[ -S '$sock' ]"
    case $form in
    local) set -- ;; # logger's default on a unix socket
    *) set -- "--$form" ;;
    esac
    if logger "$@" -u "$sock" -d --size 8192 -f "$T/in.log" 2>"$T/logger.err"; then
        ok "$form: logger sends 200 datagrams to lognym listen"
    else
        notok "$form: logger sends 200 datagrams to lognym listen" "$(cat "$T/logger.err")"
    fi
    until_ok 10 "[ \$(wc -l <'$T/$form.log' 2>/dev/null || echo 0) -ge 200 ]"
    kill -TERM $pid
    wait $pid
    check "$form: SIGTERM: lognym listen exits 0" [ $? -eq 0 ]
    same "$form: the header is stripped; lines as \`lognym < FILE\` writes them" "$T/want.log" "$T/$form.log"
    check "$form: no bad line in the summary" grep -q ' 0 bad lines$' "$T/$form.err"
    check "$form: the socket is removed at exit" [ ! -e "$sock" ]
done

# SIGTERM with datagrams still queued: they are written before lognym exits.
# lognym is stopped (SIGSTOP) while logger queues 5 lines, then gets SIGTERM
# and SIGCONT together.
sock=$T/drain.sock
"$LOGNYM" listen "unix:$sock" -m hash -k "$T/key" -o "$T/drain.log" 2>"$T/drain.err" &
pid=$!
until_ok 10 "[ -S '$sock' ]"
kill -STOP $pid
head -n 5 "$T/in.log" | logger -u "$sock" -d --size 8192
kill -TERM $pid
kill -CONT $pid
wait $pid
check "SIGTERM with 5 datagrams queued: exit 0" [ $? -eq 0 ]
head -n 5 "$T/want.log" >"$T/want5.log"
same "SIGTERM with 5 datagrams queued: all 5 are written" "$T/want5.log" "$T/drain.log"
exit $((nfail > 0))
