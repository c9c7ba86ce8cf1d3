"""The section notebook is the book's notebook: its code, cell for cell.

Read from the notebook's JSON, no kernel: nbval (``make test``) re-runs
the notebook and compares each output with the stored one; these tests
pin what is stored and what the cells say to the book and the package.
"""

import ast
import json
import pathlib
import re

import pytest
from conftest import ROOT

from d2l_conv import conv_layer, cross_correlation
from d2l_conv.published import BLOCKS, BY_KEY, PUBLISHED, matches, printed_form

SECTION = ROOT / 'notebooks' / 'convolutions_for_images.ipynb'
#: The section's text, in ../shared/seed/ beside the clone, where CI and
#: every developer have it.
SEED_DIR = ROOT.parent / 'shared' / 'seed'
SEED = SEED_DIR / '000_1a47220f7f98f892.txt'


def code_cells(path=SECTION):
    """Return the code cells of the notebook at `path`, in order."""
    notebook = json.loads(path.read_text(encoding='utf-8'))
    cells = [cell for cell in notebook['cells']
             if cell['cell_type'] == 'code']
    for cell in cells:  # nbformat stores source as a str or its lines
        if isinstance(cell['source'], list):
            cell['source'] = ''.join(cell['source'])
    return cells


def book_cells(cells):
    """Return the cell holding each of `BLOCKS`, in the book's order.

    Each block must be a whole code cell, verbatim (trailing blank
    lines aside), after the previous block's cell.
    """
    found, start = [], 0
    for n, block in enumerate(BLOCKS):
        for index in range(start, len(cells)):
            if cells[index]['source'].rstrip() == block.code:
                break
        else:
            pytest.fail(f'book block {n + 1} of {len(BLOCKS)} '
                        f'({block.section}) is not a code cell of the '
                        f'notebook after block {n}:\n{block.code}')
        found.append(cells[index])
        start = index + 1
    return found


def test_every_book_block_is_a_cell_verbatim_in_the_books_order():
    assert len(book_cells(code_cells())) == len(BLOCKS) == 9


@pytest.mark.parametrize('change', ['drop', 'alter', 'swap'])
def test_a_missing_altered_or_reordered_block_is_caught(change):
    cells = code_cells()
    index = [cells.index(cell) for cell in book_cells(cells)]
    if change == 'drop':
        del cells[index[4]]
    elif change == 'alter':
        cells[index[7]] = {'source': cells[index[7]]['source'].replace(
            '3e-2', '3e-3')}
    else:
        cells[index[2]], cells[index[3]] = cells[index[3]], cells[index[2]]
    with pytest.raises(pytest.fail.Exception, match='is not a code cell'):
        book_cells(cells)


def seed_code_and_outputs(text):
    """Split the seed's fenced blocks into code and the output after it.

    Returns ``[(code, output or None)]``; an output block is one that
    prints as a `PUBLISHED` record.
    """
    published = {printed_form(r.text): r.key for r in PUBLISHED}
    pairs = []
    for block in re.findall(r'^```\n(.*?)\n```$', text, re.S | re.M):
        key = published.get(printed_form(block))
        if key is None:
            pairs.append((block, None))
        else:
            assert pairs and pairs[-1][1] is None, f'{key} follows no code'
            pairs[-1] = (pairs[-1][0], key)
    return pairs


def unindented(code):
    return [line.lstrip() for line in code.splitlines()]


@pytest.mark.skipif(not SEED_DIR.is_dir(),
                    reason=f'no {SEED_DIR} beside the clone')
def test_blocks_are_the_seeds_code_blocks_with_indentation_restored():
    pairs = seed_code_and_outputs(SEED.read_text(encoding='utf-8'))
    assert len(pairs) == len(BLOCKS)
    for (code, key), block in zip(pairs, BLOCKS, strict=True):
        # the seed lost its indentation: only that may differ
        assert unindented(block.code) == unindented(code)
        assert block.key == key
        compile(block.code, block.section, 'exec')  # indented validly


def package_definition(module, name):
    """Return the AST of `name` in `module`, less its validation lines.

    A statement in a def whose value calls a helper imported from
    ``d2l_conv._validation`` is the package's argument check, which
    the book does not have; it is set aside.
    """
    tree = ast.parse(pathlib.Path(module.__file__).read_text())
    checks = {alias.asname or alias.name
              for node in tree.body if isinstance(node, ast.ImportFrom)
              and node.module == '_validation' and node.level == 1
              for alias in node.names}
    assert checks, f'{module.__name__} imports no validation helper'
    definition = top_level_definition(tree, name)
    removed = 0
    for node in ast.walk(definition):
        if isinstance(node, ast.FunctionDef):
            # at most one check in a def, before the book's lines
            found = [calls(statement, checks) for statement in node.body
                     if not is_docstring(statement)]
            assert sum(found) <= 1 and found == sorted(found)[::-1], \
                f'{name}.{node.name}: a check after the book\'s lines'
            node.body = [statement for statement in node.body
                         if not calls(statement, checks)]
            removed += sum(found)
    assert removed >= 1, f'{name}: no validation line'
    return definition


def is_docstring(statement):
    return isinstance(statement, ast.Expr) and \
        isinstance(statement.value, ast.Constant) and \
        isinstance(statement.value.value, str)


def calls(statement, names):
    value = getattr(statement, 'value', None)
    return isinstance(value, ast.Call) and \
        isinstance(value.func, ast.Name) and value.func.id in names


def top_level_definition(tree, name):
    found = [node for node in tree.body
             if isinstance(node, (ast.FunctionDef, ast.ClassDef))
             and node.name == name]
    assert len(found) == 1, f'{len(found)} definitions of {name}'
    return found[0]


def without_docstrings(definition):
    for node in ast.walk(definition):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and \
                node.body and isinstance(node.body[0], ast.Expr) and \
                isinstance(node.body[0].value, ast.Constant) and \
                isinstance(node.body[0].value.value, str):
            node.body = node.body[1:]
    return ast.dump(definition)


def notebook_definition(name):
    tree = ast.parse('\n'.join(cell['source'] for cell in code_cells()
                               if not cell['source'].startswith('%')))
    return top_level_definition(tree, name)


@pytest.mark.parametrize('module, name', [
    (cross_correlation, 'corr2d'), (conv_layer, 'Conv2D')])
def test_notebooks_definition_is_the_packages(module, name):
    assert without_docstrings(notebook_definition(name)) == \
        without_docstrings(package_definition(module, name))


def test_a_changed_definition_is_caught():
    book = without_docstrings(notebook_definition('corr2d'))
    package = package_definition(cross_correlation, 'corr2d')
    loop = package.body[-2]  # for i in range(Y.shape[0]): ...
    loop.iter.args[0].slice.value = 1  # Y.shape[1]
    assert without_docstrings(package) != book


def stored_text(cell):
    """What a cell shows: its printed text, then its value's text."""
    texts = []
    for output in cell['outputs']:
        assert output['output_type'] != 'error', output
        if output['output_type'] == 'stream':
            assert output['name'] == 'stdout', output  # no warning
            text = output['text']
        else:
            text = output['data']['text/plain']
        texts.append(''.join(text))
    return '\n'.join(texts)


@pytest.mark.parametrize('block', BLOCKS, ids=lambda b: b.code[:30])
def test_each_book_cell_stores_the_books_output(block):
    cell = book_cells(code_cells())[BLOCKS.index(block)]
    if block.key is None:  # the book shows nothing after it
        assert cell['outputs'] == []
    else:
        assert matches(block.key, stored_text(cell)), stored_text(cell)


def test_every_published_output_has_its_book_cell():
    assert sorted(b.key for b in BLOCKS if b.key) == \
        sorted(r.key for r in PUBLISHED)


def test_the_notebook_ends_checking_itself_then_the_package():
    last = [cell['source'] for cell in code_cells()][-2:]
    assert 'cell_recorder.check_cells(recorder.cells)' in last[0]
    assert 'cell_recorder.why(result)' in last[0]  # a ✗ says why
    assert 'reproduce()' in last[1]
    for cell in code_cells()[-2:]:
        assert '6/6' in stored_text(cell) and '✗' not in stored_text(cell)


def test_the_widgets_follow_their_subsections_book_cells():
    cells = code_cells()
    book = [cells.index(cell) for cell in book_cells(cells)]
    assert 'from d2l_conv import widgets' in cells[0]['source']
    # 6.2.1: after the book's `corr2d(X, K)` and the four sums
    assert 'figures.sum_text(' in cells[book[1] + 1]['source']
    assert cells[book[1] + 2]['source'].strip() == 'widgets.window_slider()'
    # 6.2.4: after its last book cell
    stepper = [i for i, cell in enumerate(cells)
               if cell['source'].strip() == 'widgets.training_stepper()']
    assert len(stepper) == 1 and book[-1] < stepper[0]


def test_the_four_sums_of_6_2_1_are_stored_as_text():
    # readable with no kernel (GitHub): each output element of 6.2.1 as
    # its window's four products, summed, as the book's text shows them
    cells = code_cells()
    after = cells[cells.index(book_cells(cells)[1]) + 1]
    lines = stored_text(after).splitlines()
    X = [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    K = [[0, 1], [2, 3]]
    expected = []
    for i in range(2):
        for j in range(2):
            products = [(X[i + a][j + b], K[a][b])
                        for a in range(2) for b in range(2)]
            terms = ' + '.join(f'{x}×{k}' for x, k in products)
            expected.append(f'Y[{i}, {j}] = {terms} = '
                            f'{sum(x * k for x, k in products)}')
    assert lines == expected
    assert [line.rsplit(' ', 1)[1] for line in lines] == \
        ['19', '25', '37', '43']


def ours_before(block_code):
    """Return the source of the cell just before the book's cell."""
    cells = code_cells()
    found = book_cells(cells)[[b.code for b in BLOCKS].index(block_code)]
    return cells[cells.index(found) - 1]['source']


def test_a_cell_of_ours_puts_the_state_back_before_a_stateful_book_cell():
    # 6.2.4's training draws its starting kernel from MXNet's generator
    before = ours_before(BLOCKS[7].code)
    assert before.startswith('# Ours:')
    assert 'mx.random.seed(0)' in before and 'fresh kernel' in before
    # 6.2.4 reshapes X to 4-D; 6.2.3's corr2d(X, K) needs it 2-D
    before = ours_before(BLOCKS[5].code)
    assert before.startswith('# Ours:') and 'reshape' in before


def test_6_2_5_shows_the_flipped_kernel_learned_with_the_same_losses():
    cells = code_cells()
    [cell] = [c for c in cells if 'TrueConv2D((1, 2))' in c['source']]
    shown = stored_text(cell)
    corr, conv = [line.split(':', 1)[1].strip()
                  for line in shown.splitlines()[:2]]
    assert corr == conv == printed_form(BY_KEY['losses'].text).replace(
        ' batch', '; batch')
    arrays = re.findall(r'array\(\[\[.*?\]\]\)', printed_form(shown))
    assert len(arrays) == 3
    learned = BY_KEY['learned_kernel'].text
    assert matches('learned_kernel', arrays[0])  # 6.2.4's
    assert matches('learned_kernel', arrays[2])  # the flip of the other
    assert not matches('learned_kernel', arrays[1]) and \
        arrays[1].startswith('array([[-0.98') and learned.startswith(
            'array([[ 0.98')
