#!/bin/sh
# install-deps.sh: make sure the Debian packages lognym needs are present.
# As root, installs what is missing with apt-get; otherwise names it and fails.
# Then fetches the data lognym uses from npm at a pinned version: the
# crawler-user-agents bot list (MIT), into build/npm/ (make install copies it
# under share/lognym/).
# Usage: install-deps.sh build|test|ci   (ci: also the sanitizer, fuzzing, valgrind and lint tools)
set -eu

BOT_LIST_VERSION=1.60.0 # src/stats/botlist.h LGN_BOTLIST_VERSION names the same
npm_dir=$(cd "$(dirname "$0")/.." && pwd)/build/npm

# The crawler-user-agents list, unless it is there already. npm checks the
# package's integrity against the registry.
fetch_bot_list() {
    [ -f "$npm_dir/crawler-user-agents.json" ] && return 0
    if ! command -v npm >/dev/null 2>&1; then # Debian's npm, when no other is there
        [ "$(id -u)" -eq 0 ] || { echo "lognym: npm is needed: sudo apt-get install npm" >&2; return 1; }
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm >&2
    fi
    tmp=$(mktemp -d)
    if (cd "$tmp" && npm pack --silent "crawler-user-agents@$BOT_LIST_VERSION" >/dev/null) &&
        tar -xzf "$tmp/crawler-user-agents-$BOT_LIST_VERSION.tgz" -C "$tmp" &&
        mkdir -p "$npm_dir" &&
        cp "$tmp/package/LICENSE" "$npm_dir/crawler-user-agents.LICENSE" &&
        cp "$tmp/package/crawler-user-agents.json" "$npm_dir/crawler-user-agents.json.part" &&
        mv "$npm_dir/crawler-user-agents.json.part" "$npm_dir/crawler-user-agents.json"; then
        rm -rf "$tmp"
        echo "lognym: fetched crawler-user-agents $BOT_LIST_VERSION (npm) into $npm_dir" >&2
        return 0
    fi
    rm -rf "$tmp"
    echo "lognym: could not fetch crawler-user-agents@$BOT_LIST_VERSION with npm" >&2
    return 1
}

build_pkgs="gcc make pkg-config libpcre2-dev libmaxminddb-dev zlib1g-dev libssl-dev libyaml-dev uap-core"
test_pkgs="libcmocka-dev gzip gawk apache2 nginx logrotate curl libmaxmind-db-writer-perl chromium jq goaccess time"
ci_pkgs="clang libclang-rt-14-dev llvm valgrind cppcheck clang-tidy clang-format"

case "${1:-build}" in
build) want=$build_pkgs ;;
test) want="$build_pkgs $test_pkgs" ;;
ci) want="$build_pkgs $test_pkgs $ci_pkgs" ;;
*) echo "usage: $0 build|test|ci" >&2; exit 2 ;;
esac

missing=
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done
if [ -z "$missing" ]; then
    fetch_bot_list
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "lognym: missing Debian packages:$missing" >&2
    echo "lognym: install them with: sudo apt-get install$missing" >&2
    exit 1
fi
echo "lognym: installing Debian packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends $missing >&2 ||
    { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends $missing >&2; }
fetch_bot_list
