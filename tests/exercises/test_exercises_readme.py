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
