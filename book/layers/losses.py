"""The softmax and the cross-entropy loss computed from scores (logits)."""

from __future__ import annotations

import numpy as np

from .base import _cached

__all__ = ["softmax", "SoftmaxCrossEntropy"]


def softmax(logits: np.ndarray, axis: int = -1) -> np.ndarray:
    """exp(o_j) / Σ_k exp(o_k) along ``axis``, computed after subtracting the maximum.

    Subtracting the row's maximum changes nothing mathematically (it cancels in the ratio) but
    keeps every exponent ≤ 0, so nothing overflows to inf and no inf/inf turns into nan.
    """
    shifted = logits - logits.max(axis=axis, keepdims=True)
    exps = np.exp(shifted)
    exps /= exps.sum(axis=axis, keepdims=True)
    return exps


class SoftmaxCrossEntropy:
    """Mean cross-entropy of softmax(logits) against integer class labels.

    ``forward(logits, labels)`` returns the mean loss over the batch; ``backward()`` returns its
    gradient with respect to the logits, (softmax(logits) − one_hot(labels)) / n. The loss uses
    log-softmax = o − max − log Σ exp(o − max), which never takes the log of an underflowed 0.
    """

    def __init__(self) -> None:
        self.probabilities: np.ndarray | None = None
        self.labels: np.ndarray | None = None

    def forward(self, logits: np.ndarray, labels: np.ndarray) -> float:
        logits, labels = np.asarray(logits), np.asarray(labels)
        if logits.ndim != 2:
            raise ValueError(f"logits must have shape (n, classes), got {logits.shape}.")
        if labels.shape != (logits.shape[0],):
            raise ValueError(f"labels must have shape ({logits.shape[0]},) for logits {logits.shape}, "
                             f"got {labels.shape}.")
        if not np.issubdtype(labels.dtype, np.integer):
            raise TypeError(f"labels must be integer class indices, got dtype {labels.dtype}.")
        classes = logits.shape[1]
        if labels.size and (labels.min() < 0 or labels.max() >= classes):
            raise ValueError(f"labels must lie in 0..{classes - 1}, got values from "
                             f"{labels.min()} to {labels.max()}.")
        shifted = logits - logits.max(axis=1, keepdims=True)
        exps = np.exp(shifted)
        sums = exps.sum(axis=1, keepdims=True)
        rows = np.arange(len(labels))
        log_likelihood = shifted[rows, labels] - np.log(sums[:, 0])
        exps /= sums
        self.probabilities, self.labels = exps, labels
        return float(-log_likelihood.mean())

    def backward(self) -> np.ndarray:
        probabilities = _cached(self, "probabilities")
        dlogits = probabilities.copy()
        dlogits[np.arange(len(self.labels)), self.labels] -= 1
        dlogits /= len(self.labels)
        return dlogits

    def __repr__(self) -> str:
        return "SoftmaxCrossEntropy()"
