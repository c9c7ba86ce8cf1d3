"""Render ``benchmarks/results.json`` (written by ``bench_corr2d.py``).

Writes ``benchmarks/results.md`` and docs/speed.md's text between the
``section:bench`` markers, each whole or not at all. Measures nothing.
Exits 1 if a target is missed:
`corr2d_fast` (given ``mxnet.np`` or NumPy input) at most `TARGET` times
the best peer on every grid case from `TARGET_FROM`² up, at most
`SMALL_TARGET` times OpenCV's below, at most `BOUND_TARGET` times the
memory-traffic bound (streaming into one ``out=`` reused), no call in
the cold start slower than `COLD_TARGET` times ``ndimage.correlate``'s
time in the grid (as installed and without the C engine), without the
C engine, but with OpenCV and scipy, at most `WITHOUT_C_TARGET` times
the best peer from `WITHOUT_C_FROM`² up, and ``method='auto'`` at most
`AUTO_TARGET` times the faster of ``'direct'`` and ``'fft'``, and on
every CPU at most `THREADS_TARGET` times the time on one from
`THREADS_FROM`² up.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))  # last: an installed d2l_conv stays first
from _d2l_conv_tools import write_atomic  # noqa: E402

JSON = ROOT / 'benchmarks' / 'results.json'
RESULTS = ROOT / 'benchmarks' / 'results.md'
README = ROOT / 'docs' / 'speed.md'
START, END = '<!-- section:bench:start -->', '<!-- section:bench:end -->'
PEERS = ['cv2.filter2D', 'npx.convolution', 'signal.correlate2d',
         'ndimage.correlate', 'signal.correlate', 'signal.fftconvolve']
OURS = ['corr2d_fast', 'corr2d_fast, NumPy in']
TARGET = 1.0
TARGET_FROM = 224  # images from this side up; below, SMALL_TARGET
SMALL_TARGET = 2.0  # times OpenCV's time
BOUND_TARGET = 1.5  # with out= reused
COLD_TARGET = 2.0
WITHOUT_C_TARGET = 1.3
#: From this side up: below, a call's fixed costs (MXNet's output, the
#: checks) exceed 0.3x OpenCV's whole call, measured (docs/install.md).
WITHOUT_C_FROM = 1024
#: `corr2d_fast`'s method 'auto' against the faster of 'direct' and
#: 'fft', where `bench_corr2d.py` timed them.
AUTO_TARGET = 1.1
METHODS = ["corr2d_fast, method='direct'", "corr2d_fast, method='fft'"]
#: `corr2d_fast` on every CPU of this machine against one CPU, the same
#: calls, from THREADS_FROM² up.
THREADS_TARGET = 0.65
THREADS_FROM = 512
WITHOUT_C, NUMPY_ONLY = 'without C', 'without C, NumPy only'

def ms(seconds):
    """Format seconds as ms, three significant figures."""
    v = seconds * 1e3
    return f'{v:.3g}' if v < 1000 else f'{v:.0f}'


def grid_table(data):
    """Return the grid's Markdown rows and the worst ratios.

    The worst ratios are ``(to the best peer, from TARGET_FROM² up,
    either input of `OURS`; to OpenCV, below, NumPy in)``.
    """
    lines = ['| image | kernel | **corr2d_fast** (engine) | NumPy in | '
             + ' | '.join(PEERS) + ' | vs best peer (NumPy in) |',
             '|---|---|--:|--:|' + '--:|' * len(PEERS) + '--:|']
    worst, worst_small = 0, 0
    for case in data['grid']:
        t = case['times']
        best = min(t[p] for p in PEERS if p in t)
        ratios = [t[name] / best for name in OURS]
        if case['n'] >= TARGET_FROM:
            worst = max(worst, *ratios)
        else:
            worst_small = max(worst_small,  # NumPy in, as OpenCV's
                              t[OURS[1]] / t['cv2.filter2D'])
        h, w = case['kernel']
        cells = [(f'**{ms(t[p])}**' if t[p] == best else ms(t[p]))
                 if p in t else '–' for p in PEERS]
        lines.append(f"| {case['n']}² | {h}×{w} | **{ms(t[OURS[0]])}"
                     f"** ({case['engine']}) | {ms(t[OURS[1]])} | "
                     + ' | '.join(cells)
                     + f' | {ratios[0]:.2f} ({ratios[1]:.2f}) |')
    return lines, worst, worst_small


def cold_table(data):
    """Return the cold start's Markdown rows and the worst ratio.

    The build as installed and the build without the C engine are
    judged; ndimage's own loop (the control) is shown beside them.
    """
    lines = ['| run | image, kernel | calls in the first 2 s | median | '
             '99.9th percentile | slowest call | ndimage.correlate (grid '
             'fastest) | slowest × ndimage |',
             '|---|---|--:|--:|--:|--:|--:|--:|']
    grid = {(c['n'], tuple(c['kernel'])): c['times']['ndimage.correlate']
            for c in data['grid'] if 'ndimage.correlate' in c['times']}
    rows = [(case['build'], case, grid[case['n'], tuple(case['kernel'])])
            for case in data['cold_start']]
    worst = 0
    for run, case, ndimage in rows:
        n, kernel = case['n'], tuple(case['kernel'])
        ratio = case['slowest'] / ndimage
        judged = run in ('as installed', WITHOUT_C)
        if judged:
            worst = max(worst, ratio)
        lines.append(
            f'| {"ndimage.correlate (control)" if run == "ndimage" else run}'
            f' | {n}², {kernel[0]}×{kernel[1]} | {case["calls"]} | '
            f'{ms(case["median"])} ms | {ms(case["p99.9"])} ms | '
            f'{ms(case["slowest"])} ms{_runs(case)} | {ms(ndimage)} ms | '
            + (f'**{ratio:.2f}**' if judged else f'{ratio:.2f}') + ' |')
    return lines, worst


def _runs(case):
    """Return each process's slowest call, where there were several."""
    runs = case.get('runs', [])
    if len(runs) < 2:
        return ''
    return ' (' + ', '.join(ms(run) for run in runs) + ')'


def without_c_table(data):
    """Return the builds without C as Markdown rows, the worst ratio to
    the best peer with OpenCV and scipy (either input) from
    `WITHOUT_C_FROM`² up, and the NumPy engine's ratios (either input)
    where neither is installed."""
    builds = data['without_c']
    lines = ['| image | kernel | best peer (its ms) | **without C** '
             '(engine) | NumPy in | × best peer | NumPy only | '
             '× best peer |', '|---|---|---|--:|--:|--:|--:|--:|']
    numpy_only = {(c['n'], tuple(c['kernel'])): c
                  for c in builds[NUMPY_ONLY]}
    worst, ratios = 0, []
    for case in builds[WITHOUT_C]:
        t, peer = case['times'], case['peer']
        ratio = max(t[name] for name in OURS) / t[peer]
        if case['n'] >= WITHOUT_C_FROM:
            worst = max(worst, ratio)
        h, w = case['kernel']
        row = (f"| {case['n']}² | {h}×{w} | {peer} ({ms(t[peer])}) | "
               f"**{ms(t[OURS[0]])}** ({case['engine']}) | "
               f'{ms(t[OURS[1]])} | {ratio:.2f} |')
        alone = numpy_only.get((case['n'], (h, w)))
        if alone is None:
            lines.append(row + ' – | – |')
            continue
        t = alone['times']
        ratios.append(max(t[name] for name in OURS) / t[peer])
        lines.append(row + f' {ms(t[OURS[0]])} | {ratios[-1]:.2f} |')
    return lines, worst, ratios


def auto_table(data):
    """Return the Markdown rows of 'auto' against 'direct' and 'fft',
    and the worst ratio of the method 'auto' picked to the faster of the
    two (0 where none was timed).

    'auto' runs the engine of the method it picks, on the same threads,
    so that method's time, from the same rounds, judges the choice;
    'auto''s own time is shown beside it: on this machine the two differ
    by the noise between calls.
    """
    lines = ['| image | kernel | auto (engine) | direct | fft | auto × '
             'the faster | its method × the faster |',
             '|---|---|--:|--:|--:|--:|--:|']
    worst = 0
    for case in data['grid']:
        t = case['times']
        timed = [t[name] for name in METHODS if name in t]
        if METHODS[1] not in t:
            continue
        faster = min(timed)
        method = METHODS[1] if case['engine'] == 'fft' else METHODS[0]
        ratio = t.get(method, t['corr2d_fast']) / faster
        worst = max(worst, ratio)
        h, w = case['kernel']
        direct = ms(t[METHODS[0]]) if METHODS[0] in t else '–'
        lines.append(f"| {case['n']}² | {h}×{w} | {ms(t['corr2d_fast'])} "
                     f"({case['engine']}) | {direct} | {ms(t[METHODS[1]])}"
                     f" | {t['corr2d_fast'] / faster:.2f} | {ratio:.2f} |")
    return lines, worst


def bound_table(data):
    """Return the bound's Markdown rows and the worst ratio to it.

    The ratio that counts is `corr2d_fast` streaming through distinct
    images (each call's input in memory only) into one ``out=`` reused;
    into a new output each call, and between the peers (from the grid),
    are shown beside it.
    """
    bw = data['copy_bandwidth']
    lines = ['| image, kernel | compulsory bytes (read X, write Y) | '
             'bound at the copy bandwidth | corr2d_fast streaming, '
             '`out=` reused | × bound | streaming, new output | × bound | '
             'between the peers (grid) | × bound |',
             '|---|--:|--:|--:|--:|--:|--:|--:|--:|']
    worst = 0
    grid = {(c['n'], tuple(c['kernel'])): c['times']['corr2d_fast']
            for c in data['grid']}
    for case in data['bound']:
        n, kernel = case['n'], tuple(case['kernel'])
        oh, ow = n - kernel[0] + 1, n - kernel[1] + 1
        moved = 4 * (n * n + oh * ow)
        bound = moved / bw
        t, new = case.get('streaming, out='), case['streaming']
        between = grid.get((n, kernel))
        reused = '– | – |'  # a run from before out= was timed
        if t is not None:
            worst = max(worst, t / bound)
            reused = (f'{ms(t)} ms ({case["images"]} images) | '
                      f'**{t / bound:.2f}** |')
        lines.append(
            f'| {n}², {kernel[0]}×{kernel[1]} | {moved / 1e6:.1f} MB | '
            f'{ms(bound)} ms | {reused} {ms(new)} ms | {new / bound:.2f} | '
            + (f'{ms(between)} ms | {between / bound:.2f} |' if between
               else '– | – |'))
    return lines, worst


def judged(worst, target):
    """Return `verdict` of `worst`, or say it was not measured (0)."""
    return verdict(worst, target) if worst else 'not measured in this run'


def verdict(value, target):
    """Return `value` in bold, and whether it is within `target`, at the
    precision printed."""
    held = within(value, target)
    return f'**{value:.2f}** ({"holds" if held else "MISSED"})'


def within(value, target):
    """Tell whether `value`, as printed (two decimals), is `target` or
    less.

    Examples
    --------
    >>> within(1.004, 1.0), within(1.006, 1.0)
    (True, False)
    """
    return round(value, 2) <= target


def without_c_section(data):
    """Return the Markdown lines on the builds without the C engine, and
    whether their target holds (True where they were not measured)."""
    lines = ['### Without the C engine', '']
    if 'without_c' not in data:
        return lines + ['Not measured in this run of `make bench`.', ''], \
            True
    rows, worst, ratios = without_c_table(data)
    ratios = sorted(ratios)
    numpy_only = (f'from {ratios[0]:.2f} to {ratios[-1]:.2f} times the '
                  f'best peer (median {ratios[len(ratios) // 2]:.2f})'
                  if ratios else 'not measured')
    lines += [
        'Where no C compiler was found at install, `corr2d_fast` runs on '
        "the other engines: OpenCV's filter, scipy's FFT and NumPy, "
        "whichever of them are installed (the cost model's `ENGINES`, "
        'found when the package loads). Each build is a fresh process '
        "whose import of the C engine fails, as where it was not built; "
        'in *NumPy only*, OpenCV and scipy are hidden from `d2l_conv` '
        'too, as where neither is installed (the NumPy engine then '
        'serves every call; cases over 1.5 G multiply-adds, seconds a '
        'call, are left out). Each case is timed against its best peer '
        'in the grid above, timed again in the same process, calls '
        'interleaved; the ratio takes the slower of the two inputs.', '',
        *rows, '',
        f'Target: ≤ {WITHOUT_C_TARGET}× the best peer from {WITHOUT_C_FROM}²'
        ' up, with OpenCV and scipy installed (either input): worst measured '
        f'{verdict(worst, WITHOUT_C_TARGET)}. With neither, the NumPy '
        f'engine alone is {numpy_only}; no target.', '']
    return lines, within(worst, WITHOUT_C_TARGET)


def scaling_section(data):
    """Return the Markdown lines on threads here, and whether their
    target holds (True where not measured: one CPU)."""
    lines = ['### Threads: one CPU against all of them', '']
    rows = data.get('scaling')
    if not isinstance(rows, list) or not rows:  # or an older run's
        return lines + ['Not measured in this run of `make bench` '
                        '(one CPU usable).', ''], True
    most = rows[0]['threads']
    judged_ = [row['scaling'] for row in rows if row['n'] >= THREADS_FROM]
    worst = max(judged_, default=0.0)
    lines += [
        f"`corr2d_fast(X, K, out=out, method='direct')` (NumPy in, one "
        f'output reused) after `set_num_threads(1)` and after '
        f'`set_num_threads({most})`, and `cv2.filter2D` after '
        f'`cv2.setNumThreads` of the same, calls interleaved, the fastest '
        f'of the rounds; the engine and threads the model picks on '
        f'{most} in brackets. ms, float32.', '',
        f'| case | 1 thread | {most} threads | ratio | cv2, 1 | '
        f'cv2, {most} |', '|---|---|---|---|---|---|',
        *(f"| {row['case']} | {ms(row['one'])} | {ms(row['all'])} "
          f"({row['picked'][0]}, {row['picked'][1]}) | "
          f"{row['scaling']:.2f} | {ms(row['cv2 one'])} | "
          f"{ms(row['cv2 all'])} |" for row in rows), '',
        f'Target: on {most} CPUs ≤ {THREADS_TARGET}× the time on one, '
        f'from {THREADS_FROM}² up: worst measured '
        f'{verdict(worst, THREADS_TARGET)}.', '']
    return lines, within(worst, THREADS_TARGET)


def markdown(data):
    """Return the bench section's Markdown and whether targets hold."""
    grid, worst, worst_small = grid_table(data)
    bound, worst_bound = bound_table(data)
    cold, worst_cold = cold_table(data)
    auto, worst_auto = auto_table(data)
    holds = all(within(value, target) for value, target in (
        (worst, TARGET), (worst_small, SMALL_TARGET),
        (worst_bound, BOUND_TARGET), (worst_cold, COLD_TARGET),
        (worst_auto, AUTO_TARGET)))
    without, holds_without = without_c_section(data)
    threads, holds_threads = scaling_section(data)
    holds = holds and holds_without and holds_threads
    lines = [
        '## Speed: `corr2d_fast` against the fastest peers', '',
        'Produced by `make bench` (`python benchmarks/bench_corr2d.py`, '
        'which saves `benchmarks/results.json`; `benchmarks/'
        'render_bench.py` writes this) on ' + data['machine'] + '. '
        'ms, the fastest of rounds in which every call of a case runs once, '
        'in an order shuffled anew each round (interleaved); float32, all '
        'in one process; the best peer of each case in bold; `–`: a '
        'direct peer skipped where it needs over 1.5 G multiply-adds '
        '(seconds a call). '
        '`corr2d_fast` is given `mxnet.np` arrays, and NumPy arrays in '
        'the next column; both return an `mxnet.np.ndarray`. *engine* is '
        "the one `corr2d_fast`'s cost model (`d2l_conv/fast/choose.py`) "
        'picked. `cv2.filter2D` is OpenCV\'s, cropped to the valid part.',
        '', *grid, '',
        f'Targets: ≤ {TARGET}× the best peer from {TARGET_FROM}² up, '
        f'either input: worst measured {verdict(worst, TARGET)}; '
        f'≤ {SMALL_TARGET}× OpenCV below {TARGET_FROM}², NumPy in (where '
        "allocating MXNet's output alone is half of OpenCV's call): worst "
        f'measured {verdict(worst_small, SMALL_TARGET)}.',
        '', '### The memory-traffic bound', '',
        'Compulsory bytes over the copy bandwidth measured in the same '
        f'run ({data["copy_bandwidth"] / 1e9:.1f} GB/s, the best of 256 '
        'MiB NumPy copies on 1 to all cores). The bound assumes the input '
        'comes from memory and the output goes there, so `corr2d_fast` '
        'is timed streaming through distinct copies of the image, 128 MiB '
        'of them (4 times the L3), called back to back, writing into one '
        '`out=` array reused (as a program would); that is the ratio the '
        'target is judged by. Into a new output each call, the output\'s '
        'pages are also faulted in anew.', '', *bound, '',
        f'Target: ≤ {BOUND_TARGET}× the bound. Worst measured: '
        f'{judged(worst_bound, BOUND_TARGET)}.', '',
        'The last two columns time the same call between the peers, as '
        'in the grid: there each call also finds the caches holding the '
        'data and code of the peer before it rather than its own Python '
        'path, and the second core idle (waking it took about 0.1 ms on this '
        'VM). On this shared 2-core VM a case moves by 20 to 40% from '
        'one run to the next.', '',
        "### `method='auto'` against `'direct'` and `'fft'`", '',
        "`corr2d_fast(X, K, method=...)` on the grid's cases from 256² "
        'up with square kernels, given `mxnet.np` arrays, timed in the '
        "same rounds as the grid (`'direct'` left out where it needs over "
        "3e10 multiply-adds); *engine* is the one `'auto'` picked. "
        "`'auto'` runs the engine of the method it picks, on the same "
        "threads, so the target judges the choice: that method's time "
        "against the faster's (*its method × the faster*); `'auto'`'s own "
        'call (*auto × the faster*) differs from it by the noise between '
        'calls.', '',
        *(auto if len(auto) > 2 else ['Not measured in this run.']), '',
        f"Target: the method `'auto'` picks ≤ {AUTO_TARGET}× the faster of "
        "the two. Worst "
        f'measured: {judged(worst_auto, AUTO_TARGET)}.', '',
        *without, *threads,
        '### The cold start', '',
        'A fresh process calls `corr2d_fast` back to back for its first '
        "2 s; the slowest of those calls, against `ndimage.correlate`'s "
        'time for the same case in the grid above. Each row is three '
        'such processes: the median of their slowest calls, each one in '
        'brackets (one process in a few meets the operating system taking '
        'a core away for some milliseconds, the control included). The '
        'other columns are from the median process. The target judges '
        '*as installed* and *without C*, the same process where the C '
        'engine was not built (no compiler at install). Shown beside '
        'them: *ndimage.correlate (control)*, the same loop calling '
        'ndimage, whose slowest call shows what this shared machine adds '
        'by itself (the operating system takes a core away now and '
        'then).', '', *cold, '',
        'Every engine is compiled before the program runs, and the '
        'engines are found once, when the package loads; nothing loads '
        'in the background while calls run.', '',
        f'Target: ≤ {COLD_TARGET}× ndimage, as installed and without C. '
        f'Worst measured: {verdict(worst_cold, COLD_TARGET)}.', '']
    return '\n'.join(lines) + '\n', holds


def replace_whole(path, text):
    """Write `text` to `path` whole or not at all
    (`_d2l_conv_tools.write_atomic`: a link at `path` is replaced, never
    followed)."""
    write_atomic(path, text, func='render_bench')


def splice_readme(section, path=README):
    """Put `section` between the README's bench markers."""
    text = path.read_text()  # read just before writing: others edit it too
    if START not in text or END not in text:
        print(f'{path}: no {START} ... {END} markers; not updated',
              file=sys.stderr)
        return False
    head, rest = text.split(START, 1)
    replace_whole(path, f'{head}{START}\n{section}{END}'
                  f'{rest.split(END, 1)[1]}')
    return True


def main(argv=None):
    """Render the saved results; return 0 if the targets hold, else 1."""
    data = json.loads(JSON.read_text())
    section, holds = markdown(data)
    print(section)
    replace_whole(RESULTS, section)
    splice_readme(section)
    return 0 if holds else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
