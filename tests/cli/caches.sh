# caches.sh: what lognym remembers from line to line to go faster (clean
# user agents and referrers) changes no output: a value is remembered under
# the policy it was checked by, so a user agent's e-mail address (kept: a
# bot's contact) is still scrubbed when the same bytes come as a referrer.
. "$(dirname "$0")/../lib.sh"

L='192.0.2.10 - - [21/Nov/2026:09:12:01 +0100] "GET / HTTP/1.1" 200 5'
printf '%s\n' "$L \"-\" \"bot jane.doe@example.com\"" \
    "$L \"bot jane.doe@example.com\" \"x\"" \
    "$L \"bot jane.doe@example.com\" \"bot jane.doe@example.com\"" >"$T/in.log"
A='192.0.2.0 - - [21/Nov/2026:09:12:01 +0100] "GET / HTTP/1.1" 200 5'
printf '%s\n' "$A \"-\" \"bot jane.doe@example.com\"" \
    "$A \"bot %5Bemail%5D\" \"x\"" \
    "$A \"bot %5Bemail%5D\" \"bot jane.doe@example.com\"" >"$T/want"
for j in 1 2; do
    "$LOGNYM" -q -j $j "$T/in.log" >"$T/out.$j"
    same "-j $j: a user agent seen clean is scrubbed as a referrer" "$T/want" "$T/out.$j"
done
# The other way round: the referrer first, then the user agent.
printf '%s\n' "$L \"bot jane.doe@example.com\" \"x\"" "$L \"-\" \"bot jane.doe@example.com\"" \
    "$L \"bot jane.doe@example.com\" \"x\"" >"$T/in2.log"
printf '%s\n' "$A \"bot %5Bemail%5D\" \"x\"" "$A \"-\" \"bot jane.doe@example.com\"" \
    "$A \"bot %5Bemail%5D\" \"x\"" >"$T/want2"
"$LOGNYM" -q -j 1 "$T/in2.log" >"$T/out2"
same "a referrer scrubbed stays scrubbed after the same bytes as a user agent" "$T/want2" "$T/out2"

exit $((nfail > 0))
