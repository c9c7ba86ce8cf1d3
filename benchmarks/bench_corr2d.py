"""Time `corr2d_fast` against the fastest peers in this stack; save it.

Run ``make bench`` (``python benchmarks/bench_corr2d.py``): it measures,
saves ``benchmarks/results.json`` and hands it to ``render_bench.py``
(``--render-only`` re-renders the last one). Every time is the fastest
of rounds in which each call of a case runs once, in an order shuffled
anew each round (`time_calls`); each call has its own copy of the image
and is checked against the first after a warm-up call. Measured:

* the grid (`SIDES` x `KERNELS`, float32): `corr2d_fast` given
  ``mxnet.np`` and NumPy arrays (from `METHODS_FROM`² up, square
  kernels, also ``method='direct'`` and ``'fft'``), and the peers:
  ``cv2.filter2D`` and ``scipy.ndimage.correlate`` (cropped to the valid
  part), ``npx.convolution`` (oneDNN), ``scipy.signal.correlate2d``,
  ``correlate`` and ``fftconvolve``; direct peers skipped beyond
  `DIRECT_MAX` multiply-adds;
* the memory-traffic bound's cases, `corr2d_fast` streaming through
  distinct copies of the image (`STREAM_BYTES`), into new outputs and
  into one ``out=`` reused; and the copy bandwidth (`copy_bandwidth`);
* the grid without the C engine (`WITHOUT_C`, fresh processes): with
  OpenCV and scipy, and with neither, against the case's best peer;
* `THREAD_CASES` on one thread and on all (`threads`);
* the cold start: the slowest call in the first `COLD_SECONDS` of a
  fresh process (the median of `COLD_RUNS`), as installed, without C,
  and ``ndimage.correlate`` in the same loop (the control).
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
JSON = HERE / 'results.json'
SIDES = [28, 64, 224, 256, 512, 1024, 2048, 4096]
KERNELS = [(1, 2), (7, 1), (3, 3), (5, 5), (15, 15), (21, 21), (31, 31),
           (63, 63)]
BOUND_CASES = [(1024, (3, 3)), (2048, (3, 3)), (4096, (3, 3))]
DIRECT_PEERS = ['npx.convolution', 'signal.correlate2d',
                'ndimage.correlate']
COLD_CASES = [(1024, (3, 3)), (224, (3, 3))]
COLD_SECONDS = 2.0
COLD_RUNS = 3  # fresh processes per cold-start case
FFT_PEERS = ['signal.correlate', 'signal.fftconvolve']
PEER_NAMES = ['cv2.filter2D', *DIRECT_PEERS, *FFT_PEERS]
DIRECT_MAX = 1.5e9  # multiply-adds beyond which direct peers are skipped
STREAM_BYTES = 128 << 20  # images streamed through for the bound: 4x L3
BUDGET = 0.2  # seconds of timed runs per fast call
MAX_RUNS = 200
QUICK = []  # --quick, passed on to the builds without C


def progress(text):
    """Show what is being measured, on stderr."""
    print(text, file=sys.stderr, flush=True)


def make_inputs(n, kernel, seed=0):
    """Return a float32 ``n x n`` image and a kernel (NumPy)."""
    import numpy as onp
    rng = onp.random.default_rng(seed)
    return (rng.standard_normal((n, n)).astype('float32'),
            rng.standard_normal(kernel).astype('float32'))


def peers(X, K):
    """Return ``{name: call}`` for the peers worth running on this case."""
    import cv2
    from mxnet import np, npx
    from scipy import ndimage, signal
    (H, W), (h, w) = X.shape, K.shape
    x4 = np.array(X).reshape(1, 1, H, W)  # (batch, channel, H, W)
    k4 = np.array(K).reshape(1, 1, h, w)
    top, left = h // 2, w // 2  # ndimage centres the kernel there
    flipped = K[::-1, ::-1].copy()
    # each its own copy of X: none finds it in cache after another's read
    X1, X2, X3, X4, X5 = (X.copy() for _ in range(5))
    found = {
        # anchored at the kernel's centre, as ndimage
        'cv2.filter2D': lambda: cv2.filter2D(
            X5, -1, K, borderType=cv2.BORDER_CONSTANT)[
                top:top + H - h + 1, left:left + W - w + 1],
        'npx.convolution': lambda: waited(npx.convolution(
            x4, k4, kernel=(h, w), num_filter=1, no_bias=True)),
        'signal.correlate2d': lambda: signal.correlate2d(X1, K, 'valid'),
        'ndimage.correlate': lambda: ndimage.correlate(X2, K)[
            top:top + H - h + 1, left:left + W - w + 1],
        'signal.correlate': lambda: signal.correlate(X3, K, 'valid'),
        'signal.fftconvolve': lambda: signal.fftconvolve(X4, flipped,
                                                         'valid'),
    }
    if (H - h + 1) * (W - w + 1) * h * w > DIRECT_MAX:
        for name in DIRECT_PEERS:
            del found[name]
    return found


def ours(X, K, numpy=True, methods=False):
    """Return ``{'corr2d_fast': call}``, given ``mxnet.np`` arrays, and
    ``{'corr2d_fast, NumPy in': call}`` given NumPy arrays; with
    `methods`, also `METHODS`' calls: ``method='direct'`` (where it needs
    at most `METHOD_MAX` multiply-adds) and ``method='fft'``."""
    from mxnet import np

    from d2l_conv import corr2d_fast
    x, k = np.array(X), np.array(K)
    x.wait_to_read()
    calls = {'corr2d_fast': lambda: waited(corr2d_fast(x, k))}
    if numpy:
        X0, K0 = X.copy(), K.copy()
        calls[NUMPY_IN] = lambda: waited(corr2d_fast(X0, K0))
    if methods:
        (H, W), (h, w) = X.shape, K.shape
        for method, name in METHODS.items():
            if method == 'direct' and (H - h + 1) * (W - w + 1) * h * w \
                    > METHOD_MAX:
                continue
            x1 = np.array(X)
            calls[name] = lambda x1=x1, method=method: waited(
                corr2d_fast(x1, k, method=method))
    return calls


NUMPY_IN = 'corr2d_fast, NumPy in'
#: `corr2d_fast`'s methods timed beside 'auto' on the grid's cases from
#: `METHODS_FROM`² up with square kernels of 3x3 and more.
METHODS = {'direct': "corr2d_fast, method='direct'",
           'fft': "corr2d_fast, method='fft'"}
METHODS_FROM = 256
METHOD_MAX = 3e10  # multiply-adds beyond which 'direct' is not timed


def waited(Y):
    """Return MXNet's `Y` once computed (MXNet is asynchronous)."""
    Y.wait_to_read()
    return Y


def time_calls(calls, label, check=True):
    """Return ``{name: seconds}``, the fastest of runs interleaved across
    names (the least disturbed by other programs on a shared machine).

    Rounds call every name once, in an order shuffled anew each round
    (seeded): in a fixed order, each call always followed the same one,
    and found the caches as that one left them (after an FFT peer, a
    call took 1.3 to 2 times as long as after our own).

    Each call is warmed up (and checked against the first) before timing.
    A call over 2 s runs once, over 0.3 s 3 times; a faster one runs
    about `BUDGET` seconds in all (7 to `MAX_RUNS` times).
    """
    import numpy as onp
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
        elif check:
            onp.testing.assert_allclose(Y, expected, rtol=1e-3, atol=2e-3,
                                        err_msg=name)
        runs[name] = (1 if warm > 2 else 3 if warm > 0.3
                      else max(7, min(MAX_RUNS, int(BUDGET / warm))))
        times[name] = [warm] if runs[name] == 1 else []
    names, order = list(calls), random.Random(0)
    for _ in range(max(runs.values())):
        order.shuffle(names)
        for name in names:
            call = calls[name]
            if len(times[name]) < runs[name]:
                start = time.perf_counter()
                call()
                times[name].append(time.perf_counter() - start)
    return {name: min(t) for name, t in times.items()}


def streaming(n, kernel):
    """Return the fastest seconds of `corr2d_fast` on distinct images in
    turn.

    Copies of one image fill `STREAM_BYTES`, more than the caches hold,
    so each call reads an image that is in memory only, as the bound
    assumes; calls run back to back, as a program streaming through
    images would make them: each into a new output (``'streaming'``),
    and each into one output reused (``'streaming, out='``), runs of
    the two interleaved.
    """
    from mxnet import np

    from d2l_conv import corr2d_fast
    X, K = make_inputs(n, kernel)
    images = [np.array(X) for _ in range(max(4, STREAM_BYTES // X.nbytes))]
    k = np.array(K)
    out = waited(corr2d_fast(images[0], k))
    calls = {'streaming': lambda x: waited(corr2d_fast(x, k)),
             'streaming, out=': lambda x: waited(corr2d_fast(x, k, out=out))}
    for x in images:  # and a first round to warm up
        for call in calls.values():
            call(x)
    times = {name: [] for name in calls}
    for run in range(MAX_RUNS):
        x = images[run % len(images)]
        for name in (list(calls) if run % 2 else list(calls)[::-1]):
            start = time.perf_counter()
            calls[name](x)
            times[name].append(time.perf_counter() - start)
    return {'n': n, 'kernel': kernel, 'images': len(images),
            **{name: min(t) for name, t in times.items()}}


#: What a fresh process does to be a build without the C engine (as
#: where no compiler built it): its import fails. With ``hide``, OpenCV
#: and scipy are hidden from `d2l_conv` too, as where neither is
#: installed (MXNet, imported first, has them; they come back after, for
#: the peers).
WITHOUT_C = '''
import sys
import mxnet
sys.modules['d2l_conv.fast._direct'] = None
hidden = {name: sys.modules.pop(name, None) for name in hide}
sys.modules.update(dict.fromkeys(hidden))
import d2l_conv
for name, module in hidden.items():
    del sys.modules[name]
    if module is not None:
        sys.modules[name] = module
'''

#: The builds without C that `WITHOUT_C` makes: their names and hidden
#: modules.
BUILDS = {'without C': (), 'without C, NumPy only': ('cv2', 'scipy')}


COLD_START = '''
import sys
import time
build = sys.argv[4]
if build in BUILDS:
    hide = BUILDS[build]
    exec(WITHOUT_C)
import numpy as onp
import d2l_conv
from mxnet import np
n, k, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
rng = onp.random.default_rng(0)
X = rng.standard_normal((n, n)).astype('float32')
K = rng.standard_normal((k, k)).astype('float32')
if build == 'ndimage':  # the control: the machine's own noise
    from scipy import ndimage
    c = k // 2
    call = lambda: ndimage.correlate(X, K)[c:c + n - k + 1, c:c + n - k + 1]
else:
    x, K = np.array(X), np.array(K)
    x.wait_to_read()
    call = lambda: d2l_conv.corr2d_fast(x, K).wait_to_read()
times = []
start = time.perf_counter()
while time.perf_counter() - start < seconds:
    t = time.perf_counter()
    call()
    times.append(time.perf_counter() - t)
times.sort()
print(times[-1], len(times), times[int(0.999 * (len(times) - 1))],
      times[len(times) // 2])
'''

#: The cold start's runs: the build as installed and the build without
#: the C engine (both judged); and ndimage.correlate in the same loop, a
#: control for what the machine itself adds.
COLD_BUILDS = ['as installed', 'without C', 'ndimage']


def cold_start():
    """Return, per `COLD_CASES` case and `COLD_BUILDS` run, the slowest
    call in the first `COLD_SECONDS` of a fresh process: the median of
    `COLD_RUNS` processes (each one's in ``runs``), since one process's
    slowest call is often the operating system's doing (the control
    shows how often)."""
    code = f'BUILDS = {BUILDS!r}\nWITHOUT_C = {WITHOUT_C!r}\n{COLD_START}'
    found = []
    for build in COLD_BUILDS:
        for n, (k, _) in COLD_CASES:
            runs = []
            for _ in range(COLD_RUNS):
                out = subprocess.run(
                    [sys.executable, '-c', code, str(n), str(k),
                     str(COLD_SECONDS), build], capture_output=True,
                    text=True, check=True)
                slowest, calls, p999, median = out.stdout.split()
                runs.append({'slowest': float(slowest), 'calls': int(calls),
                             'p99.9': float(p999), 'median': float(median)})
            typical = sorted(runs, key=lambda run: run['slowest'])[
                len(runs) // 2]
            found.append({'n': n, 'kernel': (k, k), 'build': build,
                          **typical,
                          'runs': [run['slowest'] for run in runs]})
    return found


#: (image side, kernel side), float32, timed on one thread and on all.
THREAD_CASES = [(512, 3), (1024, 3), (2048, 3), (4096, 3), (4096, 15)]


def threads():
    """Return, per `THREAD_CASES` case, `corr2d_fast` (NumPy in, one
    ``out=`` reused) and ``cv2.filter2D`` on one thread and on all
    (`set_num_threads`, ``cv2.setNumThreads``), calls interleaved."""
    import cv2

    from d2l_conv.fast import choose, get_num_threads, set_num_threads
    rows, most = [], get_num_threads()
    default = cv2.getNumThreads()
    try:
        for n, k in THREAD_CASES:
            times = time_calls(thread_calls(n, k, most),
                               f'threads, {n}x{n}, {k}x{k}')
            picked = choose.ranked((n, n), (k, k), 'direct', choose.ENGINES,
                                   most, choose._version())[0]
            rows.append({'case': f'{n}², {k}x{k}', 'n': n, 'threads': most,
                         'picked': list(picked), **times,
                         'scaling': times['all'] / times['one']})
    finally:
        set_num_threads(None)
        cv2.setNumThreads(default)
    return rows


def thread_calls(n, k, most):
    """Return `threads`' calls of one case, each setting its threads."""
    import cv2
    import numpy as onp

    from d2l_conv.fast import corr2d_fast, set_num_threads
    X, K = make_inputs(n, (k, k))
    X1, X2, c = X.copy(), X.copy(), k // 2
    out = onp.empty((n - k + 1, n - k + 1), 'float32')

    def ours(count):
        set_num_threads(count)
        return corr2d_fast(X1, K, out=out, method='direct')

    def theirs(count):
        cv2.setNumThreads(count)
        return cv2.filter2D(X2, -1, K)[c:n - c, c:n - c]

    return {'one': lambda: ours(1), 'all': lambda: ours(most),
            'cv2 one': lambda: theirs(1), 'cv2 all': lambda: theirs(most)}


def copy_bandwidth(most, mib=256):
    """Return the best bytes/s (read + written) of NumPy copies of `mib`
    MiB (far beyond the caches), shared among 1 to `most` threads (the
    fastest of 7 copies each)."""
    import numpy as onp
    source = onp.ones(mib << 18, 'float32')
    target = onp.empty_like(source)
    best = 0.0
    for count in sorted({1, 2, most}):
        bounds = onp.linspace(0, source.size, count + 1).astype(int)
        with ThreadPoolExecutor(count) as pool:
            for _ in range(7):
                start = time.perf_counter()
                list(pool.map(lambda a, b: onp.copyto(target[a:b],
                                                      source[a:b]),
                              bounds[:-1], bounds[1:]))
                seconds = time.perf_counter() - start
                best = max(best, 2 * source.nbytes / seconds)
    return best


def without_c(grid):
    """Return the grid's cases timed in each build of `BUILDS`.

    Each build is a fresh process (``--build``) that times `corr2d_fast`
    (either input) and the best peer of each case of `grid`, interleaved;
    cases where the NumPy engine alone would need over `DIRECT_MAX`
    multiply-adds are left out of that build (seconds a call).
    """
    cases = [{'n': c['n'], 'kernel': c['kernel'], 'peer': min(
        (t, name) for name, t in c['times'].items() if name in PEER_NAMES)[1]}
        for c in grid]
    found = {}
    for build in BUILDS:
        progress(f'the grid, {build}')
        out = subprocess.run(
            [sys.executable, __file__, '--build', build, *QUICK],
            check=True, input=json.dumps(cases), stdout=subprocess.PIPE,
            text=True)
        found[build] = json.loads(out.stdout)
    return found


def time_build(build, cases):
    """Time `cases` in this process, made a build of `BUILDS` first."""
    exec(WITHOUT_C, {'hide': BUILDS[build]})
    from d2l_conv.fast import choose
    found = []
    for case in cases:
        n, kernel = case['n'], tuple(case['kernel'])
        work = (n - kernel[0] + 1) * (n - kernel[1] + 1) * kernel[0] \
            * kernel[1]
        if choose.ENGINES == ('numpy',) and work > DIRECT_MAX:
            continue
        X, K = make_inputs(n, kernel)
        calls = {**ours(X, K), case['peer']: peers(X, K)[case['peer']]}
        found.append({'n': n, 'kernel': kernel, 'peer': case['peer'],
                      'engines': choose.ENGINES,
                      'engine': choose.choose_engine(X.shape, K.shape),
                      'times': time_calls(calls, f'{build}, {n}x{n}, '
                                          f'{kernel}')})
    return found


def machine():
    """Return one line naming the CPU and the library versions."""
    import platform

    import cv2
    import mxnet
    import numpy
    import scipy
    model = platform.processor() or 'unknown CPU'
    try:
        with open('/proc/cpuinfo') as f:
            model = next(line.split(':', 1)[1].strip() for line in f
                         if line.startswith('model name'))
    except (OSError, StopIteration):
        pass
    return (f'{model}, {os.cpu_count()} cores, {platform.system()}; '
            f'Python {platform.python_version()}, NumPy {numpy.__version__}'
            f', MXNet {mxnet.__version__}, SciPy {scipy.__version__}, '
            f'OpenCV {cv2.__version__}')


def measure():
    """Run every measurement; return them as a JSON-ready dict."""
    from d2l_conv.fast import choose
    progress('the cold start: the slowest call in a fresh process')
    cold = cold_start()
    grid = []
    for n in SIDES:
        for kernel in KERNELS:
            if max(kernel) > n:
                continue
            X, K = make_inputs(n, kernel)
            methods = (n >= METHODS_FROM and kernel[0] == kernel[1]
                       and kernel[0] >= 3)
            calls = {**ours(X, K, methods=methods), **peers(X, K)}
            times = time_calls(calls, f'{n}x{n}, {kernel}')
            grid.append({'n': n, 'kernel': kernel, 'times': times,
                         'engine': choose.choose_engine(X.shape,
                                                        K.shape)})
    progress('the bound: streaming through distinct images')
    bound = [streaming(side, kernel) for side, kernel in BOUND_CASES]
    progress('copy bandwidth')
    bandwidth = copy_bandwidth(os.cpu_count())
    scaling = threads() if os.cpu_count() > 1 else []
    return {'machine': machine(), 'grid': grid, 'copy_bandwidth': bandwidth,
            'bound': bound, 'cold_start': cold,
            'without_c': without_c(grid), 'scaling': scaling}




def main(argv=None):
    """Measure (unless ``--render-only``) and render; 0 if targets hold."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--render-only', action='store_true',
                        help='re-render benchmarks/results.json')
    parser.add_argument('--no-write', action='store_true',
                        help='measure and print; write nothing')
    parser.add_argument('--quick', action='store_true',
                        help='a few cases only, to try the script out')
    parser.add_argument('--build', choices=BUILDS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        global SIDES, KERNELS, BUDGET, BOUND_CASES, QUICK, THREAD_CASES
        SIDES, KERNELS, BUDGET = [28, 224, 1024], [(3, 3), (31, 31)], 0.05
        BOUND_CASES, THREAD_CASES = [(1024, (3, 3))], [(512, 3)]
        QUICK = ['--quick']
    if args.build:  # a build without C: cases in on stdin, times out
        print(json.dumps(time_build(args.build, json.load(sys.stdin))))
        return 0
    sys.path.insert(0, str(HERE))
    import render_bench
    if args.render_only:
        return render_bench.main([])
    data = measure()
    if args.no_write:
        print(json.dumps(data, indent=1))
        return 0
    render_bench.replace_whole(JSON, json.dumps(data, indent=1) + '\n')
    return render_bench.main([])


if __name__ == '__main__':
    sys.exit(main())
