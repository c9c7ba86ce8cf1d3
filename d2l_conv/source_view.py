"""Show the package's own source in a notebook, less its docstrings.

The exercises notebook shows how each answer is written with
`show_source`: the source the package runs, highlighted as Python,
without the numpydoc docstrings that its help shows.
"""

import ast
import inspect
import textwrap


def without_docstrings(source):
    """Return `source` with the docstring of each def and class removed.

    Comments, blank lines and everything else stay as written.

    Parameters
    ----------
    source : str
        Python source.

    Returns
    -------
    str
        The same source, less its docstrings' lines.

    Examples
    --------
    >>> print(without_docstrings("def f(x):\\n    'Twice.'\\n"
    ...                          '    return 2 * x\\n'))
    def f(x):
        return 2 * x
    """
    lines = source.splitlines(keepends=True)
    drop = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                             ast.ClassDef, ast.Module)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and \
                    isinstance(first.value, ast.Constant) and \
                    isinstance(first.value.value, str):
                drop.update(range(first.lineno - 1, first.end_lineno))
                after = first.end_lineno  # a blank line left after it
                if after < len(lines) and not lines[after].strip():
                    drop.add(after)
    return ''.join(line for n, line in enumerate(lines) if n not in drop)


class Source:
    """Python source that a notebook shows as highlighted code.

    Jupyter renders its ``_repr_markdown_``, a fenced ``python`` block
    (GitHub's notebook view too); IPython's plain text is the code.

    Parameters
    ----------
    code : str
        The source.

    Examples
    --------
    >>> Source('x = 1\\n')._repr_markdown_()
    '```python\\nx = 1\\n```'
    """

    def __init__(self, code):
        #: str: the source shown.
        self.code = code

    def __repr__(self):
        return f'Source({self.code!r})'

    def _repr_pretty_(self, p, cycle):
        p.text(self.code.rstrip('\n'))

    def _repr_markdown_(self):
        return f'```python\n{self.code}```'


def show_source(*objects):
    """Show the source of functions or classes, less their docstrings.

    For a notebook: how an answer is written, highlighted as Python,
    without the numpydoc docstrings the package's help shows.

    Parameters
    ----------
    *objects : function, class or module
        What to show, in order, two blank lines apart.

    Returns
    -------
    Source
        The source, which a notebook shows as highlighted code.

    Raises
    ------
    TypeError
        If one of `objects` has no Python source (a number, a builtin).

    Examples
    --------
    >>> shown = show_source(without_docstrings)
    >>> print(*shown.code.splitlines()[:2], sep='\\n')
    def without_docstrings(source):
        lines = source.splitlines(keepends=True)
    """
    parts = []
    for obj in objects:
        try:
            source = inspect.getsource(obj)
        except (TypeError, OSError):
            raise TypeError(f'show_source: {obj!r} has no Python source '
                            'to show') from None
        parts.append(without_docstrings(textwrap.dedent(source)))
    return Source('\n\n\n'.join(part.rstrip('\n') for part in parts) + '\n')
