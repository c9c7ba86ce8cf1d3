#!/bin/sh
# Print the path of the Python to build .venv with, looking where uv looks.
# Python 3.11 unless PYTHON names another: d2l_conv supports 3.11, 3.12
# and 3.13, the Pythons `make test-matrix` runs the suite on.
#
#   tools/find-python.sh UV [PYTHON]
#
# In order: PYTHON if given (it must be 3.11, 3.12 or 3.13); python3.11 on
# the PATH; pyenv's versions ($PYENV_ROOT, default ~/.pyenv); uv's managed
# Pythons; and last, a Python that uv downloads (unless
# UV_PYTHON_DOWNLOADS=never or UV_OFFLINE is set). Exits 1 after one line
# on stderr if none is found.
uv=$1
wanted=$2
SUPPORTED='Python 3.11, 3.12 and 3.13'

is_311() {
    [ -x "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null
}

version_of() {
    "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null
}

if [ -n "$wanted" ]; then
    path=$(command -v "$wanted" 2>/dev/null) || path=$wanted
    version=$(version_of "$path")
    # A name such as python3.12 that does not run from the PATH: look for
    # that version where uv looks (pyenv, uv's managed Pythons), and last
    # let uv download it (unless downloads are off, as above).
    number=${wanted#python}
    if [ -z "$version" ] && [ "python$number" = "$wanted" ]; then
        for found in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$number".*/bin/"$wanted"; do
            [ "$(version_of "$found")" = "$number" ] && { path=$found; version=$number; break; }
        done
        if [ -z "$version" ] && [ -x "$uv" ]; then
            found=$("$uv" python find --system "$number" 2>/dev/null)
            case $number in 3.11|3.12|3.13) can=yes ;; *) can= ;; esac
            if [ "$(version_of "$found")" != "$number" ] && [ -n "$can" ] && [ "${UV_PYTHON_DOWNLOADS:-automatic}" != never ] && [ -z "$UV_OFFLINE" ] \
                    && "$uv" python install --quiet "$number" >/dev/null 2>&1; then
                found=$("$uv" python find --system "$number" 2>/dev/null)
            fi
            [ "$(version_of "$found")" = "$number" ] && { path=$found; version=$number; }
        fi
    fi
    case $version in
        3.11|3.12|3.13) echo "$path"; exit 0 ;;
        '') found='not a Python that runs here' ;;
        *) found="Python $version" ;;
    esac
    echo "make: PYTHON=$wanted is $found; d2l_conv supports $SUPPORTED" >&2
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
