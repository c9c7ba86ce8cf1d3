"""What d2l_conv and the repository's scripts share, standard library only.

One copy of each: d2l_conv itself (``d2l_conv/figures.py``,
``d2l_conv/_compat.py``), the MXNet import hook's numpy names
(``_d2l_conv_numpy_names``), and the scripts of tools/, e2e/ and
benchmarks/. It imports neither MXNet nor numpy, so a script run from a
checkout imports it with any Python 3, with d2l_conv installed or not,
by putting the repository's root on ``sys.path``; d2l_conv's wheel and
editable install ship it beside ``_d2l_conv_mxnet_hook``.

Examples
--------
>>> bool(MXNET_BUILD.fullmatch('mxnet-cu117')), bool(
...     MXNET_BUILD.fullmatch('mxnet-tensorrt'))
(True, False)
>>> leading('1.9.1', 2)
(1, 9)
"""

import os
import re

#: The distributions that install the `mxnet` package: the CPU build and
#: its CUDA and MKL variants (names normalised: lower case, ``-``). Two of
#: them in one environment overwrite each other's files.
MXNET_BUILD = re.compile(r'mxnet(-(cu\d+(mkl)?|mkl|native))?')


def leading(text, count):
    """Return the first `count` numbers of a version string, as ints.

    Each dot-separated part counts by its leading digits; a part without
    any, or a missing part, counts as 0.

    Parameters
    ----------
    text : str
        A version, such as ``numpy.__version__``.
    count : int
        How many numbers to return.

    Returns
    -------
    tuple of int
        `count` numbers.

    Examples
    --------
    >>> leading('1.7.0.post2', 3), leading('2.0.0rc1', 3)
    ((1, 7, 0), (2, 0, 0))
    >>> leading('2', 2), leading('2.1.0.dev0+git20240101', 2)
    ((2, 0), (2, 1))
    """
    parts = []
    for piece in str(text).split('.')[:count]:
        digits = re.match(r'\d*', piece).group()
        parts.append(int(digits) if digits else 0)
    return tuple(parts + [0] * (count - len(parts)))


def write_atomic(path, content, func='write_atomic'):
    """Write `path` whole or not at all, replacing any link there.

    The content goes to a temporary file in the same folder (made first,
    if missing), flushed to disk, which ``os.replace`` then swaps in: a
    reader sees the old file or the new one, never part of one, and a
    symlink at `path` is replaced, never followed. The file gets the
    permissions ``open`` would give it.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write.
    content : str, bytes or callable
        The text (written as UTF-8), the bytes, or a function that writes
        them, called with the temporary file open for writing bytes.
    func : str, optional
        The name of the public function or script writing, for the error
        message.

    Raises
    ------
    TypeError
        If `content` is none of those.
    OSError
        Of the same type as the one that occurred, with a one-line
        message naming `func`, the file and the reason; the temporary
        file is removed and `path` is left as it was.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, 'new', 'note.txt')
    ...     write_atomic(path, 'whole\\n')
    ...     write_atomic(path, lambda file: file.write(b'again\\n'))
    ...     print(open(path).read(), end=''); print(os.listdir(
    ...         os.path.dirname(path)))
    again
    ['note.txt']
    """
    if not isinstance(content, (str, bytes)) and not callable(content):
        raise TypeError(f'{func}: content must be str, bytes or a function '
                        f'that writes, not {type(content).__name__}')
    import tempfile
    path = os.fspath(path)
    folder = os.path.dirname(path) or '.'
    temporary = None
    try:
        os.makedirs(folder, exist_ok=True)
        fd, temporary = tempfile.mkstemp(
            prefix=f'.{os.path.basename(path)}.', suffix='.tmp', dir=folder)
        with os.fdopen(fd, 'wb') as file:
            if callable(content):
                content(file)
            else:
                file.write(content.encode('utf-8')
                           if isinstance(content, str) else content)
            file.flush()
            os.fsync(file.fileno())
        mask = os.umask(0o022)  # reading the umask means setting it back
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)  # mkstemp makes it 0o600
        os.replace(temporary, path)
    except BaseException as err:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except FileNotFoundError:
                pass
        if isinstance(err, OSError):
            reason = err.strerror or str(err)
            raise type(err)(f'{func}: cannot write {path!r}: '
                            f'{reason}') from err
        raise
