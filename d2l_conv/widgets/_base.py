"""What the widgets share: a VBox that also leaves a picture.

In JupyterLab a widget is shown by its live view. Where no widget
frontend runs (GitHub's notebook view, nbval, a notebook opened later
without its kernel) the stored output is all there is, so each widget's
``_repr_mimebundle_`` adds, beside the widget view, a PNG of its current
state (``image/png``, drawn by `plotting`) and a one-line
summary of it (``text/plain``). JupyterLab ranks the widget view first
and renders it alone; nbval skips both the PNG and the widget view by
default and compares the summary, which holds no timing.

Each widget sets its picture before its text: the kernel sends the two
in that order, so a frontend (or a browser test) that shows the new
text already holds the picture that goes with it.
"""

import base64
import functools

import ipywidgets


def numpy_mode(handler):
    """Run the callback `handler` with MXNet's NumPy semantics on.

    ``npx.set_np()``, which ``import d2l_conv`` calls, holds for the
    calling thread only, and a kernel (ipykernel 7) may handle a
    learner's move on another thread; there the book's ``corr2d`` would
    fail (``Y[i, j] = ...`` with classic NDArray shapes). Every widget
    callback that computes with MXNet is wrapped in this.
    """
    @functools.wraps(handler)
    def wrapper(*args, **kwargs):
        from mxnet import npx
        npx.set_np()  # for this thread; a no-op where it is already on
        return handler(*args, **kwargs)
    return wrapper


def player(start, stop, description):
    """Return a slider from `start` to `stop` and a play button that
    moves it (linked in the browser), both at `start`."""
    slider = ipywidgets.IntSlider(
        value=start, min=start, max=stop, description=description,
        continuous_update=True)
    play = ipywidgets.Play(value=start, min=start, max=stop,
                           interval=1000, description='play')
    ipywidgets.jslink((play, 'value'), (slider, 'value'))
    return slider, play


def natural():
    """Return the layout of a picture: its own size, at most the width.

    A VBox stretches its children across; a PNG stretched so blurs.
    """
    return ipywidgets.Layout(align_self='flex-start', max_width='100%')


class Figure(ipywidgets.VBox):
    """A VBox whose stored output is also a picture and a summary.

    Subclasses set `css_class` (added to the widget's element, so that
    a browser test finds it) and define `summary` and `picture`.
    """

    css_class = None

    def __init__(self, children, **kwargs):
        super().__init__(children, **kwargs)
        if self.css_class:
            self.add_class(self.css_class)

    def summary(self):
        """Return one line that says what the widget shows now."""
        raise NotImplementedError

    def picture(self):
        """Return a PNG (bytes) of what the widget shows now."""
        raise NotImplementedError

    def __repr__(self):
        return f'<{type(self).__name__}: {self.summary()}>'

    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs)
        data['text/plain'] = self.summary()
        data['image/png'] = base64.b64encode(self.picture()).decode('ascii')
        return data
