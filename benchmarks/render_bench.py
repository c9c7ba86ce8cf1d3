"""Render ``benchmarks/results.json``, which ``bench_corr2d.py`` saves.

``python benchmarks/render_bench.py`` writes ``benchmarks/results.md``
and docs/speed.md's text between the ``section:bench`` markers, each
whole or not at all, from the saved run: it measures nothing. It exits
1 if a target (the constants below, issue 35's) is missed.
"""

import json
import sys
from functools import partial
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
METHODS = ["corr2d_fast, method='direct'", "corr2d_fast, method='fft'"]
WITHOUT_C, NUMPY_ONLY = 'without C', 'without C, NumPy only'
TARGET, TARGET_FROM = 1.0, 224  # either input, times the best peer
SMALL_TARGET = 2.0  # below TARGET_FROM², NumPy in, times OpenCV's
BOUND_TARGET = 1.5  # one out= reused, times the memory-traffic bound
AUTO_TARGET = 1.1  # the method 'auto' picks, times the faster method
THREADS_TARGET, THREADS_FROM = 0.65, 512  # all CPUs, times one CPU
COLD_TARGET = 2.0  # the first call, times ndimage's in the grid
WITHOUT_C_TARGET = 1.3  # either input, times the best peer
#: From this side up: below, a call's fixed costs (MXNet's output, the
#: checks) exceed 0.3x OpenCV's whole call, measured (docs/install.md).
WITHOUT_C_FROM = 1024


def ms(seconds):
    """Format seconds as ms, three significant figures."""
    v = seconds * 1e3
    return f'{v:.3g}' if v < 1000 else f'{v:.0f}'


def shape(case):
    """Return a case's image and kernel cells."""
    return [f"{case['n']}²", '×'.join(map(str, case['kernel']))]


def key(case):
    """Return ``(side, kernel)``, a case's key across the run's parts."""
    return case['n'], tuple(case['kernel'])


def within(value, target):
    """Tell whether `value`, as printed (two decimals), is `target` or
    less.

    Examples
    --------
    >>> within(1.004, 1.0), within(1.006, 1.0)
    (True, False)
    """
    return round(value, 2) <= target


def section(title, text, head, rows, *targets):
    """Return ``(lines, held)``: Markdown of `title`, `text`, a table of
    `head` and `rows` (lists of cells), and a line a target ``(what,
    worst, limit)``, each judged at the precision printed; ``held`` is
    whether all hold (a target with no worst, not measured, holds)."""
    if not rows:
        return [f'### {title}', '', 'Not measured in this run.', ''], True
    lines = [f'### {title}', '', text, '',
             *('| ' + ' | '.join(map(str, row)) + ' |' for row in (
                 head, ['---', *['--:'] * (len(head) - 1)], *rows)), '']
    held = True
    for what, worst, limit in targets:
        ok = worst is None or within(worst, limit)
        held = held and ok
        lines += [f'Target: ≤ {limit}× {what}: ' + (
            'not measured.' if worst is None else f'worst measured '
            f'**{worst:.2f}** ({"holds" if ok else "MISSED"}).'), '']
    return lines, held


def grid_section(data):
    """Return the grid's Markdown and whether its two targets hold."""
    rows, large, small = [], [], []
    for case in data['grid']:
        t = case['times']
        best = min(t[p] for p in PEERS if p in t)
        ratios = [t[name] / best for name in OURS]
        if case['n'] >= TARGET_FROM:
            large += ratios
        else:  # NumPy in, as OpenCV's
            small.append(t[OURS[1]] / t['cv2.filter2D'])
        rows.append([*shape(case), f"**{ms(t[OURS[0]])}** ({case['engine']})",
                     ms(t[OURS[1]]), *((f'**{ms(t[p])}**' if t[p] == best
                                        else ms(t[p])) if p in t else '–'
                                       for p in PEERS),
                     f'{ratios[0]:.2f} ({ratios[1]:.2f})'])
    return section(
        'Against the peers',
        '`corr2d_fast` given `mxnet.np` arrays (*engine*: the one its cost '
        'model picked) and NumPy arrays (*NumPy in*); the best peer in '
        'bold; `–`: a direct peer left out beyond 1.5 G multiply-adds. '
        '`cv2.filter2D` and `ndimage.correlate` are cropped to the valid '
        'part.', ['image', 'kernel', '**corr2d_fast** (engine)', 'NumPy in',
                  *PEERS, 'vs best peer (NumPy in)'], rows,
        (f'the best peer from {TARGET_FROM}², either input', max(
            large, default=None), TARGET),
        (f'OpenCV below {TARGET_FROM}², NumPy in', max(small, default=None),
         SMALL_TARGET))


def bound_section(data):
    """Return the memory-traffic bound's Markdown and whether its target
    holds (`corr2d_fast` streaming into one ``out=`` reused)."""
    rows, worst = [], []
    for case in data['bound']:
        (H, W), (h, w) = (case['n'],) * 2, case['kernel']
        moved = 4 * (H * W + (H - h + 1) * (W - w + 1))
        bound = moved / data['copy_bandwidth']
        reused, new = case['streaming, out='], case['streaming']
        worst.append(reused / bound)
        rows.append([*shape(case), f'{moved / 1e6:.1f}', ms(bound),
                     f'{ms(reused)} ({case["images"]})',
                     f'**{reused / bound:.2f}**', ms(new),
                     f'{new / bound:.2f}'])
    return section(
        'The memory-traffic bound',
        'The bytes a call must move (read the image, write the output) '
        'over the stream-copy bandwidth. `corr2d_fast` streams through '
        'distinct copies of the image (128 MiB of them, more than the '
        'caches hold), back to back, into one `out=` reused (judged) and '
        'into a new output each call (its pages faulted in anew).',
        ['image', 'kernel', 'MB moved', 'bound', '`out=` reused (images)',
         '× bound', 'new output', '× bound'], rows,
        ('the bound, `out=` reused', max(worst, default=None),
         BOUND_TARGET))


def auto_section(data):
    """Return 'auto' against 'direct' and 'fft', and whether the method
    'auto' picked is within `AUTO_TARGET` of the faster; 'auto' runs
    that method's engine on the same threads, so that method's time,
    from the same rounds, judges the pick."""
    rows, worst = [], []
    for case in data['grid']:
        t = case['times']
        if METHODS[1] not in t:
            continue
        faster = min(t[name] for name in METHODS if name in t)
        picked = t.get(METHODS[case['engine'] == 'fft'], t[OURS[0]])
        worst.append(picked / faster)
        rows.append([*shape(case), f"{ms(t[OURS[0]])} ({case['engine']})",
                     ms(t[METHODS[0]]) if METHODS[0] in t else '–',
                     ms(t[METHODS[1]]), f'{t[OURS[0]] / faster:.2f}',
                     f'{worst[-1]:.2f}'])
    return section(
        "`method='auto'` against `'direct'` and `'fft'`",
        "`corr2d_fast(X, K, method=...)`, `mxnet.np` input, in the grid's "
        "rounds, from 256² with square kernels (`'direct'` left out beyond "
        "3e10 multiply-adds). `'auto'` runs the engine of the method it "
        "picks, so that method's time judges the pick (*its method*); "
        "`'auto'`'s own time differs from it by the noise between calls.",
        ['image', 'kernel', 'auto (engine)', 'direct', 'fft',
         'auto × the faster', 'its method × the faster'], rows,
        ("the faster, by the method `'auto'` picks", max(worst, default=None),
         AUTO_TARGET))


def without_c_section(data):
    """Return the builds without C and whether their target holds: the
    slower input against the case's best peer from `WITHOUT_C_FROM`²
    up, with OpenCV and scipy (NumPy only: shown, not judged)."""
    builds = data.get('without_c', {})
    alone = {key(case): case for case in builds.get(NUMPY_ONLY, [])}
    rows, worst = [], []
    for case in builds.get(WITHOUT_C, []):
        peer = case['peer']
        row = [*shape(case), f"{peer} ({ms(case['times'][peer])})"]
        for found in (case, alone.get(key(case))):
            if found is None:
                row += ['–', '–']
                continue
            t = found['times']
            ratio = max(t[name] for name in OURS) / t[peer]
            row += [f"{ms(t[OURS[0]])} / {ms(t[OURS[1]])} "
                    f"({found['engine']})", f'{ratio:.2f}']
            if found is case and case['n'] >= WITHOUT_C_FROM:
                worst.append(ratio)
        rows.append(row)
    return section(
        'Without the C engine',
        'Fresh processes whose import of the C engine fails, as where no '
        'compiler built it; *NumPy only* hides OpenCV and scipy too (cases '
        'over 1.5 G multiply-adds left out). Each case against its best '
        'peer in the grid, timed again in the same rounds; `mxnet.np` / '
        'NumPy in, the slower judged.',
        ['image', 'kernel', 'best peer', '**without C** (engine)',
         '× best peer', 'NumPy only', '× best peer'], rows,
        (f'the best peer from {WITHOUT_C_FROM}², either input',
         max(worst, default=None), WITHOUT_C_TARGET))


def threads_section(data):
    """Return one CPU against all and whether the target holds from
    `THREADS_FROM`² up (not measured on one CPU)."""
    rows = data.get('scaling') or []
    most = rows[0]['threads'] if rows else 1
    return section(
        'Threads: one CPU against all of them',
        f"`corr2d_fast(X, K, out=out, method='direct')`, NumPy in, after "
        f'`set_num_threads(1)` and `set_num_threads({most})`, beside '
        '`cv2.filter2D` after `cv2.setNumThreads` of the same; the engine '
        f'and threads the model picks on {most} in brackets.',
        ['case', '1 thread', f'{most} threads', 'ratio', 'cv2, 1',
         f'cv2, {most}'],
        [[row['case'], ms(row['one']), f"{ms(row['all'])} "
          f"({row['picked'][0]}, {row['picked'][1]})",
          f"{row['scaling']:.2f}", ms(row['cv2 one']), ms(row['cv2 all'])]
         for row in rows],
        (f'the time on one CPU, on {most} from {THREADS_FROM}²', max(
            (row['scaling'] for row in rows if row['n'] >= THREADS_FROM),
            default=None), THREADS_TARGET))


def cold_section(data):
    """Return the cold start and whether its target holds: the first call
    of a fresh process, as installed and without C, against
    ``ndimage.correlate``'s time in the grid (the slowest call, shown)."""
    grid = {key(c): c['times'].get('ndimage.correlate') for c in data['grid']}
    rows, worst = [], []
    for case in data['cold_start']:
        ratio = case['first'] / grid[key(case)]
        judged = case['build'] in ('as installed', WITHOUT_C)
        worst += [ratio] if judged else []
        rows.append([case['build'] if judged else 'ndimage.correlate '
                     '(control)', *shape(case), case['calls'],
                     f"{ms(case['first'])} ("
                     + ', '.join(map(ms, case['runs'])) + ')',
                     ms(case['median']), ms(case['p99.9']),
                     f"{ms(case['slowest'])} ("
                     + ', '.join(map(ms, case['slowest_runs'])) + ')',
                     ms(grid[key(case)]),
                     f'**{ratio:.2f}**' if judged else f'{ratio:.2f}',
                     f"{case['slowest'] / grid[key(case)]:.2f}"])
    return section(
        'The cold start',
        'A fresh process calls `corr2d_fast` back to back for 2 s: its '
        "first call against `ndimage.correlate`'s time in the grid, in "
        'the process of median first call of three (each in brackets; '
        "the other columns are that process's). The slowest call is "
        "shown beside the control, the same loop calling ndimage: most "
        'of it is the machine taking the core away, in every loop. '
        '*without C*: where the C engine was not built.',
        ['run', 'image', 'kernel', 'calls', 'first call (each process)',
         'median', '99.9th percentile', 'slowest (each process)',
         'ndimage (grid)', 'first × ndimage', 'slowest × ndimage'],
        rows, ('ndimage, as installed and without C',
               max(worst, default=None), COLD_TARGET))


def markdown(data):
    """Return the bench section's Markdown and whether every target
    holds."""
    lines, held = [
        '## Speed: `corr2d_fast` against the fastest peers', '',
        'Produced by `make bench` (`benchmarks/bench_corr2d.py` measures '
        'and saves `benchmarks/results.json`, `benchmarks/render_bench.py`'
        f' renders it) on {data["machine"]}. Every time is the **fastest** '
        'of interleaved rounds (each round calls every contender of a case '
        'once, in an order shuffled anew), in ms, float32, one process. '
        'The memory-traffic bound uses the **stream-copy bandwidth** '
        f'measured in the same run: **{data["copy_bandwidth"] / 1e9:.1f} '
        'GB/s** (the best of 256 MiB NumPy copies on 1, 2 and all cores).',
        ''], True
    for part in (grid_section, bound_section, auto_section,
                 without_c_section, threads_section, cold_section):
        more, holds = part(data)
        lines, held = lines + more, held and holds
    return '\n'.join(lines) + '\n', held


#: Write text to a path whole or not at all (a link there is replaced,
#: never followed).
replace_whole = partial(write_atomic, func='render_bench')


def splice_readme(section, path=README):
    """Put `section` between the bench markers of `path`."""
    text = path.read_text()  # read just before writing: others edit it too
    if text.count(START) != 1 or text.count(END) != 1:
        raise ValueError(f'render_bench: {path} needs one {START} and one '
                         f'{END}')
    head, rest = text.split(START)
    replace_whole(path, f'{head}{START}\n{section}{END}{rest.split(END)[1]}')


def main():
    """Render the saved results; return 0 if the targets hold, else 1."""
    section_, held = markdown(json.loads(JSON.read_text()))
    print(section_)
    replace_whole(RESULTS, section_)
    splice_readme(section_)
    return 0 if held else 1


if __name__ == '__main__':
    sys.exit(main())
