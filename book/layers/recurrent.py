"""The plain recurrent layer, unrolled over a whole sequence, and gradient clipping by global norm.

A sequence is stored **time-major**, ``(T, N, D)``: ``x[t]`` is the batch of inputs at step ``t``,
one contiguous ``(N, D)`` block. The recurrence walks along time, step by step, so time is the
axis the loops index; it is also the default layout of ``torch.nn.RNN``. (Keras' ``SimpleRNN``
reads ``(N, T, D)``: transpose at the boundary.)

Parameters follow the slides' row-vector convention, H_t = φ(X_t W_xh + H_{t−1} W_hh + b_h) with
``W_xh`` of shape ``(D, H)``, ``W_hh`` of shape ``(H, H)`` and ``b_h`` of shape ``(H,)``: the
layout of Keras' ``kernel``, ``recurrent_kernel`` and ``bias``. PyTorch stores the transposes,
``weight_ih_l0 = W_xh.T`` and ``weight_hh_l0 = W_hh.T``, and two biases whose sum is ``b_h``.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from .base import Layer, _cached, _check_same_shape

__all__ = ["RNN", "rnn", "clip_gradients"]

_NONLINEARITIES = ("tanh", "relu")


class RNN(Layer):
    """H_t = φ(X_t W_xh + H_{t−1} W_hh + b_h) for t = 1 … T, with φ = tanh (or ReLU).

    ``forward(x, h0=None)`` reads a time-major batch ``x`` and returns every hidden state, an
    array ``(T, N, H)`` whose last entry is the final state; ``h0`` of shape ``(N, H)`` is the
    state before the first step (zeros by default). ``x`` is either ``(T, N, D)`` floats or
    ``(T, N)`` integer token ids standing for their one-hot vectors over ``D = W_xh.shape[0]``
    tokens: a one-hot row times ``W_xh`` is a row of ``W_xh``, so ids are looked up, not multiplied.

    ``backward(dH)`` takes dL/dH_t for every step, ``(T, N, H)``, and runs backpropagation through
    time: the gradient reaching H_t is what the loss sends at step t plus what step t + 1 sends
    back through W_hh. It returns dL/dx (``None`` for token ids), stores dL/dh0 in ``dh0``, and sets
    ``dW_xh``, ``dW_hh`` and ``db_h``, each summed over all time steps and examples. Like every
    layer of :mod:`book.layers`, ``backward`` overwrites the gradients of the previous call.

    Truncated BPTT over consecutive batches: pass the previous batch's final state as ``h0`` and
    ignore ``dh0``, so that no gradient flows into the batch before.
    """

    def __init__(self, W_xh: np.ndarray, W_hh: np.ndarray, b_h: np.ndarray, *, nonlinearity: str = "tanh") -> None:
        W_xh, W_hh, b_h = np.asarray(W_xh), np.asarray(W_hh), np.asarray(b_h)
        if W_xh.ndim != 2:
            raise ValueError(f"W_xh must be a matrix (input size, hidden size), got shape {W_xh.shape}.")
        hidden_size = W_xh.shape[1]
        if W_hh.shape != (hidden_size, hidden_size):
            raise ValueError(f"W_hh must have shape ({hidden_size}, {hidden_size}) to match W_xh {W_xh.shape}, "
                             f"got {W_hh.shape}.")
        if b_h.shape != (hidden_size,):
            raise ValueError(f"b_h must have shape ({hidden_size},) to match W_xh {W_xh.shape}, got {b_h.shape}.")
        if nonlinearity not in _NONLINEARITIES:
            raise ValueError(f"nonlinearity must be one of {_NONLINEARITIES}, got {nonlinearity!r}.")
        self.W_xh, self.W_hh, self.b_h = W_xh, W_hh, b_h
        self.nonlinearity = nonlinearity
        self.dW_xh, self.dW_hh, self.db_h = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(b_h)
        self.dh0: np.ndarray | None = None
        self.x: np.ndarray | None = None
        self.h0: np.ndarray | None = None
        self.H: np.ndarray | None = None

    @property
    def input_size(self) -> int:
        return self.W_xh.shape[0]

    @property
    def hidden_size(self) -> int:
        return self.W_xh.shape[1]

    def _input_projection(self, x: np.ndarray) -> np.ndarray:
        """X_t W_xh + b_h for every step at once: one matrix product (or lookup) instead of T."""
        if x.ndim == 2:
            if not np.issubdtype(x.dtype, np.integer):
                raise TypeError(f"a two-dimensional x holds token ids (T, N) and must be integer, got {x.dtype}.")
            if x.size and (x.min() < 0 or x.max() >= self.input_size):
                raise ValueError(f"token ids must lie in 0..{self.input_size - 1}, got values from "
                                 f"{x.min()} to {x.max()}.")
            return self.W_xh[x] + self.b_h
        if x.ndim != 3 or x.shape[2] != self.input_size:
            raise ValueError(f"RNN expects a time-major sequence (T, N, {self.input_size}) or token ids (T, N), "
                             f"got shape {x.shape}.")
        return x @ self.W_xh + self.b_h

    def forward(self, x: np.ndarray, h0: np.ndarray | None = None) -> np.ndarray:
        x = np.asarray(x)
        if x.ndim in (2, 3) and x.shape[0] == 0:
            raise ValueError("the sequence must have at least one time step.")
        projected = self._input_projection(x)
        steps, batch = x.shape[:2]
        if h0 is None:
            h0 = np.zeros((batch, self.hidden_size), dtype=projected.dtype)
        elif np.shape(h0) != (batch, self.hidden_size):
            raise ValueError(f"h0 must have shape (N, H) = ({batch}, {self.hidden_size}), got {np.shape(h0)}.")
        H = np.empty_like(projected)
        h = h0
        for t in range(steps):
            h = self._activate(projected[t] + h @ self.W_hh)
            H[t] = h
        self.x, self.h0, self.H = x, h0, H
        return H

    def _activate(self, a: np.ndarray) -> np.ndarray:
        return np.tanh(a) if self.nonlinearity == "tanh" else np.maximum(a, 0)

    def _derivative(self, h: np.ndarray) -> np.ndarray:
        """φ'(a) written with h = φ(a), which the forward pass kept: 1 − h² for tanh, [h > 0] for ReLU."""
        return 1 - h * h if self.nonlinearity == "tanh" else (h > 0).astype(h.dtype)

    def backward(self, dH: np.ndarray) -> np.ndarray | None:
        H = _cached(self, "H")
        _check_same_shape(self, dH, H.shape)
        x, h0 = self.x, self.h0
        dA = np.empty_like(H, dtype=np.result_type(H, dH))  # dL/d(pre-activation) at every step
        dh_from_later = np.zeros_like(dA[0])
        for t in reversed(range(len(H))):
            # H_t reaches the loss directly (dH[t]) and through H_{t+1} (dh_from_later).
            dA[t] = (dH[t] + dh_from_later) * self._derivative(H[t])
            dh_from_later = dA[t] @ self.W_hh.T
        self.dh0 = dh_from_later
        # Every step used the same weights, so their gradients are sums over t: for W_hh the sum of
        # H_{t−1}ᵀ dA_t, computed as one product over all (t, n) rows.
        hidden = self.hidden_size
        H_before = np.concatenate([h0[None], H[:-1]]).reshape(-1, hidden)
        flat_dA = dA.reshape(-1, hidden)
        self.dW_hh = H_before.T @ flat_dA
        self.db_h = flat_dA.sum(axis=0)
        if x.ndim == 2:
            self.dW_xh = np.zeros_like(self.W_xh, dtype=flat_dA.dtype)
            np.add.at(self.dW_xh, x.ravel(), flat_dA)  # row i of W_xh gets the dA of every step that read token i
            return None
        self.dW_xh = x.reshape(-1, self.input_size).T @ flat_dA
        return dA @ self.W_xh.T

    def params(self) -> list[tuple[str, np.ndarray]]:
        return [("W_xh", self.W_xh), ("W_hh", self.W_hh), ("b_h", self.b_h)]

    def grads(self) -> list[tuple[str, np.ndarray]]:
        return [("W_xh", self.dW_xh), ("W_hh", self.dW_hh), ("b_h", self.db_h)]

    def __repr__(self) -> str:
        return f"RNN({self.input_size} → {self.hidden_size}, {self.nonlinearity}, {self.W_xh.dtype})"


def rnn(input_size: int, hidden_size: int, *, nonlinearity: str = "tanh",
        rng: np.random.Generator | int | None = None, dtype: np.dtype | type = np.float32) -> RNN:
    """An :class:`RNN` initialised as ``torch.nn.RNN`` is: every weight and bias from U(−1/√H, 1/√H)."""
    if input_size < 1 or hidden_size < 1:
        raise ValueError(f"input_size and hidden_size must be positive, got {input_size} and {hidden_size}.")
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    bound = 1 / np.sqrt(hidden_size)
    W_xh, W_hh, b_h = (rng.uniform(-bound, bound, shape).astype(dtype)
                       for shape in ((input_size, hidden_size), (hidden_size, hidden_size), (hidden_size,)))
    return RNN(W_xh, W_hh, b_h, nonlinearity=nonlinearity)


def clip_gradients(grads: Iterable[np.ndarray | tuple[str, np.ndarray]], max_norm: float, eps: float = 1e-6) -> float:
    """Scale gradients in place so that their global norm is at most ``max_norm``; return the norm before.

    The global norm treats all the arrays as one long vector g, ‖g‖ = √(Σ over arrays of Σ g²).
    When it exceeds ``max_norm`` every array is multiplied by the same factor
    max_norm / (‖g‖ + eps), so the direction of the step is kept; otherwise nothing changes. This
    is ``torch.nn.utils.clip_grad_norm_``. ``grads`` holds arrays or the ``(name, array)`` pairs of
    a layer's ``grads()``; ``max_norm=np.inf`` measures the norm and changes nothing.
    """
    if not max_norm > 0:
        raise ValueError(f"max_norm must be positive, got {max_norm}.")
    arrays = [grad[1] if isinstance(grad, tuple) else grad for grad in grads]
    total_norm = float(np.sqrt(sum(float(np.sum(np.square(array, dtype=np.float64))) for array in arrays)))
    scale = max_norm / (total_norm + eps)
    if scale < 1:
        for array in arrays:
            array *= scale
    return total_norm
