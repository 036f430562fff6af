"""Optimisers from scratch: each keeps its own state per parameter and updates the arrays in place.

One interface for all of them::

    optimizer = Adam(lr=0.1)
    optimizer.step(params, grads)      # matching lists of arrays (or of (name, array) pairs)

or, built on a network (anything with ``params()`` and ``grads()``, such as a
:class:`~book.layers.Sequential`), ``optimizer.step()`` takes both from it after ``backward``.

The update rules, their defaults and the order of operations are those of ``torch.optim``, so a
step of ours and a step of PyTorch agree to rounding. ``lr`` is an attribute: set it between steps
to follow a learning-rate schedule.

:class:`SGD`'s weight decay follows usual practice rather than ``torch.optim``'s default: it
shrinks weight matrices and kernels, not biases or batch normalisation's scale and shift. It tells
them apart by name (see :func:`is_decayed`), so it needs named parameters, as a network's
``params()`` gives; arrays passed without names are all decayed, as in ``torch.optim``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["is_decayed", "Optimizer", "SGD", "Adagrad", "RMSprop", "Adadelta", "Adam", "AdamW"]


def _arrays(items: Sequence, what: str) -> list[np.ndarray]:
    """The arrays of a list of arrays or of (name, array) pairs."""
    arrays = [item[1] if isinstance(item, tuple) else item for item in items]
    for array in arrays:
        if not isinstance(array, np.ndarray):
            raise TypeError(f"{what} must be NumPy arrays (or (name, array) pairs), got {type(array).__name__}.")
    return arrays


def _names(items: Sequence) -> list[str | None]:
    """The names of a list of (name, array) pairs; None for an array given without a name."""
    return [item[0] if isinstance(item, tuple) else None for item in items]


def is_decayed(name: str | None) -> bool:
    """Whether weight decay applies to the parameter called ``name``.

    Weight matrices and kernels are named ``W`` or ``W_...`` by every layer of :mod:`book.layers`
    (``"0.W"``, ``"2.W_xh"`` inside a :class:`~book.layers.Sequential`) and are decayed. Biases
    (``b``, ``b_...``) and batch normalisation's ``gamma`` and ``beta`` are not, as is usual
    practice: a bias or shift does not multiply the input, a scale acts on an already normalised
    unit, and there are too few of them to memorise a training set. An unnamed array (``None``)
    is decayed.
    """
    if name is None:
        return True
    return name.rsplit(".", 1)[-1].startswith("W")


def _check_rate(name: str, value: float, *, upper: float = 1.0) -> None:
    if not 0 <= value < upper:
        raise ValueError(f"{name} must be in [0, {upper:g}), got {value}.")


class Optimizer:
    """The shared part: matching parameters with gradients, and one state dictionary per parameter.

    A subclass writes only ``update(param, grad, state)``, the rule for one parameter array,
    changing ``param`` in place (the layers hold these very arrays) and keeping in ``state``
    whatever it must remember between steps. ``state`` arrives holding the parameter's ``"name"``
    (None when it was given without one).
    """

    def __init__(self, network=None, *, lr: float) -> None:
        if not lr > 0:
            raise ValueError(f"the learning rate must be positive, got {lr}.")
        self.network = network
        self.lr = lr
        self.state: dict[int, dict] = {}  # by the parameter's position in the list; each holds its "name"

    def step(self, params: Sequence | None = None, grads: Sequence | None = None) -> None:
        """Update every parameter once from its gradient."""
        if params is None and grads is None:
            if self.network is None:
                raise ValueError("step() needs params and grads, or an optimiser built on a network.")
            params, grads = self.network.params(), self.network.grads()
        elif params is None or grads is None:
            raise ValueError("give both params and grads, or neither.")
        names = _names(params)
        params, grads = _arrays(params, "params"), _arrays(grads, "grads")
        if len(params) != len(grads):
            raise ValueError(f"{len(params)} parameters but {len(grads)} gradients.")
        for index, (name, param, grad) in enumerate(zip(names, params, grads)):
            if param.shape != grad.shape:
                raise ValueError(f"parameter {index} has shape {param.shape} but its gradient {grad.shape}.")
            if not np.issubdtype(param.dtype, np.floating):
                raise TypeError(f"parameter {index} is {param.dtype}; it must be a floating-point array "
                                "to be updated in place.")
            # The state starts with the parameter's name, for rules that treat kinds of parameters differently.
            self.update(param, grad, self.state.setdefault(index, {"name": name}))

    def update(self, param: np.ndarray, grad: np.ndarray, state: dict) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        settings = ", ".join(f"{name}={value:g}" for name, value in vars(self).items()
                             if isinstance(value, (int, float)) and not isinstance(value, bool))
        return f"{type(self).__name__}({settings})"


class SGD(Optimizer):
    """(Mini-batch) stochastic gradient descent, with optional momentum, Nesterov momentum and L2 weight decay.

        g ← grad + weight_decay · θ        (the gradient of the loss plus (λ/2)·‖θ‖²)
        v ← momentum · v + g               (v = g at the first step)
        θ ← θ − lr · v                     or, with Nesterov, θ ← θ − lr · (g + momentum · v)

    Batch gradient descent, SGD and mini-batch SGD are this one rule: they differ in how many
    examples the gradient was computed on. Weight decay applies to the weights only, not to biases
    or batch normalisation's scale and shift (:func:`is_decayed` decides by the parameter's name).
    ``torch.optim.SGD(model.parameters(), weight_decay=λ)`` decays every parameter; the same
    split there takes two parameter groups, ``{"params": weights, "weight_decay": λ}`` and
    ``{"params": biases, "weight_decay": 0}``.
    """

    def __init__(self, network=None, *, lr: float, momentum: float = 0.0, nesterov: bool = False,
                 weight_decay: float = 0.0) -> None:
        super().__init__(network, lr=lr)
        _check_rate("momentum", momentum)
        if nesterov and not momentum:
            raise ValueError("Nesterov momentum needs a momentum above 0.")
        if weight_decay < 0:
            raise ValueError(f"weight_decay must be non-negative, got {weight_decay}.")
        self.momentum, self.nesterov, self.weight_decay = momentum, nesterov, weight_decay

    def update(self, param, grad, state):
        if self.weight_decay and is_decayed(state["name"]):
            grad = grad + self.weight_decay * param
        if self.momentum:
            if "velocity" not in state:
                state["velocity"] = np.array(grad, copy=True)
            else:
                state["velocity"] *= self.momentum
                state["velocity"] += grad
            grad = grad + self.momentum * state["velocity"] if self.nesterov else state["velocity"]
        param -= self.lr * grad


class Adagrad(Optimizer):
    """A learning rate per coordinate, divided by the root of the sum of all its squared gradients so far.

        s ← s + g²
        θ ← θ − lr · g / (√s + ε)

    ``initial_accumulator_value`` is where s starts (0 in PyTorch; Keras starts it at 0.1 and puts
    its ε inside the root, which is the same as starting s higher by ε with no ε outside).
    """

    def __init__(self, network=None, *, lr: float = 0.01, eps: float = 1e-10,
                 initial_accumulator_value: float = 0.0) -> None:
        super().__init__(network, lr=lr)
        if eps < 0 or initial_accumulator_value < 0:
            raise ValueError("eps and initial_accumulator_value must be non-negative.")
        self.eps, self.initial_accumulator_value = eps, initial_accumulator_value

    def update(self, param, grad, state):
        if "sum_of_squares" not in state:
            state["sum_of_squares"] = np.full_like(param, self.initial_accumulator_value)
        state["sum_of_squares"] += grad * grad
        param -= self.lr * grad / (np.sqrt(state["sum_of_squares"]) + self.eps)


class RMSprop(Optimizer):
    """Adagrad with a leaky sum: an exponential moving average of squared gradients.

        s ← ρ · s + (1 − ρ) · g²
        θ ← θ − lr · g / (√s + ε)

    (PyTorch calls ρ ``alpha``; Keras puts ε inside the root and defaults to ρ = 0.9.)
    """

    def __init__(self, network=None, *, lr: float = 0.01, rho: float = 0.99, eps: float = 1e-8) -> None:
        super().__init__(network, lr=lr)
        _check_rate("rho", rho)
        if eps < 0:
            raise ValueError(f"eps must be non-negative, got {eps}.")
        self.rho, self.eps = rho, eps

    def update(self, param, grad, state):
        if "mean_square" not in state:
            state["mean_square"] = np.zeros_like(param)
        state["mean_square"] *= self.rho
        state["mean_square"] += (1 - self.rho) * grad * grad
        param -= self.lr * grad / (np.sqrt(state["mean_square"]) + self.eps)


class Adadelta(Optimizer):
    """RMSprop whose step size is the RMS of the past steps themselves: units match, no learning rate to tune.

        s ← ρ · s + (1 − ρ) · g²
        Δ ← √(u + ε) / √(s + ε) · g
        u ← ρ · u + (1 − ρ) · Δ²
        θ ← θ − lr · Δ                   (lr = 1: Zeiler's method has none)
    """

    def __init__(self, network=None, *, lr: float = 1.0, rho: float = 0.9, eps: float = 1e-6) -> None:
        super().__init__(network, lr=lr)
        _check_rate("rho", rho)
        if not eps > 0:
            raise ValueError(f"eps must be positive (it sets the first steps' size), got {eps}.")
        self.rho, self.eps = rho, eps

    def update(self, param, grad, state):
        if "mean_square" not in state:
            state["mean_square"] = np.zeros_like(param)
            state["mean_square_step"] = np.zeros_like(param)
        state["mean_square"] *= self.rho
        state["mean_square"] += (1 - self.rho) * grad * grad
        delta = np.sqrt(state["mean_square_step"] + self.eps) / np.sqrt(state["mean_square"] + self.eps) * grad
        state["mean_square_step"] *= self.rho
        state["mean_square_step"] += (1 - self.rho) * delta * delta
        param -= self.lr * delta


class Adam(Optimizer):
    """Momentum (a moving average m of gradients) over RMSprop (a moving average v of squares), bias-corrected.

        m ← β₁ · m + (1 − β₁) · g            v ← β₂ · v + (1 − β₂) · g²
        m̂ = m / (1 − β₁ᵗ)                    v̂ = v / (1 − β₂ᵗ)
        θ ← θ − lr · m̂ / (√v̂ + ε)

    t counts this parameter's steps from 1. ``weight_decay`` adds λθ to the gradient (L2, coupled
    with the adaptive scaling); :class:`AdamW` decouples it.
    """

    def __init__(self, network=None, *, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        super().__init__(network, lr=lr)
        _check_rate("beta1", betas[0])
        _check_rate("beta2", betas[1])
        if eps < 0 or weight_decay < 0:
            raise ValueError("eps and weight_decay must be non-negative.")
        self.beta1, self.beta2 = betas
        self.eps, self.weight_decay = eps, weight_decay

    def update(self, param, grad, state):
        if self.weight_decay:
            grad = grad + self.weight_decay * param
        self._adam_step(param, grad, state)

    def _adam_step(self, param, grad, state):
        if "m" not in state:
            state["t"], state["m"], state["v"] = 0, np.zeros_like(param), np.zeros_like(param)
        state["t"] += 1
        state["m"] *= self.beta1
        state["m"] += (1 - self.beta1) * grad
        state["v"] *= self.beta2
        state["v"] += (1 - self.beta2) * grad * grad
        m_hat = state["m"] / (1 - self.beta1 ** state["t"])
        v_hat = state["v"] / (1 - self.beta2 ** state["t"])
        param -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


class AdamW(Adam):
    """Adam with decoupled weight decay: θ ← θ − lr · λ · θ, then the Adam step on the loss's gradient alone.

    With L2 in the gradient (``Adam(weight_decay=λ)``), a parameter with large gradients is divided
    by a large √v̂ and hardly decays; here every weight shrinks by the same factor 1 − lr · λ.
    """

    def __init__(self, network=None, *, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2) -> None:
        super().__init__(network, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)

    def update(self, param, grad, state):
        param *= 1 - self.lr * self.weight_decay
        self._adam_step(param, grad, state)
