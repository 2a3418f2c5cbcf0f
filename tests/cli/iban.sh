# iban.sh: an IBAN is a country that issues IBANs, that country's length and
# mod 97. Hex ids (nginx $request_id, hashes, ObjectIds) pass mod 97 one time
# in 97 and must survive; real IBANs of several countries, with the
# separators people type, must not.
. "$(dirname "$0")/../lib.sh"

# Each hex id below passes mod 97 when read as an IBAN ("ef71..." -> EF).
cat >"$T/want" <<'X'
192.0.2.0 ef710409e3f232f30177f2c0ff5a1ecb
192.0.2.0 cb38d68c8084b05ffd1b48e9d259e9eb
192.0.2.0 EE2806465CFF40F1A76E7A9BFC99042F
X
printf '%s\n' '192.0.2.1 ef710409e3f232f30177f2c0ff5a1ecb' '192.0.2.1 cb38d68c8084b05ffd1b48e9d259e9eb' \
    '192.0.2.1 EE2806465CFF40F1A76E7A9BFC99042F' |
    expect "\$request_id: hex ids that pass mod 97 are kept" --nginx-format '$remote_addr $request_id'

# Hex ids of 20, 24, 32 and 40 characters in a path, a query and free text.
F='$remote_addr "$request" $upstream_http_x_trace'
cat >"$T/want" <<'X'
192.0.2.0 "GET /t/ef710409e3f232f30177f2c0ff5a1ecb?rid=cb38d68c8084b05ffd1b48e9d259e9eb HTTP/1.1" trace ee2806465cff40f1a76e7a9bfc99042f ok
192.0.2.0 "GET /c/ee2806465cff40f1a76e7a9bfc99042fee2806465cff40f1/x?sha=cb38d68c8084b05ffd1b48e9d259e9ebcb38d68c HTTP/1.1" -
192.0.2.0 "GET /o/bc1390872b26aacec8a1c3ea?s=da453eb3748745e6e41c HTTP/1.1" span bc1390872b26aacec8a1c3ea
X
printf '%s\n' \
    '192.0.2.1 "GET /t/ef710409e3f232f30177f2c0ff5a1ecb?rid=cb38d68c8084b05ffd1b48e9d259e9eb HTTP/1.1" trace ee2806465cff40f1a76e7a9bfc99042f ok' \
    '192.0.2.1 "GET /c/ee2806465cff40f1a76e7a9bfc99042fee2806465cff40f1/x?sha=cb38d68c8084b05ffd1b48e9d259e9ebcb38d68c HTTP/1.1" -' \
    '192.0.2.1 "GET /o/bc1390872b26aacec8a1c3ea?s=da453eb3748745e6e41c HTTP/1.1" span bc1390872b26aacec8a1c3ea' |
    expect "hex ids of 20 to 40 characters in a path, a query, free text: kept" --nginx-format "$F"

# Valid mod 97, wrong country or length: not an IBAN.
cat >"$T/want" <<'X'
192.0.2.0 "GET /r?to=DE6537040044053201300012&b=IR950600000000100324201&c=US88+3704+0044+0532+0130+00 HTTP/1.1" -
X
printf '%s\n' '192.0.2.1 "GET /r?to=DE6537040044053201300012&b=IR950600000000100324201&c=US88+3704+0044+0532+0130+00 HTTP/1.1" -' |
    expect "mod 97 holds but the length is not the country's, or the country issues none: kept" --nginx-format "$F"

# Real IBANs: registry examples of eleven countries, with spaces, dashes,
# dots, NBSP, U+2009, U+202F, in lower case; percent-encoded in URLs, raw
# UTF-8 in free text.
NB=$(printf '\302\240') THIN=$(printf '\342\200\211') NNB=$(printf '\342\200\257')
cat >"$T/want" <<'X'
192.0.2.0 "GET /r?a=%5Biban%5D&b=%5Biban%5D&c=%5Biban%5D&d=%5Biban%5D HTTP/1.1" -
192.0.2.0 "GET /r?e=%5Biban%5D&f=%5Biban%5D&g=%5Biban%5D HTTP/1.1" -
192.0.2.0 "GET /r?h=%5Biban%5D&i=%5Biban%5D&j=%5Biban%5D&k=%5Biban%5D HTTP/1.1" -
192.0.2.0 "GET / HTTP/1.1" pay [iban] or [iban], [iban] / [iban].
X
printf '%s\n' \
    '192.0.2.1 "GET /r?a=GB29+NWBK+6016+1331+9268+19&b=FR14.2004.1010.0505.0001.3M02.606&c=nl91abna0417164300&d=NO93-8601-1117-947 HTTP/1.1" -' \
    '192.0.2.1 "GET /r?e=AE07%C2%A00331%C2%A02345%C2%A06789%C2%A00123%C2%A0456&f=TR33%E2%80%890006%E2%80%891005%E2%80%891978%E2%80%896457%E2%80%898413%E2%80%8926&g=SA03%E2%80%AF8000%E2%80%AF0000%E2%80%AF6080%E2%80%AF1016%E2%80%AF7519 HTTP/1.1" -' \
    '192.0.2.1 "GET /r?h=RU0304452522540817810538091310419&i=IR06-2960-0000-0010-0324-2000-01&j=de89+3704+0044+0532+0130+00&k=BE68%205390%200754%207034 HTTP/1.1" -' \
    "192.0.2.1 \"GET / HTTP/1.1\" pay CH93${NB}0076${NB}2011${NB}6238${NB}5295${NB}7 or MT84${THIN}MALT${THIN}0110${THIN}0001${THIN}2345${THIN}MTLC${THIN}AST0${THIN}01S, QA58${NNB}DOHB${NNB}0000${NNB}1234${NNB}5678${NNB}90AB${NNB}CDEF${NNB}G / lc55.hemm.0001.0001.0012.0012.0002.3015." |
    expect "IBANs of fifteen countries with separators and in lower case: replaced" --nginx-format "$F"

# A line that is no log line is free text, where '+' is decoded only
# between two digits: an IBAN of a URL written there keeps its '+'.
cat >"$T/want" <<'X'
GET /x?c=[iban]&page=2 HTTP/1.1 and a broken tail
pay to [iban] now; id ef71+0409+e3f2+32f3+0177+f2c0+ff5a+1ecb stays
X
printf '%s\n' 'GET /x?c=GB32+NWBK+5835+1341+9740+67&page=2 HTTP/1.1 and a broken tail' \
    'pay to gb29+nwbk+6016+1331+9268+19 now; id ef71+0409+e3f2+32f3+0177+f2c0+ff5a+1ecb stays' |
    expect "free text: IBANs with '+' between groups replaced, a hex id so written kept" --format combined

# A request line without a protocol at its end: its last word ends the
# target (or, when it stands for a protocol, "HTTP/…", is split off as free
# text); a number written in groups must not be cut either way.
cat >"$T/want" <<'X'
192.0.2.0 - - [10/Oct/2025:13:55:36 +0200] "POST /api?q=red+laptop HTTP/%5Biban%5D" 404 1 "-" "UA"
192.0.2.0 - - [10/Oct/2025:13:55:36 +0200] "HEAD /b?q=blue HTTP/1.1 x %5Biban%5D" 404 1 "-" "UA"
192.0.2.0 - - [10/Oct/2025:13:55:36 +0200] "GET /p?c=%5Bcard%5D 203.0.113.0" 404 1 "-" "UA"
192.0.2.0 - - [10/Oct/2025:13:55:36 +0200] "HEAD /b?e=%5Bemail%5D&q=blue HTTP/%5Bphone%5D" 404 1 "-" "UA"
192.0.2.0 - - [10/Oct/2025:13:55:36 +0200] "GET /p?e=%5Bemail%5D HTTP/2" 404 1 "-" "UA"
X
printf '%s\n' '192.0.2.1 - - [10/Oct/2025:13:55:36 +0200] "POST /api?q=red+laptop HTTP/SA19 0862 6259 9642 0025 7196" 404 1 "-" "UA"' \
    '192.0.2.1 - - [10/Oct/2025:13:55:36 +0200] "HEAD /b?q=blue HTTP/1.1 x NL20 ABNA 1557 4582 93" 404 1 "-" "UA"' \
    '192.0.2.1 - - [10/Oct/2025:13:55:36 +0200] "GET /p?c=4111 1111 1111 1111 203.0.113.9" 404 1 "-" "UA"' \
    '192.0.2.1 - - [10/Oct/2025:13:55:36 +0200] "HEAD /b?e=jane@example.com&q=blue HTTP/0912 123 4567" 404 1 "-" "UA"' \
    '192.0.2.1 - - [10/Oct/2025:13:55:36 +0200] "GET /p?e=jane@example.com HTTP/2" 404 1 "-" "UA"' |
    expect "request line without a protocol: IBANs, cards, phones in groups across its last blank" --format combined

exit $((nfail > 0))
