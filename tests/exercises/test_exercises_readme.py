"""The README's table of the exercises points at real, tested answers."""

import re

from conftest import ROOT

import d2l_conv
from d2l_conv import exercises
from d2l_conv.exercises import autograd_error

README = ROOT / 'docs' / 'notebooks.md'


def exercises_section():
    text = README.read_text(encoding='utf-8')
    start = text.index('<!-- section:exercises:start -->')
    return text[start: text.index('<!-- section:exercises:end -->')]


def test_table_names_only_public_answers_and_all_of_them():
    rows = [line for line in exercises_section().splitlines()
            if re.match(r'\| \d\. ', line)]
    assert len(rows) == 4
    named = {name for row in rows
             for name in re.findall(r'`([\w.]+)`', row.rsplit('|', 2)[1])}
    package = {name for name in named if name.startswith('d2l_conv.')}
    assert {name.split('.')[1] for name in package} <= set(d2l_conv.__all__)
    assert named - package <= set(exercises.__all__)
    # every answer is in the table, but for a result type and a helper
    assert set(exercises.__all__) - named <= {'DiagonalEdges',
                                              'derivative_kernel'}


def test_table_quotes_the_live_autograd_error():
    assert f'`{autograd_error()}`' in exercises_section()


def test_exercise_1s_identity_is_one_statement_in_the_docs_and_notebook():
    """docs/notebooks.md and the notebook state the same identity (the
    one the exercise asks about: transpose `X`, or transpose `K`), and
    it holds."""
    import json

    import numpy as onp
    row = next(line for line in exercises_section().splitlines()
               if line.startswith('| 1. '))
    [identity] = re.findall(r'`(corr2d\([^`]*)`', row)
    assert identity == 'corr2d(X.T, K) == corr2d(X, K.T).T'
    notebook = json.loads((ROOT / 'notebooks' / 'exercises.ipynb')
                          .read_text(encoding='utf-8'))
    text = '\n'.join(''.join(cell['source']) for cell in notebook['cells']
                     if cell['cell_type'] == 'markdown')
    assert (r'\mathrm{corr2d}(X^\top, K) = \mathrm{corr2d}(X, K^\top)^\top'
            in text)
    rng = onp.random.default_rng(1)
    X, K = rng.standard_normal((5, 7)), rng.standard_normal((2, 3))
    left, right = identity.split(' == ')
    names = {'corr2d': lambda A, B: d2l_conv.corr2d(A, B).asnumpy(),
             'X': X, 'K': K}
    onp.testing.assert_allclose(eval(left, names), eval(right, names),
                                rtol=1e-5)
