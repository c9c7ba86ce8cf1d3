"""How many threads `corr2d_fast` may use: the CPUs this process may
really run on, or what the user set.

The count, first found of:

1. `set_num_threads` (as ``cv2.setNumThreads``; None undoes it);
2. the environment variable ``D2L_CONV_NUM_THREADS``;
3. ``OMP_NUM_THREADS``, which OpenCV, OpenBLAS and MKL also respect
   (MXNet reads it when it is imported, and aborts the process on
   anything but a whole number, such as ``4,2``: so, set after the
   import, a value that is not one is ignored here);
4. the CPUs usable (`usable_cpus`): those of the process's affinity
   mask, and on Linux no more than its cgroup's CPU quota, rounded up
   (``docker run --cpus=2``, hosted notebooks: the affinity mask then
   still holds every core of the host).

The environment is read once, at the first call that asks (as MXNet,
OpenCV and BLAS read ``OMP_NUM_THREADS`` once): a call then costs
no look-up of it. The engines take the count as a most: the cost model
gives an engine fewer threads where more would not pay (`choose.plan`).

This module imports nothing of the package, so that
``benchmarks/bench_threads.py`` can load it alone.
"""

import functools
import math
import os

#: The environment variable that sets the thread count.
VARIABLE = 'D2L_CONV_NUM_THREADS'

_SET = [None]  # the count given to `set_num_threads`, if any


def set_num_threads(count):
    """Set how many threads `corr2d_fast` may use; None restores the
    default (the environment, else the CPUs usable).

    Parameters
    ----------
    count : int or None
        At least 1.

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
    """Return how many threads `corr2d_fast` may use (see the module).

    Raises `ValueError` if ``D2L_CONV_NUM_THREADS`` is set but is not a
    whole number of at least 1. An ``OMP_NUM_THREADS`` that is not one
    (set after MXNet was imported, which aborts on it) is ignored, as
    OpenCV does: it belongs to other libraries too.

    Examples
    --------
    >>> get_num_threads() >= 1
    True
    """
    if _SET[0] is not None:
        return _SET[0]
    return _from_environment()


@functools.cache
def _from_environment():
    """Return the count the environment sets, else the CPUs usable; read
    once (an error is raised again on every call)."""
    ours = os.environ.get(VARIABLE, '').strip()
    if ours:
        count = _count(ours)
        if count is None:
            raise ValueError(f'corr2d_fast: {VARIABLE} must be a whole '
                             f'number of at least 1, not {ours!r}')
        return count
    omp = _count(os.environ.get('OMP_NUM_THREADS', '') or 'none')
    return usable_cpus() if omp is None else omp


def _count(text):
    """Return `text` as a count of at least 1, else None."""
    try:
        count = int(text.strip())
    except ValueError:
        return None
    return count if count >= 1 else None


@functools.cache
def usable_cpus(root='/sys/fs/cgroup', membership='/proc/self/cgroup'):
    """Return the CPUs this process may use: its affinity mask, capped
    by its cgroup's quota (`cgroup_quota`, rounded up); at least 1.

    Asked once per process (a child made by ``fork`` inherits both).

    Examples
    --------
    >>> 1 <= usable_cpus() <= affinity_cpus()
    True
    """
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
    """Return the CPUs' worth of time the cgroup allows, or None.

    Reads cgroup v2's ``cpu.max`` (``"quota period"``, or ``"max ..."``
    for none) and v1's ``cpu.cfs_quota_us`` over ``cpu.cfs_period_us``
    (-1: none), in this process's group (from `membership`) and each
    group above it, as the least of them, under `root`. Where the group
    is not found under `root` (a container sees its own group as the
    root), `root` itself is read. Paths are arguments, for tests.

    Examples
    --------
    >>> cgroup_quota('/nonexistent', '/nonexistent') is None
    True
    """
    quotas = [quota for directory in _groups(root, membership)
              for quota in [_quota(directory)] if quota is not None]
    return min(quotas, default=None)


def _groups(root, membership):
    """Return the directories of this process's CPU cgroups under
    `root`, its own and each above it."""
    places = []
    try:
        with open(membership) as lines:
            for line in lines:
                _, controllers, path = line.rstrip('\n').split(':', 2)
                if controllers == '':  # v2: 0::/path
                    places.append((root, path))
                elif 'cpu' in controllers.split(','):  # v1
                    places += [(os.path.join(root, name), path)
                               for name in (controllers, 'cpu')]
    except (OSError, ValueError):
        pass
    places.append((root, '/'))
    directories = []
    for base, path in places:
        path = path.strip('/')
        while True:
            directory = os.path.join(base, path)
            if os.path.isdir(directory) and directory not in directories:
                directories.append(directory)
            if not path:
                break
            path = os.path.dirname(path)
    return directories


def _quota(directory):
    """Return the quota in `directory`'s files (CPUs), or None."""
    text = _read(os.path.join(directory, 'cpu.max'))
    if text is not None:
        parts = text.split()
        if len(parts) == 2 and parts[0] != 'max':
            return _ratio(parts[0], parts[1])
        return None
    quota = _read(os.path.join(directory, 'cpu.cfs_quota_us'))
    period = _read(os.path.join(directory, 'cpu.cfs_period_us'))
    if quota is None or period is None:
        return None
    return _ratio(quota, period)


def _ratio(quota, period):
    """Return quota / period if both are positive numbers, else None."""
    try:
        quota, period = int(quota), int(period)
    except ValueError:
        return None
    return quota / period if quota > 0 and period > 0 else None


def _read(path):
    """Return the stripped text of file `path`, or None."""
    try:
        with open(path) as file:
            return file.read().strip()
    except OSError:
        return None
