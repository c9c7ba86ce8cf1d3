"""Files the package writes appear whole or not at all.

`write_atomic` is ``_d2l_conv_tools.write_atomic`` with the package's
order of arguments: the public function writing comes first.
"""

import _d2l_conv_tools


def write_atomic(func, path, write):
    """Write `path` whole or not at all: `write(file)` fills a temporary.

    See ``_d2l_conv_tools.write_atomic``, which this calls: a symlink at
    `path` is replaced, never followed, and a reader sees the old file or
    the new one, never a partial one.

    Parameters
    ----------
    func : str
        Name of the public function, used in error messages.
    path : str or os.PathLike
        The file to write.
    write : callable
        Called with the temporary file, open for writing bytes.

    Raises
    ------
    OSError
        Of the same type as the one that occurred, with a one-line
        message naming `func`, the file and the reason; `path` is left as
        it was.

    Examples
    --------
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, 'note.txt')
    ...     write_atomic('doc', path, lambda file: file.write(b'whole'))
    ...     print(open(path).read(), os.listdir(tmp))
    whole ['note.txt']
    """
    _d2l_conv_tools.write_atomic(path, write, func=func)
