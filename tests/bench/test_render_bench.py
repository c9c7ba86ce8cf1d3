"""The bench's renderer judges the builds without the C engine."""

import json
import re
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / 'benchmarks'))

import render_bench  # noqa: E402


def case(n, peer_ms, ours_ms, numpy_in_ms, engine='cv2'):
    return {'n': n, 'kernel': [3, 3], 'peer': 'cv2.filter2D',
            'engine': engine,
            'times': {'cv2.filter2D': peer_ms / 1e3,
                      'corr2d_fast': ours_ms / 1e3,
                      'corr2d_fast, NumPy in': numpy_in_ms / 1e3}}


DATA = {'without_c': {
    'without C': [case(28, 0.01, 0.03, 0.012), case(1024, 0.1, 0.09, 0.14)],
    'without C, NumPy only': [case(28, 0.01, 0.05, 0.03, 'numpy')],
}}


def test_the_worst_ratio_takes_the_slower_input_of_every_case():
    rows, worst, numpy_only = render_bench.without_c_table(DATA)
    assert len(rows) == 4  # a header, its rule and two cases
    assert abs(worst - 1.4) < 1e-9  # NumPy in, 0.14 ms at 1024²
    assert [round(r, 9) for r in numpy_only] == [5.0]
    assert rows[-1].endswith('| 1.40 | – | – |')  # not measured alone


def test_below_1024_a_case_is_shown_but_not_judged():
    rows, worst, _ = render_bench.without_c_table(DATA)
    assert '| 3.00 |' in rows[2]  # 28²: 0.03 ms against 0.01
    assert worst < 3


def test_a_miss_without_c_is_stated_and_fails_the_run():
    lines, holds = render_bench.without_c_section(DATA)
    assert not holds
    text = '\n'.join(lines)
    assert 'worst measured **1.40** (MISSED)' in text
    assert 'from 5.00 to 5.00 times the best peer' in text


def test_without_c_is_judged_from_1024_as_the_issue_states():
    # 224² to 512² cannot reach 1.3x OpenCV without C (the fixed costs
    # of a call): shown, not judged
    data = {'without_c': {'without C': [
        case(512, 0.1, 0.2, 0.2), case(1024, 1.0, 1.2, 1.25)],
        'without C, NumPy only': []}}
    rows, worst, _ = render_bench.without_c_table(data)
    assert '| 2.00 |' in rows[2]
    assert abs(worst - 1.25) < 1e-9
    assert render_bench.without_c_section(data)[1]


def test_a_run_without_those_builds_says_so():
    lines, holds = render_bench.without_c_section({})
    assert holds and 'Not measured' in '\n'.join(lines)


def test_the_cold_start_judges_the_build_without_c_not_the_control():
    grid = [{'n': 224, 'kernel': [3, 3],
             'times': {'ndimage.correlate': 1e-3}}]
    cold = [{'n': 224, 'kernel': [3, 3], 'build': build, 'calls': 10,
             'median': 1e-4, 'p99.9': 1e-3, 'slowest': slowest}
            for build, slowest in (('as installed', 1e-3),
                                   ('without C', 3e-3), ('ndimage', 9e-3))]
    rows, worst = render_bench.cold_table({'grid': grid,
                                           'cold_start': cold})
    assert worst == 3.0  # not the control's 9
    assert len(rows) == 2 + len(cold)


def scaling(times):
    """Rows as bench_corr2d.threads returns them: one case each, on one
    thread and on two."""
    return {'scaling': [
        {'case': f'{side}², 3x3', 'n': side, 'threads': 2,
         'picked': ['c', 2], 'one': one, 'all': two, 'scaling': two / one,
         'cv2 one': one, 'cv2 all': two}
        for side, (one, two) in times.items()]}


def test_threads_hold_where_two_cpus_gain_enough():
    lines, holds = render_bench.scaling_section(
        scaling({512: (1e-4, 0.6e-4), 1024: (4e-4, 2.4e-4)}))
    text = '\n'.join(lines)
    assert holds and '| 512², 3x3 | 0.1 | 0.06 (c, 2) |' in text
    assert '**0.60** (holds)' in text


def test_threads_missed_where_a_second_cpu_slows_a_case():
    lines, holds = render_bench.scaling_section(
        scaling({512: (1e-4, 1.2e-4), 1024: (4e-4, 2.4e-4)}))
    assert not holds and '**1.20** (MISSED)' in '\n'.join(lines)


def test_below_512_threads_are_shown_but_not_judged():
    lines, holds = render_bench.scaling_section(
        scaling({256: (1e-4, 1.2e-4), 1024: (4e-4, 2.4e-4)}))
    assert holds and '**0.60** (holds)' in '\n'.join(lines)


def test_a_target_is_judged_at_the_precision_printed():
    """0.654x reads 0.65 and holds a 0.65x target; 0.656x reads 0.66."""
    for two, shown, verdict in ((0.654e-4, '0.65', 'holds'),
                                (0.656e-4, '0.66', 'MISSED')):
        lines, holds = render_bench.scaling_section(
            scaling({512: (1e-4, two), 1024: (4e-4, 2.4e-4)}))
        assert f'**{shown}** ({verdict})' in '\n'.join(lines)
        assert holds == (verdict == 'holds')


def test_threads_on_one_cpu_say_so():
    lines, holds = render_bench.scaling_section({})
    assert holds and 'Not measured' in '\n'.join(lines)


def test_the_cold_start_shows_every_process_and_judges_the_median():
    grid = [{'n': 224, 'kernel': [3, 3],
             'times': {'ndimage.correlate': 1e-3}}]
    cold = [{'n': 224, 'kernel': [3, 3], 'build': 'without C',
             'calls': 10, 'median': 1e-4, 'p99.9': 1e-3,
             'slowest': 1.5e-3, 'runs': [1.4e-3, 9e-3, 1.5e-3]}]
    rows, worst = render_bench.cold_table({'grid': grid,
                                           'cold_start': cold})
    assert worst == 1.5
    assert '1.5 ms (1.4, 9, 1.5)' in rows[2]


def method_case(n, k, auto, direct, fft, engine='c'):
    times = {'corr2d_fast': auto, render_bench.METHODS[1]: fft}
    if direct is not None:
        times[render_bench.METHODS[0]] = direct
    return {'n': n, 'kernel': [k, k], 'engine': engine, 'times': times}


def test_auto_is_judged_against_the_faster_method():
    grid = [method_case(1024, 3, 1.0, 1.0, 5.0),
            method_case(1024, 21, 1.5, 1.5, 1.0),  # picked the slower
            method_case(4096, 63, 2.0, None, 2.0),  # direct not timed
            {'n': 28, 'kernel': [3, 3], 'engine': 'c',
             'times': {'corr2d_fast': 9.0}}]  # methods not timed
    rows, worst = render_bench.auto_table({'grid': grid})
    assert len(rows) == 2 + 3
    assert worst == 1.5
    assert rows[-1].endswith('| – | 2000 | 1.00 | 1.00 |')


def test_auto_is_judged_by_the_time_of_the_method_it_picked():
    """Where 'auto' picked the FFT, the FFT method's time judges it: the
    same engine and threads; 'auto''s own slower call is shown."""
    grid = [method_case(4096, 31, 1.3, 3.0, 1.0, engine='fft')]
    rows, worst = render_bench.auto_table({'grid': grid})
    assert worst == 1.0
    assert rows[-1].endswith('| 1.30 | 1.00 |')
    grid = [method_case(4096, 31, 1.3, 1.0, 1.2, engine='fft')]
    assert render_bench.auto_table({'grid': grid})[1] == 1.2


def test_the_bound_is_judged_with_out_reused():
    bound = [{'n': 1024, 'kernel': [3, 3], 'images': 4,
              'streaming': 3e-3, 'streaming, out=': 1e-3}]
    grid = [{'n': 1024, 'kernel': [3, 3],
             'times': {'corr2d_fast': 2e-3}}]
    moved = 4 * (1024 ** 2 + 1022 ** 2)
    rows, worst = render_bench.bound_table(
        {'copy_bandwidth': moved / 1e-3, 'bound': bound, 'grid': grid})
    assert abs(worst - 1.0) < 1e-9  # out=, not the new output's 3
    assert '| 3.00 |' in rows[-1] and '**1.00**' in rows[-1]


def test_what_it_writes_names_no_path_of_this_machine():
    data = json.loads(render_bench.JSON.read_text())
    text = render_bench.markdown(data)[0]
    saved = render_bench.JSON.read_text() + render_bench.RESULTS.read_text()
    for written in (text, saved):
        assert str(render_bench.ROOT) not in written
        assert not re.search(r'(^|[\s"(])/(work|home|tmp|usr|root)/',
                             written)


def test_below_224_the_grid_judges_numpy_input_against_opencv():
    times = {'corr2d_fast': 5e-6, 'corr2d_fast, NumPy in': 1.5e-6,
             'cv2.filter2D': 1e-6}
    grid = [{'n': 28, 'kernel': [3, 3], 'engine': 'c', 'times': times}]
    _, worst, worst_small = render_bench.grid_table({'grid': grid})
    assert worst == 0 and abs(worst_small - 1.5) < 1e-9
