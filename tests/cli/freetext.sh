#!/bin/sh
# freetext.sh: attack 7, findings 1, 2 and 13: what the free-text scrubber
# (unknown fields, trailing fields, bad lines, JSON string values) and the
# user-agent policy replace, each with its exact expected output
# (pseudonyms written <hash>): Authorization schemes with a credential
# (scheme word kept, [credential]), cookie lists ([cookie], --keep-cookies),
# quoted, glued, spaced and Ruby pair values through the name rules, JWTs,
# URL credentials and pairs in user agents; innocent prose kept; lognym
# audit finding them in raw lines and not in lognym's output.
. "$(dirname "$0")/../lib.sh"
fixed_key "$T/k.key"

# The address a plain combined line gets in mode $1 (the address policy is
# tested elsewhere; here it only fills the expected lines).
addr() {
    printf '%s - - [21/Nov/2026:09:12:01 +0100] "GET / HTTP/1.1" 200 1 "-" "x"\n' "$2" |
        "$LOGNYM" -q -m "$1" -k "$T/k.key" | cut -d' ' -f1
}

# --- finding 1: combined plus "$http_authorization" "$http_cookie" and a
# bearer token, in auto mode (extra fields), in every IP mode
for m in truncate hash cryptopan; do
    a=$(addr $m 192.0.2.1) b=$(addr $m 198.51.100.7)
    printf '%s\n' "$a - user-<hash> [21/Nov/2026:09:12:01 +0100] \"GET /a HTTP/1.1\" 200 1 \"-\" \"x\" \"Basic [credential]\" \"cart=[cookie]; _ga=[cookie]\" \"Bearer [credential] via $b\"" >"$T/want"
    printf '192.0.2.1 - jane [21/Nov/2026:09:12:01 +0100] "GET /a HTTP/1.1" 200 1 "-" "x" "Basic YWxpOmh1bnRlcjI=" "cart=c4rt1d; _ga=GA1.2.1234567.1700000000" "Bearer s3cr3tOpaqueTok via 198.51.100.7"\n' |
        expect "-m $m: extra fields: Basic and Bearer credentials, cookie values" -m $m -k "$T/k.key"
done

# the explicit format, a line that does not match (one trailing space): a
# bad line whose fields all line up keeps their policies (the credential
# field's marker), the trailing blank is free text
NGX='$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_authorization" "$http_cookie"'
printf '%s\n' '192.0.2.0 - user-<hash> [21/Nov/2026:09:12:01 +0100] "GET /a HTTP/1.1" 200 1 "-" "x" "Basic [key]" "cart=[cookie]; _ga=[cookie]" ' >"$T/want"
printf '192.0.2.1 - jane [21/Nov/2026:09:12:01 +0100] "GET /a HTTP/1.1" 200 1 "-" "x" "Basic YWxpOmh1bnRlcjI=" "cart=c4rt1d; _ga=GA1.2.1234567.1700000000" \n' |
    expect "a bad line of an explicit format: credential and cookie values" --nginx-format "$NGX"

# the other schemes, in lines that match no format: Digest with nginx's and
# Apache's escaped quotes, Negotiate, Token, ApiKey, Hawk
cat >"$T/want" <<'X'
upstream 192.0.2.0 said: Digest [credential]
apache: "Digest [credential]" end
Negotiate [credential] Token [credential] ApiKey [credential] Hawk [credential]
X
printf '%s\n' 'upstream 192.0.2.1 said: Digest username=\x22jane\x22, realm=\x22x\x22, nonce=\x22dcd98b\x22, response=\x226629fae4\x22' \
    'apache: "Digest username=\"jane\", realm=\"x\", response=\"6629fae4\"" end' \
    'Negotiate YIIBhwYGKwYBBQUCoIIBezCCAXeg Token abcdef123456 ApiKey sk_live_51H8xAbc Hawk id="dh37fgj492je", mac="6R4rV5iE+NPoym="' |
    expect "free text: Digest, Negotiate, Token, ApiKey, Hawk credentials"

# innocent prose: a scheme word before a word that is no credential, pairs
# that are no cookie list
printf '%s\n' 'Basic plan, Bearer of news, Basic Authentication failed, Token ring, Digest of the week, Negotiate terms, a=b;c width=100 x=1; lone' >"$T/in"
cp "$T/in" "$T/want"
expect "free text: scheme words in prose and lone pairs stay" <"$T/in"

# JSON string values (unknown keys are free text)
printf '%s\n' '{"remote_addr":"192.0.2.0","note":"Basic [credential]","hdr":"Bearer [credential]","c":"cart=[cookie]; _ga=[cookie]","plan":"Basic plan"}' >"$T/want"
printf '%s\n' '{"remote_addr":"192.0.2.1","note":"Basic YWxpOmh1bnRlcjI=","hdr":"Bearer s3cr3tOpaqueTok","c":"cart=c4rt1d; _ga=GA1.2.3","plan":"Basic plan"}' |
    expect "JSON lines: credentials and cookie lists in unknown keys' values" -f json

# --- cookie lists: Set-Cookie attributes keep their values, --keep-cookies
printf '%s\n' 'x "sid=[cookie]; theme=[cookie]; Path=/; Max-Age=60" y' >"$T/want"
printf '%s\n' 'x "sid=abc123; theme=dark; Path=/; Max-Age=60" y' | expect "free text: a cookie list, attributes after the first pair kept"
printf '%s\n' 'x "sid=abc123; theme=[cookie]; mail=[email]" y' >"$T/want"
printf '%s\n' 'x "sid=abc123; theme=dark; mail=jane@example.com" y' |
    expect "free text: --keep-cookies keeps a listed cookie's value, scrubbed as free text" --keep-cookies 'sid,m*'

# a cookie list is read as written: decoding "%25192…" twice made a control
# byte that cut the first value, and the list went unseen (property seed 6)
printf '%s\n' 'x x=[cookie];PHPSESSID=[cookie] y' >"$T/want"
printf '%s\n' 'x x=%25192.168.7.73;PHPSESSID=uJwhAsmradgR76 y' | expect "free text: a cookie list whose value decodes to a control byte"

# XML and SOAP elements are pairs named by the element (a namespace prefix
# dropped): in free text, in a request body and in a query value
cat >"$T/want" <<'X'
192.0.2.0 "<login><user>user-<hash></user><password>[password]</password><ns:token>[token]</ns:token><page>3</page></login>"
192.0.2.0 "<a><api_key>[key]</api_key><q>shoes</q></a>"
X
cat <<'X' | expect "free text and bodies: XML elements named like secrets" --nginx-format '$remote_addr "$foo"'
192.0.2.1 "<login><user>jane</user><password>hunter2</password><ns:token>abc12345</ns:token><page>3</page></login>"
192.0.2.1 "<a><api_key>zzz111</api_key><q>shoes</q></a>"
X
printf '%s\n' '192.0.2.1 "<login><password>hunter2</password></login>"' |
    "$LOGNYM" -q --nginx-format '$remote_addr "$request_body"' >"$T/xb"
absent "a request body in XML: the password is replaced" hunter2 "$T/xb"
printf '%s\n' '192.0.2.1 - - [21/Nov/2026:09:12:01 +0100] "GET /a?y=%3Csoap:token%3Eabcdef123%3C/soap:token%3E HTTP/1.1" 200 1 "-" "x"' |
    "$LOGNYM" -q >"$T/xq"
absent "an encoded XML element in a query value: the token is replaced" abcdef123 "$T/xq"

# multipart form bodies: each part's value is a pair named by the part (CR LF
# as nginx writes it, or JSON-escaped); the part names are kept
cat >"$T/want" <<'X'
192.0.2.0 "--b\x0D\x0AContent-Disposition: form-data; name=\x22password\x22\x0D\x0A\x0D\x0A[password]\x0D\x0A--b\x0D\x0AContent-Disposition: form-data; name=\x22upload\x22; filename=\x22a.txt\x22\x0D\x0A\x0D\x0Ahello\x0D\x0A--b\x0D\x0AContent-Disposition: form-data; name=\x22mobile\x22\x0D\x0A\x0D\x0A[phone]\x0D\x0A--b--"
X
cat <<'X' | expect "a multipart body: parts named like secrets lose their values" --nginx-format '$remote_addr "$request_body"'
192.0.2.1 "--b\x0D\x0AContent-Disposition: form-data; name=\x22password\x22\x0D\x0A\x0D\x0Ahunter2\x0D\x0A--b\x0D\x0AContent-Disposition: form-data; name=\x22upload\x22; filename=\x22a.txt\x22\x0D\x0A\x0D\x0Ahello\x0D\x0A--b\x0D\x0AContent-Disposition: form-data; name=\x22mobile\x22\x0D\x0A\x0D\x0A9121234567\x0D\x0A--b--"
X
printf '%s\n' '{"remote_addr":"192.0.2.0","request_body":"--b\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\n[password]\r\n--b--"}' >"$T/want"
printf '%s\n' '{"remote_addr":"192.0.2.1","request_body":"--b\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nhunter2\r\n--b--"}' |
    expect "a multipart body in a JSON line (escaped CR LF and quotes)" -f json

# quoted cookie values (RFC 6265 allows them), first or later in the list
printf '%s\n' 'x a=[cookie]; b=[cookie] y' 'x a=[cookie]; b=[cookie] y' >"$T/want"
printf '%s\n' 'x a="secretval1"; b=secretval2 y' 'x a=secretval1; b="secretval2" y' | expect "free text: a cookie list with quoted values"

# pairs written "name = value", Python dicts, XML elements with attributes
# or named by a name attribute
cat >"$T/want" <<'X'
x password = [password] y
x {'password': '[password]', 'page': 2} y
x <password type="t">[password]</password> <field name="password">[password]</field> <a href="x">y</a>
x a = b and x == y
X
cat <<'X' | expect "free text: spaced '=', Python dicts, XML attributes"
x password = hunter22 y
x {'password': 'hunter22', 'page': 2} y
x <password type="t">hunter22</password> <field name="password">hunter23</field> <a href="x">y</a>
x a = b and x == y
X

# a Cookie or Set-Cookie header written in free text, even with one cookie;
# session cookies by their well-known names
cat >"$T/want" <<'X'
x Cookie: a=[cookie] y
x {"Cookie":"a=[cookie]"} y
x Set-Cookie: sid=[cookie]; Path=/; HttpOnly
x wordpress_logged_in_3f2a=[session] remember_web_59ba=[session] JSESSIONIDSSO=[session]
X
cat <<'X' | expect "free text: Cookie headers with one cookie, session cookies by name"
x Cookie: a=secret1 y
x {"Cookie":"a=secret1"} y
x Set-Cookie: sid=abc123; Path=/; HttpOnly
x wordpress_logged_in_3f2a=jane%7C1700000000%7Cx remember_web_59ba=opaque JSESSIONIDSSO=opaque
X

# --- finding 2: quoted, glued and spaced pair values, nginx's \x22, Ruby's =>
cat >"$T/want" <<'X'
time=2026-11-21T09:12:01Z level=info msg="login" user="user-<hash>" password="[password]" token="[token]" api_key:[key] pass: '[password]'
nginx password=\x22[password]\x22 token=\x22[token]\x22
rails Parameters: {"user"=>{"email"=>"[email]", "password"=>"[password]"}, "commit"=>"Log in"} :password => '[password]'
spaced password : [password] and pass: "[password]" done
innocent msg="login ok" level=info at 12:30:45 on http://example.com:8080/x it's fine note: "quoted"
X
printf '%s\n' 'time=2026-11-21T09:12:01Z level=info msg="login" user="Jane Doe" password="hunter2" token="abc123" api_key:abc123def pass: '"'"'hunter2'"'"'' \
    'nginx password=\x22hunter2\x22 token=\x22abc123\x22' \
    'rails Parameters: {"user"=>{"email"=>"jane@example.com", "password"=>"hunter2"}, "commit"=>"Log in"} :password => '"'"'hunter2'"'"'' \
    'spaced password : hunter2 and pass: "hunter 2" done' \
    'innocent msg="login ok" level=info at 12:30:45 on http://example.com:8080/x it'"'"'s fine note: "quoted"' |
    expect "free text: quoted, glued, spaced and Ruby pair values through the name rules"
printf '%s\n' '{"remote_addr":"192.0.2.0","msg":"login password=\"[password]\" token=\"[token]\" name=\"[name]\""}' >"$T/want"
printf '%s\n' '{"remote_addr":"192.0.2.1","msg":"login password=\"hunter2\" token=\"abc123\" name=\"Jane Doe\""}' |
    expect "JSON lines: escaped quoted pair values in a string" -f json

# --- finding 13: user agents: JWTs, URL credentials, pairs; e-mail
# addresses and product versions kept, in every IP mode
for m in truncate hash cryptopan; do
    a=$(addr $m 192.0.2.1) b=$(addr $m 203.0.113.9)
    printf '%s\n' "$a - - [21/Nov/2026:09:12:01 +0100] \"GET / HTTP/1.1\" 200 1 \"-\" \"Mozilla/5.0 [jwt] curl http://[user]@host/ password=[password] ip/$b:8080\"" \
        "$a - - [21/Nov/2026:09:12:01 +0100] \"GET / HTTP/1.1\" 200 1 \"-\" \"Mozilla/5.0 (compatible; Bot/2.1; +http://bot.example/; bot@example.com) Chrome/120.0.0.0 app=1 email=bot@example.com\"" >"$T/want"
    printf '192.0.2.1 - - [21/Nov/2026:09:12:01 +0100] "GET / HTTP/1.1" 200 1 "-" "%s"\n' \
        'Mozilla/5.0 eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.abc123def456 curl http://admin:hunter2@host/ password=hunter2 ip/203.0.113.9:8080' \
        'Mozilla/5.0 (compatible; Bot/2.1; +http://bot.example/; bot@example.com) Chrome/120.0.0.0 app=1 email=bot@example.com' |
        expect "-m $m: user agents: JWT, URL credentials, password pair replaced; e-mail and versions kept" -m $m -k "$T/k.key"
done

# --- lognym audit: these are findings in raw lines, none in lognym's output
printf '192.0.2.1 - jane [21/Nov/2026:09:12:01 +0100] "GET /a HTTP/1.1" 200 1 "-" "x" "Basic YWxpOmh1bnRlcjI=" "cart=c4rt1d; _ga=GA1.2.1234567.1700000000" "Bearer s3cr3tOpaqueTok"\n' >"$T/a.log"
printf '%s\n' 'msg="login" password="hunter2" api_key:abc123def' >>"$T/a.log"
printf '192.0.2.1 - - [21/Nov/2026:09:12:01 +0100] "GET / HTTP/1.1" 200 1 "-" "%s"\n' \
    'Mozilla/5.0 eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.abc123def456 curl http://admin:hunter2@host/' >>"$T/a.log"
"$LOGNYM" audit "$T/a.log" >"$T/a.out" 2>&1
check "audit: raw credentials, cookie values, quoted and glued pairs, a user agent's JWT and URL credentials are found" \
    sh -c "grep -qE '^  credential +2 ' '$T/a.out' && grep -qE '^  cookie +2 ' '$T/a.out' && grep -qE '^  password +1 ' '$T/a.out' && grep -qE '^  key +1 ' '$T/a.out' && grep -qE '^  jwt +1 ' '$T/a.out' && grep -qE '^  user +2 ' '$T/a.out'"
"$LOGNYM" -q -k "$T/k.key" "$T/a.log" >"$T/a.anon"
"$LOGNYM" audit "$T/a.anon" >"$T/a.out" 2>&1
check "audit: lognym's output of the same lines is clean" [ $? -eq 0 ]

exit $((nfail > 0))
