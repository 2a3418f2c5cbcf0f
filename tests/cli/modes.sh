# modes.sh: --ip-mode hash and cryptopan, key files, keygen, daily key rotation.
. "$(dirname "$0")/../lib.sh"

cat >"$T/in.log" <<'IN'
192.0.2.17 - - [10/Oct/2025:23:59:59 +0200] "GET /a HTTP/1.1" 200 1 "-" "-"
192.0.2.17 - - [11/Oct/2025:00:00:01 +0200] "GET /b HTTP/1.1" 200 1 "-" "-"
2001:db8::17 - - [11/Oct/2025:00:00:02 +0200] "GET /c HTTP/1.1" 200 1 "-" "-"
192.0.2.17 - - [11/Oct/2025:00:00:03 +0200] "GET /d HTTP/1.1" 200 1 "-" "-"
IN

# --- keygen
"$LOGNYM" keygen "$T/key" 2>"$T/kg.err"; rc=$?
check "keygen exits 0" [ $rc -eq 0 ]
check "keygen writes mode 0600" [ "$(stat -c %a "$T/key")" = 600 ]
check "keygen writes 64 hex digits" grep -Eqx '[0-9a-f]{64}' "$T/key"
check "keygen does not print the key" sh -c "! grep -qF \"\$(cat '$T/key')\" '$T/kg.err'"
"$LOGNYM" keygen "$T/key" 2>"$T/kg2.err"; rc=$?
check "keygen refuses to overwrite: exit 5" [ $rc -eq 5 ]

# --- hash mode: address-shaped pseudonyms in reserved ranges, stable under one key
"$LOGNYM" -q --ip-mode hash --key-file "$T/key" "$T/in.log" >"$T/h1.log"
"$LOGNYM" -q --ip-mode hash --key-file "$T/key" "$T/in.log" >"$T/h2.log"
same "hash mode: same key, same pseudonyms" "$T/h1.log" "$T/h2.log"
check "hash mode: IPv4 pseudonym in 240.0.0.0/4" sh -c "awk '{print \$1}' '$T/h1.log' | sed -n 1p | grep -Eq '^(24[0-9]|25[0-5])\.'"
check "hash mode: IPv6 pseudonym in 100::/64" sh -c "awk '{print \$1}' '$T/h1.log' | sed -n 3p | grep -Eq '^100::'"
check "hash mode: the same address, the same pseudonym" [ "$(sed -n 1p "$T/h1.log" | cut -d' ' -f1)" = "$(sed -n 4p "$T/h1.log" | cut -d' ' -f1)" ]
check "hash mode: no raw address" sh -c "! grep -q -e 192.0.2.17 -e 2001:db8::17 '$T/h1.log'"
"$LOGNYM" -q --ip-mode hash --key-file "$T/key" "$T/h1.log" >"$T/h3.log"
same "hash mode: anonymising twice changes nothing" "$T/h1.log" "$T/h3.log"

"$LOGNYM" -q --ip-mode hash "$T/in.log" >"$T/r1.log"
"$LOGNYM" -q --ip-mode hash "$T/in.log" >"$T/r2.log"
check "hash mode without key: random key, pseudonyms differ between runs" sh -c "! cmp -s '$T/r1.log' '$T/r2.log'"
check "hash mode without key: stable within one run" [ "$(sed -n 1p "$T/r1.log" | cut -d' ' -f1)" = "$(sed -n 4p "$T/r1.log" | cut -d' ' -f1)" ]

"$LOGNYM" -q --ip-mode hash --ip-format token --key-file "$T/key" "$T/in.log" >"$T/t.log"
check "--ip-format token: 16 hex digits" sh -c "cut -d' ' -f1 '$T/t.log' | grep -Evx '[0-9a-f]{16}' | wc -l | grep -qx 0"

# --- daily key rotation: pseudonyms cannot be linked across days
"$LOGNYM" -q --ip-mode hash --key-file "$T/key" --key-rotate daily "$T/in.log" >"$T/d.log"
d1=$(sed -n 1p "$T/d.log" | cut -d' ' -f1); d2=$(sed -n 2p "$T/d.log" | cut -d' ' -f1); d4=$(sed -n 4p "$T/d.log" | cut -d' ' -f1)
check "--key-rotate daily: another day, another pseudonym" [ "$d1" != "$d2" ]
check "--key-rotate daily: same day, same pseudonym" [ "$d2" = "$d4" ]

# --- key file checks: never printed, too-open files refused
chmod 644 "$T/key"
"$LOGNYM" -q --ip-mode hash --key-file "$T/key" "$T/in.log" >/dev/null 2>"$T/perm.err"; rc=$?
check "group/other-readable key file: exit 5" [ $rc -eq 5 ]
check "group/other-readable key file: says how to fix" grep -q 'readable by group or others (mode 0644); run: chmod 600' "$T/perm.err"
check "key never printed" sh -c "! grep -qF \"\$(cat '$T/key')\" '$T/perm.err'"
chmod 600 "$T/key"
printf 'not a key\n' >"$T/badkey"; chmod 600 "$T/badkey"
"$LOGNYM" -q --ip-mode hash --key-file "$T/badkey" "$T/in.log" >/dev/null 2>"$T/bk.err"; rc=$?
check "malformed key file: exit 5 with the file named" sh -c "[ $rc -eq 5 ] && grep -q badkey '$T/bk.err'"
"$LOGNYM" -q --ip-mode hash --key-file "$T/nokey" "$T/in.log" >/dev/null 2>"$T/nk.err"; rc=$?
check "missing key file: exit 5" [ $rc -eq 5 ]

# --- cryptopan: the reference implementation's published sample
if have_shared vectors; then
    printf '1522178d33a4cf80130a5b1649907d10d8988f837979652762574c2d2a842202\n' >"$T/cpkey"
    chmod 600 "$T/cpkey"
    awk -F'\t' '{printf "%s - - [10/Oct/2025:13:55:36 +0200] \"GET / HTTP/1.1\" 200 1\n", $3}' \
        "$SHARED/vectors/cryptopan-sample-raw.dat" >"$T/cp.log"
    awk -F'\t' '{print $3}' "$SHARED/vectors/cryptopan-sample-anonymised.dat" >"$T/cp.want"
    "$LOGNYM" -q --format common --ip-mode cryptopan --key-file "$T/cpkey" "$T/cp.log" | cut -d' ' -f1 >"$T/cp.out"
    same "cryptopan: all 100 addresses of the reference sample" "$T/cp.want" "$T/cp.out"
fi
"$LOGNYM" -q --ip-mode cryptopan --key-file "$T/key" "$T/in.log" >"$T/c.log"
check "cryptopan: IPv6 anonymised" sh -c "! grep -q 2001:db8::17 '$T/c.log'"
