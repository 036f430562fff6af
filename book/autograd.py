"""A small reverse-mode automatic differentiation engine over NumPy arrays.

Every operation on a :class:`Tensor` returns a new tensor that remembers its ``parents`` and a
``backward`` rule: given the gradient of the final output with respect to this tensor, the rule
returns the gradient with respect to each parent (a vector-Jacobian product). ``backward()``
visits the graph in reverse topological order and *adds* each contribution into the parent's
``grad``, so a tensor used twice receives the sum of both paths (the multivariable chain rule).

Broadcasting is handled in one place: a gradient that arrives with the broadcast shape is summed
back to its tensor's shape by :func:`unbroadcast` before it is accumulated.

    >>> w = Tensor([[1.0, 2.0]])
    >>> loss = (w * w).sum()
    >>> loss.backward()
    >>> w.grad
    array([[2., 4.]])
"""

from __future__ import annotations

from typing import Callable, Sequence, Union

import numpy as np

__all__ = ["Tensor", "unbroadcast", "log_softmax", "cross_entropy"]

Operand = Union["Tensor", np.ndarray, float, int]
BackwardRule = Callable[[np.ndarray], Sequence[np.ndarray]]


def unbroadcast(gradient: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``gradient`` over the axes that broadcasting added or stretched, giving ``shape``.

    If ``a`` of shape (4,) was added to ``b`` of shape (3, 4), each element of ``a`` was used
    three times, so its gradient is the sum of the three rows of the output's gradient.
    """
    while gradient.ndim > len(shape):  # leading axes that broadcasting prepended
        gradient = gradient.sum(axis=0)
    stretched = tuple(axis for axis, size in enumerate(shape) if size == 1 and gradient.shape[axis] != 1)
    if stretched:
        gradient = gradient.sum(axis=stretched, keepdims=True)
    return gradient


def _result(value: np.ndarray, *, parents: Sequence[Tensor], op: str, backward: BackwardRule) -> Tensor:
    """The output of an operation: its value keeps the dtype the computation gave it."""
    return Tensor(value, np.asarray(value).dtype, parents=parents, op=op, backward=backward)


class Tensor:
    """An array that records how it was computed, so that gradients can flow back through it.

    ``data`` is a NumPy array (float64 unless another floating ``dtype`` is asked for), ``grad``
    has the same shape and starts at zero; ``parents`` and ``op`` describe the operation that
    produced the tensor, and ``backward`` (a keyword argument) is its gradient rule.
    """

    __array_ufunc__ = None  # make ``ndarray + Tensor`` call Tensor.__radd__ instead of NumPy

    def __init__(self, data: Operand, dtype: np.dtype | type | None = None, *, parents: Sequence[Tensor] = (),
                 op: str = "", backward: BackwardRule | None = None, name: str = "") -> None:
        if isinstance(data, Tensor):
            data = data.data
        self.data = np.array(data, dtype=np.float64 if dtype is None else dtype)
        if not np.issubdtype(self.data.dtype, np.floating):
            raise TypeError(f"a Tensor holds floating-point numbers, not {self.data.dtype}.")
        self.grad = np.zeros_like(self.data)
        self.parents, self.op, self.name = tuple(parents), op, name
        self._backward = backward

    # ------------------------------------------------------------------ basics
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    def item(self) -> float:
        """The value of a one-element tensor as a Python float."""
        return self.data.item()

    def __repr__(self) -> str:
        label = f"{self.name}=" if self.name else ""
        return f"Tensor({label}{np.array2string(self.data, precision=4)}, op={self.op or 'leaf'!r})"

    def _wrap(self, other: Operand) -> Tensor:
        """Turn a plain number or array into a constant tensor of this tensor's dtype."""
        return other if isinstance(other, Tensor) else Tensor(other, dtype=self.data.dtype)

    def zero_grad(self) -> None:
        """Reset the accumulated gradient to zero (call before each new backward pass)."""
        self.grad = np.zeros_like(self.data)

    # ------------------------------------------------------------------ backpropagation
    def topological_order(self) -> list[Tensor]:
        """Every tensor this one depends on, each listed after all of its parents.

        A depth-first search with an explicit stack, so deep graphs (long chains of operations,
        as in a recurrent network) do not hit Python's recursion limit.
        """
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))  # comes off the stack again after all its parents
                stack.extend((parent, False) for parent in node.parents if id(parent) not in seen)
        return order

    def backward(self, gradient: np.ndarray | None = None) -> None:
        """Accumulate d(self)/d(t) into ``t.grad`` for every tensor ``t`` in self's graph.

        A scalar output is seeded with 1; for any other output, pass ``gradient`` (the
        gradient of some scalar with respect to this tensor), of the same shape.
        """
        if gradient is None:
            if self.data.size != 1:
                raise ValueError(f"backward() without a gradient needs a scalar output, but this tensor has shape "
                                 f"{self.shape}; reduce it first (e.g. .sum()) or pass gradient= of that shape.")
            gradient = np.ones_like(self.data)
        gradient = np.asarray(gradient, dtype=self.data.dtype)
        if gradient.shape != self.shape:
            raise ValueError(f"gradient has shape {gradient.shape} but the output has shape {self.shape}.")
        self.grad += gradient
        for node in reversed(self.topological_order()):
            if node._backward is None:  # a leaf: an input, a parameter or a constant
                continue
            for parent, contribution in zip(node.parents, node._backward(node.grad)):
                parent.grad += unbroadcast(contribution, parent.shape)

    # ------------------------------------------------------------------ arithmetic
    def __add__(self, other: Operand) -> Tensor:
        other = self._wrap(other)
        return _result(self.data + other.data, parents=(self, other), op="+", backward=lambda g: (g, g))

    def __mul__(self, other: Operand) -> Tensor:
        other = self._wrap(other)
        return _result(self.data * other.data, parents=(self, other), op="*",
                       backward=lambda g: (g * other.data, g * self.data))

    def __truediv__(self, other: Operand) -> Tensor:
        other = self._wrap(other)
        return _result(self.data / other.data, parents=(self, other), op="/",
                       backward=lambda g: (g / other.data, -g * self.data / other.data**2))

    def __neg__(self) -> Tensor:
        return _result(-self.data, parents=(self,), op="neg", backward=lambda g: (-g,))

    def __sub__(self, other: Operand) -> Tensor:
        return self + (-self._wrap(other))

    def __pow__(self, exponent: float) -> Tensor:
        if isinstance(exponent, Tensor) or not np.isscalar(exponent):
            raise TypeError(f"only a constant number can be an exponent, got {type(exponent).__name__}.")
        return _result(self.data**exponent, parents=(self,), op=f"**{exponent}",
                       backward=lambda g: (g * exponent * self.data ** (exponent - 1),))

    def __radd__(self, other: Operand) -> Tensor:
        return self._wrap(other) + self

    def __rsub__(self, other: Operand) -> Tensor:
        return self._wrap(other) - self

    def __rmul__(self, other: Operand) -> Tensor:
        return self._wrap(other) * self

    def __rtruediv__(self, other: Operand) -> Tensor:
        return self._wrap(other) / self

    def __matmul__(self, other: Operand) -> Tensor:
        other = self._wrap(other)
        inner = other.shape[-2] if other.ndim > 1 else other.shape[0] if other.ndim == 1 else None
        if self.ndim == 0 or other.ndim == 0 or self.shape[-1] != inner:
            raise ValueError(f"matmul shape mismatch: {self.shape} @ {other.shape}; the last axis of the left "
                             "operand must equal the first (1-D) or second-to-last axis of the right one.")
        # A 1-D operand acts as a row (left) or a column (right); restore that axis in the gradient.
        a = self.data if self.ndim > 1 else self.data[None, :]
        b = other.data if other.ndim > 1 else other.data[:, None]

        def backward(g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            g = g if other.ndim > 1 else g[..., None]
            g = g if self.ndim > 1 else g[..., None, :]
            grad_a = unbroadcast(g @ np.swapaxes(b, -1, -2), a.shape)
            grad_b = unbroadcast(np.swapaxes(a, -1, -2) @ g, b.shape)
            return grad_a.reshape(self.shape), grad_b.reshape(other.shape)

        return _result(self.data @ other.data, parents=(self, other), op="@", backward=backward)

    def __rmatmul__(self, other: Operand) -> Tensor:
        return self._wrap(other) @ self

    # ------------------------------------------------------------------ reductions and shapes
    def sum(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """Sum over ``axis`` (all axes by default); each input element gets the output's gradient."""
        def backward(g: np.ndarray) -> tuple[np.ndarray]:
            if not keepdims and axis is not None:
                g = np.expand_dims(g, axis)  # put back the summed axes so that g broadcasts
            return (np.broadcast_to(g, self.shape),)

        return _result(self.data.sum(axis=axis, keepdims=keepdims), parents=(self,), op="sum", backward=backward)

    def mean(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """Average over ``axis``: a sum divided by how many elements went into each result."""
        total = self.sum(axis=axis, keepdims=keepdims)
        return total / (self.data.size // max(total.data.size, 1))

    def reshape(self, *shape: int) -> Tensor:
        """The same numbers in a new shape, given as ``reshape(2, 3)`` or ``reshape((2, 3))``."""
        new = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        return _result(self.data.reshape(new), parents=(self,), op="reshape",
                       backward=lambda g: (g.reshape(self.shape),))

    def transpose(self, *axes: int) -> Tensor:
        """Permute the axes (reverse them when none are given), like ``np.transpose``."""
        order = tuple(axes) if axes else tuple(reversed(range(self.ndim)))
        return _result(self.data.transpose(order), parents=(self,), op="transpose",
                       backward=lambda g: (g.transpose(np.argsort(order)),))

    @property
    def T(self) -> Tensor:
        """The transpose (all axes reversed)."""
        return self.transpose()

    # ------------------------------------------------------------------ element-wise functions
    def exp(self) -> Tensor:
        """e^x element-wise; its derivative is its own value."""
        value = np.exp(self.data)
        return _result(value, parents=(self,), op="exp", backward=lambda g: (g * value,))

    def log(self) -> Tensor:
        """Natural logarithm element-wise; the derivative is 1/x."""
        return _result(np.log(self.data), parents=(self,), op="log", backward=lambda g: (g / self.data,))

    def tanh(self) -> Tensor:
        """Hyperbolic tangent; the derivative 1 − tanh² is read from the stored result."""
        value = np.tanh(self.data)
        return _result(value, parents=(self,), op="tanh", backward=lambda g: (g * (1 - value**2),))

    def sigmoid(self) -> Tensor:
        """Logistic sigmoid σ(x) = 1 / (1 + e^−x); the derivative is σ(1 − σ)."""
        value = np.exp(-np.logaddexp(0, -self.data))  # via logaddexp, e^-x never overflows
        return _result(value, parents=(self,), op="sigmoid", backward=lambda g: (g * value * (1 - value),))

    def relu(self) -> Tensor:
        """max(x, 0); the gradient passes where x > 0 and is zero elsewhere (also at 0)."""
        return _result(np.maximum(self.data, 0), parents=(self,), op="relu",
                       backward=lambda g: (g * (self.data > 0),))

    def log_softmax(self, axis: int = -1) -> Tensor:
        """log(softmax(x)) along ``axis``, computed as x − max − log Σ exp(x − max) so nothing overflows."""
        shifted = self.data - self.data.max(axis=axis, keepdims=True)
        value = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))

        def backward(g: np.ndarray) -> tuple[np.ndarray]:
            return (g - np.exp(value) * g.sum(axis=axis, keepdims=True),)

        return _result(value, parents=(self,), op="log_softmax", backward=backward)


def log_softmax(logits: Tensor, axis: int = -1) -> Tensor:
    """Function form of :meth:`Tensor.log_softmax`."""
    return logits.log_softmax(axis)


def cross_entropy(logits: Tensor, labels: np.ndarray | Sequence[int]) -> Tensor:
    """Mean cross-entropy of ``logits`` (n, classes) against integer ``labels`` (n,).

    Picks −log softmax of each example's true class by multiplying with a one-hot mask, so the
    gradient comes from operations the engine already knows.
    """
    labels = np.asarray(labels)
    if logits.ndim != 2:
        raise ValueError(f"logits must have shape (examples, classes), got {logits.shape}.")
    if labels.shape != (logits.shape[0],) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be {logits.shape[0]} integers, got {labels.dtype} array of shape "
                         f"{labels.shape}.")
    if labels.size and (labels.min() < 0 or labels.max() >= logits.shape[1]):
        raise ValueError(f"labels must lie in 0..{logits.shape[1] - 1}, got {labels.min()}..{labels.max()}.")
    one_hot = np.eye(logits.shape[1], dtype=logits.data.dtype)[labels]
    return -(logits.log_softmax(axis=1) * one_hot).sum(axis=1).mean()
