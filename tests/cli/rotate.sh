# rotate.sh: lognym rotate / --in-place rewrites files atomically, keeps their
# metadata, refuses links, is idempotent, and leaves the original intact on errors.
. "$(dirname "$0")/../lib.sh"

line() {
    printf '198.51.100.%d - - [10/Oct/2025:13:55:%02d +0200] "GET /p/%d HTTP/1.1" 200 %d "-" "UA"\n' \
        $(($1 % 250 + 1)) $(($1 % 60)) "$1" "$1"
}
i=0; while [ $i -lt 200 ]; do line $i; i=$((i + 1)); done >"$T/src.log"
mkdir "$T/d"
cp "$T/src.log" "$T/d/access.log.1"
gzip -c "$T/src.log" >"$T/d/access.log.2.gz"
chmod 604 "$T/d/access.log.1"
touch -d '2024-03-01 12:00:00' "$T/d/access.log.1"
"$LOGNYM" -q "$T/src.log" >"$T/want.log"

"$LOGNYM" rotate -q "$T/d/access.log.1" "$T/d/access.log.2.gz"; rc=$?
check "rotate: exit 0" [ $rc -eq 0 ]
same "rotate: plain file anonymised in place" "$T/want.log" "$T/d/access.log.1"
gzip -dc "$T/d/access.log.2.gz" >"$T/gz.out"
same "rotate: .gz file anonymised and still gzip" "$T/want.log" "$T/gz.out"
check "rotate: mode kept" [ "$(stat -c %a "$T/d/access.log.1")" = 604 ]
check "rotate: mtime kept" [ "$(stat -c %Y "$T/d/access.log.1")" = "$(date -d '2024-03-01 12:00:00' +%s)" ]
check "rotate: owner and group kept" [ "$(stat -c %u:%g "$T/d/access.log.1")" = "$(id -u):$(id -g)" ]
check "rotate: no temp file left" [ -z "$(ls -A "$T/d" | grep lognym)" ]

# idempotent in every mode
"$LOGNYM" keygen "$T/key" 2>/dev/null
for mode in truncate hash cryptopan; do
    cp "$T/src.log" "$T/d/m.log"
    "$LOGNYM" rotate -q --ip-mode $mode --key-file "$T/key" "$T/d/m.log"
    cp "$T/d/m.log" "$T/once"
    "$LOGNYM" rotate -q --ip-mode $mode --key-file "$T/key" "$T/d/m.log"
    same "rotate twice changes nothing ($mode)" "$T/once" "$T/d/m.log"
    check "rotate anonymised ($mode)" sh -c "! grep -q '198.51.100.7 ' '$T/d/m.log'"
done
# idempotent without the file mark too (copied files lose it): truncate and hash
for mode in truncate hash; do
    "$LOGNYM" -q --ip-mode $mode --key-file "$T/key" "$T/src.log" >"$T/d/n.log"
    cp "$T/d/n.log" "$T/n.once"
    "$LOGNYM" rotate -q --ip-mode $mode --key-file "$T/key" "$T/d/n.log"
    same "anonymising an anonymised file changes nothing ($mode)" "$T/n.once" "$T/d/n.log"
done

# refusals; a failure on one file does not stop the others
ln -s access.log.1 "$T/d/link.log"
cp "$T/src.log" "$T/d/other.log"
"$LOGNYM" rotate -q "$T/d/link.log" /dev/null "$T/d/missing.log" "$T/d/other.log" 2>"$T/r.err"; rc=$?
check "rotate: failures give a non-zero exit" [ $rc -ne 0 ]
check "rotate: symlink refused" grep -q 'link.log: is a symbolic link' "$T/r.err"
check "rotate: non-regular file refused" grep -q '/dev/null: not a regular file' "$T/r.err"
check "rotate: missing file named" grep -q 'missing.log: cannot open' "$T/r.err"
same "rotate: the other files are still processed" "$T/want.log" "$T/d/other.log"
check "rotate: the symlink is still a symlink" [ -L "$T/d/link.log" ]

# errors keep the original intact, with no temp file left
cp "$T/src.log" "$T/d/bad.log"; printf 'garbage\n' >>"$T/d/bad.log"; cp "$T/d/bad.log" "$T/bad.orig"
"$LOGNYM" rotate -q --bad-lines fail "$T/d/bad.log" 2>"$T/b.err"; rc=$?
check "rotate --bad-lines fail: exit 1" [ $rc -eq 1 ]
same "rotate error: original intact" "$T/bad.orig" "$T/d/bad.log"
check "rotate error: no temp file left" [ -z "$(ls -A "$T/d" | grep lognym)" ]
i=0; while [ $i -lt 20000 ]; do line $i; i=$((i + 1)); done | gzip -c | head -c 30000 >"$T/d/cut.gz"
cp "$T/d/cut.gz" "$T/cut.orig"
"$LOGNYM" rotate -q "$T/d/cut.gz" 2>"$T/c.err"; rc=$?
check "rotate of a truncated gzip: exit 3, file unchanged" sh -c "[ $rc -eq 3 ] && cmp -s '$T/cut.orig' '$T/d/cut.gz'"
check "rotate of a truncated gzip: no temp file left" [ -z "$(ls -A "$T/d" | grep lognym)" ]
"$LOGNYM" rotate -o x "$T/d/other.log" 2>/dev/null; rc=$?
check "rotate with --output: usage error" [ $rc -eq 2 ]

# SIGKILL at random points: the original is intact or fully replaced, never half-written
i=0; while [ $i -lt 60000 ]; do line $i; i=$((i + 1)); done >"$T/big.log"
"$LOGNYM" -q "$T/big.log" >"$T/big.want"
for delay in 0.01 0.05 0.1 0.2; do
    cp "$T/big.log" "$T/d/big.log"
    "$LOGNYM" rotate -q "$T/d/big.log" &
    pid=$!
    sleep $delay
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    if cmp -s "$T/d/big.log" "$T/big.log" || cmp -s "$T/d/big.log" "$T/big.want"; then
        ok "SIGKILL after ${delay}s: original intact or fully replaced"
    else
        notok "SIGKILL after ${delay}s: original intact or fully replaced"
    fi
    rm -f "$T/d"/.big.log.lognym-*
done

# A file with a second hard link: the raw copy would survive under the other name
line 1 >"$T/d/linked.log"
ln "$T/d/linked.log" "$T/d/linked-copy.log"
"$LOGNYM" rotate -q "$T/d/linked.log" 2>"$T/link.err"; rc=$?
check "rotate refuses a file with 2 hard links: exit 3" [ $rc -eq 3 ]
check "rotate names the link count" grep -q "linked.log: has 2 hard links" "$T/link.err"
check "rotate left the linked file untouched" cmp -s "$T/d/linked.log" "$T/d/linked-copy.log"
exit $((nfail > 0))
