# corpus.sh: real access logs from ../shared/corpus (written by other projects):
# the right format is detected, at least 99% of access-log lines parse, the
# other lines come out scrubbed, no input address survives, and every byte
# outside the anonymised fields is unchanged.
. "$(dirname "$0")/../lib.sh"
have_shared corpus || exit 0
C=$SHARED/corpus

# file, expected format (auto-detected unless the format is given as an option)
cat >"$T/expect" <<'EOF2'
apache-combined-bad-request-lnav.log combined
apache-combined-elastic.log combined
apache-combined-malformed-line-lnav.log combined
apache-combined-small-lnav.log combined
apache-common-ipv6-loopback-beats.log common
apache-mixed-ipv6-hostname-408-beats.log common
apache-ssl-request-log-beats.log ssl_request
apache-vhost-combined-beats.log host_combined
apache-vhost-port-ident-user-lnav.log apache-format
nginx-apache-attack-probes-crowdsec.log combined
nginx-combined-beats.log combined
nginx-ingress-upstream-ipv6-beats.log ingress_nginx
nginx-vhost-xff-unix-socket-beats.log host_combined
nginx-xff-in-remote-addr-beats.log combined
syslog-wrapped-access-lnav.log -
EOF2
printf '%s\n' 1522178d33a4cf80130a5b1649907d10d8988f837979652762574c2d2a842202 >"$T/key"
chmod 600 "$T/key"

opts_for() {
    case $1 in
    apache-vhost-port-ident-user-lnav.log)
        echo '--apache-format=%v:%p %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D' ;;
    esac
}

# Access-log lines: anything with "HOST IDENT USER [dd/Mon/yyyy:..." "
access_re='[^ ]+ [^ ]+ [^ ]+ \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[^]]*\] "'

# mask: runs of hex digits, dots and colons that hold a digit and a dot or
# colon (addresses, but also times and versions) become X, on both sides.
cat >"$T/cmp.awk" <<'AWK'
function mask(s,   out, tok) {
    out = ""
    while (match(s, /[0-9A-Fa-f:.]+/)) {
        tok = substr(s, RSTART, RLENGTH)
        if (tok ~ /[.:]/ && (tok ~ /[0-9]/ || tok ~ /::/)) tok = "X"
        out = out substr(s, 1, RSTART - 1) tok
        s = substr(s, RSTART + RLENGTH)
    }
    return out s
}
{
    if ((getline o < OUT) <= 0) { print "missing output line " NR; bad++; next }
    n = split(mask($0), a, " "); m = split(mask(o), b, " ")
    if (n != m) { print "line " NR ": field count " n " became " m; bad++; next }
    for (i = 1; i <= n; i++)
        if (a[i] != b[i] && b[i] !~ /^"?(host|user|ident)-[0-9a-f]+/) {
            print "line " NR " field " i " changed"; bad++; break
        }
}
END { exit bad > 0 }
AWK

while read -r f want; do
    [ -f "$C/$f" ] || { notok "$f present in the corpus"; continue; }
    opts=$(opts_for "$f")
    total=$(awk 'END { print NR }' "$C/$f")

    # format detection
    if [ -n "$opts" ]; then
        "$LOGNYM" "$opts" "$C/$f" >"$T/out" 2>"$T/err"
    else
        "$LOGNYM" "$C/$f" >"$T/out" 2>"$T/err"
    fi
    rc=$?
    check "$f: exit 0" [ $rc -eq 0 ]
    case $want in
    -|apache-format) ;;
    *) check "$f: detected as $want" grep -q "^lognym: input format: $want " "$T/err" ;;
    esac

    # at least 99% of the access-log lines parse
    grep -E "$access_re" "$C/$f" >"$T/access"
    n=$(awk 'END { print NR }' "$T/access")
    if [ "$n" -gt 0 ]; then
        if [ -n "$opts" ]; then
            parsed=$("$LOGNYM" -q --bad-lines drop "$opts" "$T/access" | awk 'END { print NR }')
        else
            parsed=$("$LOGNYM" -q --bad-lines drop "$T/access" | awk 'END { print NR }')
        fi
        check "$f: $parsed of $n access-log lines parse (>= 99%)" [ $((parsed * 100)) -ge $((n * 99)) ]
    fi

    # every line comes out (bad ones scrubbed), bytes outside anonymised fields unchanged
    check "$f: all $total lines written" [ "$(awk 'END { print NR }' "$T/out")" -eq "$total" ]
    # (URL scrubbing rewrites more than addresses: compare an addresses-only run)
    if [ -n "$opts" ]; then
        "$LOGNYM" -q --no-filters "$opts" "$C/$f" >"$T/ipout" 2>/dev/null
    else
        "$LOGNYM" -q --no-filters "$C/$f" >"$T/ipout" 2>/dev/null
    fi
    if awk -v OUT="$T/ipout" -f "$T/cmp.awk" "$C/$f" >"$T/cmp" 2>&1; then
        ok "$f: every byte outside anonymised fields unchanged"
    else
        notok "$f: every byte outside anonymised fields unchanged" "$(head -3 "$T/cmp")"
    fi

    # no input address survives, in hash mode (all) and truncate mode (IPv4 not already .0)
    # (a dotted quad right after "Name/" in a user agent is a product version,
    # "Chrome/120.0.0.0", kept by design; a dotted number is read from its
    # first group, so Google's "gs_l=…95841.0.96405.30.17.0.1.1.3.227…" holds none)
    sed -E 's#([A-Za-z0-9])/([0-9]{1,3}\.){3}[0-9]{1,3}#\1/VERSION#g' "$C/$f" |
        grep -oP '(?<![0-9])(?<![0-9]\.)([0-9]{1,3}\.){3}[0-9]{1,3}' |
        awk -F. '$1<256 && $2<256 && $3<256 && $4<256' | sort -u >"$T/ip4"
    grep -oE '[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*' "$C/$f" |
        awk '/::/ || gsub(/:/, ":") == 7' | sort -u >"$T/ip6"
    cat "$T/ip4" "$T/ip6" >"$T/ips"
    if [ -n "$opts" ]; then
        "$LOGNYM" --ip-mode hash --key-file "$T/key" "$opts" "$C/$f" >"$T/hout" 2>"$T/herr"
    else
        "$LOGNYM" --ip-mode hash --key-file "$T/key" "$C/$f" >"$T/hout" 2>"$T/herr"
    fi
    if [ -s "$T/ips" ]; then
        leaked=$(cat "$T/hout" "$T/herr" | grep -oFw -f "$T/ips" | sort -u | head -5 | tr '\n' ' ')
        check "$f: hash mode: none of $(wc -l <"$T/ips") input addresses in output or stderr${leaked:+ (leaked: $leaked)}" [ -z "$leaked" ]
    fi
    grep -v '\.0$' "$T/ip4" >"$T/ip4x"
    if [ -s "$T/ip4x" ]; then
        leaked=$(cat "$T/out" "$T/err" | grep -oFw -f "$T/ip4x" | sort -u | head -5 | tr '\n' ' ')
        check "$f: truncate mode: no input IPv4 address survives${leaked:+ (leaked: $leaked)}" [ -z "$leaked" ]
    fi
done <"$T/expect"

# the users in %u of the lnav sample are pseudonymised
check "user names in %u never pass through" sh -c "! '$LOGNYM' -q \"\$1\" '$C/apache-vhost-port-ident-user-lnav.log' | grep -q -e jsmith -e khenry" _ "$(opts_for apache-vhost-port-ident-user-lnav.log)"
