#!/bin/sh
# Print the path of a Python 3.11 to build .venv with, looking where uv
# looks. MXNet 1.9.1 needs numpy<1.24, which has no wheels for Python 3.12+.
#
#   tools/find-python.sh UV [PYTHON]
#
# In order: PYTHON if given (it must be 3.11); python3.11 on the PATH;
# pyenv's versions ($PYENV_ROOT, default ~/.pyenv); uv's managed Pythons;
# and last, a Python that uv downloads (unless UV_PYTHON_DOWNLOADS=never or
# UV_OFFLINE is set). Exits 1 after one line on stderr if none is found.
uv=$1
wanted=$2

is_311() {
    [ -x "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null
}

if [ -n "$wanted" ]; then
    path=$(command -v "$wanted" 2>/dev/null) || path=$wanted
    if is_311 "$path"; then echo "$path"; exit 0; fi
    echo "make: PYTHON=$wanted is not a Python 3.11 (MXNet 1.9.1 needs numpy<1.24, which has no wheels for 3.12+)" >&2
    exit 1
fi

path=$(command -v python3.11 2>/dev/null) && is_311 "$path" && { echo "$path"; exit 0; }

for path in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.11*/bin/python3.11; do
    is_311 "$path" && { echo "$path"; exit 0; }
done

if [ -x "$uv" ]; then
    path=$("$uv" python find --system 3.11 2>/dev/null) && is_311 "$path" && { echo "$path"; exit 0; }
    if [ "${UV_PYTHON_DOWNLOADS:-automatic}" != never ] && [ -z "$UV_OFFLINE" ]; then
        if "$uv" python install --quiet 3.11 >/dev/null 2>&1; then
            path=$("$uv" python find --system 3.11 2>/dev/null) && is_311 "$path" && { echo "$path"; exit 0; }
        fi
    fi
fi

echo "make: no Python 3.11 found (looked on the PATH, in pyenv and in uv's managed Pythons; uv could not download one): install Python 3.11, or run make PYTHON=/path/to/python3.11" >&2
exit 1
