# config.sh: -c FILE: every option can be set there, the command line wins,
# and mistakes are reported as FILE:LINE.
. "$(dirname "$0")/../lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
printf '192.0.2.1 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 1\n' >"$T/in.log"

# the example documents every option that a file can set
"$LOGNYM" --help | grep -oE -- '--[a-z][a-z0-9-]+' | sed 's/^--//' | sort -u |
    grep -vx -e help -e version -e list-formats -e config >"$T/opts"
while read -r o; do
    check "conf/lognym.conf shows $o" grep -q "^# $o = " "$root/conf/lognym.conf"
done <"$T/opts"

# the example, with every line switched on (one format string, no key file), loads
sed -n 's/^# \([a-z0-9-]*\) = \([^#]*\).*$/\1 = \2/p' "$root/conf/lognym.conf" |
    grep -v -e '^nginx-format' -e '^key-file' -e '^output' -e '^in-place' -e '^geoip' -e '^filter' \
        -e '^stats' -e '^json' -e '^html' -e '^csv' -e '^fold-as' >"$T/all.conf"
printf 'output = %s\n' "$T/out.log" >>"$T/all.conf"
"$LOGNYM" -c "$T/all.conf" "$T/in.log" 2>"$T/all.err"; rc=$?
check "the example config loads and runs" sh -c "[ $rc -eq 0 ] && grep -q '^192.0.2.0 ' '$T/out.log'"

printf '# comment\n\nip-mode = hash\nquiet = yes\n' >"$T/h.conf"
"$LOGNYM" -c "$T/h.conf" "$T/in.log" >"$T/h.out" 2>"$T/h.err"
check "config file sets options" grep -Eq '^(24[0-9]|25[0-5])\.' "$T/h.out"
check "config file flag (quiet = yes)" [ ! -s "$T/h.err" ]
"$LOGNYM" -c "$T/h.conf" --ip-mode truncate "$T/in.log" >"$T/o.out" 2>/dev/null
check "the command line overrides the file" grep -q '^192.0.2.0 ' "$T/o.out"
"$LOGNYM" --config="$T/h.conf" "$T/in.log" >"$T/h2.out" 2>/dev/null
check "--config=FILE" grep -Eq '^(24[0-9]|25[0-5])\.' "$T/h2.out"

printf 'ip-mode = hash\n\nnot-an-option = 1\n' >"$T/u.conf"
"$LOGNYM" -c "$T/u.conf" "$T/in.log" >/dev/null 2>"$T/u.err"; rc=$?
check "unknown key: exit 2" [ $rc -eq 2 ]
check "unknown key: FILE:LINE" grep -q "u.conf:3: unknown option 'not-an-option'" "$T/u.err"
printf 'ipv4-prefix = 99\n' >"$T/v.conf"
"$LOGNYM" -c "$T/v.conf" "$T/in.log" >/dev/null 2>"$T/v.err"; rc=$?
check "bad value: exit 2 with FILE:LINE" sh -c "[ $rc -eq 2 ] && grep -q 'v.conf:1: --ipv4-prefix wants a number' '$T/v.err'"
printf 'gzip\n' >"$T/s.conf"
"$LOGNYM" -c "$T/s.conf" "$T/in.log" >/dev/null 2>"$T/s.err"; rc=$?
check "line without '=': FILE:LINE" sh -c "[ $rc -eq 2 ] && grep -q \"s.conf:1: expected 'option = value'\" '$T/s.err'"
printf 'help = yes\n' >"$T/a.conf"
"$LOGNYM" -c "$T/a.conf" "$T/in.log" >/dev/null 2>"$T/a.err"; rc=$?
check "command-line-only options are refused" sh -c "[ $rc -eq 2 ] && grep -q \"a.conf:1: unknown option 'help'\" '$T/a.err'"
"$LOGNYM" -c "$T/missing.conf" "$T/in.log" >/dev/null 2>"$T/m.err"; rc=$?
check "missing config file: exit 2, named" sh -c "[ $rc -eq 2 ] && grep -q 'missing.conf: cannot open' '$T/m.err'"
