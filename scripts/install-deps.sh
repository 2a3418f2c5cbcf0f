#!/bin/sh
# install-deps.sh: make sure the Debian packages lognym needs are present.
# As root, installs what is missing with apt-get; otherwise names it and fails.
# Then fetches the data packages from npm at pinned versions into deps/.
# Usage: install-deps.sh build|test|ci|data   (ci: also the sanitizer, fuzzing,
# valgrind and lint tools; data: only the npm data)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)

build_pkgs="gcc make pkg-config libpcre2-dev libmaxminddb-dev zlib1g-dev libssl-dev libyaml-dev uap-core"
test_pkgs="libcmocka-dev gzip gawk apache2 nginx logrotate curl libmaxmind-db-writer-perl chromium jq goaccess time python3-jsonschema python3-distributed"
ci_pkgs="clang libclang-rt-14-dev llvm valgrind cppcheck clang-tidy clang-format"

case "${1:-build}" in
data) want= ;;
build) want=$build_pkgs ;;
test) want="$build_pkgs $test_pkgs" ;;
ci) want="$build_pkgs $test_pkgs $ci_pkgs" ;;
*) echo "usage: $0 build|test|ci|data" >&2; exit 2 ;;
esac

# fetch_npm NAME@VERSION FILE INTEGRITY: FILE of that npm package into
# deps/FILE, checked against the registry's sha512 integrity, once.
fetch_npm() {
    dest=$root/deps/$(basename "$2")
    if [ -s "$dest" ] && [ "$(cat "$dest.version" 2>/dev/null)" = "$1" ]; then
        return 0
    fi
    echo "lognym: fetching $2 from the npm package $1" >&2
    if ! command -v npm >/dev/null 2>&1; then # a Node.js install may bring its own npm
        [ "$(id -u)" -eq 0 ] || { echo "lognym: npm is needed: sudo apt-get install npm" >&2; return 1; }
        apt-get install -y -q --no-install-recommends npm >&2
    fi
    mkdir -p "$root/deps"
    tmp=$(mktemp -d)
    if ! (cd "$tmp" && npm pack --silent "$1" >/dev/null 2>&1); then
        rm -rf "$tmp"
        echo "lognym: could not fetch the npm package $1 (npm pack failed)" >&2
        return 1
    fi
    tgz=$(ls "$tmp"/*.tgz)
    got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
    if [ "$got" != "$3" ]; then
        rm -rf "$tmp"
        echo "lognym: the npm package $1 does not match its pinned integrity" >&2
        return 1
    fi
    tar -xzf "$tgz" -C "$tmp" "package/$2"
    mv "$tmp/package/$2" "$dest.tmp" && mv "$dest.tmp" "$dest"
    echo "$1" >"$dest.version"
    rm -rf "$tmp"
}

# Data from npm, pinned: name@version, the file used, the tarball's integrity.
fetch_data() {
    # Countries without --geoip (CC0 package; data from the RIRs' whois, NRO, and ASNs).
    fetch_npm @ip-location-db/geo-whois-asn-country-mmdb@2.3.2026061719 geo-whois-asn-country.mmdb \
        sha512-xemBDNQl4mCYDuVbqe3jKGKsVDykZGkfvebhtOh/3VGLadq8vsp7t7ontpMUt3hH7sAGT0eLDyJ99SV+0waxZg==
    # Bot patterns (MIT); src/stats/botlist.h LGN_BOTLIST_VERSION names the same version.
    fetch_npm crawler-user-agents@1.60.0 crawler-user-agents.json \
        sha512-p8hKVsnZl3msolBhGW8s86V0tmmcuBSwhTXkzkegGQzTt0A/ysKDHKzek9fichfqL5qBEgDrR9CuGBU0Y7bDrg==
}

missing=
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done
if [ -z "$missing" ]; then
    fetch_data
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
fetch_data
