"""``python -m d2l_conv``: reproduce the section; see `d2l_conv.cli`."""

from .cli import run

if __name__ == '__main__':
    run()
