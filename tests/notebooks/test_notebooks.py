"""The notebooks import the package and define none of its code.

The section notebook is the exception that proves it: its only
definitions are the book's own `corr2d` and `Conv2D`, in the book's
cells, which `test_book_notebook` proves are the package's. nbval (run
by ``make test``) re-executes each notebook against its stored outputs.
"""

import ast
import json
import re

import pytest
from conftest import ROOT

from d2l_conv.published import BLOCKS

NOTEBOOKS = ROOT / 'notebooks'
BOOK_CODE = {block.code for block in BLOCKS}


def code_sources(path):
    notebook = json.loads(path.read_text(encoding='utf-8'))
    return [''.join(cell['source']) for cell in notebook['cells']
            if cell['cell_type'] == 'code']


def definitions(source):
    # IPython magics (`%matplotlib inline`) are not Python
    python = '\n'.join(line for line in source.splitlines()
                       if not line.lstrip().startswith('%'))
    return [node.name for node in ast.walk(ast.parse(python))
            if isinstance(node, (ast.FunctionDef, ast.ClassDef,
                                 ast.AsyncFunctionDef))]


@pytest.mark.parametrize('path', sorted(NOTEBOOKS.glob('*.ipynb')),
                         ids=lambda p: p.name)
def test_notebooks_import_the_package_and_define_no_library_code(path):
    sources = code_sources(path)
    assert any('d2l_conv' in source for source in sources)
    for source in sources:
        if source.rstrip() in BOOK_CODE:
            continue  # the book's cell, verbatim
        assert definitions(source) == [], f'{path.name} defines them'


def test_only_the_books_cells_define_and_only_corr2d_and_conv2d():
    section = NOTEBOOKS / 'convolutions_for_images.ipynb'
    defined = [name for source in code_sources(section)
               for name in definitions(source)]
    assert defined == ['corr2d', 'Conv2D', '__init__', 'forward']


def test_a_definition_outside_the_books_cells_is_caught():
    assert definitions('%matplotlib inline\ndef helper():\n    pass') == \
        ['helper']


def exercise_names(source):
    """Return the `ex.` names `source` calls, and those it shows."""
    called, shown = set(), set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id == 'show_source':
            shown.update(ast.unparse(arg) for arg in node.args)
        elif isinstance(node.func, ast.Attribute) and \
                isinstance(node.func.value, ast.Name) and \
                node.func.value.id == 'ex':
            called.add(ast.unparse(node.func))
    return called, shown


def unshown_answers(sources):
    """Return each `ex.` function called before the notebook shows it."""
    shown, unshown = set(), []
    for source in sources:
        called, shows = exercise_names(source)
        shown |= shows
        unshown += sorted(called - shown)
    return unshown


def test_the_exercises_notebook_shows_each_answers_code_before_using_it():
    sources = code_sources(NOTEBOOKS / 'exercises.ipynb')
    assert unshown_answers(sources) == []
    shown = set().union(*(exercise_names(s)[1] for s in sources))
    # exercise 3: both ways of writing it as a matrix product
    assert {'matmul._window_index', 'ex.corr2d_im2col', 'matmul._toeplitz',
            'ex.toeplitz_matrix'} <= shown


def test_an_answer_used_before_it_is_shown_is_caught():
    assert unshown_answers(['ex.corr2d_im2col(X, K)',
                            'show_source(ex.corr2d_im2col)']) == \
        ['ex.corr2d_im2col']


def stored_outputs(path, needle):
    """Return the stored text outputs of the one code cell holding
    `needle`, in the notebook at `path`."""
    notebook = json.loads(path.read_text(encoding='utf-8'))
    cells = [cell for cell in notebook['cells'] if cell['cell_type'] ==
             'code' and needle in ''.join(cell['source'])]
    assert len(cells) == 1, needle
    return [''.join(output.get('text') or
                    output.get('data', {}).get('text/plain', ''))
            for output in cells[0]['outputs']]


def test_the_exercises_show_the_dense_toeplitz_product_on_a_kernel_with_no_0():
    path = NOTEBOOKS / 'exercises.ipynb'
    [T] = stored_outputs(path, 'T = ex.toeplitz_matrix(K3, X3.shape)')
    rows = [[float(v) for v in re.findall(r'-?\d+\.?', row)]
            for row in T.splitlines()]
    assert len(rows) == 4 and all(len(row) == 9 for row in rows)
    # K = [[1, 2], [3, 4]]: each row holds K's four entries, in order,
    # and zeros; no 0 of K can hide among them
    assert [[v for v in row if v] for row in rows] == [[1, 2, 3, 4]] * 4
    [product] = stored_outputs(path, 'np.dot(T, x)')
    dense, book = re.findall(r'array\([^)]*\)', product)
    assert ' '.join(dense.split()) == ' '.join(book.split()) == \
        'array([[27., 37.], [57., 67.]])'
