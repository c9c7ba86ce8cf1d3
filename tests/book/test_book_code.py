"""The notebook's recording and check (`d2l_conv.cell_recorder`), and its
source view (`d2l_conv.source_view`)."""

import sys
from types import SimpleNamespace

import IPython.lib.pretty
import pytest
from IPython.core.events import EventManager, available_events

from d2l_conv import exercises, published
from d2l_conv.cell_recorder import Cell, check_cells, record_cells, why
from d2l_conv.published import BLOCKS, BY_KEY, Result
from d2l_conv.source_view import show_source, without_docstrings


def fake_shell():
    shell = SimpleNamespace()
    shell.events = EventManager(shell, available_events)
    return shell


def run_cell(shell, source, value=None):
    """What IPython does around a cell: events, the cell, its value."""
    shell.events.trigger('pre_run_cell', SimpleNamespace(raw_cell=source))
    exec(source, {})
    shell.events.trigger('post_run_cell', SimpleNamespace(
        result=value, info=SimpleNamespace(raw_cell=source)))


def test_records_each_later_cell_and_gives_stdout_back(capsys):
    shell, stdout = fake_shell(), sys.stdout
    recorder = record_cells(shell)
    shell.events.trigger('post_run_cell', None)  # its own cell ends
    run_cell(shell, "print('batch 2, loss 4.949')")
    run_cell(shell, '6 * 7', 42)
    assert sys.stdout is stdout
    recorder.stop()
    run_cell(shell, "print('after')")
    assert recorder.cells == [
        Cell("print('batch 2, loss 4.949')", 'batch 2, loss 4.949\n', None),
        Cell('6 * 7', '', '42')]
    assert capsys.readouterr().out == 'batch 2, loss 4.949\nafter\n'
    assert shell.events.callbacks['pre_run_cell'] == []
    assert shell.events.callbacks['post_run_cell'] == []


def test_a_failing_cell_gives_stdout_back():
    shell, stdout = fake_shell(), sys.stdout
    recorder = record_cells(shell)
    source = "print('half')\n1 / 0"
    try:
        run_cell(shell, source)
    except ZeroDivisionError:  # IPython still ends the cell
        shell.events.trigger('post_run_cell', SimpleNamespace(
            result=None, info=SimpleNamespace(raw_cell=source)))
    recorder.stop()
    assert sys.stdout is stdout
    assert recorder.cells == [Cell(source, 'half\n', None)]


def test_outside_ipython_is_refused():
    with pytest.raises(RuntimeError, match='record_cells: no IPython'):
        record_cells()


def session(skip=(), change=None):
    """The cells of a run of the book's blocks, with one of ours before
    each; the block `change` shows a wrong value."""
    cells = []
    for block in BLOCKS:
        cells.append(Cell('figures.plot()\n', '', '<Figure>'))
        if block.code in skip:
            continue
        text = BY_KEY[block.key].text if block.key else ''
        if block is change:
            text += '0'
        if block.key == 'losses':
            cells.append(Cell(block.code + '\n', text + '\n', None))
        else:
            cells.append(Cell(block.code + '\n', '', text or None))
    return cells


def test_check_cells_finds_each_blocks_output_by_its_code():
    results = check_cells(session())
    assert [r.record.key for r in results] == [
        'corr2d', 'edge_image', 'edges', 'edges_transposed', 'losses',
        'learned_kernel']
    assert all(r.match for r in results)


def test_check_cells_reports_a_wrong_or_missing_output():
    cells = session(skip={BLOCKS[6].code}, change=BLOCKS[7])
    results = {r.record.key: r for r in check_cells(cells)}
    assert not results['losses'].match
    assert results['edges_transposed'].reproduced is None
    assert not results['edges_transposed'].match
    assert results['edges'].match and results['learned_kernel'].match
    results = check_cells(session(change=BLOCKS[1]))
    assert [r.match for r in results] == [False] + [True] * 5


def test_check_cells_wants_recorded_cells():
    with pytest.raises(TypeError, match='check_cells: cells must be'):
        check_cells(['corr2d(X, K)'])


def test_without_docstrings_keeps_the_code_and_its_comments():
    source = '''class A:
    """Doc.

    More.
    """

    def f(self):
        """One line."""
        # why
        return 1  # how
'''
    assert without_docstrings(source) == '''class A:
    def f(self):
        # why
        return 1  # how
'''


def test_show_source_shows_how_im2col_is_written():
    code = show_source(exercises.matmul._window_index,
                       exercises.corr2d_im2col).code
    assert code.startswith('def _window_index(X_shape, K_shape):\n')
    assert '\n\n\ndef corr2d_im2col(X, K):\n' in code
    assert 'np.take(X.reshape(-1), idx)' in code
    assert 'Parameters' not in code and '>>>' not in code
    compile(code, 'shown', 'exec')


def test_a_notebook_shows_the_source_as_python():
    shown = show_source(exercises.box_kernel)
    markdown = shown._repr_markdown_()
    assert markdown.startswith('```python\ndef box_kernel(h, w):\n')
    assert markdown.endswith('    return np.ones((h, w))\n```')
    assert IPython.lib.pretty.pretty(shown) == shown.code.rstrip('\n')


def test_show_source_refuses_what_has_no_source():
    with pytest.raises(TypeError, match='show_source: .* no Python source'):
        show_source(len)
    with pytest.raises(TypeError, match='show_source'):
        show_source(published.BLOCKS)


def test_recording_again_replaces_the_earlier_recorder(capsys):
    # The notebook's first cell run a second time: the first recorder
    # tees that cell, and the cell starts a second recorder.
    shell, stdout = fake_shell(), sys.stdout
    first = record_cells(shell)
    shell.events.trigger('post_run_cell', None)  # its own cell ends
    shell.events.trigger('pre_run_cell', SimpleNamespace(raw_cell='again'))
    second = record_cells(shell)
    shell.events.trigger('post_run_cell', SimpleNamespace(
        result=None, info=SimpleNamespace(raw_cell='again')))
    assert sys.stdout is stdout
    run_cell(shell, "print('batch 2, loss 4.949')")
    assert sys.stdout is stdout
    assert capsys.readouterr().out == 'batch 2, loss 4.949\n'
    assert second.cells == [Cell("print('batch 2, loss 4.949')",
                                 'batch 2, loss 4.949\n', None)]
    assert first.cells == []
    assert len(shell.events.callbacks['pre_run_cell']) == 1
    second.stop()
    assert shell.events.callbacks['post_run_cell'] == []


@pytest.mark.parametrize('key', [r.key for r in BY_KEY.values()])
def test_each_failing_check_says_why_and_which_cell_to_run(key):
    wrong = Result(BY_KEY[key], 'array([[0.]])', False)
    missing = Result(BY_KEY[key], None, False)
    for result in wrong, missing:
        reason = why(result)
        assert 'run the cell' in reason, reason
    if key in ('losses', 'learned_kernel'):
        assert "MXNet's generator" in why(wrong)
        assert '`mx.random.seed(0)`' in why(wrong)
    else:
        assert 'array([[0.]])' in why(wrong)
        section = BY_KEY[key].section.split()[0]
        assert f'the cells of {section} again' in why(wrong)
    assert why(Result(BY_KEY[key], BY_KEY[key].text, True)) == ''


def test_why_wants_a_result():
    with pytest.raises(TypeError, match='why: result must be a Result'):
        why(BY_KEY['corr2d'])
