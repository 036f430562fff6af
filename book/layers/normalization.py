"""Batch normalisation: :class:`BatchNorm1D` for (n, d) batches, :class:`BatchNorm2D` for images.

In training, each feature (a column of an (n, d) batch, or a channel of an (n, c, h, w) batch,
over its n·h·w values) is standardised with the mean and variance of the batch, then scaled by a
learnable γ and shifted by a learnable β::

    x̂ = (x − μ_B) / √(σ²_B + ε),    y = γ·x̂ + β

The layer also keeps running averages of μ_B and σ²_B, which replace the batch statistics in
evaluation mode (``training = False``, set by :meth:`Sequential.eval`). The conventions are
PyTorch's, so that the results can be compared with ``nn.BatchNorm1d``/``nn.BatchNorm2d``:
momentum 0.1 (``running ← (1 − momentum)·running + momentum·batch``), ε = 1e-5, the batch
normalised with its biased variance (divided by m) and the running variance updated with the
unbiased one (divided by m − 1).

Two classes rather than one that guesses from the input's shape: a network states which layout
it expects, and a batch of the other layout is an error, not silently another computation.
"""

from __future__ import annotations

import numpy as np

from .base import Layer, _cached, _check_same_shape

__all__ = ["BatchNorm1D", "BatchNorm2D"]


class _BatchNorm(Layer):
    """The shared computation; subclasses say which axes hold the examples (and positions)."""

    expected_ndim: int
    layout: str

    def __init__(self, num_features: int, *, momentum: float = 0.1, eps: float = 1e-5,
                 dtype: np.dtype | type = np.float32) -> None:
        if int(num_features) != num_features or num_features < 1:
            raise ValueError(f"num_features must be a positive integer, got {num_features!r}.")
        if not 0 <= momentum <= 1:
            raise ValueError(f"momentum must be in [0, 1], got {momentum}.")
        if eps <= 0:
            raise ValueError(f"eps must be positive, got {eps}.")
        self.num_features, self.momentum, self.eps = int(num_features), momentum, eps
        self.gamma = np.ones(self.num_features, dtype=dtype)
        self.beta = np.zeros(self.num_features, dtype=dtype)
        self.dgamma, self.dbeta = np.zeros_like(self.gamma), np.zeros_like(self.beta)
        self.running_mean = np.zeros(self.num_features, dtype=dtype)
        self.running_var = np.ones(self.num_features, dtype=dtype)
        self.training = True
        self.x_hat: np.ndarray | None = None

    def _axes_and_shape(self, x: np.ndarray) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The axes to average over, and the shape that broadcasts a per-feature vector onto x."""
        if x.ndim != self.expected_ndim or x.shape[1] != self.num_features:
            raise ValueError(f"{type(self).__name__}({self.num_features}) expects a batch of shape "
                             f"{self.layout} with {self.num_features} features, got {x.shape}.")
        axes = (0,) + tuple(range(2, x.ndim))
        return axes, (1, self.num_features) + (1,) * (x.ndim - 2)

    def forward(self, x: np.ndarray) -> np.ndarray:
        axes, shape = self._axes_and_shape(x)
        if self.training:
            count = x.size // self.num_features  # m: the values each feature's statistics use
            if count < 2:
                raise ValueError(f"{type(self).__name__} needs more than one value per feature in "
                                 f"training to estimate a variance, got input of shape {x.shape}.")
            mean, var = x.mean(axis=axes), x.var(axis=axes)
            self.running_mean *= 1 - self.momentum
            self.running_mean += self.momentum * mean
            self.running_var *= 1 - self.momentum
            self.running_var += self.momentum * var * (count / (count - 1))
        else:
            mean, var = self.running_mean, self.running_var
        self.inverse_std = 1 / np.sqrt(var + self.eps)
        self.x_hat = (x - mean.reshape(shape)) * self.inverse_std.reshape(shape)
        self.normalised_in_training = self.training
        return self.gamma.reshape(shape) * self.x_hat + self.beta.reshape(shape)

    def backward(self, dy: np.ndarray) -> np.ndarray:
        x_hat = _cached(self, "x_hat")
        _check_same_shape(self, dy, x_hat.shape)
        axes, shape = self._axes_and_shape(dy)
        self.dbeta = dy.sum(axis=axes)
        self.dgamma = (dy * x_hat).sum(axis=axes)
        scale = (self.gamma * self.inverse_std).reshape(shape)
        if not self.normalised_in_training:  # fixed statistics: an affine map of x
            return scale * dy
        # The batch's mean and variance depend on x too; differentiating through them leaves
        # dy minus its mean and minus its projection on x̂, feature by feature.
        count = x_hat.size // self.num_features
        return scale / count * (count * dy - self.dbeta.reshape(shape) - x_hat * self.dgamma.reshape(shape))

    def params(self) -> list[tuple[str, np.ndarray]]:
        return [("gamma", self.gamma), ("beta", self.beta)]

    def grads(self) -> list[tuple[str, np.ndarray]]:
        return [("gamma", self.dgamma), ("beta", self.dbeta)]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.num_features}, momentum={self.momentum}, eps={self.eps})"


class BatchNorm1D(_BatchNorm):
    """Batch normalisation of each feature of an (n, d) batch, like ``nn.BatchNorm1d(d)``.

    ``BatchNorm1D(num_features, momentum=0.1, eps=1e-5, dtype=np.float32)``; learnable
    ``gamma`` (ones) and ``beta`` (zeros); ``running_mean`` and ``running_var`` used in evaluation.
    """

    expected_ndim, layout = 2, "(n, d)"


class BatchNorm2D(_BatchNorm):
    """Batch normalisation of each channel of an (n, c, h, w) batch over its n·h·w values.

    Like ``nn.BatchNorm2d(c)``: one γ, one β, one mean and one variance per channel, shared by
    every position, as a convolution shares its kernel. Same arguments as :class:`BatchNorm1D`.
    """

    expected_ndim, layout = 4, "(n, c, h, w)"
