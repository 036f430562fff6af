"""The two-dimensional convolution layer, computed as one matrix product over image patches.

Shapes follow PyTorch ("channels first"): a batch of images is ``(n, c, h, w)`` and the kernels of
a layer with ``c_out`` output channels are ``(c_out, c_in, k_h, k_w)``. Like every deep learning
library, the layer computes a *cross-correlation*: the kernel is not flipped.

The loops of the definition (over examples, output channels and positions) are replaced by one
matrix product: :func:`im2col` copies every ``c_in × k_h × k_w`` window of the input into a
column, so that the convolution becomes ``kernels @ columns``. :func:`col2im` is its adjoint: it
adds each column back onto the window it came from, which is what the backward pass needs.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .base import Layer, _cached, _check_same_shape
from .dense import _INITIALISERS

__all__ = ["conv_output_size", "im2col", "col2im", "Conv2D", "conv2d"]


def conv_output_size(size: int, kernel: int, padding: int = 0, stride: int = 1) -> int:
    """The output length along one axis: ⌊(size − kernel + 2·padding) / stride⌋ + 1.

    ``padding`` is the number of zeros added on *each* side. The course writes the same number as
    ⌊(n − k + p + s) / s⌋ with p the padding of both sides together.
    """
    for name, value, low in (("size", size, 1), ("kernel", kernel, 1), ("padding", padding, 0), ("stride", stride, 1)):
        if int(value) != value or value < low:
            raise ValueError(f"{name} must be an integer ≥ {low}, got {value!r}.")
    if kernel > size + 2 * padding:
        raise ValueError(f"a kernel of {kernel} does not fit an input of {size} padded by {padding} on each side.")
    return (size - kernel + 2 * padding) // stride + 1


def _pad(x: np.ndarray, padding: int) -> np.ndarray:
    if padding == 0:
        return x
    return np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))


def im2col(x: np.ndarray, kernel_size: tuple[int, int], stride: int = 1, padding: int = 0) -> np.ndarray:
    """Every window of ``x`` (n, c, h, w) as a column: a matrix of shape ``(c·k_h·k_w, n·out_h·out_w)``.

    Column ``(i, p, q)`` (in that order) holds the window of example ``i`` whose top-left corner is
    at ``(p·stride, q·stride)`` of the padded image, read in the order (channel, row, column): the
    order of a kernel ``(c_out, c_in, k_h, k_w)`` reshaped to ``(c_out, c_in·k_h·k_w)``, so that the
    whole convolution is the one matrix product ``kernels @ columns``.
    """
    if x.ndim != 4:
        raise ValueError(f"expected a batch of images (n, c, h, w), got shape {x.shape}.")
    kh, kw = kernel_size
    out_h = conv_output_size(x.shape[2], kh, padding, stride)
    out_w = conv_output_size(x.shape[3], kw, padding, stride)
    # A view, no copy: windows[i, c, p, q, u, v] = x_pad[i, c, p·stride + u, q·stride + v].
    windows = sliding_window_view(_pad(x, padding), (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]
    # Reordered to (c, u, v, i, p, q), then copied into a contiguous matrix by the reshape.
    return windows.transpose(1, 4, 5, 0, 2, 3).reshape(x.shape[1] * kh * kw, -1)


def col2im(columns: np.ndarray, input_shape: tuple[int, int, int, int], kernel_size: tuple[int, int],
           stride: int = 1, padding: int = 0) -> np.ndarray:
    """The adjoint of :func:`im2col`: add every column back onto its window of an ``input_shape`` array.

    Windows overlap when the stride is smaller than the kernel, so one input pixel receives the sum
    of the values of every window that contains it. The loop runs over the k_h × k_w kernel offsets
    only; each step adds one strided slice for all examples, channels and windows at once.
    """
    n, channels, height, width = input_shape
    kh, kw = kernel_size
    out_h = conv_output_size(height, kh, padding, stride)
    out_w = conv_output_size(width, kw, padding, stride)
    if columns.shape != (channels * kh * kw, n * out_h * out_w):
        raise ValueError(f"columns of shape {columns.shape} do not match input {input_shape} and kernel {kernel_size}.")
    patches = columns.reshape(channels, kh, kw, n, out_h, out_w)
    # Built channels-first, (c, n, h, w), so that each added slice is read contiguously.
    padded = np.zeros((channels, n, height + 2 * padding, width + 2 * padding), dtype=columns.dtype)
    for u in range(kh):
        for v in range(kw):
            # Offset (u, v) of every window lands on rows u, u + s, u + 2s, ... of the padded input.
            padded[:, :, u:u + stride * out_h:stride, v:v + stride * out_w:stride] += patches[:, u, v]
    return padded[:, :, padding:padding + height, padding:padding + width].transpose(1, 0, 2, 3)


class Conv2D(Layer):
    """A convolution layer: y[i, f] = b[f] + Σ_c x[i, c] ⋆ W[f, c], for a batch x of shape (n, c_in, h, w).

    ``W`` has shape ``(c_out, c_in, k_h, k_w)`` and ``b`` shape ``(c_out,)``; ``padding`` zeros are
    added on each side and the kernel moves ``stride`` pixels at a time. The output has shape
    ``(n, c_out, out_h, out_w)`` (see :func:`conv_output_size`). ``backward`` sets ``dW`` and
    ``db`` and returns ``dx``, unless ``input_grad`` is false (a first layer needs no ``dx``).
    """

    def __init__(self, W: np.ndarray, b: np.ndarray, *, stride: int = 1, padding: int = 0,
                 input_grad: bool = True) -> None:
        W, b = np.asarray(W), np.asarray(b)
        if W.ndim != 4:
            raise ValueError(f"W must have shape (c_out, c_in, k_h, k_w), got {W.shape}.")
        if b.shape != (W.shape[0],):
            raise ValueError(f"b must have shape ({W.shape[0]},) to match W {W.shape}, got {b.shape}.")
        if int(stride) != stride or stride < 1 or int(padding) != padding or padding < 0:
            raise ValueError(f"stride must be an integer ≥ 1 and padding ≥ 0, got {stride} and {padding}.")
        self.W, self.b = W, b
        self.stride, self.padding = int(stride), int(padding)
        self.dW, self.db = np.zeros_like(W), np.zeros_like(b)
        self.input_grad = input_grad
        self.columns: np.ndarray | None = None
        self.input_shape: tuple[int, ...] = ()
        self.output_shape: tuple[int, ...] = ()

    @property
    def kernel_size(self) -> tuple[int, int]:
        return self.W.shape[2], self.W.shape[3]

    def forward(self, x: np.ndarray) -> np.ndarray:
        if x.ndim != 4 or x.shape[1] != self.W.shape[1]:
            raise ValueError(f"Conv2D expects input of shape (n, {self.W.shape[1]}, h, w), got {x.shape}.")
        n, _, height, width = x.shape
        out_h = conv_output_size(height, self.kernel_size[0], self.padding, self.stride)
        out_w = conv_output_size(width, self.kernel_size[1], self.padding, self.stride)
        self.input_shape, self.output_shape = x.shape, (n, self.W.shape[0], out_h, out_w)
        self.columns = im2col(x, self.kernel_size, self.stride, self.padding)
        # (c_out, c_in·k_h·k_w) @ (c_in·k_h·k_w, n·out_h·out_w): every kernel times every window.
        y = self.W.reshape(self.W.shape[0], -1) @ self.columns
        y += self.b[:, None]
        return y.reshape(-1, n, out_h, out_w).transpose(1, 0, 2, 3)  # (n, c_out, out_h, out_w)

    def backward(self, dy: np.ndarray) -> np.ndarray | None:
        columns = _cached(self, "columns")
        _check_same_shape(self, dy, self.output_shape)
        c_out = self.W.shape[0]
        dy_matrix = dy.transpose(1, 0, 2, 3).reshape(c_out, -1)  # one column per output position
        self.dW = (dy_matrix @ columns.T).reshape(self.W.shape)
        self.db = dy_matrix.sum(axis=1)
        if not self.input_grad:
            return None
        dcolumns = self.W.reshape(c_out, -1).T @ dy_matrix
        return col2im(dcolumns, self.input_shape, self.kernel_size, self.stride, self.padding)

    def params(self) -> list[tuple[str, np.ndarray]]:
        return [("W", self.W), ("b", self.b)]

    def grads(self) -> list[tuple[str, np.ndarray]]:
        return [("W", self.dW), ("b", self.db)]

    def __repr__(self) -> str:
        c_out, c_in, kh, kw = self.W.shape
        return f"Conv2D({c_in} → {c_out}, {kh}×{kw}, stride {self.stride}, padding {self.padding}, {self.W.dtype})"


def conv2d(in_channels: int, out_channels: int, kernel_size: int, *, stride: int = 1, padding: int = 0,
           init: str = "he", rng: np.random.Generator | int | None = None, dtype: np.dtype | type = np.float32,
           input_grad: bool = True) -> Conv2D:
    """A :class:`Conv2D` with square kernels, ``init`` ("he" or "xavier") weights and zero biases.

    A convolution's fan-in is ``in_channels · k²`` (the inputs of one output value) and its fan-out
    ``out_channels · k²``: the same rules as for an affine layer, counted per output value.
    """
    if init not in _INITIALISERS:
        raise ValueError(f"init must be one of {sorted(_INITIALISERS)}, got {init!r}.")
    shape = (out_channels, in_channels, kernel_size, kernel_size)
    W = _INITIALISERS[init](in_channels * kernel_size**2, out_channels * kernel_size**2, rng, dtype, shape=shape)
    return Conv2D(W, np.zeros(out_channels, dtype=dtype), stride=stride, padding=padding,
                  input_grad=input_grad)
