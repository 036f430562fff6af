"""Neural-network layers from scratch: NumPy arrays, an explicit ``forward`` and ``backward`` each.

Every layer follows one contract, in the manner of CS231n's ``layers.py``:

* ``forward(x)`` computes the output for a batch (one example per row) and keeps what the
  backward pass will need;
* ``backward(dy)`` takes the gradient of the loss with respect to that output and returns the
  gradient with respect to the input, storing the gradients of the layer's own parameters.

A :class:`Sequential` network chains layers, :class:`SoftmaxCrossEntropy` turns scores into a
loss, and :class:`SGD` updates the parameters::

    net = mlp([784, 256, 10], seed=0)
    loss_fn = SoftmaxCrossEntropy()
    optimizer = SGD(net, lr=0.1)
    loss = loss_fn.forward(net.forward(x), y)
    net.backward(loss_fn.backward())
    optimizer.step()

Unlike PyTorch, ``backward`` *overwrites* gradients instead of adding to them, so there is no
``zero_grad``. Arrays keep the dtype they are given: train in float32 for speed, check gradients
in float64 (see :mod:`book.gradcheck`).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = [
    "Layer",
    "Affine",
    "ReLU",
    "Sigmoid",
    "Tanh",
    "Dropout",
    "SoftmaxCrossEntropy",
    "Sequential",
    "SGD",
    "softmax",
    "he_normal",
    "xavier_uniform",
    "affine",
    "mlp",
]


def _cached(layer: "Layer", name: str) -> np.ndarray:
    """An array the forward pass stored, or a clear error when backward comes first."""
    value = getattr(layer, name, None)
    if value is None:
        raise RuntimeError(f"{type(layer).__name__}.backward called before forward.")
    return value


def _check_same_shape(layer: "Layer", dy: np.ndarray, expected: tuple[int, ...]) -> None:
    if dy.shape != expected:
        raise ValueError(f"{type(layer).__name__}.backward: dy has shape {dy.shape}, "
                         f"but the forward output had shape {expected}.")


class Layer:
    """A layer without parameters that behaves the same in training and evaluation.

    Subclasses override ``forward`` and ``backward``; layers with parameters also override
    ``params`` and ``grads``, which return ``(name, array)`` pairs in the same order.
    """

    training: bool = True

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def backward(self, dy: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def params(self) -> list[tuple[str, np.ndarray]]:
        return []

    def grads(self) -> list[tuple[str, np.ndarray]]:
        return []

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


# ---------------------------------------------------------------------------------------------
# Affine (fully connected) layer
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Activations
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Softmax and the cross-entropy loss
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# A network: layers in sequence
# ---------------------------------------------------------------------------------------------


class Sequential(Layer):
    """Layers applied one after the other; backward runs them in reverse order.

    ``params()`` and ``grads()`` return ``(name, array)`` pairs in the same order, named
    ``"<index>.<parameter>"`` (e.g. ``"0.W"``), for an optimizer to zip together.
    """

    def __init__(self, *layers: Layer) -> None:
        if not layers:
            raise ValueError("a Sequential network needs at least one layer.")
        self.layers = list(layers)
        self.training = True

    def forward(self, x: np.ndarray) -> np.ndarray:
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dy: np.ndarray) -> np.ndarray | None:
        for layer in reversed(self.layers):
            dy = layer.backward(dy)
        return dy

    def params(self) -> list[tuple[str, np.ndarray]]:
        return [(f"{index}.{name}", array) for index, layer in enumerate(self.layers)
                for name, array in layer.params()]

    def grads(self) -> list[tuple[str, np.ndarray]]:
        return [(f"{index}.{name}", array) for index, layer in enumerate(self.layers)
                for name, array in layer.grads()]

    def train(self) -> "Sequential":
        """Training mode (dropout active); returns the network, for chaining."""
        return self._set_mode(True)

    def eval(self) -> "Sequential":
        """Evaluation mode (dropout off); returns the network, for chaining."""
        return self._set_mode(False)

    def _set_mode(self, training: bool) -> "Sequential":
        self.training = training
        for layer in self.layers:
            if isinstance(layer, Sequential):
                layer._set_mode(training)
            else:
                layer.training = training
        return self

    def predict(self, x: np.ndarray, batch_size: int = 4096) -> np.ndarray:
        """The class with the highest score for each row of ``x``, in evaluation mode, batch by batch.

        The network's mode is restored afterwards.
        """
        was_training = self.training
        self.eval()
        try:
            return np.concatenate([self.forward(x[start:start + batch_size]).argmax(axis=1)
                                   for start in range(0, len(x), batch_size)])
        finally:
            self._set_mode(was_training)

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, index: int) -> Layer:
        return self.layers[index]

    def __repr__(self) -> str:
        inner = ",\n".join(f"  {layer!r}" for layer in self.layers)
        return f"Sequential(\n{inner}\n)"


# ---------------------------------------------------------------------------------------------
# Stochastic gradient descent
# ---------------------------------------------------------------------------------------------


class SGD:
    """Mini-batch stochastic gradient descent, with optional momentum and L2 weight decay.

    One ``step`` uses the gradients the last ``backward`` left in the network:

        g ← grad + weight_decay · θ        (the gradient of the loss plus (λ/2)·‖θ‖²)
        v ← momentum · v + g               (v = g when momentum is 0)
        θ ← θ − lr · v

    the same update as ``torch.optim.SGD`` (weight decay applies to every parameter, biases too).
    """

    def __init__(self, network: Layer, lr: float, momentum: float = 0.0, weight_decay: float = 0.0) -> None:
        if lr <= 0:
            raise ValueError(f"the learning rate must be positive, got {lr}.")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}.")
        if weight_decay < 0:
            raise ValueError(f"weight_decay must be non-negative, got {weight_decay}.")
        self.network = network
        self.lr, self.momentum, self.weight_decay = lr, momentum, weight_decay
        self.velocities: dict[str, np.ndarray] = {}

    def step(self) -> None:
        grads = dict(self.network.grads())
        for name, param in self.network.params():
            grad = grads[name]
            if self.weight_decay:
                grad = grad + self.weight_decay * param
            if self.momentum:
                velocity = self.velocities.get(name)
                if velocity is None:
                    velocity = self.velocities[name] = np.array(grad, copy=True)
                else:
                    velocity *= self.momentum
                    velocity += grad
                grad = velocity
            param -= self.lr * grad  # in place: the layers hold these very arrays


# ---------------------------------------------------------------------------------------------
# Initialisation and construction helpers
# ---------------------------------------------------------------------------------------------


def _generator(rng: np.random.Generator | int | None) -> np.random.Generator:
    return rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)


def he_normal(fan_in: int, fan_out: int, rng: np.random.Generator | int | None = None,
              dtype: np.dtype | type = np.float32) -> np.ndarray:
    """Weights drawn from N(0, 2 / fan_in): He (Kaiming) initialisation, for ReLU layers."""
    std = np.sqrt(2.0 / fan_in)
    return (_generator(rng).standard_normal((fan_in, fan_out)) * std).astype(dtype)


def xavier_uniform(fan_in: int, fan_out: int, rng: np.random.Generator | int | None = None,
                   dtype: np.dtype | type = np.float32) -> np.ndarray:
    """Weights drawn from U(−a, a), a = √(6 / (fan_in + fan_out)): Xavier (Glorot), for tanh and sigmoid."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return _generator(rng).uniform(-limit, limit, (fan_in, fan_out)).astype(dtype)


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

