"""The command line: ``python -m d2l_conv`` (also ``d2l-conv``).

A thin `argparse` over `reproduce` (the section run and compared with
the book, reported) and `figures.save_figures` (``--figures DIR``).
"""

import argparse
import sys

from .reproduce import report, reproduce

DESCRIPTION = """\
Reproduce section 6.2 of Dive into Deep Learning (MXNet edition),
"Convolutions for Images": run the section top to bottom and, for each
published output, show the reproduced one beside the book's with a
verdict. Exits 0 only if every output matches the book at the precision
it prints."""


def build_parser():
    """Return the argument parser of ``python -m d2l_conv``."""
    parser = argparse.ArgumentParser(
        prog='python -m d2l_conv', description=DESCRIPTION)
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        '--markdown', action='store_true',
        help='print the comparison as a Markdown table (for the README)')
    group.add_argument(
        '--figures', metavar='DIR',
        help="write the section's five figures as PNG and SVG into DIR "
             '(created if needed) and exit, without the reproduction '
             'check')
    return parser


def _say(text, file):
    """Print `text`, escaping what `file`'s encoding cannot show.

    A path may hold characters that the terminal's encoding lacks (a
    non-ASCII directory under ``PYTHONIOENCODING=ascii``); they are
    printed as ``\\xfc`` escapes instead of ending in a traceback.
    """
    encoding = getattr(file, 'encoding', None)
    if encoding:
        text = text.encode(encoding, 'backslashreplace').decode(encoding)
    print(text, file=file)


def _write_figures(prog, directory, out):
    # matplotlib is imported only here, when figures are asked for
    from .figures import save_figures
    try:
        paths = save_figures(directory)
    except (ValueError, OSError) as err:
        reason = ' '.join(str(err).splitlines())  # one line
        _say(f'{prog}: error: cannot write figures: {reason}', sys.stderr)
        return 2
    _say(f'wrote {len(paths) // 2} figures as PNG and SVG to {directory}:',
         out)
    for path in paths:
        _say(f'  {path}', out)
    return 0


def main(argv=None, out=None):
    """Run the command line; return its exit code.

    Parameters
    ----------
    argv : list of str, optional
        The arguments; defaults to ``sys.argv[1:]``.
    out : file-like, optional
        Where to write; defaults to ``sys.stdout``.

    Returns
    -------
    int
        0 if every published output matches, 1 otherwise. With
        ``--figures DIR``: 0 once the figures are written, 2 (after one
        error line on stderr) if DIR is a file or cannot be written.

    Examples
    --------
    >>> import io
    >>> buffer = io.StringIO()
    >>> main([], out=buffer)
    0
    >>> buffer.getvalue().splitlines()[-1]
    '6/6 outputs match the book'
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    out = sys.stdout if out is None else out
    if args.figures is not None:
        return _write_figures(parser.prog, args.figures, out)
    results = reproduce()
    matched = report(results, out, markdown=args.markdown)
    return 0 if matched == len(results) else 1


def run():
    """Entry point of the ``d2l-conv`` script."""
    sys.exit(main())
