"""Losses with their gradients: softmax cross-entropy, sigmoid binary cross-entropy, mean squared error."""

from __future__ import annotations

import numpy as np

from .base import _cached

__all__ = ["softmax", "SoftmaxCrossEntropy", "SigmoidBinaryCrossEntropy", "MeanSquaredError"]


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


def _check_targets(predictions: np.ndarray, targets: np.ndarray, what: str) -> tuple[np.ndarray, np.ndarray]:
    predictions, targets = np.asarray(predictions), np.asarray(targets)
    if predictions.shape != targets.shape:
        raise ValueError(f"{what} has shape {predictions.shape} but the targets {targets.shape}; they must match.")
    if predictions.size == 0:
        raise ValueError("the loss of an empty batch is undefined.")
    return predictions, targets


class SigmoidBinaryCrossEntropy:
    """Mean binary cross-entropy of sigmoid(logits) against targets in [0, 1], element by element.

    ``forward(logits, targets)`` returns −mean[t·log σ(z) + (1 − t)·log(1 − σ(z))], computed as
    mean[max(z, 0) − t·z + log(1 + e^−|z|)], which never takes the log of an underflowed 0 (the
    form ``torch.nn.BCEWithLogitsLoss`` uses). ``backward()`` returns (σ(z) − t) / (number of elements).
    Targets may be soft, such as pixel intensities: the loss is then smallest, not zero, at σ(z) = t.
    """

    def __init__(self) -> None:
        self.logits: np.ndarray | None = None
        self.targets: np.ndarray | None = None

    def forward(self, logits: np.ndarray, targets: np.ndarray) -> float:
        logits, targets = _check_targets(logits, targets, "logits")
        if targets.min() < 0 or targets.max() > 1:
            raise ValueError(f"targets must lie in [0, 1], got values from {targets.min()} to {targets.max()}.")
        self.logits, self.targets = logits, targets
        losses = np.maximum(logits, 0) - targets * logits + np.log1p(np.exp(-np.abs(logits)))
        return float(losses.mean())

    def backward(self) -> np.ndarray:
        logits = _cached(self, "logits")
        probabilities = 0.5 * (1 + np.tanh(0.5 * logits))  # σ(z), without overflow for large |z|
        return ((probabilities - self.targets) / logits.size).astype(logits.dtype, copy=False)

    def __repr__(self) -> str:
        return "SigmoidBinaryCrossEntropy()"


class MeanSquaredError:
    """mean[(prediction − target)²] over every element; ``backward()`` returns 2(prediction − target) / size."""

    def __init__(self) -> None:
        self.difference: np.ndarray | None = None

    def forward(self, predictions: np.ndarray, targets: np.ndarray) -> float:
        predictions, targets = _check_targets(predictions, targets, "predictions")
        self.difference = predictions - targets
        return float(np.mean(self.difference**2))

    def backward(self) -> np.ndarray:
        difference = _cached(self, "difference")
        return 2 * difference / difference.size

    def __repr__(self) -> str:
        return "MeanSquaredError()"
