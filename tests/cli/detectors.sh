# detectors.sh: what people really type (issue 12): secret parameter names,
# OAuth callbacks, signed URLs, credentials in nested URLs, phones, ids,
# cards and IBANs with separators, e-mail spellings, encoded payloads, and
# the innocent look-alikes that must survive. Each planted value goes
# through lognym inside a combined log line (request and referrer), and
# must not be found in the output in any form; each look-alike must be.
. "$(dirname "$0")/../lib.sh"

T1='[10/Oct/2025:13:55:36 +0200]'
# line TARGET: a combined line with TARGET as request target and as referrer path
line() { printf '192.0.2.17 - - %s "GET %s HTTP/1.1" 200 1 "https://r.example%s" "UA"\n' "$T1" "$1" "$1"; }

# planted VALUE TARGET: VALUE must not survive TARGET (also percent-decoded)
: >"$T/in.log"
: >"$T/planted"
: >"$T/innocent"
planted() { printf '%s\n' "$1" >>"$T/planted"; line "$2" >>"$T/in.log"; }
innocent() { printf '%s\n' "$1" >>"$T/innocent"; line "$2" >>"$T/in.log"; }

# --- secret names (value s3cr3tv4lue everywhere)
for n in reset_password_token private_token token_hash api_token apiToken access-token api-key \
    x_api_key user_password userPassword pass_word session_token secret_access_key \
    oauth_signature x-auth-token bearer_token _token csrfmiddlewaretoken X-Amz-Signature \
    X-Amz-Credential X-Amz-Security-Token Signature sig; do
    planted "s3cr3tv4lue$n" "/p?a=1&$n=s3cr3tv4lue$n&b=2"
done
planted "oauthc0de1" "/auth/callback?code=oauthc0de1"
planted "oauthst4te1" "/login?code=oauthc0de2&state=oauthst4te1"
planted "oauthc0de2" "/login?code=oauthc0de2&state=oauthst4te1"
planted "oauthst4te2" "/oauth2/authorize?state=oauthst4te2&client_id=x"
for n in keyword monkey tokenizer passage compass pinterest signup design; do
    innocent "innocentvalue$n" "/p?$n=innocentvalue$n"
done
innocent "promoSUMMER" "/shop?code=promoSUMMER"
innocent "stateCA" "/stores?state=stateCA"

# --- credentials in URLs at any depth
for host in 192.168.1.1/ intranet/ localhost:8080/ '[2001:db8::1]/' example.com/; do
    planted "hunter2pw" "/go?url=http://admin:hunter2pw@$host"
done
planted "hunter2pw" "/go?url=http%3A%2F%2Fadmin%3Ahunter2pw%40example.com%2F"
planted "hunter2pw" "/go?url=http%253A%252F%252Fadmin%253Ahunter2pw%2540example.com%252F"
innocent "intranet.example" "/go?url=http://admin:pw@intranet.example/"

# --- phones
planted "8877 6655" "/c?p=(021)+8877+6655"
planted "88776655" "/c?p=%2B98+(21)+88776655"
planted "555-2671" "/c?p=%2B1+(415)+555-2671"
planted "123 4567" "/c?p=%2B966+(0)50+123+4567"
planted "123.4567" "/c?p=0912.123.4567"
planted "0912" "/c?p=0912%C2%A0123%C2%A04567"
planted "0912" "/c?p=0912%E2%80%AF123%E2%80%AF4567"
planted "0912" "/c?p=0912%E2%80%89123%E2%80%894567"
planted "9121234567" "/c?mobile=9121234567"
planted "9121234567" "/c?userPhone=9121234567"
planted "9121234567" "/c?n=%2B98+9121234567"

# --- ids, cards, IBANs with separators
planted "0076 229 645" "/k?c=0076+229+645"
planted "0076-229-645" "/k?c=0076-229-645"
planted "12345679" "/k?id=12345679"
planted "345 672" "/k?i=1012+345+672"
planted "345-672" "/k?i=1012-345-672"
planted "4111.1111" "/pay?c=4111.1111.1111.1111"
planted "4111  1111" "/pay?c=4111%20%201111%20%201111%20%201111"
planted "0532-0130" "/pay?i=DE89-3704-0044-0532-0130-00"
innocent "12345678" "/k?id=12345678"
innocent "4111111111111112" "/order?n=4111111111111112"

# --- e-mail spellings
for e in 'jane&#64;example.com' 'jane%26%2364%3Bexample.com' 'jane&#x40;example.com' \
    'jane%EF%BC%A0example.com' 'jane%5Cu0040example.com' 'jane(at)example(dot)com' \
    'jane%5Bat%5Dexample%5Bdot%5Dcom' 'jane%40xn--bcher-kva.example' 'jane%40b%C3%BCcher.de' \
    'j%C3%A4ne%40example.com' 'jane%26commat%3Bexample.com' \
    'jane%26%2364example.com' 'jane%26amp%3B%2364%3Bexample.com' 'jane%u0040example.com' \
    'jane%EF%B9%ABexample.com' 'jane@example%E3%80%82com'; do
    planted "jane" "/m?to=$e"
done
planted "jäne" "/m?to=j%C3%A4ne@example.com"
# a client's \u0040 or \x2e as Apache and JSON write it, the backslash doubled
planted "jane" '/m?to=jane\\u0040example.com'
planted "198\\\\x2e51\\\\x2e100\\\\x2e7" '/m?r=198\\x2e51\\x2e100\\x2e7'
innocent "logo@2x.png" "/img/logo@2x.png"
planted "09121234567" "/k?tel=%EF%BC%90%EF%BC%99%EF%BC%91%EF%BC%92%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96%EF%BC%97"
innocent "x&#641" "/k?v=x%26%23641"

# --- encoded payloads and JSON in a parameter
planted "YWxpLm5hZGVyaUBleGFtcGxlLmNvbQ" "/unsubscribe?u=YWxpLm5hZGVyaUBleGFtcGxlLmNvbQ%3D%3D"
planted "YWxpLm5hZGVyaUBleGFtcGxlLmNvbQ" "/u/YWxpLm5hZGVyaUBleGFtcGxlLmNvbQ/confirm"
planted "eyJtb2JpbGUiOiIwOTEyMTIzNDU2NyJ9" "/x?t=eyJtb2JpbGUiOiIwOTEyMTIzNDU2NyJ9"
planted "hunter2json" "/api?data=%7B%22password%22%3A%22hunter2json%22%2C%22page%22%3A2%7D"
planted "9121234567" "/api?data=%7B%22mobile%22%3A9121234567%7D"
innocent "dGhpcyBpcyBqdXN0IHNvbWUgdGV4dA" "/x?v=dGhpcyBpcyBqdXN0IHNvbWUgdGV4dA%3D%3D"
innocent '"page":2' "/api?data=%7B%22password%22%3A%22x%22%2C%22page%22%3A2%7D"

"$LOGNYM" -q --format combined "$T/in.log" >"$T/out.log" 2>"$T/err"
check "exit 0" [ $? -eq 0 ]
check "every line kept" [ "$(wc -l <"$T/out.log")" -eq "$(wc -l <"$T/in.log")" ]
# The output, plain and percent-decoded (twice), '+' as a space.
/usr/bin/python3 -c '
import sys, urllib.parse
for l in open(sys.argv[1], encoding="utf-8", errors="replace"):
    d = urllib.parse.unquote(urllib.parse.unquote(l.replace("+", " ")))
    sys.stdout.write(l + d)' "$T/out.log" >"$T/seen"
n=0
while IFS= read -r v; do
    n=$((n + 1))
    absent "planted value $n ($v) is gone" -F -- "$v" "$T/seen" "$T/err"
done <"$T/planted"
while IFS= read -r v; do
    check "innocent value kept: $v" grep -qF -- "$v" "$T/seen"
done <"$T/innocent"

# --- search terms
printf '%s\n' "192.0.2.1 - - $T1 \"GET /search?q=sara+ahmadi&page=2&k=x&who=ali HTTP/1.1\" 200 1 \"https://www.google.com/search?q=sara+ahmadi\" \"UA\"" >"$T/s.log"
"$LOGNYM" -q "$T/s.log" >"$T/s1.out"
check "--search-terms scrub (default): words kept" grep -qF '/search?q=sara+ahmadi&page=2' "$T/s1.out"
"$LOGNYM" -q --search-terms drop "$T/s.log" >"$T/s2.out"
check "--search-terms drop: q and k replaced, page kept, referrer too" \
    grep -qF '"GET /search?q=%5Bsearch%5D&page=2&k=%5Bsearch%5D&who=ali HTTP/1.1" 200 1 "https://www.google.com/search?q=%5Bsearch%5D"' "$T/s2.out"
"$LOGNYM" -q --search-terms drop --search-params who,page "$T/s.log" >"$T/s3.out"
check "--search-params LIST: only the listed names" \
    grep -qF '"GET /search?q=sara+ahmadi&page=%5Bsearch%5D&k=x&who=%5Bsearch%5D HTTP/1.1"' "$T/s3.out"
printf '%s\n' "192.0.2.1 - - $T1 \"GET /search?q=jane%40example.com HTTP/1.1\" 200 1 \"-\" \"UA\"" |
    "$LOGNYM" -q >"$T/s4.out"
check "--search-terms scrub: detectors still run on search terms" grep -qF 'q=%5Bemail%5D' "$T/s4.out"
"$LOGNYM" --search-terms keep </dev/null >/dev/null 2>"$T/e"; rc=$?
check "bad --search-terms: exit 2, choices listed" sh -c "[ $rc -eq 2 ] && grep -q 'scrub drop' '$T/e'"

exit $((nfail > 0))
