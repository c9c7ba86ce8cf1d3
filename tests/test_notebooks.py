"""The notebooks' stored outputs: the book's, and free of library code.

nbval (run by ``make test``) re-executes each notebook and compares with
the stored outputs; these tests pin the stored outputs to the one record
of the book's outputs, so regenerating a notebook cannot drift from it.
"""

import ast
import pathlib

import nbformat
import pytest

from d2l_conv.published import PUBLISHED, printed_form

NOTEBOOKS = pathlib.Path(__file__).resolve().parent.parent / 'notebooks'
SECTION = NOTEBOOKS / 'convolutions_for_images.ipynb'


def stored_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != 'code':
            continue
        for output in cell.outputs:
            text = output.get('text') or output.get('data', {}).get(
                'text/plain', '')
            yield printed_form(text)


@pytest.mark.parametrize('record', PUBLISHED, ids=lambda r: r.key)
def test_section_notebook_stores_each_published_output(record):
    assert printed_form(record.text) in list(stored_outputs(SECTION))


@pytest.mark.parametrize('path', sorted(NOTEBOOKS.glob('*.ipynb')),
                         ids=lambda p: p.name)
def test_notebooks_import_the_package_and_define_no_library_code(path):
    notebook = nbformat.read(path, as_version=4)
    sources = [cell.source for cell in notebook.cells
               if cell.cell_type == 'code']
    assert any('d2l_conv' in source for source in sources)
    for source in sources:
        # IPython magics (`%matplotlib inline`) are not Python
        python = '\n'.join(line for line in source.splitlines()
                           if not line.lstrip().startswith('%'))
        for node in ast.walk(ast.parse(python)):
            assert not isinstance(
                node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)
            ), f'{path.name} defines {node.name}'
