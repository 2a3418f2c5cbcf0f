# docs.sh: every option in the option table (as --help prints it) is documented.
. "$(dirname "$0")/../lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
"$LOGNYM" --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u >"$T/opts"
check "--help lists options" [ "$(wc -l <"$T/opts")" -ge 15 ]
while read -r o; do
    check "README documents $o" grep -qE -- "(\`|, )$o( |\`)" "$root/README.md"
    if [ -f "$root/lognym.1" ]; then
        name=${o#--}
        check "lognym.1 documents $o" grep -Eq "^\.Fl (\\\\-|-)?-?$name|Fl -$name|\\\\-\\\\-$name|--$name" "$root/lognym.1"
    fi
done <"$T/opts"
