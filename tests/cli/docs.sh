# docs.sh: every option in the option table (as --help prints it) is documented.
. "$(dirname "$0")/../lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
"$LOGNYM" --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u >"$T/opts"
check "--help lists options" [ "$(wc -l <"$T/opts")" -ge 15 ]
# lognym.1 without its comment lines; rendered too, when man or mandoc is here
if [ -f "$root/lognym.1" ]; then
    grep -v '^\.\\"' "$root/lognym.1" >"$T/man.src"
    if command -v mandoc >/dev/null 2>&1; then
        mandoc -Tascii "$root/lognym.1" 2>/dev/null | sed 's/.\x08//g' >"$T/man.txt"
    elif command -v man >/dev/null 2>&1; then
        MANWIDTH=80 LC_ALL=C man -l "$root/lognym.1" 2>/dev/null | sed 's/.\x08//g' >"$T/man.txt"
    fi
    [ -s "$T/man.txt" ] || rm -f "$T/man.txt"
fi
while read -r o; do
    check "README documents $o" grep -qE -- "(\`|, )$o( |\`)" "$root/README.md"
    if [ -f "$root/lognym.1" ]; then
        opt=${o#--}
        # as a flag (.Fl -name, Fl \-name, \-\-name or --name), the whole name
        check "lognym.1 documents $o" grep -Eq "(^|[^a-z])Fl (\\\\-|-)$opt(\$|[^a-z0-9-])|(\\\\-\\\\-|--)$opt(\$|[^a-z0-9-])" "$T/man.src"
        if [ -f "$T/man.txt" ]; then
            check "lognym.1 shows $o when rendered" grep -Eq -- "--$opt(\$|[^a-z0-9-])" "$T/man.txt"
        fi
    fi
done <"$T/opts"

# the SYNOPSIS has every usage line of --help, rendered
if [ -f "$T/man.txt" ]; then
    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' "$T/man.txt" >"$T/synopsis"
    "$LOGNYM" --help | sed -n '/^usage:/,/^$/p' | grep -oE '^(usage:)? +lognym [a-z]+' | awk '{print $NF}' |
        grep -v '^lognym$' | while read -r sub; do
            check "lognym.1 SYNOPSIS shows lognym $sub" grep -q "lognym $sub" "$T/synopsis"
        done
    check "lognym.1 SYNOPSIS shows the main command" grep -q 'lognym \[options\] \[file' "$T/synopsis"
fi

# a section per subcommand in lognym.1 (COMMANDS), whose option list is
# exactly the options that `lognym SUB --help` shows
if [ -f "$T/man.txt" ]; then
    sed -n '/^COMMANDS/,/^OPTIONS/p' "$T/man.txt" >"$T/commands"
    "$LOGNYM" --help | sed -n '/^usage:/,/^$/p' | grep -oE '^(usage:)? +lognym [a-z]+' | awk '{print $NF}' |
        grep -v '^lognym$' | while read -r sub; do
            "$LOGNYM" "$sub" --help >"$T/help.$sub"
            check "lognym $sub --help starts with its usage line" grep -q "^usage: lognym $sub" "$T/help.$sub"
            grep -oE -- '^ +(-[a-zA-Z], )?--[a-z0-9-]+' "$T/help.$sub" | grep -oE -- '--[a-z0-9-]+' | sort -u >"$T/hopts.$sub"
            awk -v h="   lognym $sub" '$0 == h {on = 1; next} /^   lognym/ {on = 0} on' "$T/commands" >"$T/sec.$sub"
            check "lognym.1 has a section for lognym $sub" [ -s "$T/sec.$sub" ]
            sed -n '/Options (/,/^$/p' "$T/sec.$sub" | sed 's/.*lists them)://' | tr -d '\n' |
                grep -oE -- '--[a-z0-9-]+' | sort -u >"$T/mopts.$sub"
            same "lognym.1's section for $sub lists exactly the options of lognym $sub --help" "$T/hopts.$sub" "$T/mopts.$sub"
            while read -r o; do
                check "README documents $o (lognym $sub --help)" grep -qE -- "(\`|, )$o( |\`)" "$root/README.md"
            done <"$T/hopts.$sub"
        done
fi

# docs/architecture.md: its module table has a row for every .c file in src/,
# and names no file that is gone
arch=$root/docs/architecture.md
check "docs/architecture.md exists" [ -f "$arch" ]
grep -oE '^\| `src/[A-Za-z0-9_/.-]+\.c`' "$arch" 2>/dev/null | sed 's/^| `//; s/`$//' | sort -u >"$T/listed"
(cd "$root" && find src -name '*.c' | sort) >"$T/sources"
check "architecture.md module table has rows" [ -s "$T/listed" ]
while read -r f; do
    check "architecture.md module table lists $f" grep -qx -- "$f" "$T/listed"
done <"$T/sources"
while read -r f; do
    check "architecture.md module table row $f is a file" [ -f "$root/$f" ]
done <"$T/listed"

# README.md and docs/*.md point at nothing outside the repository: no
# ../shared paths, and every relative link resolves to a file of the tree
for md in "$root/README.md" "$root"/docs/*.md; do
    doc=${md#"$root"/}
    check "$doc names no ../shared path" sh -c '! grep -q "\.\./shared" "$1"' sh "$md"
    grep -oE '\]\([^)#]+' "$md" | sed 's/^](//' | grep -vE '^[a-z]+:' | sort -u |
        while read -r link; do
            dir=$(dirname "$md")
            target=$(cd "$dir" && realpath -m -- "$link")
            case "$target" in
            "$root"/*) check "$doc links $link inside the repository" [ -e "$target" ] ;;
            *) notok "$doc links $link inside the repository" "resolves to $target" ;;
            esac
        done
done
