#!/bin/sh
# Install Debian's chromium, the browser `make e2e` drives, where it is
# missing (needs root and the package mirror). Usage:
#   sh tools/install-chromium.sh [PATH]   (PATH: /usr/bin/chromium)
set -eu
path=${1:-/usr/bin/chromium}
[ -x "$path" ] && exit 0
echo "install-chromium: $path is missing; installing chromium with apt-get"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -q >/dev/null ||
        ! apt-get install -y -q --no-install-recommends chromium >/dev/null
then
    echo "install-chromium: apt-get failed; install chromium by hand" \
        "(as root: apt-get install chromium)" >&2
    exit 1
fi
if [ ! -x "$path" ]; then
    echo "install-chromium: apt-get installed chromium, but $path is" \
        "still missing" >&2
    exit 1
fi
