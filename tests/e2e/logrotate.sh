# logrotate.sh: the real logrotate (Debian) runs conf/logrotate.d/nginx and
# conf/logrotate.d/apache2, with their paths pointed at a temp dir, on logs
# that a stand-in server keeps writing (and reopens a second after it is
# told to, like a busy worker). Every rotated file, plain or .gz, must come
# out anonymised exactly once (cryptopan, so a second pass would show), no
# line may be lost, the live log stays raw, and modes and owners are kept.
. "$(dirname "$0")/../lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
LOGROTATE=$(command -v logrotate || ls /usr/sbin/logrotate 2>/dev/null)
if [ -z "$LOGROTATE" ]; then
    echo "# skip: logrotate is not installed (scripts/install-deps.sh test installs it)"
    exit 0
fi

"$LOGNYM" keygen "$T/key" 2>/dev/null
printf 'ip-mode = cryptopan\nkey-file = %s\n' "$T/key" >"$T/lognym.conf"
anon() { "$LOGNYM" -q -c "$T/lognym.conf" "$@"; }

line() { # line N: a combined line with a raw client address
    printf '198.51.100.%d - - [10/Oct/2025:13:55:%02d +0200] "GET /n/%d?u=%d HTTP/1.1" 200 %d "-" "stand-in"\n' \
        $(($1 % 250 + 1)) $(($1 % 60)) "$1" "$1" "$1"
}

# server DIR: appends a line every 20 ms to DIR/access.log (and to DIR/raw.all,
# which is never rotated); on SIGUSR1 keeps writing to the file it has open
# for 40 more lines, then reopens DIR/access.log. Stops when DIR/stop exists.
server() {
    (
        exec 3>>"$1/log/access.log" 4>>"$1/raw.all"
        i=0
        reopen_at=
        trap 'reopen_at=$((i + 40))' USR1
        while [ ! -f "$1/stop" ]; do
            i=$((i + 1))
            line $i >&3
            line $i >&4
            if [ -n "$reopen_at" ] && [ $i -ge "$reopen_at" ]; then
                exec 3>>"$1/log/access.log"
                reopen_at=
            fi
            sleep 0.02
        done
    ) &
    echo $! >"$1/server.pid"
}
pids=
trap 'for p in $pids; do kill $p 2>/dev/null; done; rm -rf "$T"' EXIT
trap 'exit 1' HUP INT PIPE TERM # so that the EXIT trap cleans up

for srv in nginx apache2; do
    D=$T/$srv
    mkdir -p "$D/log"
    chmod 755 "$T" "$D" "$D/log"
    if [ "$(id -u)" -eq 0 ]; then
        owner=$(sed -n 's/^[[:space:]]*create [0-9]* \([a-z-]*\) \([a-z-]*\)$/\1:\2/p' "$root/conf/logrotate.d/$srv")
    else
        owner=$(id -un):$(id -gn)
    fi
    # the logrotate config, pointed at the temp dir; postrotate signals the stand-in
    sed -e "s|/var/log/$srv/|$D/log/|g" \
        -e "s|/etc/logrotate.d/httpd-prerotate|$D/httpd-prerotate|g" \
        -e "s|/usr/local/bin/lognym rotate|\"$LOGNYM\" rotate -c \"$T/lognym.conf\"|" \
        -e "s|pgrep -f ^/usr/sbin/apache2|true|" \
        -e "s|invoke-rc.d [a-z0-9]* [a-z]*.*\$|kill -USR1 \$(cat \"$D/server.pid\")|" \
        -e '/^[[:space:]]*#/d' "$root/conf/logrotate.d/$srv" >"$D/logrotate.conf"
    [ "$(id -u)" -eq 0 ] || sed -i 's/^\([[:space:]]*create [0-9]*\) .*$/\1/' "$D/logrotate.conf"
    check "$srv: the config is pointed at the temp dir" sh -c "grep -q 'kill -USR1' '$D/logrotate.conf' &&
        grep -q 'lognym.conf' '$D/logrotate.conf' && ! grep -q -e /var/log -e invoke-rc.d '$D/logrotate.conf'"
    chmod 644 "$D/logrotate.conf"

    # a second access log written once (then empty: notifempty keeps it from
    # rotating again, so lastaction meets its .1 again) and an error log
    i=1000; while [ $i -lt 1020 ]; do line $i; i=$((i + 1)); done >"$D/log/site.access.log"
    anon "$D/log/site.access.log" >"$D/site.want"
    printf '[Fri Oct 10 13:55:36 2025] [error] [client 198.51.100.9:4711] File does not exist\n' >"$D/log/error.log"
    cp "$D/log/error.log" "$D/error.orig"
    : >"$D/log/access.log"
    chmod 640 "$D/log/"*.log
    chown "$owner" "$D/log/"*.log

    server "$D"
    pids="$pids $(cat "$D/server.pid")"
    bad=
    for r in 1 2 3 4; do
        n=0 # the stand-in has written to its new access.log (notifempty)
        while [ ! -s "$D/log/access.log" ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
        "$LOGROTATE" -f -s "$D/state" "$D/logrotate.conf" >"$D/lr.$r.out" 2>&1 || bad="$bad $r"
    done
    check "$srv: logrotate -f runs 4 times without error${bad:+ (failed: run$bad: $(head -3 "$D/lr.${bad# }.out" 2>/dev/null | tr '\n' ' '))}" [ -z "$bad" ]
    touch "$D/stop"
    wait "$(cat "$D/server.pid")"

    L=$D/log
    check "$srv: access.log.1 and .2.gz ... .4.gz exist" sh -c "[ -f '$L/access.log.1' ] && [ -f '$L/access.log.2.gz' ] &&
        [ -f '$L/access.log.3.gz' ] && [ -f '$L/access.log.4.gz' ] && [ ! -f '$L/access.log.5.gz' ]"
    check "$srv: the .gz files are intact gzip" gzip -t "$L"/access.log.*.gz
    { cat "$L/access.log.1"; for f in "$L"/access.log.*.gz; do gzip -dc "$f"; done; } >"$D/rotated"
    n_raw=$(wc -l <"$D/raw.all")
    n_out=$(($(wc -l <"$D/rotated") + $(wc -l <"$L/access.log")))
    check "$srv: no line lost ($n_out of $n_raw written lines in access.log*)" [ "$n_out" -eq "$n_raw" ]

    # every rotated line is the raw line anonymised exactly once; the live log is raw
    anon "$D/raw.all" | sort >"$D/want.sorted"
    { cat "$D/rotated"; anon "$L/access.log"; } | sort >"$D/got.sorted"
    same "$srv: rotated files = every raw line anonymised once" "$D/want.sorted" "$D/got.sorted"
    grep -oE '198\.51\.100\.[0-9]+' "$D/raw.all" | sort -u >"$D/ips"
    leaked=$(grep -oFw -f "$D/ips" "$D/rotated" | sort -u | head -3 | tr '\n' ' ')
    check "$srv: no raw address in access.log.1 or the .gz files${leaked:+ (found $leaked)}" [ -z "$leaked" ]
    n_live=$(wc -l <"$L/access.log")
    tail -n "$n_live" "$D/raw.all" >"$D/live.want"
    same "$srv: the live access.log is untouched (raw, as written)" "$D/live.want" "$L/access.log"
    check "$srv: the live access.log holds raw addresses" grep -q '^198\.51\.100\.[1-9]' "$L/access.log"

    same "$srv: a .1 met again (notifempty) is not anonymised twice" "$D/site.want" "$L/site.access.log.1"
    same "$srv: error.log.1 is left alone" "$D/error.orig" "$L/error.log.1"

    # modes and owners: as created by logrotate ("create") and kept by lognym
    for f in "$L"/access.log.1 "$L"/access.log.*.gz "$L"/site.access.log.1; do
        check "$srv: $(basename "$f") keeps mode 640 and owner $owner" \
            [ "$(stat -c '%a %U:%G' "$f")" = "640 $owner" ]
    done
    check "$srv: no lognym temp file left" [ -z "$(ls -A "$L" | grep lognym)" ]
done

# lognym rotate on a file that a server still appends to (one that has not
# reopened its log yet, or a logrotate rule without the wait above): the
# rewrite must not lose the lines appended meanwhile. Refusing (non-zero
# exit, file unchanged) is fine; replacing the file without them is not.
F=$T/busy.log
awk 'BEGIN { for (i = 0; i < 300000; i++)
    printf "198.51.100.%d - - [10/Oct/2025:13:55:36 +0200] \"GET /p/%d HTTP/1.1\" 200 1 \"-\" \"-\"\n", i % 250 + 1, i }' >"$F"
(
    exec 3>>"$F"
    i=0
    while [ $i -lt 100 ]; do line $i >&3; i=$((i + 1)); sleep 0.01; done
) &
wpid=$!
pids="$pids $wpid"
sleep 0.05
"$LOGNYM" rotate -q -c "$T/lognym.conf" "$F" 2>"$T/busy.err"
rc=$?
wait $wpid
n=$(wc -l <"$F")
check "lognym rotate on a file still being written loses no line (exit $rc, $n of 300100 lines kept)" [ "$n" -eq 300100 ]
