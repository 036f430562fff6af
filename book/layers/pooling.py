"""Pooling layers, which summarise each window of every channel by one number, and :class:`Flatten`.

The pooling layers here use non-overlapping windows (the stride equals the window size), the
form LeNet and most CNNs use. Then every input pixel belongs to exactly one window, and pooling is
a reshape: ``(n, c, h, w)`` → ``(n, c, h/k, k, w/k, k)``, reduced over the two window axes. Rows
and columns left over when ``k`` does not divide the size are dropped, as in PyTorch; they get a
zero gradient.
"""

from __future__ import annotations

import numpy as np

from .base import Layer, _cached, _check_same_shape

__all__ = ["MaxPool2D", "AvgPool2D", "Flatten"]


class _Pool2D(Layer):
    """What max and average pooling share: the window size and the reshape into windows."""

    def __init__(self, size: int = 2, stride: int | None = None) -> None:
        if int(size) != size or size < 1:
            raise ValueError(f"the window size must be a positive integer, got {size!r}.")
        if stride is not None and stride != size:
            raise ValueError(f"{type(self).__name__} supports non-overlapping windows only (stride = size = "
                             f"{size}), got stride {stride}; overlapping windows are an exercise of the convolution lab.")
        self.size = int(size)
        self.input_shape: tuple[int, ...] | None = None

    def _windows(self, x: np.ndarray) -> np.ndarray:
        """``x`` cut into windows: shape (n, c, out_h, out_w, size·size)."""
        if x.ndim != 4:
            raise ValueError(f"{type(self).__name__} expects a batch (n, c, h, w), got shape {x.shape}.")
        n, channels, height, width = x.shape
        k = self.size
        if height < k or width < k:
            raise ValueError(f"a {k}×{k} window does not fit an input of {height}×{width}.")
        out_h, out_w = height // k, width // k
        self.input_shape = x.shape
        cropped = x[:, :, :out_h * k, :out_w * k]
        return cropped.reshape(n, channels, out_h, k, out_w, k).transpose(0, 1, 2, 4, 3, 5).reshape(
            n, channels, out_h, out_w, k * k)

    def _to_input(self, window_grads: np.ndarray) -> np.ndarray:
        """The inverse of :meth:`_windows`: per-window gradients back on the input grid."""
        n, channels, height, width = self.input_shape
        k = self.size
        out_h, out_w = height // k, width // k
        grid = window_grads.reshape(n, channels, out_h, out_w, k, k).transpose(0, 1, 2, 4, 3, 5).reshape(
            n, channels, out_h * k, out_w * k)
        if grid.shape[2:] == (height, width):
            return grid
        dx = np.zeros(self.input_shape, dtype=window_grads.dtype)
        dx[:, :, :out_h * k, :out_w * k] = grid
        return dx

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.size}×{self.size})"


class MaxPool2D(_Pool2D):
    """The largest value of each size × size window, per channel.

    The gradient of a maximum flows to the one input that was largest; the others get zero. When
    several inputs tie for the maximum, the first in reading order gets it, as in PyTorch.
    """

    def __init__(self, size: int = 2, stride: int | None = None) -> None:
        super().__init__(size, stride)
        self.argmax: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        windows = self._windows(x)
        self.argmax = windows.argmax(axis=-1)
        return np.take_along_axis(windows, self.argmax[..., None], axis=-1)[..., 0]

    def backward(self, dy: np.ndarray) -> np.ndarray:
        argmax = _cached(self, "argmax")
        _check_same_shape(self, dy, argmax.shape)
        window_grads = np.zeros((*argmax.shape, self.size * self.size), dtype=dy.dtype)
        np.put_along_axis(window_grads, argmax[..., None], dy[..., None], axis=-1)
        return self._to_input(window_grads)


class AvgPool2D(_Pool2D):
    """The mean of each size × size window, per channel; each input gets 1/size² of its window's gradient."""

    def __init__(self, size: int = 2, stride: int | None = None) -> None:
        super().__init__(size, stride)
        self.output_shape: tuple[int, ...] | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        y = self._windows(x).mean(axis=-1)
        self.output_shape = y.shape
        return y

    def backward(self, dy: np.ndarray) -> np.ndarray:
        expected = _cached(self, "output_shape")
        _check_same_shape(self, dy, expected)
        share = dy[..., None] / (self.size * self.size)
        return self._to_input(np.broadcast_to(share, (*dy.shape, self.size * self.size)))


class Flatten(Layer):
    """(n, c, h, w) → (n, c·h·w): feature maps become one row per example for an affine layer."""

    def __init__(self) -> None:
        self.input_shape: tuple[int, ...] | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        if x.ndim < 2:
            raise ValueError(f"Flatten expects a batch (n, ...), got shape {x.shape}.")
        self.input_shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, dy: np.ndarray) -> np.ndarray:
        input_shape = _cached(self, "input_shape")
        _check_same_shape(self, dy, (input_shape[0], int(np.prod(input_shape[1:]))))
        return dy.reshape(input_shape)
