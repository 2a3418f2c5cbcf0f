#!/bin/sh
# install-deps.sh: make sure the Debian packages lognym needs are present.
# As root, installs what is missing with apt-get; otherwise names it and fails.
# Usage: install-deps.sh build|test|ci   (ci: also the sanitizer, fuzzing, valgrind and lint tools)
set -eu

build_pkgs="gcc make pkg-config libpcre2-dev libmaxminddb-dev zlib1g-dev libssl-dev libyaml-dev uap-core"
test_pkgs="libcmocka-dev gzip gawk apache2 nginx logrotate curl libmaxmind-db-writer-perl chromium jq goaccess time python3-distributed"
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
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "lognym: missing Debian packages:$missing" >&2
    echo "lognym: install them with: sudo apt-get install$missing" >&2
    exit 1
fi
echo "lognym: installing Debian packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends $missing >&2 ||
    { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends $missing >&2; }
