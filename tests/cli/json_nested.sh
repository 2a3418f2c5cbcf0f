#!/bin/sh
# json_nested.sh: JSON keys a name rule catches whose value is an object or
# an array (every string and number under them replaced, member names and
# true/false/null kept), name/value pair objects ({"name":"password",
# "value":…}, also "key" and "field": the value scrubbed under the name's
# rule, the name kept), the same in JSON request bodies in each spelling
# nginx logs them (\xHH, escape=json's \", as they are), output that stays
# JSON, innocent objects untouched, and lognym audit finding the raw values
# and none in lognym's output. Attack 7, finding 3.
. "$(dirname "$0")/../lib.sh"
need jq

# --- JSON lines
printf '%s\n' '{"remote_addr":"192.0.2.1","password":{"old":"a1","new":"hunter2","n":1234,"set":true,"no":null},"name":{"first":"Jane","last":"Doe"},"emails":["jane@example.com",{"work":"j.doe@example.org"}],"user":{"id":5,"nick":"jd"},"fields":[{"name":"password","value":"hunter2"},{"value":{"a":"s3cr3t"},"key":"api_key"},{"field":"email","value":"jane@example.com"},{"Name":"token","value":[7,"t0k"]}],"product":{"first":"Widget","last":"v2","n":3,"tags":["red"]},"form":[{"id":"size","value":"XL"}]}' >"$T/raw.log"
cat >"$T/want" <<'X'
{"remote_addr":"192.0.2.0","password":{"old":"[password]","new":"[password]","n":"[password]","set":true,"no":null},"name":{"first":"[name]","last":"[name]"},"emails":["[email]",{"work":"[email]"}],"user":{"id":"user-<hash>","nick":"user-<hash>"},"fields":[{"name":"password","value":"[password]"},{"value":{"a":"[key]"},"key":"api_key"},{"field":"email","value":"[email]"},{"Name":"token","value":["[token]","[token]"]}],"product":{"first":"Widget","last":"v2","n":3,"tags":["red"]},"form":[{"id":"size","value":"XL"}]}
X
expect "JSON lines: under a name-ruled key every leaf is replaced; name/value pairs keep the name; innocents stay" \
    --format json "$T/raw.log"
check "JSON lines: the output is JSON" sh -c "jq -e . '$T/got.raw' >/dev/null"
"$LOGNYM" -q --format json "$T/got.raw" >"$T/again"
check "JSON lines: anonymising the output again changes nothing" cmp -s "$T/got.raw" "$T/again"
"$LOGNYM" audit --format json "$T/raw.log" >"$T/a.out" 2>&1
check "audit: the raw JSON line's nested values are found" \
    sh -c "grep -Eq '^  password +4 ' '$T/a.out' && grep -Eq '^  name +2 ' '$T/a.out' && grep -Eq '^  key +1 ' '$T/a.out' && grep -Eq '^  token +2 ' '$T/a.out'"
"$LOGNYM" audit --format json "$T/got.raw" >"$T/a.out" 2>&1
check "audit: lognym's output of it is clean" [ $? -eq 0 ]

# the attack's line, and a marker as a pair's name names nothing
printf '%s\n' '{"remote_addr":"192.0.2.1","password":{"old":"a1","new":"hunter2"},"name":{"first":"Jane","last":"Doe"}}' \
    '{"remote_addr":"192.0.2.1","f":[{"name":"[name]","value":"XL"}]}' >"$T/raw2.log"
cat >"$T/want" <<'X'
{"remote_addr":"192.0.2.0","password":{"old":"[password]","new":"[password]"},"name":{"first":"[name]","last":"[name]"}}
{"remote_addr":"192.0.2.0","f":[{"name":"[name]","value":"XL"}]}
X
expect "JSON lines: the attack's objects; a marker as a pair's name is no rule" --format json "$T/raw2.log"

# --- JSON request bodies: the same walk in each spelling
B='{"password":{"new":"hunter2","pin":1234},"name":{"first":"Jane","last":"Doé"},"fields":[{"name":"password","value":"hunter2"},{"key":"token","value":["t0k3n"]}],"product":{"first":"Widget"},"note":"mail jane@example.com"}'
W='{"password":{"new":"[password]","pin":"[password]"},"name":{"first":"[name]","last":"[name]"},"fields":[{"name":"password","value":"[password]"},{"key":"token","value":["[token]"]}],"product":{"first":"Widget"},"note":"mail [email]"}'
hex() { sed 's/"/\\x22/g; s/é/\\xC3\\xA9/g'; }
esc() { sed 's/"/\\"/g'; }
{
    printf '192.0.2.1 "%s"\n' "$(printf '%s' "$B" | hex)"
    printf '192.0.2.1 "%s"\n' "$(printf '%s' "$B" | esc)"
} >"$T/body.log"
{
    printf '192.0.2.0 "%s"\n' "$(printf '%s' "$W" | hex)"
    printf '192.0.2.0 "%s"\n' "$(printf '%s' "$W" | esc)"
} >"$T/want"
BF='$remote_addr "$request_body"'
expect "JSON bodies (nginx \\xHH and escape=json): nested values, pairs, free text in leaves; spelling kept" \
    --nginx-format "$BF" "$T/body.log"
sed -n 1p "$T/got.raw" | sed 's/^[^"]*"//; s/"$//; s/\\x22/"/g' >"$T/b1.json"
check "JSON body (\\xHH): decoded, the output is JSON" sh -c "jq -e . '$T/b1.json' >/dev/null"
sed -n 2p "$T/got.raw" | sed 's/^[^ ]* //' | jq -r . >"$T/b2.json"
check "JSON body (escape=json): decoded, the output is JSON" sh -c "jq -e . '$T/b2.json' >/dev/null"
"$LOGNYM" -q --nginx-format "$BF" "$T/got.raw" >"$T/again"
check "JSON bodies: anonymising the output again changes nothing" cmp -s "$T/got.raw" "$T/again"
"$LOGNYM" audit --nginx-format "$BF" "$T/body.log" >"$T/a.out" 2>&1
check "audit: the raw bodies' nested values are found" \
    sh -c "grep -Eq '^  password +6 ' '$T/a.out' && grep -Eq '^  name +4 ' '$T/a.out' && grep -Eq '^  token +2 ' '$T/a.out'"
"$LOGNYM" audit --nginx-format "$BF" "$T/got.raw" >"$T/a.out" 2>&1
check "audit: lognym's output of the bodies is clean" [ $? -eq 0 ]

# nginx escape=none: the body as it is (a field without blanks)
printf '192.0.2.1 %s\n' '{"password":{"new":"hunter2"},"fields":[{"field":"email","value":"jane@example.com"}],"product":{"name_id":7}}' |
    "$LOGNYM" -q --nginx-format '$remote_addr $request_body' >"$T/got"
printf '192.0.2.0 %s\n' '{"password":{"new":"[password]"},"fields":[{"field":"email","value":"[email]"}],"product":{"name_id":7}}' >"$T/want"
same "JSON body as it is: nested values and pairs" "$T/want" "$T/got"
check "JSON body as it is: the output is JSON" sh -c "cut -d' ' -f2- '$T/got' | jq -e . >/dev/null"
exit $((nfail > 0))
