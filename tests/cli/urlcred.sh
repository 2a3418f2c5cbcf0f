#!/bin/sh
# urlcred.sh: attack 7, findings 6 and 14, each with its exact expected
# output. 6: credentials in URLs whatever the password holds (%20 %23 %2F
# %3F, an apostrophe, a '+'), scheme-relative "//user:pass@host" with a
# dotless host or an address, at the top, in a parameter, encoded once or
# twice, in a referrer, in free text, in a user agent, and inside a base64
# or base64url payload (the whole value goes): user and password replaced,
# host kept (anonymised when an address); innocent look-alikes kept.
# 14: an address hidden by percent-encoding is anonymised once, in every
# mode: its encoded and plain spellings get one pseudonym, and the count of
# addresses anonymised is right.
. "$(dirname "$0")/../lib.sh"
fixed_key "$T/k.key"

# pseudo MODE ADDR: what lognym makes of client address ADDR in MODE.
pseudo() {
    printf '%s\n' "$2" | "$LOGNYM" -q --nginx-format '$remote_addr' -m "$1" -k "$T/k.key"
}
# enc TEXT: TEXT with its dots written %2e and its colons %3A.
enc() { printf '%s' "$1" | sed 's/\./%2e/g; s/:/%3A/g'; }

LINE='192.0.2.1 - - [21/Nov/2026:09:12:01 +0100] "GET %s HTTP/1.1" 200 1 "%s" "%s"\n'
FREE='$remote_addr "$foo"' # an unknown variable: free text

# --- finding 6: in a request's parameters, in every IP mode (the host
# address is anonymised by the mode)
Q="/go?a=http://user:p%20ss@host/&b=http://bob:o'neil@host/&c=//admin:hunter2@intranet/&d=//admin:hunter2@10.0.0.5:8080/&e=http://u:a%23b%3Fc%2Fd@host/&f=http://u:p+ss@host/"
QE='/go?f=http%3A%2F%2Fuser%3Ap%2520ss%40host%2F&g=http%253A%252F%252Fuser%253Ap%252520ss%2540host%252F&h=%2F%2Fadmin%3Ahunter2%40intranet%2F'
for m in truncate hash cryptopan; do
    a=$(pseudo $m 192.0.2.1) h=$(pseudo $m 10.0.0.5)
    printf '%s\n' "$a - - [21/Nov/2026:09:12:01 +0100] \"GET /go?a=http://%5Buser%5D@host/&b=http://%5Buser%5D@host/&c=//%5Buser%5D@intranet/&d=//%5Buser%5D@$h:8080/&e=http://%5Buser%5D@host/&f=http://%5Buser%5D@host/ HTTP/1.1\" 200 1 \"-\" \"x\"" >"$T/want"
    printf "$LINE" "$Q" "-" "x" | expect "-m $m: URL credentials in parameters: %20 %23 %3F %2F ' + in the password, //user:pass@ with a dotless host and an address" -m $m -k "$T/k.key"
done
printf '%s\n' '192.0.2.0 - - [21/Nov/2026:09:12:01 +0100] "GET /go?f=http%3A%2F%2F%5Buser%5D%40host%2F&g=http%253A%252F%252F%5Buser%5D%2540host%252F&h=%2F%2F%5Buser%5D%40intranet%2F HTTP/1.1" 200 1 "-" "x"' >"$T/want"
printf "$LINE" "$QE" "-" "x" | expect "URL credentials in parameters encoded once and twice: %2520 in the password, //user:pass@ encoded"

# the same in a referrer, in a user agent and in free text
V="http://user:p%20ss@host/ http://bob:o'neil@host/ //admin:hunter2@intranet/ //admin:hunter2@10.0.0.5:8080/ http://u:a%23b%3Fc%2Fd@host/"
for m in truncate cryptopan; do
    a=$(pseudo $m 192.0.2.1) h=$(pseudo $m 10.0.0.5)
    W="http://[user]@host/ http://[user]@host/ //[user]@intranet/ //[user]@$h:8080/ http://[user]@host/"
    printf '%s\n' "$a - - [21/Nov/2026:09:12:01 +0100] \"GET / HTTP/1.1\" 200 1 \"http://r.example/go?u=http://%5Buser%5D@host/&v=//%5Buser%5D@$h/\" \"curl/8.5 $W\"" >"$T/want"
    printf "$LINE" "/" "http://r.example/go?u=http://user:p%20ss@host/&v=//admin:hunter2@10.0.0.5/" "curl/8.5 $V" |
        expect "-m $m: URL credentials in a referrer's parameters and in a user agent" -m $m -k "$T/k.key"
    printf '%s\n' "$a \"log $W\"" >"$T/want"
    printf '192.0.2.1 "%s"\n' "log $V" |
        expect "-m $m: URL credentials in free text" -m $m -k "$T/k.key" --nginx-format "$FREE"
done

# a user agent whose first URL is scheme-relative, or encoded
printf '%s\n' '192.0.2.0 - - [21/Nov/2026:09:12:01 +0100] "GET / HTTP/1.1" 200 1 "-" "Fetch/2 //[user]@intranet/ via http%3A%2F%2F[user]%40proxy%2F"' >"$T/want"
printf "$LINE" "/" "-" "Fetch/2 //admin:hunter2@intranet/ via http%3A%2F%2Fops%3Ap%2520w%40proxy%2F" |
    expect "URL credentials in a user agent: scheme-relative first, percent-encoded"

# base64 (standard, padded, '%3D'-padded) and base64url payloads holding a
# URL with credentials: the whole value goes, in a query, a path segment
# and free text; payloads of innocent URLs stay
B1=aHR0cDovL2FkbWluOmh1bnRlcjJAaG9zdC8               # http://admin:hunter2@host/
B2=aHR0cHM6Ly9vcHM6b2suZ29-QDEwLjAuMC41Lw            # https://ops:ok.go~@10.0.0.5/ (base64url)
B3=Ly9hZG1pbjpodW50ZXIyQGludHJhbmV0L3g               # //admin:hunter2@intranet/x
B4=c2VlIGh0dHA6Ly9leGFtcGxlLmNvbS9hYm91dCB1cyB0b2RheQ # see http://example.com/about us today
B5=dmlzaXQgLy9jZG4uZXhhbXBsZS5jb20vQHNjb3BlL3BrZyBub3c # visit //cdn.example.com/@scope/pkg now
printf '%s\n' "192.0.2.0 - - [21/Nov/2026:09:12:01 +0100] \"GET /r/%5Buser%5D/x?a=%5Buser%5D&b=%5Buser%5D&c=%5Buser%5D&d=$B4&e=$B5 HTTP/1.1\" 200 1 \"-\" \"x\"" >"$T/want"
printf "$LINE" "/r/$B1/x?a=$B2&b=$B3%3D&c=$B1=&d=$B4&e=$B5" "-" "x" |
    expect "base64 and base64url payloads of URLs with credentials replaced whole; innocent URLs kept"
printf '%s\n' "192.0.2.0 \"payload [user] and [user] but $B4\"" >"$T/want"
printf '192.0.2.1 "%s"\n' "payload $B2 and $B3= but $B4" |
    expect "base64 payloads of URLs with credentials in free text" --nginx-format "$FREE"

# innocent look-alikes: npm scoped paths, '@' in a path, mailto:, prose
# "a:b@c" (an e-mail, the e-mail rule's), times, "//word@" paths
I="//cdn.example.com/@scope/pkg http://host/path@v2 mailto:jane@example.com contact:jane@example.com 12:30@cafe //12:30@cafe //logo@2x.png a//b:c@d"
printf '%s\n' '192.0.2.0 - - [21/Nov/2026:09:12:01 +0100] "GET //logo@2x.png HTTP/1.1" 200 1 "-" "x"' \
    '192.0.2.0 - - [21/Nov/2026:09:12:01 +0100] "GET /npm?u=//cdn.example.com/@scope/pkg&v=http://host/path@v2&m=mailto:%5Bemail%5D&t=12:30@cafe&r=//12:30@cafe HTTP/1.1" 200 1 "//cdn.example.com/@scope/pkg" "x"' \
    '192.0.2.0 - - [21/Nov/2026:09:12:01 +0100] "GET / HTTP/1.1" 200 1 "-" "Bot/1.0 (+http://host/path@v2; mailto:bot@example.com) //cdn.example.com/@scope/pkg 12:30@home"' >"$T/want"
{
    printf "$LINE" "//logo@2x.png" "-" "x"
    printf "$LINE" "/npm?u=//cdn.example.com/@scope/pkg&v=http://host/path@v2&m=mailto:jane@example.com&t=12:30@cafe&r=//12:30@cafe" "//cdn.example.com/@scope/pkg" "x"
    printf "$LINE" "/" "-" "Bot/1.0 (+http://host/path@v2; mailto:bot@example.com) //cdn.example.com/@scope/pkg 12:30@home"
} | expect "innocent look-alikes of URL credentials kept in requests, referrers and user agents"
printf '%s\n' "192.0.2.0 \"$(printf '%s' "$I" | sed 's/jane@example.com/[email]/g')\"" >"$T/want"
printf '192.0.2.1 "%s"\n' "$I" | expect "innocent look-alikes of URL credentials kept in free text" --nginx-format "$FREE"

# "://" after a word that is no scheme still opens an authority (property
# seed 11: a bad line's %v held "198.51.100.7://user:pw@nas/")
printf '%s\n' '192.0.2.0 "198.51.100.0://[user]@nas/ 10:30 //a:b"' >"$T/want"
printf '%s\n' '192.0.2.1 "198.51.100.7://uckzzde8:6s8tgb%3F4k4w5e@nas/ 10:30 //a:b"' |
    expect "credentials after an address and '://' (no scheme) are replaced" --nginx-format "$FREE"

printf '%s\n' '192.0.2.0 "[2001:db8::]://[user]@nas/"' >"$T/want"
printf '%s\n' '192.0.2.1 "[2001:db8::7]://jane:hunter22@nas/"' |
    expect "credentials after a bracketed IPv6 address and '://' are replaced" --nginx-format "$FREE"

# JSON escapes its slashes: "http:\/\/user:pw@host\/" is a URL too
printf '%s\n' '{"remote_addr":"192.0.2.0","msg":"see http:\/\/[user]@host\/x and \/\/[user]@c\/"}' >"$T/want"
printf '%s\n' '{"remote_addr":"192.0.2.1","msg":"see http:\/\/admin:pw@host\/x and \/\/a:b@c\/"}' |
    expect "credentials in a URL with JSON-escaped slashes are replaced" -f json

# --- finding 14: a percent-encoded address is anonymised once: one
# pseudonym for both spellings, in every field kind and every mode, and the
# right count (client + 5 in the request + 1 referrer = 7; client + 4 = 5)
for m in truncate hash cryptopan; do
    a=$(pseudo $m 192.0.2.1) p=$(pseudo $m 198.51.100.7) p6=$(pseudo $m 2001:db8::1)
    pe=$(enc "$p") p6e=$(enc "$p6")
    printf '%s\n' "$a - - [21/Nov/2026:09:12:01 +0100] \"GET /x?a=$pe&b=$p&c=$p6e&d=$p6&e=$(printf '%s' "$p" | sed 's/\./%2E/g') HTTP/1.1\" 200 1 \"http://r.example/?ip=$pe\" \"x\"" >"$T/want"
    printf "$LINE" "/x?a=198%2e51%2e100%2e7&b=198.51.100.7&c=2001%3Adb8%3A%3A1&d=2001:db8::1&e=198%2E51%2E100%2E7" \
        "http://r.example/?ip=198%2e51%2e100%2e7" "x" | expect "-m $m: encoded and plain addresses in a URL get one pseudonym" -m $m -k "$T/k.key"
    printf "$LINE" "/x?a=198%2e51%2e100%2e7&b=198.51.100.7&c=2001%3Adb8%3A%3A1&d=2001:db8::1&e=198%2E51%2E100%2E7" \
        "http://r.example/?ip=198%2e51%2e100%2e7" "x" | "$LOGNYM" -m $m -k "$T/k.key" 2>"$T/err" >/dev/null
    check "-m $m: 7 addresses anonymised in the URL line" grep -q ', 7 addresses anonymised,' "$T/err"

    printf '%s\n' "$a \"$pe $p $(enc "$p6" | sed 's/%3A/%3a/g') $p6\"" >"$T/want"
    printf '192.0.2.1 "%s"\n' '198%2e51%2e100%2e7 198.51.100.7 2001%3adb8%3a%3a1 2001:db8::1' >"$T/in"
    expect "-m $m: encoded and plain addresses in free text get one pseudonym" -m $m -k "$T/k.key" --nginx-format "$FREE" <"$T/in"
    "$LOGNYM" -m $m -k "$T/k.key" --nginx-format "$FREE" <"$T/in" 2>"$T/err" >/dev/null
    check "-m $m: 5 addresses anonymised and 2 values scrubbed in the free-text line" \
        grep -q ', 5 addresses anonymised, 2 values scrubbed,' "$T/err"

    printf '%s\n' "{\"remote_addr\":\"$a\",\"msg\":\"ip $pe and $p\"}" >"$T/want"
    printf '%s\n' '{"remote_addr":"192.0.2.1","msg":"ip 198%2e51%2e100%2e7 and 198.51.100.7"}' |
        expect "-m $m: encoded and plain addresses in a JSON string get one pseudonym" -m $m -k "$T/k.key" -f json
done

exit $((nfail > 0))
