"""Element-wise activation functions as layers."""

from __future__ import annotations

import numpy as np

from .base import Layer, _cached, _check_same_shape

__all__ = ["ReLU", "Sigmoid", "Tanh"]


class ReLU(Layer):
    """max(0, x), element-wise; its derivative is 1 where x > 0 and 0 elsewhere."""

    def __init__(self) -> None:
        self.y: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.y = np.maximum(x, 0)
        return self.y

    def backward(self, dy: np.ndarray) -> np.ndarray:
        y = _cached(self, "y")
        _check_same_shape(self, dy, y.shape)
        return np.where(y > 0, dy, 0)


class Sigmoid(Layer):
    """σ(x) = 1 / (1 + e^(−x)); its derivative is σ(x)(1 − σ(x)), at most 1/4."""

    def __init__(self) -> None:
        self.y: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        # Written with tanh, σ never computes e^(−x) itself, which overflows for very negative x.
        self.y = 0.5 * (np.tanh(0.5 * x) + 1)
        return self.y

    def backward(self, dy: np.ndarray) -> np.ndarray:
        y = _cached(self, "y")
        _check_same_shape(self, dy, y.shape)
        return dy * y * (1 - y)


class Tanh(Layer):
    """tanh(x), element-wise; its derivative is 1 − tanh(x)²."""

    def __init__(self) -> None:
        self.y: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.y = np.tanh(x)
        return self.y

    def backward(self, dy: np.ndarray) -> np.ndarray:
        y = _cached(self, "y")
        _check_same_shape(self, dy, y.shape)
        return dy * (1 - y * y)
