"""The layer contract, the errors it raises, and :class:`Sequential`, which chains layers."""

from __future__ import annotations

import numpy as np

__all__ = ["Layer", "Sequential"]


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
