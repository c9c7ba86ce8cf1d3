"""Time `corr2d_fast` and friends against the fastest peers in this stack.

Run ``make bench`` (``python benchmarks/bench_corr2d.py``). For each image
size and kernel it times, side by side in this one process, after a
warm-up call, several interleaved runs of

* the peers: ``npx.convolution`` (oneDNN, the op behind ``nn.Conv2D``),
  ``scipy.signal.correlate2d`` and ``scipy.ndimage.correlate`` cropped to
  the valid region, each given inputs in its own native type;
* the book's loop `corr2d` (small images only), `corr2d_vectorized`,
  ``exercises.corr2d_im2col`` (if present) and `corr2d_fast`, each given
  ``mxnet.np`` arrays, so `corr2d_fast`'s conversions are timed.

It reports medians, the ratio to the best peer, the peak memory of one
call in a fresh process, a block-size sweep for `corr2d_fast`, and a
roofline-style bound; writes them to ``benchmarks/results.md`` and into
the README between the ``section:bench`` markers; and exits 1 if
`corr2d_fast` is slower than 1.1 times the best peer anywhere.
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / 'benchmarks' / 'results.md'
README = ROOT / 'README.md'
START, END = '<!-- section:bench:start -->', '<!-- section:bench:end -->'

#: (image side, kernel side): the issue's target cases, then the small
#: images on which the book's loop also runs.
CASES = [(256, 3), (256, 5), (1024, 3), (1024, 5), (2048, 3), (2048, 5)]
SMALL = [(16, 3), (32, 3)]
PEERS = ['npx.convolution', 'signal.correlate2d', 'ndimage.correlate']
TARGET = 1.1  # corr2d_fast may take at most this times the best peer
ROOF = (1024, 3)  # the case the roofline-style bound is worked out for
SWEEP = (2048, 3)  # the case the block size is swept on
SWEEP_BLOCKS = [1 << p for p in range(14, 23)]  # 16K .. 4M elements
THREAD_SIDES = [128, 256, 384, 512, 768]  # where a 2nd thread starts to pay


def progress(text):
    """Overwrite the progress line on stderr (one line per step if piped)."""
    if sys.stderr.isatty():
        sys.stderr.write(f'\r\x1b[K{text}')
    elif text and '(run ' not in text:
        sys.stderr.write(f'{text}\n')
    sys.stderr.flush()


def make_inputs(n, k, seed=0):
    """Return a float32 ``n x n`` image and ``k x k`` kernel (NumPy)."""
    import numpy as onp
    rng = onp.random.default_rng(seed)
    return (rng.standard_normal((n, n)).astype('float32'),
            rng.standard_normal((k, k)).astype('float32'))


def candidates(X, K, book=False):
    """Return ``{name: (kind, call)}`` for one case.

    Each ``call()`` runs one function to completion (MXNet is asynchronous,
    so its outputs are waited for) and returns the output.
    """
    from mxnet import np, npx
    from scipy import ndimage, signal

    import d2l_conv
    (H, W), (h, w) = X.shape, K.shape
    x, k = np.array(X), np.array(K)
    x4, k4 = x.reshape(1, 1, H, W), k.reshape(1, 1, h, w)
    x4.wait_to_read()
    k4.wait_to_read()

    def waited(fn):
        def call():
            Y = fn()
            Y.wait_to_read()
            return Y
        return call

    top, left = (h - 1) // 2, (w - 1) // 2  # ndimage centres the kernel
    found = {
        'npx.convolution': ('peer', waited(lambda: npx.convolution(
            x4, k4, kernel=(h, w), num_filter=1, no_bias=True))),
        'signal.correlate2d': ('peer', lambda: signal.correlate2d(
            X, K, mode='valid')),
        'ndimage.correlate': ('peer', lambda: ndimage.correlate(X, K)[
            top:top + H - h + 1, left:left + W - w + 1]),
    }
    if book:
        found['corr2d (book)'] = ('ours', waited(
            lambda: d2l_conv.corr2d(x, k)))
    found['corr2d_vectorized'] = ('ours', waited(
        lambda: d2l_conv.corr2d_vectorized(x, k)))
    im2col = im2col_function()
    if im2col is not None:
        found['corr2d_im2col'] = ('ours', waited(lambda: im2col(x, k)))
    found['corr2d_fast'] = ('ours', waited(
        lambda: d2l_conv.corr2d_fast(x, k)))
    return found


def im2col_function():
    """Return ``exercises.corr2d_im2col``, or None if it is not there."""
    try:
        from d2l_conv import exercises
    except ImportError:
        return None
    return getattr(exercises, 'corr2d_im2col', None)


def as_numpy(Y):
    """Return an output as a 2-D NumPy array."""
    Y = Y.asnumpy() if hasattr(Y, 'asnumpy') else Y
    return Y.reshape(Y.shape[-2:])


def time_case(found, repeats, label):
    """Return ``{name: [seconds, ...]}``, runs interleaved across names.

    Each function is checked against `corr2d_fast` and warmed up first;
    one whose warm-up takes over a second runs only 3 times.
    """
    import numpy as onp
    expected = as_numpy(found['corr2d_fast'][1]())
    runs, times = {}, {}
    for name, (_, call) in found.items():
        progress(f'{label}: warm-up {name}')
        start = time.perf_counter()
        Y = call()
        warm = time.perf_counter() - start
        onp.testing.assert_allclose(as_numpy(Y), expected, rtol=1e-3,
                                    atol=1e-3, err_msg=name)
        runs[name] = 3 if warm > 1 else repeats
        times[name] = []
    for r in range(repeats):
        for name, (_, call) in found.items():
            if r < runs[name]:
                progress(f'{label}: {name} (run {r + 1}/{runs[name]})')
                start = time.perf_counter()
                call()
                times[name].append(time.perf_counter() - start)
    return times


def status_mib(key):
    """Return a ``/proc/self/status`` memory field, in MiB."""
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(key + ':'):
                return int(line.split()[1]) / 1024
    raise KeyError(key)


def memory_probe(name, n, k):
    """Print the peak extra MiB of one call of `name`, in a fresh process.

    The larger of two readings taken around the call alone: the rise of
    the resident peak (``VmHWM``, reset through ``/proc/self/clear_refs``
    after the inputs are made), which sees MXNet's and oneDNN's own
    buffers but misses memory the allocator reuses; and ``tracemalloc``'s
    peak, exact for NumPy's arrays but blind to MXNet's.
    """
    import ctypes
    import tracemalloc
    X, K = make_inputs(n, k)
    call = candidates(X, K, book=name == 'corr2d (book)')[name][1]
    ctypes.CDLL(None).malloc_trim(0)  # give the set-up's freed heap back
    with open('/proc/self/clear_refs', 'w') as f:
        f.write('5')  # reset VmHWM to the current VmRSS
    base = status_mib('VmRSS')
    tracemalloc.start()
    Y = call()  # kept alive while the peaks are read
    traced = tracemalloc.get_traced_memory()[1] / 2**20
    resident = status_mib('VmHWM') - base
    print(f'{max(resident, traced, 0):.1f}')
    del Y


def measure_memory(jobs, parallel=2):
    """Return ``{(name, n, k): MiB or None}``, each in a fresh process.

    glibc is told to ``mmap`` every block over 64 KiB and to trim its heap
    after the set-up, so memory freed before the call does not hide the
    call's own. Two probes run at a time; none of them is timed.
    """
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_='65536')
    pending, running, peaks = list(jobs), [], {}
    while pending or running:
        while pending and len(running) < parallel:
            job = pending.pop(0)
            cmd = [sys.executable, __file__, '--memory-probe', job[0],
                   str(job[1]), str(job[2])]
            running.append((job, subprocess.Popen(
                cmd, env=env, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, text=True)))
        job, proc = running.pop(0)
        progress(f'memory {len(peaks) + 1}/{len(jobs)}: {job[0]} '
                 f'{job[1]}x{job[1]}, {job[2]}x{job[2]}')
        out = proc.communicate()[0].strip()
        peaks[job] = float(out) if proc.returncode == 0 and out else None
    return peaks


def calibrate(repeats):
    """Measure what the roofline bound needs, in bytes/s and flop/s.

    Returns a dict: ``memory`` (copying a 256 MiB array on two threads,
    read plus write), ``flops`` (float32 matmul of 2048 x 2048, OpenBLAS
    on all cores) and ``pass`` (one NumPy ``add`` over a block of
    `corr2d_fast`, read twice, written once, on one thread).
    """
    from concurrent.futures import ThreadPoolExecutor

    import numpy as onp

    from d2l_conv import fast
    src = onp.ones(1 << 26, 'float32')  # 256 MiB, far beyond the L3
    dst = onp.zeros_like(src)
    halves = [slice(0, src.size // 2), slice(src.size // 2, None)]
    with ThreadPoolExecutor(2) as pool:
        def copy():
            list(pool.map(lambda s: onp.copyto(dst[s], src[s]), halves))
        memory = 2 * src.nbytes / median_time(copy, repeats)
    A = onp.ones((2048, 2048), 'float32')
    flops = 2 * 2048 ** 3 / median_time(lambda: A @ A, repeats)
    y = onp.ones(fast.BLOCK, 'float32')
    t = onp.ones_like(y)

    def passes():
        for _ in range(20):
            onp.add(y, t, out=y)
    rate = 20 * 3 * y.nbytes / median_time(passes, repeats)
    return {'memory': memory, 'flops': flops, 'pass': rate}


def median_time(call, repeats):
    """Return the median seconds of `repeats` calls after one warm-up."""
    call()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved(calls, repeats):
    """Return ``{key: median seconds}``, one run of each call per round.

    Interleaving spreads the noise of other processes over all keys.
    """
    for call in calls.values():
        call()  # warm-up
    times = {key: [] for key in calls}
    for _ in range(repeats):
        for key, call in calls.items():
            start = time.perf_counter()
            call()
            times[key].append(time.perf_counter() - start)
    return {key: statistics.median(t) for key, t in times.items()}


def engine_call(X, K, block=None, threads=None, min_parallel=None):
    """Return a call of the NumPy engine with these settings."""
    from d2l_conv import fast

    def call():
        saved = fast.MIN_PARALLEL
        if min_parallel is not None:
            fast.MIN_PARALLEL = min_parallel
        try:
            fast.correlate_valid(X, K, block or fast.BLOCK, threads)
        finally:
            fast.MIN_PARALLEL = saved
    return call


def sweeps(repeats):
    """Time the NumPy engine by block size, and by threads on small images.

    Returns ``(blocks, threads)``: ``{(block, n_threads): seconds}`` on
    `SWEEP`, and ``{(side, n_threads): seconds}`` for 3 x 3 kernels.
    """
    progress('block-size sweep')
    X, K = make_inputs(*SWEEP)
    blocks = interleaved({(block, t): engine_call(X, K, block, t)
                          for block in SWEEP_BLOCKS for t in (1, 2)},
                         repeats)
    progress('thread sweep')
    threads = {}
    for side in THREAD_SIDES:
        X, K = make_inputs(side, 3)
        threads.update({(side, t): v for (t,), v in interleaved(
            {(t,): engine_call(X, K, threads=t, min_parallel=0)
             for t in (1, 2)}, 5 * repeats).items()})
    return blocks, threads


def machine():
    """Return one line naming the CPU, caches and library versions."""
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
    caches = []
    for level, index in (('L2', 2), ('L3', 3)):
        path = Path(f'/sys/devices/system/cpu/cpu0/cache/index{index}/size')
        if path.exists():
            caches.append(f'{level} {path.read_text().strip()}')
    return (f'{model}, {os.cpu_count()} cores ({", ".join(caches)} per '
            f'cache), {platform.system()} {platform.machine()}; Python '
            f'{platform.python_version()}, NumPy {numpy.__version__}, '
            f'MXNet {mxnet.__version__}, SciPy {scipy.__version__}')


def per_output(seconds):
    """Format a time per output element in ns, or µs from 1 µs on."""
    ns = seconds * 1e9
    return f'{ns:.3g} ns' if ns < 1e3 else f'{ns / 1e3:.3g} µs'


def fmt_time(seconds):
    """Format seconds as ms with three significant figures."""
    ms = seconds * 1e3
    return f'{ms:.3g}' if ms < 100 else f'{ms:.0f}'


def render(results, peaks, sweep, rates, info, repeats):
    """Return the Markdown for the README's bench section."""
    lines = [
        '## Speed: `corr2d_fast` against the fastest peers',
        '',
        'Produced by `make bench` (`python benchmarks/bench_corr2d.py`) on '
        f'{info}. Each time is the median of {repeats} runs after a '
        'warm-up, all in one process; *vs best peer* divides by the '
        'fastest of the three peers on that case. *Peak* is the extra '
        'memory of one call in a fresh process: the larger of the rise '
        'in resident peak (`VmHWM`, reset through `/proc/self/clear_refs`'
        "), which sees MXNet's and oneDNN's own buffers, and "
        "`tracemalloc`'s peak, exact for NumPy's arrays (the resident "
        'reading misses memory the allocator reuses).',
        '',
        '| image | kernel | function | median ms | per output | '
        'vs best peer | peak MiB |',
        '|---|---|---|--:|--:|--:|--:|',
    ]
    verdicts = []
    for (n, k), times in results.items():
        outputs = (n - k + 1) ** 2
        med = {name: statistics.median(t) for name, t in times.items()}
        best = min(med[p] for p in PEERS)
        for name, seconds in med.items():
            runs = len(times[name])
            note = f' ({runs} runs)' if runs != repeats else ''
            peak = peaks.get((name, n, k))
            peak = '–' if peak is None else f'{peak:.1f}'
            ratio = seconds / best
            shown = f'**{name}**' if name == 'corr2d_fast' else name
            if name in PEERS:
                shown += ' (peer)'
            lines.append(
                f'| {n}² | {k}×{k} | {shown}{note} | {fmt_time(seconds)} '
                f'| {per_output(seconds / outputs)} | {ratio:.2f} | {peak} |')
        if (n, k) in CASES:
            verdicts.append(med['corr2d_fast'] / best)
    worst = max(verdicts)
    lines += ['', f'Target: `corr2d_fast` ≤ {TARGET}× the best peer on '
              f'every case of 256², 1024², 2048² with 3×3 and 5×5. '
              f'Worst ratio measured: **{worst:.2f}** '
              f'({"holds" if worst <= TARGET else "MISSED"}). The book\'s '
              'loop runs on 16² and 32² only; its cost per output element '
              'is in the *per output* column.', '']
    lines += growth(results) + roofline(results, rates) + sweep_table(sweep)
    return '\n'.join(lines) + '\n', worst


def growth(results):
    """Return Markdown on how `corr2d_fast`'s cost grows with size."""
    med = {case: statistics.median(t['corr2d_fast'])
           for case, t in results.items()}

    def per_mac(n, k):
        return med[n, k] / ((n - k + 1) ** 2 * k * k) * 1e9
    lines = ['### How the cost grows', '',
             '`corr2d_fast` does `h * w` passes over the output, so its '
             'time should grow with (output elements) × (kernel taps). '
             'Measured ns per multiply-add:', '',
             '| image | 3×3 | 5×5 | 5×5 / 3×3 time |', '|---|--:|--:|--:|']
    for n in sorted({n for n, _ in CASES}):
        lines.append(f'| {n}² | {per_mac(n, 3):.3g} | {per_mac(n, 5):.3g} '
                     f'| {med[n, 5] / med[n, 3]:.2f} |')
    lines += ['', 'Going from 3×3 to 5×5 multiplies the taps by 25/9 = 2.8; '
              'going from 1024² to 2048² multiplies the outputs by 4 '
              f'(measured: ×{med[2048, 3] / med[1024, 3]:.2f} for 3×3, '
              f'×{med[2048, 5] / med[1024, 5]:.2f} for 5×5). A constant '
              'cost per multiply-add would mean time ∝ outputs × taps. '
              'At 256² the fixed costs of a call (input checks, about 20 '
              'Python-level NumPy calls, DLPack hand-offs: about 0.1 ms) '
              'weigh more, and one thread does all the work.', '']
    return lines


def roofline(results, rates):
    """Return Markdown: the bound for `ROOF` against what is measured."""
    from d2l_conv import fast
    n, k = ROOF
    oh = n - k + 1
    measured = statistics.median(results[ROOF]['corr2d_fast'])
    best = min(statistics.median(results[ROOF][p]) for p in PEERS)
    moved = 4 * (n * n + oh * oh)  # read X once, write Y once
    macs = oh * oh * k * k
    t_mem, t_flop = moved / rates['memory'], 2 * macs / rates['flops']
    # Our NumPy passes over each block (oh * n padded elements): the first
    # tap reads x and writes the scratch y (8 B); every other tap reads x,
    # writes tmp, then reads y and tmp and writes y (20 B); the crop reads
    # y and writes Y (8 B). DLPack spares the conversions their copies.
    ours = 4 * oh * n * (2 + 5 * (k * k - 1) + 2)
    t_ours = ours / (2 * rates['pass'])
    return [
        f'### The bound for {n}² with a {k}×{k} kernel', '',
        '| quantity | value |', '|---|--:|',
        f'| bytes that must move (read X, write Y, float32) | '
        f'{moved / 1e6:.1f} MB |',
        f'| multiply-adds | {macs / 1e6:.1f} M ({2 * macs / 1e6:.1f} '
        'Mflop) |',
        f'| memory bandwidth (2-thread copy of 256 MiB) | '
        f'{rates["memory"] / 1e9:.1f} GB/s → {t_mem * 1e3:.3f} ms |',
        f'| float32 rate (OpenBLAS matmul, all cores) | '
        f'{rates["flops"] / 1e9:.0f} Gflop/s → {t_flop * 1e3:.3f} ms |',
        f'| **bound**: the larger | **{max(t_mem, t_flop) * 1e3:.3f} ms** |',
        f'| bytes `corr2d_fast` streams through cache (2·h·w − 1 NumPy '
        f'passes and the crop) | {ours / 1e6:.0f} MB |',
        f'| NumPy pass rate on one {fast.BLOCK * 4 >> 20} MiB block '
        f'(one thread) | {rates["pass"] / 1e9:.1f} GB/s |',
        f'| predicted from that, on 2 threads | {t_ours * 1e3:.2f} ms |',
        f'| **measured `corr2d_fast`** | **{measured * 1e3:.2f} ms** '
        f'({measured / max(t_mem, t_flop):.0f}× the bound) |',
        f'| best peer | {best * 1e3:.2f} ms |', '',
        'The operation itself is memory-bound (about '
        f'{2 * macs / moved:.1f} flop per byte); `corr2d_fast` is not near '
        'that bound because NumPy cannot fuse a multiply with an add or '
        'keep a tile in registers: every tap is two passes over a block, '
        'so it moves about '
        f'{ours / moved:.0f}× the compulsory bytes. A compiled kernel '
        '(one pass, taps in registers) would be needed to approach the '
        'bound.', '']


def sweep_table(sweep):
    """Return Markdown for the block-size and thread sweeps."""
    from d2l_conv import fast
    blocks, threads = sweep
    n, k = SWEEP
    lines = ['### Block size and threads (NumPy engine only)', '',
             f'Median ms of `fast.correlate_valid` on {n}² with a {k}×{k} '
             'kernel, by output elements per block (rounds interleaved). '
             f'`fast.BLOCK` is {fast.BLOCK} (1 MiB of float32): blocks '
             'small enough for the 512 KiB L2 lose more to NumPy\'s call '
             'overhead (about 1 µs a call) than they gain, and blocks of '
             'several MiB spill the shared L3.', '',
             '| block (elements) | ' + ' | '.join(
                 f'{b >> 10}K' for b in SWEEP_BLOCKS) + ' |',
             '|---|' + '--:|' * len(SWEEP_BLOCKS)]
    for t in (1, 2):
        lines.append(f'| {t} thread{"s" if t > 1 else ""} | ' + ' | '.join(
            fmt_time(blocks[b, t]) for b in SWEEP_BLOCKS) + ' |')
    lines += ['', 'A second thread pays only on larger images; '
              f'`fast.MIN_PARALLEL` is {fast.MIN_PARALLEL} output elements. '
              'Median ms, 3×3 kernel:', '',
              '| image | ' + ' | '.join(f'{s}²' for s in THREAD_SIDES)
              + ' |', '|---|' + '--:|' * len(THREAD_SIDES)]
    for t in (1, 2):
        lines.append(f'| {t} thread{"s" if t > 1 else ""} | ' + ' | '.join(
            f'{threads[s, t] * 1e3:.3f}' for s in THREAD_SIDES) + ' |')
    return lines + ['']


def splice_readme(markdown, path=README):
    """Replace the README text between the bench markers with `markdown`."""
    text = path.read_text()  # read just before writing: others edit it too
    if START not in text or END not in text:
        print(f'{path}: no {START} ... {END} markers; not updated',
              file=sys.stderr)
        return False
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    path.write_text(f'{head}{START}\n{markdown}{END}{tail}')
    return True


def main(argv=None):
    """Run the benchmark; return 0 if the target holds, else 1."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--repeats', type=int, default=7,
                        help='timed runs per function and case (default 7)')
    parser.add_argument('--no-memory', action='store_true',
                        help='skip the peak-memory probes')
    parser.add_argument('--no-write', action='store_true',
                        help='print only; leave results.md and README')
    parser.add_argument('--memory-probe', nargs=3,
                        metavar=('NAME', 'N', 'K'), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_probe:
        name, n, k = args.memory_probe
        memory_probe(name, int(n), int(k))
        return 0

    info = machine()
    results = {}
    cases = SMALL + CASES
    for i, (n, k) in enumerate(cases):
        label = f'[{i + 1}/{len(cases)}] {n}x{n}, {k}x{k}'
        found = candidates(*make_inputs(n, k), book=(n, k) in SMALL)
        results[n, k] = time_case(found, args.repeats, label)
    sweep = sweeps(args.repeats)
    progress('calibrating memory bandwidth and float32 rate')
    rates = calibrate(args.repeats)
    peaks = {}
    if not args.no_memory:
        jobs = [(name, n, k) for n, k in CASES for name in results[n, k]]
        peaks = measure_memory(jobs)
    progress('')
    markdown, worst = render(results, peaks, sweep, rates, info,
                             args.repeats)
    print(markdown)
    if not args.no_write:
        RESULTS.write_text(markdown)
        where = 'and README.md' if splice_readme(markdown) else ''
        print(f'wrote {RESULTS.relative_to(ROOT)} {where}', file=sys.stderr)
    return 0 if worst <= TARGET else 1


if __name__ == '__main__':
    sys.exit(main())
