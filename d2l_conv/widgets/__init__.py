"""Figures a learner can move, in JupyterLab, with ipywidgets.

One widget per subsection, each built from the package's own functions,
as CNN Explainer lets a learner move the kernel over the input:

- `window_slider`: 6.2.1, the window slides over `X`; its products,
  their sum and `Y` filling in.
- `kernel_explorer`: 6.2.3 on a photograph; pick or edit a kernel,
  ``corr2d_fast``'s output and its time update live.
- `training_stepper`: 6.2.4, the ten iterations one by one; the loss
  and the kernel's two weights.
- `receptive_field`: today's 7.2.6, two stacked layers; click an output
  element to light up its receptive field.

Each returns an ``ipywidgets.VBox`` whose controls are attributes
(``.slider``, ``.preset``, ``.entries``) and whose state can be read
(``.text.value``, ``.image.value``, ...). In a stored notebook each
also leaves a PNG of its state and a one-line summary, for where no
widget frontend runs (see `_base`). ``import d2l_conv`` does not import
this package (it imports ipywidgets and matplotlib);
``from d2l_conv import widgets`` does.
"""

from .field import ReceptiveField, receptive_field
from .kernels import PRESETS, KernelExplorer, kernel_explorer
from .stepper import TrainingStepper, training_stepper, weight_history
from .window import WindowSlider, window_slider

__all__ = ['PRESETS', 'KernelExplorer', 'ReceptiveField', 'TrainingStepper',
           'WindowSlider', 'kernel_explorer', 'receptive_field',
           'training_stepper', 'weight_history', 'window_slider']
