"""Gated recurrent layers from scratch: :class:`LSTM` and :class:`GRU`, forward over a whole
sequence and backpropagation through time.

Sequences are time-major, as in PyTorch's default: ``X`` has shape ``(T, N, D)``, ``X[t]`` is the
batch of inputs at step ``t``, and ``forward`` returns the hidden state after every step, shape
``(T, N, H)``. The initial states ``h0`` (and ``c0``) default to zeros.

The parameters follow the course's slides. Every gate ``g`` has a weight matrix ``W_g`` of shape
``(H, H + D)`` that multiplies the stacked vector ``[h_{t−1}, x_t]`` (its first H columns multiply
``h_{t−1}``, the last D multiply ``x_t``) and a bias ``b_g`` of shape ``(H,)``; ``*`` is the
element-wise product::

    LSTM   f_t = σ(W_f·[h_{t−1}, x_t] + b_f)                  forget gate
           i_t = σ(W_i·[h_{t−1}, x_t] + b_i)                  input gate
           C̃_t = tanh(W_C·[h_{t−1}, x_t] + b_C)               candidate cell state
           C_t = f_t * C_{t−1} + i_t * C̃_t                    cell state
           o_t = σ(W_o·[h_{t−1}, x_t] + b_o)                  output gate
           h_t = o_t * tanh(C_t)

    GRU    r_t = σ(W_r·[h_{t−1}, x_t] + b_r)                  reset gate
           z_t = σ(W_z·[h_{t−1}, x_t] + b_z)                  update gate
           h̃_t = tanh(W_h·[r_t * h_{t−1}, x_t] + b_h)         candidate, reset_after=False
           h̃_t = tanh(W_hx x_t + b_h + r_t * (W_hh h_{t−1} + b_hh))
                                                              candidate, reset_after=True
           h_t = z_t * h_{t−1} + (1 − z_t) * h̃_t

where ``W_hh`` and ``W_hx`` are the ``h`` and ``x`` columns of ``W_h``. ``reset_after=True`` (the
default) is the form of ``torch.nn.GRU`` and of Keras' ``GRU``; ``reset_after=False`` is the form of
the original paper, which Keras also offers. The update keeps the old state where ``z_t`` is near 1,
as in both frameworks.

``backward(dH)`` takes the gradient of the loss with respect to every hidden state, shape
``(T, N, H)``, and returns ``dX``; it stores the gradients with respect to the initial states in
``layer.dh0`` (and ``layer.dc0``) and leaves those of the parameters, summed over all time steps, in
``grads()``. As for every layer of :mod:`book.layers`, each ``backward`` overwrites them. After
``forward``, ``layer.gates`` maps each gate's subscript to its activations at every step, shape
``(T, N, H)``, ready to be plotted; an LSTM also keeps its cell states in ``layer.cell_states``.

``LSTM.from_torch`` and ``GRU.from_torch`` copy the weights of a one-layer PyTorch module, which
stacks the gates in another order (i, f, g, o for the LSTM and r, z, n for the GRU, where g and n
are the candidates) and keeps two biases per gate.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .base import Layer, _cached, _check_same_shape

__all__ = ["LSTM", "GRU"]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # Written with tanh, σ never computes e^(−x) itself, which overflows for very negative x.
    return 0.5 * (np.tanh(0.5 * x) + 1)


def _flat(array: np.ndarray) -> np.ndarray:
    """(T, N, k) → (T·N, k): every step of every sequence as one row, for one matrix product."""
    return array.reshape(-1, array.shape[-1])


class _GatedRecurrentLayer(Layer):
    """What the LSTM and the GRU share: one W and b per gate in the slides' layout, input checks,
    and the stacking of the gates into one matrix so that a step needs a single product."""

    GATES: tuple[str, ...] = ()  # the subscripts of the gates' parameters, in the order they are stacked
    TORCH_ORDER: tuple[str, ...] = ()  # which of our gates each of PyTorch's blocks of H rows holds

    def __init__(self, input_size: int, hidden_size: int, *, rng: np.random.Generator | int | None = None,
                 dtype: np.dtype | type = np.float32) -> None:
        for name, size in (("input_size", input_size), ("hidden_size", hidden_size)):
            if not isinstance(size, (int, np.integer)) or size < 1:
                raise ValueError(f"{name} must be a positive integer, got {size!r}.")
        self.input_size, self.hidden_size = int(input_size), int(hidden_size)
        rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
        # U(−1/√H, 1/√H) for every weight and bias, as PyTorch initialises its recurrent layers.
        bound = 1 / np.sqrt(hidden_size)
        self.parameters: dict[str, np.ndarray] = {
            name: rng.uniform(-bound, bound, shape).astype(dtype) for name, shape in self._parameter_shapes().items()}
        self.gradients = {name: np.zeros_like(value) for name, value in self.parameters.items()}
        self.X: np.ndarray | None = None
        self.gates: dict[str, np.ndarray] = {}
        self.dh0: np.ndarray | None = None

    def _parameter_shapes(self) -> dict[str, tuple[int, ...]]:
        H, D = self.hidden_size, self.input_size
        return {name: shape for gate in self.GATES for name, shape in ((f"W_{gate}", (H, H + D)), (f"b_{gate}", (H,)))}

    def params(self) -> list[tuple[str, np.ndarray]]:
        return list(self.parameters.items())

    def grads(self) -> list[tuple[str, np.ndarray]]:
        return [(name, self.gradients[name]) for name in self.parameters]

    def _stacked(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The gates' rows one under the other: the h columns (kH, H), the x columns (kH, D), the biases (kH,)."""
        W = np.concatenate([self.parameters[f"W_{gate}"] for gate in self.GATES])
        b = np.concatenate([self.parameters[f"b_{gate}"] for gate in self.GATES])
        return W[:, :self.hidden_size], W[:, self.hidden_size:], b

    def _store_gradients(self, dW_h: np.ndarray, dW_x: np.ndarray, db: np.ndarray) -> None:
        """Split stacked gradients back into one dW (h columns first) and one db per gate."""
        H = self.hidden_size
        for block, gate in enumerate(self.GATES):
            rows = slice(block * H, (block + 1) * H)
            self.gradients[f"W_{gate}"] = np.concatenate([dW_h[rows], dW_x[rows]], axis=1)
            self.gradients[f"b_{gate}"] = db[rows]

    def _check_input(self, X: np.ndarray, states: dict[str, np.ndarray | None]) -> tuple[np.ndarray, ...]:
        """The sequence as an array, and every initial state (zeros where none was given)."""
        name, D, H = type(self).__name__, self.input_size, self.hidden_size
        X = np.asarray(X)
        if X.ndim == 2 and X.shape[1] == D:
            raise ValueError(f"{name} expects a batch of sequences of shape (T, N, {D}), got {X.shape}; "
                             f"for a single sequence add a batch axis: X[:, None, :].")
        if X.ndim != 3 or X.shape[2] != D or X.shape[0] == 0:
            raise ValueError(f"{name} expects a sequence of shape (T, N, {D}), time first and T ≥ 1, got {X.shape}.")
        N = X.shape[1]
        initial = []
        for state_name, state in states.items():
            if state is None:
                state = np.zeros((N, H), dtype=np.result_type(X, self.parameters["b_" + self.GATES[0]]))
            elif np.shape(state) != (N, H):
                raise ValueError(f"{name}: {state_name} must have shape (N, H) = ({N}, {H}), got {np.shape(state)}.")
            initial.append(np.asarray(state))
        return (X, *initial)

    @classmethod
    def _torch_arrays(cls, module: Any) -> dict[str, np.ndarray]:
        """weight_ih, weight_hh, bias_ih, bias_hh of a one-layer PyTorch LSTM/GRU (or cell), as NumPy."""
        problems = [f"{attribute}={getattr(module, attribute)}" for attribute, allowed in
                    (("num_layers", 1), ("bidirectional", False), ("bias", True), ("proj_size", 0))
                    if getattr(module, attribute, allowed) != allowed]
        if problems:
            raise ValueError(f"{cls.__name__}.from_torch copies one layer, one direction, with biases and no "
                             f"projection; this module has {', '.join(problems)}.")
        suffix = "_l0" if hasattr(module, "weight_ih_l0") else ""
        return {name: getattr(module, name + suffix).detach().cpu().numpy().copy()
                for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}

    def _torch_blocks(self, array: np.ndarray) -> dict[str, np.ndarray]:
        """PyTorch's H-row blocks of ``array``, keyed by the subscript of the gate each one holds."""
        H = self.hidden_size
        return {gate: array[block * H:(block + 1) * H] for block, gate in enumerate(self.TORCH_ORDER)}

    def __repr__(self) -> str:
        dtype = self.parameters[f"W_{self.GATES[0]}"].dtype
        return f"{type(self).__name__}({self.input_size} → {self.hidden_size}, {dtype})"


class LSTM(_GatedRecurrentLayer):
    """Long short-term memory over a whole sequence, with the slides' parameters
    ``W_f, b_f, W_i, b_i, W_C, b_C, W_o, b_o`` in ``layer.parameters`` (see the module docstring).

    ``forward(X, h0=None, c0=None)`` returns the hidden states ``(T, N, H)`` and keeps the cell
    states in ``layer.cell_states``; ``backward(dH)`` returns ``dX`` and sets ``dh0`` and ``dc0``.
    """

    dc0: np.ndarray | None = None

    GATES = ("f", "i", "C", "o")
    TORCH_ORDER = ("i", "f", "C", "o")

    def forward(self, X: np.ndarray, h0: np.ndarray | None = None, c0: np.ndarray | None = None) -> np.ndarray:
        X, h, c = self._check_input(X, {"h0": h0, "c0": c0})
        self.X, self.h0, self.c0 = X, h, c
        T, N, H = X.shape[0], X.shape[1], self.hidden_size
        W_h, W_x, b = self._stacked()
        # The x_t terms of the four gates at every step in one product; only the h_{t−1} terms wait for the loop.
        from_input = X @ W_x.T + b
        activations = np.empty_like(from_input)  # f, i, C̃, o side by side: (T, N, 4H)
        self.cell_states = np.empty((T, N, H), dtype=activations.dtype)
        self.hidden_states = np.empty_like(self.cell_states)
        for t in range(T):
            pre_activation = from_input[t] + h @ W_h.T
            activations[t, :, :2 * H] = _sigmoid(pre_activation[:, :2 * H])  # f_t, i_t
            activations[t, :, 2 * H:3 * H] = np.tanh(pre_activation[:, 2 * H:3 * H])  # C̃_t
            activations[t, :, 3 * H:] = _sigmoid(pre_activation[:, 3 * H:])  # o_t
            f, i, candidate, o = np.split(activations[t], 4, axis=1)
            c = f * c + i * candidate
            h = o * np.tanh(c)
            self.cell_states[t], self.hidden_states[t] = c, h
        self.gates = dict(zip(self.GATES, np.split(activations, 4, axis=2)))
        return self.hidden_states

    def backward(self, dH: np.ndarray) -> np.ndarray:
        X = _cached(self, "X")
        _check_same_shape(self, dH, self.hidden_states.shape)
        W_h, W_x, _ = self._stacked()
        f, i, candidate, o = (self.gates[gate] for gate in self.GATES)
        previous_h = np.concatenate([self.h0[None], self.hidden_states[:-1]])  # h_{t−1} for every t
        previous_c = np.concatenate([self.c0[None], self.cell_states[:-1]])
        tanh_c = np.tanh(self.cell_states)
        H = self.hidden_size
        d_pre = np.empty((*dH.shape[:2], 4 * H), dtype=np.result_type(dH, W_h))  # dL/d(pre-activations)
        dh_next, dc_next = np.zeros_like(self.h0, dtype=d_pre.dtype), np.zeros_like(self.c0, dtype=d_pre.dtype)
        for t in reversed(range(len(X))):
            dh = dH[t] + dh_next  # h_t feeds the loss at step t and the step after it
            dc = dc_next + dh * o[t] * (1 - tanh_c[t] ** 2)  # the conveyor belt, and h_t = o_t * tanh(C_t)
            d_pre[t, :, :H] = dc * previous_c[t] * f[t] * (1 - f[t])
            d_pre[t, :, H:2 * H] = dc * candidate[t] * i[t] * (1 - i[t])
            d_pre[t, :, 2 * H:3 * H] = dc * i[t] * (1 - candidate[t] ** 2)
            d_pre[t, :, 3 * H:] = dh * tanh_c[t] * o[t] * (1 - o[t])
            dc_next = dc * f[t]  # along the belt, the gradient is only scaled by the forget gate
            dh_next = d_pre[t] @ W_h
        self._store_gradients(_flat(d_pre).T @ _flat(previous_h), _flat(d_pre).T @ _flat(X), _flat(d_pre).sum(axis=0))
        self.dh0, self.dc0 = dh_next, dc_next
        return d_pre @ W_x

    @classmethod
    def from_torch(cls, module: Any) -> "LSTM":
        """A copy of a one-layer ``torch.nn.LSTM`` or ``torch.nn.LSTMCell``, in the module's dtype.

        PyTorch stacks its gates as i, f, g (our C̃), o, splits each W into ``weight_ih`` (the x
        columns) and ``weight_hh`` (the h columns), and keeps two biases whose sum is our b.
        """
        arrays = cls._torch_arrays(module)
        input_size, hidden_size = arrays["weight_ih"].shape[1], arrays["weight_hh"].shape[1]
        layer = cls(input_size, hidden_size, dtype=arrays["weight_ih"].dtype)
        weight_ih, weight_hh = layer._torch_blocks(arrays["weight_ih"]), layer._torch_blocks(arrays["weight_hh"])
        bias = layer._torch_blocks(arrays["bias_ih"] + arrays["bias_hh"])
        for gate in cls.GATES:
            layer.parameters[f"W_{gate}"] = np.concatenate([weight_hh[gate], weight_ih[gate]], axis=1)
            layer.parameters[f"b_{gate}"] = bias[gate]
        return layer


class GRU(_GatedRecurrentLayer):
    """Gated recurrent unit over a whole sequence, with the parameters ``W_r, b_r, W_z, b_z, W_h,
    b_h`` in ``layer.parameters``, plus ``b_hh`` when ``reset_after`` (see the module docstring).

    ``reset_after=True`` applies the reset gate after multiplying h_{t−1} by its weights, as
    PyTorch and Keras do; ``False`` applies it before, as the original paper does.
    ``forward(X, h0=None)`` returns the hidden states ``(T, N, H)``; ``backward(dH)`` returns ``dX``
    and sets ``dh0``.
    """

    GATES = ("r", "z", "h")
    TORCH_ORDER = ("r", "z", "h")

    def __init__(self, input_size: int, hidden_size: int, *, reset_after: bool = True,
                 rng: np.random.Generator | int | None = None, dtype: np.dtype | type = np.float32) -> None:
        if not isinstance(reset_after, (bool, np.bool_)):
            raise ValueError(f"reset_after must be True or False, got {reset_after!r}.")
        self.reset_after = bool(reset_after)
        super().__init__(input_size, hidden_size, rng=rng, dtype=dtype)

    def _parameter_shapes(self) -> dict[str, tuple[int, ...]]:
        shapes = super()._parameter_shapes()
        return {**shapes, "b_hh": (self.hidden_size,)} if self.reset_after else shapes

    def forward(self, X: np.ndarray, h0: np.ndarray | None = None) -> np.ndarray:
        X, h = self._check_input(X, {"h0": h0})
        self.X, self.h0 = X, h
        T, N, H = X.shape[0], X.shape[1], self.hidden_size
        W_h, W_x, b = self._stacked()
        from_input = X @ W_x.T + b  # the x_t terms of r, z and h̃ at every step, in one product
        activations = np.empty_like(from_input)  # r, z, h̃ side by side: (T, N, 3H)
        # The term of h̃_t that holds h_{t−1}: W_hh h_{t−1} + b_hh, which r_t then scales (reset after),
        # or r_t * h_{t−1}, which W_hh then multiplies (reset before).
        self.candidate_state_terms = np.empty((T, N, H), dtype=activations.dtype)
        self.hidden_states = np.empty_like(self.candidate_state_terms)
        for t in range(T):
            activations[t, :, :2 * H] = _sigmoid(from_input[t, :, :2 * H] + h @ W_h[:2 * H].T)
            r, z = activations[t, :, :H], activations[t, :, H:2 * H]
            if self.reset_after:
                state_term = h @ W_h[2 * H:].T + self.parameters["b_hh"]
                candidate = np.tanh(from_input[t, :, 2 * H:] + r * state_term)
            else:
                state_term = r * h
                candidate = np.tanh(from_input[t, :, 2 * H:] + state_term @ W_h[2 * H:].T)
            activations[t, :, 2 * H:] = candidate
            h = z * h + (1 - z) * candidate
            self.candidate_state_terms[t], self.hidden_states[t] = state_term, h
        self.gates = dict(zip(self.GATES, np.split(activations, 3, axis=2)))
        return self.hidden_states

    def backward(self, dH: np.ndarray) -> np.ndarray:
        X = _cached(self, "X")
        _check_same_shape(self, dH, self.hidden_states.shape)
        W_h, W_x, _ = self._stacked()
        r, z, candidate = (self.gates[gate] for gate in self.GATES)
        previous_h = np.concatenate([self.h0[None], self.hidden_states[:-1]])
        H = self.hidden_size
        dtype = np.result_type(dH, W_h)
        d_input_pre = np.empty((*dH.shape[:2], 3 * H), dtype=dtype)  # dL/d(what W_x's rows feed)
        d_state_pre = np.empty_like(d_input_pre)  # dL/d(what W_h's rows feed)
        dh_next = np.zeros_like(self.h0, dtype=dtype)
        for t in reversed(range(len(X))):
            dh = dH[t] + dh_next
            d_candidate = dh * (1 - z[t]) * (1 - candidate[t] ** 2)
            d_input_pre[t, :, H:2 * H] = dh * (previous_h[t] - candidate[t]) * z[t] * (1 - z[t])
            d_input_pre[t, :, 2 * H:] = d_candidate
            if self.reset_after:
                d_reset = d_candidate * self.candidate_state_terms[t]
                d_state_pre[t, :, 2 * H:] = d_candidate * r[t]
                dh_prev = d_state_pre[t, :, 2 * H:] @ W_h[2 * H:]
            else:
                d_reset_times_h = d_candidate @ W_h[2 * H:]
                d_reset = d_reset_times_h * previous_h[t]
                d_state_pre[t, :, 2 * H:] = d_candidate
                dh_prev = d_reset_times_h * r[t]
            d_input_pre[t, :, :H] = d_reset * r[t] * (1 - r[t])
            d_state_pre[t, :, :2 * H] = d_input_pre[t, :, :2 * H]
            # Three ways back to h_{t−1}: directly through z_t * h_{t−1}, through the candidate, through r_t and z_t.
            dh_next = dh * z[t] + dh_prev + d_state_pre[t, :, :2 * H] @ W_h[:2 * H]
        candidate_weights_input = previous_h if self.reset_after else self.candidate_state_terms
        dW_h = np.concatenate([_flat(d_state_pre[:, :, :2 * H]).T @ _flat(previous_h),
                               _flat(d_state_pre[:, :, 2 * H:]).T @ _flat(candidate_weights_input)])
        self._store_gradients(dW_h, _flat(d_input_pre).T @ _flat(X), _flat(d_input_pre).sum(axis=0))
        if self.reset_after:
            self.gradients["b_hh"] = _flat(d_state_pre[:, :, 2 * H:]).sum(axis=0)
        self.dh0 = dh_next
        return d_input_pre @ W_x

    @classmethod
    def from_torch(cls, module: Any) -> "GRU":
        """A copy of a one-layer ``torch.nn.GRU`` or ``torch.nn.GRUCell`` (reset after), in the module's dtype.

        PyTorch stacks its gates as r, z, n (our h̃). For r and z its two biases are added; for the
        candidate, ``bias_ih`` is our ``b_h`` and ``bias_hh`` our ``b_hh``, inside the reset gate.
        """
        arrays = cls._torch_arrays(module)
        input_size, hidden_size = arrays["weight_ih"].shape[1], arrays["weight_hh"].shape[1]
        layer = cls(input_size, hidden_size, reset_after=True, dtype=arrays["weight_ih"].dtype)
        weight_ih, weight_hh = layer._torch_blocks(arrays["weight_ih"]), layer._torch_blocks(arrays["weight_hh"])
        bias_ih, bias_hh = layer._torch_blocks(arrays["bias_ih"]), layer._torch_blocks(arrays["bias_hh"])
        for gate in cls.GATES:
            layer.parameters[f"W_{gate}"] = np.concatenate([weight_hh[gate], weight_ih[gate]], axis=1)
            layer.parameters[f"b_{gate}"] = bias_ih[gate] + (bias_hh[gate] if gate != "h" else 0)
        layer.parameters["b_hh"] = bias_hh["h"].copy()
        return layer
