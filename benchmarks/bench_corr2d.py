"""Time `corr2d_fast` against the fastest peers in this stack; save it.

``make bench`` (``python benchmarks/bench_corr2d.py``) measures, saves
``benchmarks/results.json`` and hands it to ``render_bench.py``, which
judges the targets (run alone, it re-renders the saved run); ``--quick``
times a few cases and prints them, writing nothing. Every time is the
fastest of interleaved rounds (`time_calls`); the memory-traffic bound
uses the stream-copy bandwidth measured in the same run
(`copy_bandwidth`); the cold start is the median of `COLD_RUNS` fresh
processes' first call.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import render_bench
from render_bench import METHODS, NUMPY_ONLY, OURS, PEERS, WITHOUT_C

SIDES = [28, 64, 224, 256, 512, 1024, 2048, 4096]
KERNELS = [(1, 2), (7, 1), (3, 3), (5, 5), (15, 15), (21, 21), (31, 31),
           (63, 63)]
DIRECT_PEERS = ['npx.convolution', 'signal.correlate2d',
                'ndimage.correlate']
DIRECT_MAX = 1.5e9  # multiply-adds beyond which direct peers are skipped
#: 'direct' and 'fft' beside 'auto': from this side, square kernels from
#: 3x3; 'direct' up to `METHOD_MAX` multiply-adds.
METHODS_FROM, METHOD_MAX = 256, 3e10
BOUND_CASES = [(1024, (3, 3)), (2048, (3, 3)), (4096, (3, 3))]
STREAM_BYTES = 128 << 20  # images streamed through for the bound: 4x L3
#: (image side, kernel side), NumPy in, one ``out=`` reused.
THREAD_CASES = [(512, 3), (1024, 3), (2048, 3), (4096, 3), (4096, 15)]
COLD_CASES = [(1024, (3, 3)), (224, (3, 3))]
COLD_SECONDS, COLD_RUNS = 2.0, 3  # fresh processes per cold-start case
COLD_BUILDS = ['as installed', 'without C', 'ndimage']  # the control
#: Fresh processes (`as_build`) whose import of the C engine fails, as
#: where no compiler built it; also hiding OpenCV and scipy from d2l_conv.
BUILDS = {WITHOUT_C: (), NUMPY_ONLY: ('cv2', 'scipy')}
BUDGET, MAX_RUNS = 0.2, 200  # seconds of timed runs per call, most runs


def progress(text):
    """Show what is being measured, on stderr."""
    print(text, file=sys.stderr, flush=True)


def make_inputs(n, kernel, seed=0):
    """Return a float32 ``n x n`` image and a kernel (NumPy)."""
    import numpy as onp
    rng = onp.random.default_rng(seed)
    return (rng.standard_normal((n, n)).astype('float32'),
            rng.standard_normal(kernel).astype('float32'))


def cases(sides, kernels):
    """Yield ``(n, kernel, X, K)`` for each kernel that fits each side."""
    for n in sides:
        for kernel in kernels:
            if max(kernel) <= n:
                yield n, kernel, *make_inputs(n, kernel)


def work(n, kernel):
    """Return the multiply-adds of a direct valid correlation."""
    return (n - kernel[0] + 1) * (n - kernel[1] + 1) * kernel[0] * kernel[1]


def waited(Y):
    """Return MXNet's `Y` once computed (MXNet is asynchronous)."""
    Y.wait_to_read()
    return Y


def peers(X, K):
    """Return ``{name: call}`` for the peers worth running on this case,
    each on its own copy of `X` (none finds it in cache after another's
    read)."""
    import cv2
    from mxnet import np, npx
    from scipy import ndimage, signal
    (H, W), (h, w) = X.shape, K.shape
    x4, k4 = (np.array(A).reshape(1, 1, *A.shape) for A in (X, K))
    valid = (slice(h // 2, h // 2 + H - h + 1),  # where filter2D and
             slice(w // 2, w // 2 + W - w + 1))  # ndimage put the kernel
    flipped = K[::-1, ::-1].copy()
    found = {
        'cv2.filter2D': lambda X: cv2.filter2D(
            X, -1, K, borderType=cv2.BORDER_CONSTANT)[valid],
        'npx.convolution': lambda x: waited(npx.convolution(
            x, k4, kernel=(h, w), num_filter=1, no_bias=True)),
        'signal.correlate2d': lambda X: signal.correlate2d(X, K, 'valid'),
        'ndimage.correlate': lambda X: ndimage.correlate(X, K)[valid],
        'signal.correlate': lambda X: signal.correlate(X, K, 'valid'),
        'signal.fftconvolve': lambda X: signal.fftconvolve(X, flipped,
                                                           'valid')}
    return {name: partial(call, x4 if name == 'npx.convolution'
                          else X.copy()) for name, call in found.items()
            if name not in DIRECT_PEERS or work(H, K.shape) <= DIRECT_MAX}


def ours(X, K, methods=False):
    """Return `corr2d_fast`'s calls given ``mxnet.np`` arrays and NumPy
    arrays; with `methods`, also ``method='direct'`` and ``'fft'``."""
    from mxnet import np

    from d2l_conv import corr2d_fast

    def call(x, k, method='auto'):
        def timed():  # one frame, as a peer's lambda
            Y = corr2d_fast(x, k, method=method)
            Y.wait_to_read()
            return Y
        return timed

    k = np.array(K)
    calls = {OURS[0]: call(np.array(X), k), OURS[1]: call(X.copy(), K)}
    for method in ('direct', 'fft') if methods else ():
        if method == 'fft' or work(X.shape[0], K.shape) <= METHOD_MAX:
            calls[METHODS[method == 'fft']] = call(np.array(X), k, method)
    return calls


def time_calls(calls, label, budget=BUDGET):
    """Return ``{name: seconds}``, the fastest of rounds that call every
    name once, in an order shuffled anew (seeded; in a fixed order a call
    found the caches as the one before left them: after an FFT peer, 1.3
    to 2 times as long). Every MXNet copy is complete first (``waitall``:
    no call waits for one); each call is warmed up and checked against
    the first. A call over 2 s runs once, over 0.3 s 3 times, a faster
    one about `budget` seconds in all (7 to `MAX_RUNS` times)."""
    import numpy as onp
    from mxnet import npx
    npx.waitall()
    expected, runs, times = None, {}, {}
    for name, call in calls.items():
        progress(f'{label}: {name}')
        start = time.perf_counter()
        Y = call()
        warm = time.perf_counter() - start
        Y = Y.asnumpy() if hasattr(Y, 'asnumpy') else Y
        Y = Y.reshape(Y.shape[-2:])  # npx.convolution's is 4-D
        if expected is None:
            expected = Y
        else:
            onp.testing.assert_allclose(Y, expected, rtol=1e-3, atol=2e-3,
                                        err_msg=name)
        runs[name] = (1 if warm > 2 else 3 if warm > 0.3
                      else max(7, min(MAX_RUNS, int(budget / warm))))
        times[name] = [warm] if runs[name] == 1 else []
    names, order = list(calls), random.Random(0)
    for _ in range(max(runs.values())):
        order.shuffle(names)
        for name in names:
            if len(times[name]) < runs[name]:
                start = time.perf_counter()
                calls[name]()
                times[name].append(time.perf_counter() - start)
    return {name: min(t) for name, t in times.items()}


def streaming(n, kernel):
    """Return the fastest seconds of `corr2d_fast` streaming through
    distinct images (`STREAM_BYTES`, more than the caches: each read from
    memory, as the bound assumes), into a new output each
    (``'streaming'``) and into one reused (``'streaming, out='``), the
    two half the images apart."""
    from itertools import cycle

    from mxnet import np

    from d2l_conv import corr2d_fast
    X, K = make_inputs(n, kernel)
    images = [np.array(X) for _ in range(max(4, STREAM_BYTES // X.nbytes))]
    k, half = np.array(K), len(images) // 2
    one, other = cycle(images), cycle(images[half:] + images[:half])
    out = waited(corr2d_fast(images[0], k))
    return {'n': n, 'kernel': kernel, 'images': len(images), **time_calls({
        'streaming': lambda: waited(corr2d_fast(next(one), k)),
        'streaming, out=': lambda: waited(corr2d_fast(next(other), k,
                                                      out=out))},
        f'the bound, {n}²', budget=1.0)}


def copy_bandwidth(most, mib=256):
    """Return the best bytes/s (read + written) of NumPy copies of `mib`
    MiB (far beyond the caches) shared among 1, 2 and `most` threads
    (the fastest of 7 copies each)."""
    import numpy as onp
    source = onp.ones(mib << 18, 'float32')
    target = onp.empty_like(source)
    best = 0.0
    for count in sorted({1, 2, most}):
        parts = onp.array_split(target, count), onp.array_split(source, count)
        with ThreadPoolExecutor(count) as pool:
            for _ in range(7):
                start = time.perf_counter()
                list(pool.map(onp.copyto, *parts))
                best = max(best, 2 * source.nbytes
                           / (time.perf_counter() - start))
    return best


def threads():
    """Return, per `THREAD_CASES` case, `corr2d_fast` (NumPy in, one
    ``out=`` reused, ``method='direct'``) and ``cv2.filter2D`` on one
    thread and on all (`set_num_threads`, ``cv2.setNumThreads``), calls
    interleaved, and the engine and threads the model picks on all."""
    import cv2
    import numpy as onp

    from d2l_conv import fast
    rows, most, default = [], fast.get_num_threads(), cv2.getNumThreads()

    def on(count, set_threads, call):
        set_threads(count)
        return call()

    try:
        for n, k in THREAD_CASES:
            fast.set_num_threads(None)
            picked = fast.choose.order((n, n), (k, k), 'direct')[0]
            X, K = make_inputs(n, (k, k))
            ours = partial(fast.corr2d_fast, X, K, method='direct',
                           out=onp.empty((n - k + 1,) * 2, 'float32'))
            calls = {who + name: partial(on, count, set_threads, call)
                     for who, set_threads, call in (
                         ('', fast.set_num_threads, ours),
                         ('cv2 ', cv2.setNumThreads,
                          peers(X, K)['cv2.filter2D']))
                     for name, count in (('one', 1), ('all', most))}
            times = time_calls(calls, f'threads, {n}x{n}, {k}x{k}')
            rows.append({'case': f'{n}², {k}x{k}', 'n': n, 'threads': most,
                         'picked': list(picked), **times,
                         'scaling': times['all'] / times['one']})
    finally:
        fast.set_num_threads(None)
        cv2.setNumThreads(default)
    return rows


def as_build(build):
    """Make this fresh process `build` of `BUILDS` (any other name: as
    installed), and import `d2l_conv`. MXNet, imported first, has its
    OpenCV and scipy; they come back after, for the peers."""
    import mxnet  # noqa: F401
    if build in BUILDS:
        sys.modules['d2l_conv.fast._direct'] = None
    hidden = {name: sys.modules.pop(name, None)
              for name in BUILDS.get(build, ())}
    sys.modules.update(dict.fromkeys(hidden))
    import d2l_conv  # noqa: F401
    for name, module in hidden.items():
        del sys.modules[name]
        if module is not None:
            sys.modules[name] = module


def fresh(build, **task):
    """Return what a fresh process, made `build`, answers to `task`
    (`child`)."""
    found = subprocess.run(
        [sys.executable, __file__, '--child', build], check=True,
        input=json.dumps(task), stdout=subprocess.PIPE, text=True)
    return json.loads(found.stdout)


def child(build, cases=None, cold=None):
    """In a fresh process made `build`: time `cases` of the grid each
    against its best peer (those over `DIRECT_MAX` left out where NumPy
    alone computes), or the `cold` start (`cold_calls`)."""
    as_build(build)
    from d2l_conv.fast import choose
    if cold:
        return cold_calls(build, *cold)
    found = []
    for case in cases:
        n, kernel = case['n'], tuple(case['kernel'])
        if choose.ENGINES == ('numpy',) and work(n, kernel) > DIRECT_MAX:
            continue
        X, K = make_inputs(n, kernel)
        calls = {**ours(X, K), case['peer']: peers(X, K)[case['peer']]}
        found.append({'n': n, 'kernel': kernel, 'peer': case['peer'],
                      'engines': choose.ENGINES,
                      'engine': choose.choose_engine(X.shape, K.shape),
                      'times': time_calls(calls, f'{build}, {n}², {kernel}')})
    return found


def cold_calls(build, n, k, seconds):
    """Return the first, the slowest, the number, the 99.9th percentile
    and the median of the calls in this fresh process's first `seconds`:
    `corr2d_fast` back to back, or ``ndimage.correlate`` for the control
    build ``'ndimage'`` (the machine's own noise)."""
    from mxnet import npx
    X, K = make_inputs(n, (k, k))
    call = (peers(X, K)['ndimage.correlate'] if build == 'ndimage'
            else ours(X, K)['corr2d_fast'])  # nothing else imported
    npx.waitall()
    times, start = [], time.perf_counter()
    while time.perf_counter() - start < seconds:
        t = time.perf_counter()
        call()
        times.append(time.perf_counter() - t)
    first = times[0]
    times.sort()
    return {'first': first, 'slowest': times[-1], 'calls': len(times),
            'p99.9': times[
        int(0.999 * (len(times) - 1))], 'median': times[len(times) // 2]}


def cold_start():
    """Return, per `COLD_CASES` case and `COLD_BUILDS` run, `cold_calls`
    of the process of median first call of `COLD_RUNS` (each one's first
    and slowest in ``runs`` and ``slowest_runs``)."""
    found = []
    for build in COLD_BUILDS:
        for n, (k, _) in COLD_CASES:
            runs = sorted((fresh(build, cold=[n, k, COLD_SECONDS])
                           for _ in range(COLD_RUNS)),
                          key=lambda run: run['first'])
            found.append({'n': n, 'kernel': (k, k), 'build': build,
                          **runs[len(runs) // 2],
                          'runs': [run['first'] for run in runs],
                          'slowest_runs': [run['slowest'] for run in runs]})
    return found


def machine():
    """Return one line naming the CPU and the library versions."""
    import platform
    from importlib import import_module
    cpuinfo = Path('/proc/cpuinfo')
    model = next((line.split(':', 1)[1].strip() for line in (
        cpuinfo.read_text().splitlines() if cpuinfo.exists() else ())
        if line.startswith('model name')), platform.processor())
    return (f'{model}, {os.cpu_count()} cores, {platform.system()}; Python '
            f'{platform.python_version()}, ' + ', '.join(
                f'{name} {import_module(module).__version__}' for name, module
                in (('NumPy', 'numpy'), ('MXNet', 'mxnet'), ('SciPy', 'scipy'),
                    ('OpenCV', 'cv2'))))


def measure():
    """Run every measurement; return them as a JSON-ready dict."""
    from d2l_conv.fast import choose
    progress('the cold start: the slowest call in a fresh process')
    cold = cold_start()
    grid = []
    for n, kernel, X, K in cases(SIDES, KERNELS):
        methods = n >= METHODS_FROM and kernel[0] == kernel[1] >= 3
        times = time_calls({**ours(X, K, methods), **peers(X, K)},
                           f'{n}², {kernel}')
        grid.append({'n': n, 'kernel': kernel, 'times': times,
                     'engine': choose.choose_engine(X.shape, K.shape)})
    progress('the bound: streaming through distinct images')
    bound = [streaming(side, kernel) for side, kernel in BOUND_CASES]
    against = [{'n': c['n'], 'kernel': c['kernel'], 'peer': min(
        PEERS, key=lambda name: c['times'].get(name, float('inf')))}
        for c in grid]
    return {'machine': machine(), 'grid': grid,
            'copy_bandwidth': copy_bandwidth(os.cpu_count()),
            'bound': bound, 'cold_start': cold,
            'without_c': {build: fresh(build, cases=against)
                          for build in BUILDS},
            'scaling': threads() if os.cpu_count() > 1 else []}


def main(argv=None):
    """Measure and render; return 0 if the targets hold."""
    global SIDES, KERNELS, BOUND_CASES, THREAD_CASES, COLD_CASES, COLD_RUNS
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--quick', action='store_true',
                        help='a few cases, printed; nothing written')
    parser.add_argument('--child', help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:  # a fresh process: its task in on stdin, times out
        print(json.dumps(child(args.child, **json.load(sys.stdin))))
        return 0
    if args.quick:
        SIDES, KERNELS, COLD_RUNS = [28, 224, 1024], [(3, 3), (31, 31)], 1
        BOUND_CASES, THREAD_CASES = [(1024, (3, 3))], [(512, 3)]
        COLD_CASES = [(224, (3, 3))]
    data = measure()
    if args.quick:
        print(json.dumps(data, indent=1))
        return 0
    render_bench.replace_whole(render_bench.JSON,
                               json.dumps(data, indent=1) + '\n')
    return render_bench.main()


if __name__ == '__main__':
    sys.exit(main())
