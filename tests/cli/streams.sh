# streams.sh: gzip in and out, files and pipes, odd line endings, bad input, signals.
. "$(dirname "$0")/../lib.sh"

line() { # line N: a combined line with a distinct documentation-range client
    printf '198.51.100.%d - - [10/Oct/2025:13:55:%02d +0200] "GET /p/%d HTTP/1.1" 200 %d "-" "UA %d"\n' \
        $(($1 % 250 + 1)) $(($1 % 60)) "$1" "$1" "$1"
}
i=0; while [ $i -lt 300 ]; do line $i; i=$((i + 1)); done >"$T/a.log"
"$LOGNYM" -q "$T/a.log" >"$T/a.want"

# --- gzip input by magic bytes, whatever the name; multi-member files
gzip -c "$T/a.log" >"$T/a.bin"
"$LOGNYM" -q "$T/a.bin" >"$T/a.out"
same "gzip input detected by magic bytes" "$T/a.want" "$T/a.out"
head -n 100 "$T/a.log" | gzip -c >"$T/m.gz"
tail -n +101 "$T/a.log" | gzip -c >>"$T/m.gz"
"$LOGNYM" -q <"$T/m.gz" >"$T/m.out"
same "multi-member gzip on stdin" "$T/a.want" "$T/m.out"

# --- gzip output by name and by --gzip
"$LOGNYM" -q -o "$T/o.log.gz" "$T/a.log"
gzip -dc "$T/o.log.gz" >"$T/o.plain"
same "-o FILE.gz writes gzip" "$T/a.want" "$T/o.plain"
"$LOGNYM" -q --gzip <"$T/a.log" | gzip -dc >"$T/o2.plain"
same "--gzip to stdout" "$T/a.want" "$T/o2.plain"
"$LOGNYM" -q -o "$T/o.log.gz" "$T/a.log"
gzip -dc "$T/o.log.gz" >"$T/o3.plain"
cat "$T/a.want" "$T/a.want" >"$T/twice"
same "-o appends (a restarted piped logger never truncates)" "$T/twice" "$T/o3.plain"
check "-o creates files 0640" [ "$(stat -c %a "$T/o.log.gz")" = 640 ]

# --- truncated gzip: clear error with offset, everything before it written, exit 3
i=0; while [ $i -lt 20000 ]; do line $i; i=$((i + 1)); done | gzip -c >"$T/big.gz"
size=$(stat -c %s "$T/big.gz")
head -c $((size / 2)) "$T/big.gz" >"$T/cut.gz"
"$LOGNYM" "$T/cut.gz" >"$T/cut.out" 2>"$T/cut.err"; rc=$?
check "truncated gzip: exit 3" [ $rc -eq 3 ]
check "truncated gzip: message names file and offset" grep -Eq 'cut\.gz: gzip data truncated at byte [0-9]+' "$T/cut.err"
n=$(wc -l <"$T/cut.out")
check "truncated gzip: the lines before the cut are written ($n)" [ "$n" -gt 1000 ]
check "truncated gzip: every written line is complete" sh -c "! grep -v '\"UA [0-9]*\"\$' '$T/cut.out'"

# --- unreadable files: reported, the other files still processed, exit 3
"$LOGNYM" -q "$T/missing.log" "$T/a.log" "$T" >"$T/u.out" 2>"$T/u.err"; rc=$?
check "missing file and directory: exit 3" [ $rc -eq 3 ]
check "missing file named" grep -q "missing.log: cannot open" "$T/u.err"
same "the readable file was still processed" "$T/a.want" "$T/u.out"

# --- last line without newline, CRLF, NUL bytes, binary junk
printf '192.0.2.1 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 1 "-" "-"' >"$T/nonl.log"
"$LOGNYM" "$T/nonl.log" >"$T/nonl.out" 2>"$T/nonl.err"
printf '192.0.2.0 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 1 "-" "-"' >"$T/nonl.want"
same "last line without newline kept, without newline" "$T/nonl.want" "$T/nonl.out"
check "no-newline noted on stderr" grep -q 'last line had no newline' "$T/nonl.err"

printf '192.0.2.1 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 1 "-" "-"\r\n' >"$T/crlf.log"
"$LOGNYM" "$T/crlf.log" >"$T/crlf.out" 2>"$T/crlf.err"
printf '192.0.2.0 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 1 "-" "-"\r\n' >"$T/crlf.want"
same "CRLF line parsed and kept" "$T/crlf.want" "$T/crlf.out"
check "CRLF noted" grep -q 'ended in CR LF' "$T/crlf.err"

printf '192.0.2.1 - - [10/Oct/2025:13:55:36 +0200] "GET /\000x HTTP/1.1" 200 1 "-" "-"\n' >"$T/nul.log"
"$LOGNYM" "$T/nul.log" >"$T/nul.out" 2>"$T/nul.err"; rc=$?
check "NUL line: exit 0 under --bad-lines scrub" [ $rc -eq 0 ]
check "NUL line: address scrubbed" sh -c "grep -aq '^192.0.2.0 ' '$T/nul.out' && ! grep -aq '192.0.2.1' '$T/nul.out'"
check "NUL line: reported with its line number" grep -q 'held NUL bytes.*nul.log:1)' "$T/nul.err"

head -c 3000 /dev/urandom >"$T/junk.bin"
printf '\n10.1.2.3 junk 2001:db8:1:2::77\n' >>"$T/junk.bin"
"$LOGNYM" "$T/junk.bin" >"$T/junk.out" 2>"$T/junk.err"; rc=$?
check "binary junk: exit 0, no crash" [ $rc -eq 0 ]
check "binary junk: addresses inside scrubbed" sh -c "grep -aq '10.1.2.0 junk 2001:db8:1::' '$T/junk.out' && ! grep -aq '10.1.2.3' '$T/junk.out'"
check "stderr never shows raw addresses" sh -c "! grep -aq -e 10.1.2.3 -e 2001:db8:1:2::77 '$T/junk.err'"

printf 'x\377\376 invalid utf8 from 192.0.2.77\n' >"$T/utf.log"
"$LOGNYM" "$T/utf.log" >"$T/utf.out" 2>"$T/utf.err"
check "invalid UTF-8 noted and kept as bytes" sh -c "grep -q 'invalid UTF-8' '$T/utf.err' && grep -aq 'x.*192.0.2.0' '$T/utf.out'"

# --- over-long lines: reported by number, dropped (never cut), the rest continues
{ line 1; printf '192.0.2.99 '; head -c 1100000 /dev/zero | tr '\0' a; printf '\n'; line 2; } >"$T/long.log"
"$LOGNYM" "$T/long.log" >"$T/long.out" 2>"$T/long.err"; rc=$?
check "long line: exit 0" [ $rc -eq 0 ]
check "long line: reported with line number" grep -q 'longer than 1 MiB and were dropped (.*long.log:2)' "$T/long.err"
check "long line: the lines around it are written" [ "$(wc -l <"$T/long.out")" -eq 2 ]
check "long line: not passed through" sh -c "! grep -q 192.0.2.99 '$T/long.out'"

# --- --bad-lines drop and fail
printf 'garbage 192.0.2.5\n' >"$T/bad.log"; line 3 >>"$T/bad.log"
"$LOGNYM" -q --bad-lines drop "$T/bad.log" >"$T/drop.out"
check "--bad-lines drop writes only good lines" [ "$(wc -l <"$T/drop.out")" -eq 1 ]
"$LOGNYM" --bad-lines fail "$T/bad.log" >"$T/fail.out" 2>"$T/fail.err"; rc=$?
check "--bad-lines fail: exit 1" [ $rc -eq 1 ]
check "--bad-lines fail: file and line named" grep -q 'bad.log:1: the line matches no log format' "$T/fail.err"
check "--bad-lines fail: nothing raw on stderr" sh -c "! grep -q 192.0.2.5 '$T/fail.err'"

# --- output errors: a full disk is a clear error, exit 4
if [ -w /dev/full ]; then
    "$LOGNYM" -q -o /dev/full "$T/a.log" 2>"$T/full.err"; rc=$?
    check "write to a full disk: exit 4" [ $rc -eq 4 ]
    check "write error message" grep -q 'No space left on device' "$T/full.err"
fi

# --- a pipe or --line-buffered flushes every line; SIGHUP reopens -o; SIGTERM flushes and exits
mkfifo "$T/fifo"
"$LOGNYM" -q -o "$T/live.log" <"$T/fifo" 2>"$T/live.err" &
pid=$!
exec 3>"$T/fifo"
line 1 >&3
n=0; while [ $n -lt 50 ] && [ "$(wc -l 2>/dev/null <"$T/live.log" || echo 0)" -lt 1 ]; do sleep 0.1; n=$((n + 1)); done
check "a line from a pipe reaches the file at once" [ "$(wc -l <"$T/live.log")" -eq 1 ]
mv "$T/live.log" "$T/live.log.1"
kill -HUP $pid
sleep 0.3
line 2 >&3
n=0; while [ $n -lt 50 ] && [ ! -s "$T/live.log" ]; do sleep 0.1; n=$((n + 1)); done
check "SIGHUP reopens the output file" sh -c "[ \$(wc -l <'$T/live.log') -eq 1 ] && [ \$(wc -l <'$T/live.log.1') -eq 1 ]"
line 3 >&3
sleep 0.3
kill -TERM $pid
wait $pid; rc=$?
exec 3>&-
check "SIGTERM: clean exit 0" [ $rc -eq 0 ]
check "SIGTERM: every line written" [ "$(cat "$T/live.log" "$T/live.log.1" | wc -l)" -eq 3 ]

# --- progress line: forced with --progress, erased at the end; off with --quiet
i=0; while [ $i -lt 9000 ]; do line $i; i=$((i + 1)); done >"$T/p.log"
"$LOGNYM" --progress "$T/p.log" >/dev/null 2>"$T/p.err"
check "--progress draws bytes and lines/s" grep -q 'p.log: [0-9.]* MB, [0-9]* lines/s, [0-9]*%, ETA' "$T/p.err"
check "--progress erases its line before the summary" sh -c "tr '\r' '\n' <'$T/p.err' | grep -q '^.\[Klognym: 9000 lines'"
"$LOGNYM" --progress -q "$T/p.log" >/dev/null 2>"$T/pq.err"
check "--quiet wins over --progress" [ ! -s "$T/pq.err" ]
"$LOGNYM" "$T/p.log" >/dev/null 2>"$T/pn.err"
check "no progress line when stderr is not a terminal" sh -c "! grep -q 'lines/s' '$T/pn.err'"
