"""The notebooks import the package and define none of its code.

The section notebook is the exception that proves it: its only
definitions are the book's own `corr2d` and `Conv2D`, in the book's
cells, which `test_book_notebook` proves are the package's. nbval (run
by ``make test``) re-executes each notebook against its stored outputs.
"""

import ast
import json
import pathlib

import pytest

from d2l_conv.book_code import BLOCKS

NOTEBOOKS = pathlib.Path(__file__).resolve().parent.parent / 'notebooks'
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
