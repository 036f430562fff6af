"""Stochastic gradient descent over the parameters of a network of layers."""

from __future__ import annotations

import numpy as np

from .base import Layer

__all__ = ["SGD"]


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
