"""What the repository's scripts share: tools/, e2e/ and benchmarks/.

Standard library only, so any Python 3 imports it, without MXNet and
without d2l_conv installed: a script puts this folder on ``sys.path``
(``sys.path.insert(0, str(ROOT / 'tools'))``) and imports from here.

Examples
--------
>>> bool(MXNET_BUILD.fullmatch('mxnet-cu117')), bool(
...     MXNET_BUILD.fullmatch('mxnet-tensorrt'))
(True, False)
"""

import os
import re
import tempfile
from pathlib import Path

#: The distributions that install the `mxnet` package: the CPU build and
#: its CUDA and MKL variants (names normalised: lower case, ``-``). Two of
#: them in one environment overwrite each other's files.
MXNET_BUILD = re.compile(r'mxnet(-(cu\d+(mkl)?|mkl|native))?')


def write_atomic(path, text):
    """Write `text` to `path` whole or not at all, replacing any link.

    The text goes to a temporary file in the same folder (made first, if
    missing), which ``os.replace`` then swaps in: a reader sees the old
    file or the new one, never part of one, and a symlink at `path` is
    replaced, never followed. The file gets the permissions ``open``
    would give it. On any error the temporary file is removed and `path`
    is left as it was.

    Examples
    --------
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp, 'new', 'note.txt')
    ...     write_atomic(path, 'whole\\n')
    ...     print(path.read_text(), end=''); print(os.listdir(path.parent))
    whole
    ['note.txt']
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f'.{path.name}.', suffix='.tmp',
                                     dir=path.parent)
    try:
        with os.fdopen(fd, 'w', encoding='utf-8') as file:
            file.write(text)
        mask = os.umask(0o022)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
