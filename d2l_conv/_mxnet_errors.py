"""MXNet's errors, read for the one line a message can quote."""


def reason(error):
    """Return the last line of an MXNet error, less its C++ check.

    MXNet raises `MXNetError` with its C++ stack trace before the reason,
    which may start with the check that failed (``Check failed: cond):
    reason``); error messages quote only the reason.

    Parameters
    ----------
    error : Exception
        An MXNet error, or any exception.

    Returns
    -------
    str
        The error's last line, without ``MXNetError:`` and without the
        failed check.

    Examples
    --------
    >>> from mxnet.base import MXNetError
    >>> reason(MXNetError('Traceback ...\\n  [bt] (0) libmxnet.so\\n'
    ...                   'MXNetError: Check failed: !AGInfo::IsNone(*out):'
    ...                   ' Inplace operations are not supported'))
    'Inplace operations are not supported'
    >>> reason(ValueError('one line'))
    'one line'
    """
    line = str(error).strip().splitlines()[-1]
    line = line.removeprefix('MXNetError: ')
    if line.startswith('Check failed: ') and '): ' in line:
        line = line.split('): ', 1)[1]  # drop the failed condition
    return line
