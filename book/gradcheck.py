"""Gradient checking: compare an analytic gradient with centred finite differences.

For a correct implementation in float64, the relative error is about 1e-7 or smaller; errors
near 1e-2 mean a bug. Always check in float64: float32 round-off alone reaches 1e-3.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

__all__ = ["numerical_gradient", "relative_error", "check_gradient", "check_layer"]


def numerical_gradient(f: Callable[[], float], x: np.ndarray, step: float = 1e-6) -> np.ndarray:
    """d f / d x by centred differences, perturbing ``x`` in place one element at a time.

    ``f`` takes no arguments and reads ``x`` (and whatever else it needs) itself, so the same
    function serves for every parameter of a layer.
    """
    if x.dtype != np.float64:
        raise TypeError(f"gradient checks need float64 arrays, got {x.dtype}.")
    gradient = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + step
        above = f()
        x[index] = original - step
        below = f()
        x[index] = original
        gradient[index] = (above - below) / (2 * step)
    return gradient


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """‖a − n‖ / (‖a‖ + ‖n‖) over the whole array: scale-free, and 0 when both are exactly zero.

    Measured over the whole array rather than entry by entry, because an entry whose true
    gradient is nearly zero has a large *relative* round-off error even in correct code.
    """
    analytic, numeric = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    if analytic.shape != numeric.shape:
        raise ValueError(f"shapes differ: {analytic.shape} and {numeric.shape}.")
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return float(np.linalg.norm(analytic - numeric) / scale) if scale > 0 else 0.0


def check_gradient(f: Callable[[], float], x: np.ndarray, analytic: np.ndarray, tolerance: float = 1e-7) -> float:
    """Assert that ``analytic`` matches the numerical gradient of ``f`` at ``x``; return the error."""
    error = relative_error(analytic, numerical_gradient(f, x))
    if not error < tolerance:
        raise AssertionError(f"gradient check failed: relative error {error:.2e} ≥ {tolerance:.0e}.")
    return error


def check_layer(layer, x: np.ndarray, upstream: np.ndarray, tolerance: float = 1e-7) -> float:
    """Gradient-check a layer (``forward``/``backward``, see :mod:`book.layers`) in float64.

    The scalar checked is L = Σ forward(x) ⊙ upstream, whose gradient with respect to the output
    is ``upstream`` itself; so ``backward(upstream)`` must return dL/dx and leave dL/dθ in
    ``grads()`` for every parameter θ in ``params()``. Asserts each check and returns the largest
    relative error.
    """
    loss = lambda: float(np.sum(layer.forward(x) * upstream))  # noqa: E731
    layer.forward(x)
    dx = layer.backward(upstream)
    errors = [check_gradient(loss, x, dx, tolerance)] if dx is not None else []
    layer.forward(x)
    layer.backward(upstream)
    for (name, param), (grad_name, grad) in zip(layer.params(), layer.grads()):
        if name != grad_name:
            raise ValueError(f"params() and grads() disagree in order: {name} and {grad_name}.")
        errors.append(check_gradient(loss, param, grad.copy(), tolerance))
    return max(errors, default=0.0)
