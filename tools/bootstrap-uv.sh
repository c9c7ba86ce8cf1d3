#!/bin/sh
# Install the pinned uv (tools/uv-requirements.txt, hash-checked) into DIR,
# with pip from any Python 3 on the machine: uv is one static binary in a
# wheel, so the Python that installs it need not be 3.11.
#
#   tools/bootstrap-uv.sh DIR
dir=$1
here=$(dirname "$0")
for python in python3.11 python3 python; do
    command -v "$python" >/dev/null 2>&1 || continue
    "$python" -m pip --version >/dev/null 2>&1 || continue
    rm -rf "$dir"
    if "$python" -m pip install -qq --disable-pip-version-check --root-user-action=ignore \
            --no-deps --require-hashes --target "$dir" \
            -r "$here/uv-requirements.txt"; then
        exit 0
    fi
    echo "make: could not install uv with $python -m pip (see above)" >&2
    exit 1
done
echo "make: no Python 3 with pip found to install uv with: install Python 3.11" >&2
exit 1
