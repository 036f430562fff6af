"""Dropout: a layer that behaves differently in training and in evaluation."""

from __future__ import annotations

import numpy as np

from .base import Layer, _cached, _check_same_shape

__all__ = ["Dropout"]


class Dropout(Layer):
    """Inverted dropout: in training, zero each unit with probability ``p`` and scale the rest by 1/(1 − p).

    The scaling keeps the expected output equal to the input, so evaluation (``training`` false)
    is the identity and needs no correction. Masks come from the layer's own seeded generator.
    """

    def __init__(self, p: float = 0.5, *, seed: int | None = 0) -> None:
        if not 0 <= p < 1:
            raise ValueError(f"the dropout probability p must be in [0, 1), got {p}.")
        self.p = p
        self.rng = np.random.default_rng(seed)
        self.mask: np.ndarray | None = None
        self.training = True

    def forward(self, x: np.ndarray) -> np.ndarray:
        if not self.training or self.p == 0:
            self.mask = np.ones((), dtype=x.dtype)
            return x
        dtype = x.dtype if x.dtype in (np.float32, np.float64) else np.dtype(np.float64)
        keep = self.rng.random(x.shape, dtype=dtype) >= self.p
        self.mask = keep.astype(dtype) / dtype.type(1 - self.p)
        return x * self.mask

    def backward(self, dy: np.ndarray) -> np.ndarray:
        mask = _cached(self, "mask")
        if mask.ndim == 0:  # the forward pass was the identity
            return dy
        _check_same_shape(self, dy, mask.shape)
        return dy * mask

    def __repr__(self) -> str:
        return f"Dropout(p={self.p})"
