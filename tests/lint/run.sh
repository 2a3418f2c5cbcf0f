#!/bin/sh
# run.sh: the static checks of `make lint`, each on every file of src/:
#   cppcheck (warning, performance, portability), clang-tidy (.clang-tidy at the
#   root: bugprone-*, cert-*, clang-analyzer-*), clang-format --dry-run -Werror.
# A finding fails the run unless it is a known false positive listed in
# tests/lint/cppcheck.supp or tests/lint/tidy.supp (each entry says why).
# Usage: tests/lint/run.sh [FILE.c...]   (default: every .c under src/)
# Env: LINT_CFLAGS (from the Makefile: -std, -D, pkg-config -I), JOBS (default 2).
set -u
cd "$(dirname "$0")/../.."
cflags=${LINT_CFLAGS:--std=c11 -D_POSIX_C_SOURCE=200809L}
jobs=${JOBS:-2}
files=${*:-$(find src -name '*.c' | sort)}
incs=$(find src -type d | sort | sed 's/^/-I/' | tr '\n' ' ')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

for tool in cppcheck clang-tidy clang-format; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "lint: $tool is missing (scripts/install-deps.sh ci installs it)" >&2
        exit 2
    fi
done

# --- cppcheck ----------------------------------------------------------------
# shellcheck disable=SC2086
cppcheck -q --std=c11 -D_POSIX_C_SOURCE=200809L $incs --enable=warning,performance,portability \
    --inline-suppr --suppressions-list=tests/lint/cppcheck.supp --error-exitcode=1 \
    --template='{file}:{line}:{column}: {severity}: {message} [{id}]' $files 2>"$work/cppcheck"
rc=$?
if [ $rc -ne 0 ] || [ -s "$work/cppcheck" ]; then
    cat "$work/cppcheck"
    echo "lint: cppcheck: $(grep -c ': [a-z]*: ' "$work/cppcheck") finding(s)"
    status=1
else
    echo "lint: cppcheck: clean"
fi

# --- clang-tidy --------------------------------------------------------------
# One process per file (two at a time): clang-tidy 14 given several files at once
# reports clang-analyzer findings that a per-file run does not.
# shellcheck disable=SC2086
printf '%s\n' $files | xargs -P "$jobs" -I{} sh -c \
    'clang-tidy --quiet "$1" -- $2 $4 >"$3/tidy.$(basename "$1").out" 2>/dev/null; exit 0' \
    sh {} "$cflags" "$work" "$incs"
# Keep "file:line:col: warning: message [check]" lines, once each (headers repeat).
cat "$work"/tidy.*.out 2>/dev/null | sed -n 's|^'"$PWD"'/||; /: \(warning\|error\): .*\]$/p' |
    sort -u >"$work/tidy"
: >"$work/tidy.left"
while IFS= read -r w; do
    file=${w%%:*}
    rest=${w#*:}
    line=${rest%%:*}
    check=$(printf '%s\n' "$w" | sed 's/.*\[\([^]]*\)\]$/\1/')
    src=$(sed -n "${line}p" "$file" 2>/dev/null)
    known=no
    while IFS='|' read -r sfile scheck stext; do
        case "$sfile" in '#'* | '') continue ;; esac
        [ "$sfile" = "$file" ] || continue
        case ",$check," in *",$scheck,"*) ;; *) continue ;; esac
        case "$src" in *"$stext"*) known=yes; break ;; esac
    done <tests/lint/tidy.supp
    [ $known = yes ] || printf '%s\n    %s\n' "$w" "$src" >>"$work/tidy.left"
done <"$work/tidy"
n=$(grep -c ': \(warning\|error\): ' "$work/tidy.left")
if [ "$n" -gt 0 ]; then
    cat "$work/tidy.left"
    echo "lint: clang-tidy: $n finding(s) ($(wc -l <"$work/tidy") before known false positives)"
    status=1
else
    echo "lint: clang-tidy: clean ($(wc -l <"$work/tidy") known false positives suppressed)"
fi

# --- clang-format ------------------------------------------------------------
if [ $# -eq 0 ]; then
    hdrs=$(find src -name '*.h' | sort)
else
    hdrs=$(for f in $files; do h=${f%.c}.h; [ -f "$h" ] && echo "$h"; done)
fi
# shellcheck disable=SC2086
clang-format --dry-run -Werror $files $hdrs >"$work/format" 2>&1
if [ -s "$work/format" ]; then
    grep ': error: ' "$work/format" | sed 's/:[0-9]*:[0-9]*: error: .*//' | sort | uniq -c |
        awk '{ printf "%s: %d line(s) not formatted as .clang-format says\n", $2, $1 }'
    echo "lint: clang-format: $(grep -c ': error: ' "$work/format") finding(s) (run clang-format -i on the files above)"
    status=1
else
    echo "lint: clang-format: clean"
fi
exit $status
