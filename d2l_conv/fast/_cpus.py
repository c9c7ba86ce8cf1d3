"""How many threads `corr2d_fast` may use (`get_num_threads`): by
default, as many as the CPUs this process may use (`usable_cpus`)."""

import functools
import math
import os

#: The environment variable that sets the thread count.
VARIABLE = 'D2L_CONV_NUM_THREADS'

_SET = [None]  # the count given to `set_num_threads`, if any


def set_num_threads(count):
    """Set how many threads `corr2d_fast` may use, from its next call.

    Parameters
    ----------
    count : int or None
        At least 1; None restores the default (see `get_num_threads`).

    Raises
    ------
    TypeError
        If `count` is not an int or None.
    ValueError
        If `count` is below 1.

    Examples
    --------
    >>> set_num_threads(1)
    >>> get_num_threads()
    1
    >>> set_num_threads(None)
    """
    if count is not None:
        if isinstance(count, bool) or not isinstance(count, int):
            raise TypeError('set_num_threads: count must be an int or '
                            f'None, not {type(count).__name__}')
        if count < 1:
            raise ValueError('set_num_threads: count must be at least 1, '
                             f'not {count}')
    _SET[0] = count


def get_num_threads():
    """Return how many threads `corr2d_fast` may use: `set_num_threads`'
    count, else ``D2L_CONV_NUM_THREADS`` (a `ValueError` if not a whole
    number of at least 1), ``OMP_NUM_THREADS`` (as OpenCV and BLAS read it;
    ignored if not a whole number), or the CPUs this process may use (its
    affinity mask, at most its cgroup's quota). The environment is read
    once.

    Examples
    --------
    >>> get_num_threads() >= 1
    True
    """
    return _from_environment() if _SET[0] is None else _SET[0]


@functools.cache
def _from_environment():
    """Return the count the environment sets, else `usable_cpus`."""
    ours = os.environ.get(VARIABLE, '')
    if ours.strip() and _count(ours) is None:
        raise ValueError(f'corr2d_fast: {VARIABLE} must be a whole '
                         f'number of at least 1, not {ours!r}')
    return (_count(ours) or _count(os.environ.get('OMP_NUM_THREADS', ''))
            or usable_cpus())


def _count(text):
    """Return `text` as a whole number of at least 1, else None."""
    try:
        return int(text) if int(text) >= 1 else None
    except ValueError:
        return None


@functools.cache
def usable_cpus(root='/sys/fs/cgroup', membership='/proc/self/cgroup'):
    """Return the CPUs of the affinity mask, at most `cgroup_quota` rounded
    up (``docker run --cpus=2``: the mask holds every core), at least 1."""
    quota = cgroup_quota(root, membership)
    count = affinity_cpus()
    return count if quota is None else max(1, min(count, math.ceil(quota)))


def affinity_cpus():
    """Return how many CPUs the affinity mask allows (all where none)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def cgroup_quota(root='/sys/fs/cgroup', membership='/proc/self/cgroup'):
    """Return the least CPU quota (v2's ``cpu.max``, else v1's
    ``cpu.cfs_quota_us / cpu.cfs_period_us``) of `root` and of this
    process's group (named in `membership`) and each above it, or None."""
    places = [(root, '')]
    try:
        with open(membership) as lines:
            for line in lines:
                _, controllers, path = line.rstrip('\n').split(':', 2)
                if not controllers:  # v2: 0::/path
                    places.append((root, path))
                elif 'cpu' in controllers.split(','):  # v1
                    places += [(os.path.join(root, name), path)
                               for name in (controllers, 'cpu')]
    except (OSError, ValueError):
        pass
    quotas = [_quota(os.path.join(base, *parts[:depth]))
              for base, path in places for parts in [path.split('/')]
              for depth in range(1, len(parts) + 1)]
    return min(filter(None, quotas), default=None)


def _quota(directory):
    """Return the quota in `directory`'s files, in CPUs, or None."""
    text = _read(directory, 'cpu.max') or (
        _read(directory, 'cpu.cfs_quota_us') + ' '
        + _read(directory, 'cpu.cfs_period_us'))
    try:
        quota, period = map(int, text.split())
    except ValueError:  # none, "max", or not numbers
        return None
    return quota / period if quota > 0 and period > 0 else None


def _read(*path):
    """Return the file's text, stripped; '' where it cannot be read."""
    try:
        with open(os.path.join(*path)) as file:
            return file.read().strip()
    except OSError:
        return ''
