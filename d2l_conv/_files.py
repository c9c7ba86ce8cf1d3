"""Files the package writes appear whole or not at all."""

import contextlib
import os
import tempfile
from pathlib import Path


def _umask():
    """Return the process's umask (reading it means setting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(func, path, write):
    """Write `path` whole or not at all: `write(file)` fills a temporary.

    The temporary file is in the same directory, so ``os.replace`` can
    swap it in at once; a symlink at `path` is replaced, never followed,
    and a reader sees the old file or the new one, never a partial one.
    The new file gets the permissions ``open`` would give it.

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
        message naming `func`, the file and the reason; the temporary
        file is removed and `path` is left as it was.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / 'note.txt'
    ...     write_atomic('doc', path, lambda file: file.write(b'whole'))
    ...     print(path.read_text(), os.listdir(tmp))
    whole ['note.txt']
    """
    path = Path(path)
    temporary = None
    try:
        fd, temporary = tempfile.mkstemp(
            prefix=f'.{path.name}.', suffix='.tmp', dir=path.parent)
        with os.fdopen(fd, 'wb') as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it 0o600
        os.replace(temporary, path)
    except BaseException as err:
        if temporary is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        if isinstance(err, OSError):
            reason = err.strerror or str(err)
            raise type(err)(f'{func}: cannot write {str(path)!r}: '
                            f'{reason}') from err
        raise
