"""Section 6.2's four exercises, answered with code that runs.

From "Convolutions for Images", 6.2.7 Exercises; one module each:

1. `diagonal_edges`: the edge kernel on an image with a diagonal edge,
   and what transposing the image or the kernel does.
2. `autograd`: the error autograd raises on the book's `Conv2D`
   (`autograd_error`), and a block it can train (`TrainableConv2D`).
3. `matmul`: cross-correlation as a matrix product, by unfolding the
   input (`corr2d_im2col`) or the kernel (`corr2d_toeplitz`).
4. `kernels` and `integral`: derivative, Laplace and integral kernels
   by hand, and the minimum size of a derivative kernel.
"""

from .autograd import TrainableConv2D, autograd_error
from .diagonal_edges import DiagonalEdges, diagonal_edges, diagonal_image
from .integral import SIMPSON, box_kernel, running_sum
from .kernels import (
    LAPLACE,
    SECOND_DERIVATIVE,
    derivative_kernel,
    min_kernel_size,
    moment_system,
)
from .matmul import (
    corr2d_im2col,
    corr2d_input_grad,
    corr2d_toeplitz,
    toeplitz_matrix,
)

__all__ = [
    'DiagonalEdges', 'LAPLACE', 'SECOND_DERIVATIVE', 'SIMPSON',
    'TrainableConv2D', 'autograd_error', 'box_kernel', 'corr2d_im2col',
    'corr2d_input_grad', 'corr2d_toeplitz', 'derivative_kernel',
    'diagonal_edges', 'diagonal_image', 'min_kernel_size', 'moment_system',
    'running_sum', 'toeplitz_matrix',
]
