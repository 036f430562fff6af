"""The fully connected (affine) layer, weight initialisers, and multilayer perceptrons."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .activations import ReLU, Sigmoid, Tanh
from .base import Layer, Sequential, _cached, _check_same_shape
from .regularization import Dropout

__all__ = ["Affine", "he_normal", "xavier_uniform", "affine", "mlp"]


class Affine(Layer):
    """y = x @ W + b for a batch x of shape (n, d_in); W is (d_in, d_out), b is (d_out,).

    ``backward`` sets ``dW`` and ``db`` and returns ``dx``. The first layer of a network may skip
    ``dx`` (``input_grad=False``): nothing needs the gradient with respect to the data, and it
    costs as much as ``dW``. Each ``backward`` writes ``dW`` and ``db`` into the same arrays, so
    copy them to keep the gradients of an earlier step.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray, *, input_grad: bool = True) -> None:
        W, b = np.asarray(W), np.asarray(b)
        if W.ndim != 2:
            raise ValueError(f"W must be a matrix (d_in, d_out), got shape {W.shape}.")
        if b.shape != (W.shape[1],):
            raise ValueError(f"b must have shape ({W.shape[1]},) to match W {W.shape}, got {b.shape}.")
        self.W, self.b = W, b
        self.dW, self.db = np.zeros_like(W), np.zeros_like(b)
        self.input_grad = input_grad
        self.x: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        if x.ndim != 2 or x.shape[1] != self.W.shape[0]:
            raise ValueError(f"Affine expects input of shape (n, {self.W.shape[0]}), got {x.shape}.")
        self.x = x
        y = x @ self.W
        y += self.b  # in place: one temporary fewer than x @ W + b
        return y

    def backward(self, dy: np.ndarray) -> np.ndarray | None:
        x = _cached(self, "x")
        _check_same_shape(self, dy, (x.shape[0], self.W.shape[1]))
        # Reuse the gradient buffers when the dtypes agree: no new allocation per step.
        if self.dW.dtype == np.result_type(x, dy):
            np.matmul(x.T, dy, out=self.dW)
            np.sum(dy, axis=0, out=self.db)
        else:
            self.dW, self.db = x.T @ dy, dy.sum(axis=0)
        return dy @ self.W.T if self.input_grad else None

    def params(self) -> list[tuple[str, np.ndarray]]:
        return [("W", self.W), ("b", self.b)]

    def grads(self) -> list[tuple[str, np.ndarray]]:
        return [("W", self.dW), ("b", self.db)]

    def __repr__(self) -> str:
        return f"Affine({self.W.shape[0]} → {self.W.shape[1]}, {self.W.dtype})"


def _generator(rng: np.random.Generator | int | None) -> np.random.Generator:
    return rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)


def he_normal(fan_in: int, fan_out: int, rng: np.random.Generator | int | None = None,
              dtype: np.dtype | type = np.float32, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """Weights drawn from N(0, 2 / fan_in): He (Kaiming) initialisation, for ReLU layers.

    The array has shape ``(fan_in, fan_out)`` unless ``shape`` says otherwise (a convolution's
    kernels, whose fan-in is c_in · k_h · k_w).
    """
    std = np.sqrt(2.0 / fan_in)
    return (_generator(rng).standard_normal(shape or (fan_in, fan_out)) * std).astype(dtype)


def xavier_uniform(fan_in: int, fan_out: int, rng: np.random.Generator | int | None = None,
                   dtype: np.dtype | type = np.float32, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """Weights drawn from U(−a, a), a = √(6 / (fan_in + fan_out)): Xavier (Glorot), for tanh and sigmoid.

    The array has shape ``(fan_in, fan_out)`` unless ``shape`` says otherwise.
    """
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return _generator(rng).uniform(-limit, limit, shape or (fan_in, fan_out)).astype(dtype)


_INITIALISERS = {"he": he_normal, "xavier": xavier_uniform}


def affine(fan_in: int, fan_out: int, init: str = "he", rng: np.random.Generator | int | None = None,
           dtype: np.dtype | type = np.float32, input_grad: bool = True) -> Affine:
    """An :class:`Affine` layer with ``init`` ("he" or "xavier") weights and zero biases."""
    if init not in _INITIALISERS:
        raise ValueError(f"init must be one of {sorted(_INITIALISERS)}, got {init!r}.")
    W = _INITIALISERS[init](fan_in, fan_out, rng, dtype)
    return Affine(W, np.zeros(fan_out, dtype=dtype), input_grad=input_grad)


_ACTIVATIONS = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh}


def mlp(sizes: Sequence[int], activation: str = "relu", *, dropout: float = 0.0, seed: int | None = 0,
        dtype: np.dtype | type = np.float32, init: str | None = None) -> Sequential:
    """A multilayer perceptron: Affine layers of the given ``sizes`` with an activation between them.

    ``mlp([784, 256, 128, 10])`` is 784 → 256 → ReLU → 128 → ReLU → 10 (scores for a softmax).
    ``dropout`` > 0 adds a :class:`Dropout` after every hidden activation. He initialisation is
    the default for ReLU, Xavier for tanh and sigmoid. The first layer does not compute the
    gradient with respect to the input (nothing uses it); set ``net[0].input_grad = True`` to get it.
    """
    if len(sizes) < 2 or any(int(size) < 1 for size in sizes):
        raise ValueError(f"sizes must list at least two positive layer widths, got {list(sizes)}.")
    if activation not in _ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(_ACTIVATIONS)}, got {activation!r}.")
    init = init or ("he" if activation == "relu" else "xavier")
    rng = np.random.default_rng(seed)
    layers: list[Layer] = []
    pairs = list(zip(sizes[:-1], sizes[1:]))
    for index, (fan_in, fan_out) in enumerate(pairs):
        layers.append(affine(fan_in, fan_out, init, rng, dtype, input_grad=index > 0))
        if index < len(pairs) - 1:
            layers.append(_ACTIVATIONS[activation]())
            if dropout > 0:
                layers.append(Dropout(dropout, seed=int(rng.integers(2**31))))
    return Sequential(*layers)
