"""book.layers.gated: the LSTM and GRU layers' backpropagation through time against finite
differences, their values and gradients against PyTorch with copied weights, and the errors a
student meets first (sequences without a batch axis, wrong state shapes, backward before forward)."""

import numpy as np
import pytest

from book import layers
from book.gradcheck import check_gradient, check_layer
from book.layers.gated import GRU, LSTM

torch = pytest.importorskip("torch")
TOLERANCE = 1e-7

# (T, N, D, H): one step, one sequence, more units than inputs and the other way round.
SHAPES = [(5, 3, 4, 3), (1, 2, 3, 4), (7, 1, 2, 5), (3, 4, 6, 2)]
LAYERS = {  # float64, for the gradient checks
    "lstm": lambda D, H, seed: LSTM(D, H, rng=seed, dtype=np.float64),
    "gru reset after": lambda D, H, seed: GRU(D, H, rng=seed, dtype=np.float64),
    "gru reset before": lambda D, H, seed: GRU(D, H, reset_after=False, rng=seed, dtype=np.float64),
}


def initial_states(layer, N, rng):
    return [rng.normal(size=(N, layer.hidden_size)) for _ in state_names(layer)]


def state_names(layer):
    return ("h0", "c0") if isinstance(layer, LSTM) else ("h0",)


def check_through_time(layer, X, states, upstream):
    """Check dX, the initial states' gradients and every parameter's for L = Σ forward(X, *states) ⊙ upstream."""
    loss = lambda: float(np.sum(layer.forward(X, *states) * upstream))  # noqa: E731
    layer.forward(X, *states)
    dX = layer.backward(upstream)
    input_gradients = [dX] + [getattr(layer, "d" + name) for name in state_names(layer)]
    errors = [check_gradient(loss, array, gradient, TOLERANCE) for array, gradient in zip([X, *states], input_gradients)]
    gradients = {name: gradient.copy() for name, gradient in layer.grads()}
    errors += [check_gradient(loss, parameter, gradients[name], TOLERANCE) for name, parameter in layer.params()]
    return max(errors)


@pytest.mark.parametrize("kind", LAYERS)
@pytest.mark.parametrize("T, N, D, H", SHAPES)
def test_backpropagation_through_time_by_finite_differences(kind, T, N, D, H):
    rng = np.random.default_rng(T * 100 + H)
    layer = LAYERS[kind](D, H, seed=1)
    for name, parameter in layer.params():  # larger than the initialisation, so every gate matters
        parameter[...] = rng.normal(size=parameter.shape)
    X = rng.normal(size=(T, N, D))
    assert check_through_time(layer, X, initial_states(layer, N, rng), rng.normal(size=(T, N, H))) < TOLERANCE


@pytest.mark.parametrize("kind", LAYERS)
def test_initial_states_default_to_zeros(kind):
    rng = np.random.default_rng(0)
    layer = LAYERS[kind](3, 4, seed=0)
    X = rng.normal(size=(5, 2, 3))
    zeros = [np.zeros((2, 4)) for _ in initial_states(layer, 2, rng)]
    np.testing.assert_array_equal(layer.forward(X), layer.forward(X, *zeros))


def test_all_zero_parameters_give_the_hand_computed_states():
    """Every gate is σ(0) = 1/2 and every candidate tanh(0) = 0."""
    lstm, gru = LSTM(2, 3, dtype=np.float64), GRU(2, 3, dtype=np.float64)
    for layer in (lstm, gru):
        for _, parameter in layer.params():
            parameter[...] = 0
    X, h0, c0 = np.ones((2, 1, 2)), np.full((1, 3), 0.8), np.full((1, 3), 2.0)
    hidden = lstm.forward(X, h0, c0)
    np.testing.assert_allclose(lstm.cell_states[:, 0, 0], [1.0, 0.5])  # C_t = C_{t−1} / 2
    np.testing.assert_allclose(hidden[:, 0, 0], 0.5 * np.tanh([1.0, 0.5]))  # h_t = tanh(C_t) / 2
    np.testing.assert_allclose(gru.forward(X, h0)[:, 0, 0], [0.4, 0.2])  # h_t = h_{t−1} / 2 + 0 / 2
    for gate in ("f", "i", "o"):
        np.testing.assert_allclose(lstm.gates[gate], 0.5)
    np.testing.assert_allclose(lstm.gates["C"], 0.0)


def test_gates_are_stored_with_one_value_per_step_unit_and_sequence():
    rng = np.random.default_rng(0)
    for layer, names in ((LSTM(3, 4, rng=0), "fiCo"), (GRU(3, 4, rng=0), "rzh")):
        layer.forward(rng.normal(size=(6, 2, 3)))
        assert list(layer.gates) == list(names)
        for name, values in layer.gates.items():
            assert values.shape == (6, 2, 4)
            low = -1 if name in "Ch" else 0  # the candidates come from tanh, the gates from σ
            assert np.all((low < values) & (values < 1))


def test_backward_overwrites_the_parameter_gradients():
    rng = np.random.default_rng(0)
    layer = LSTM(3, 4, rng=0, dtype=np.float64)
    X, upstream = rng.normal(size=(4, 2, 3)), rng.normal(size=(4, 2, 4))
    layer.forward(X)
    layer.backward(upstream)
    first = {name: gradient.copy() for name, gradient in layer.grads()}
    layer.forward(X)
    layer.backward(upstream)
    for name, gradient in layer.grads():
        np.testing.assert_array_equal(gradient, first[name])


# ---------------------------------------------------------------------------------------------
# Against PyTorch, with copied weights
# ---------------------------------------------------------------------------------------------


def torch_gradient_blocks(module, gate_order):
    """PyTorch's gradients, each cut into its H-row blocks and keyed by the slides' gate."""
    H = module.hidden_size
    blocks = {}
    for name in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"):
        gradient = getattr(module, name).grad.numpy()
        blocks[name] = {gate: gradient[k * H:(k + 1) * H] for k, gate in enumerate(gate_order)}
    return blocks


@pytest.mark.parametrize("T, N, D, H", SHAPES)
def test_lstm_equals_torch_in_values_and_gradients(T, N, D, H):
    rng = np.random.default_rng(T + N)
    torch.manual_seed(H)
    module = torch.nn.LSTM(D, H).double()
    layer = LSTM.from_torch(module)
    X, h0, c0 = (torch.tensor(rng.normal(size=shape), requires_grad=True) for shape in ((T, N, D), (1, N, H), (1, N, H)))
    output, (h_T, c_T) = module(X, (h0, c0))
    upstream = rng.normal(size=(T, N, H))
    output.backward(torch.from_numpy(upstream))

    hidden = layer.forward(X.detach().numpy(), h0.detach().numpy()[0], c0.detach().numpy()[0])
    np.testing.assert_allclose(hidden, output.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(layer.cell_states[-1], c_T.detach().numpy()[0], rtol=1e-10, atol=1e-12)
    dX = layer.backward(upstream)
    for ours, theirs in ((dX, X), (layer.dh0, h0), (layer.dc0, c0)):
        np.testing.assert_allclose(ours, theirs.grad.numpy().reshape(ours.shape), rtol=1e-9, atol=1e-12)
    blocks = torch_gradient_blocks(module, LSTM.TORCH_ORDER)
    gradients = dict(layer.grads())
    for gate in LSTM.GATES:
        np.testing.assert_allclose(gradients[f"W_{gate}"][:, :H], blocks["weight_hh_l0"][gate], rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(gradients[f"W_{gate}"][:, H:], blocks["weight_ih_l0"][gate], rtol=1e-9, atol=1e-12)
        # b = bias_ih + bias_hh, so both of PyTorch's biases have our gradient.
        for bias in ("bias_ih_l0", "bias_hh_l0"):
            np.testing.assert_allclose(gradients[f"b_{gate}"], blocks[bias][gate], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("T, N, D, H", SHAPES)
def test_gru_equals_torch_in_values_and_gradients(T, N, D, H):
    rng = np.random.default_rng(T + N)
    torch.manual_seed(H)
    module = torch.nn.GRU(D, H).double()
    layer = GRU.from_torch(module)
    assert layer.reset_after
    X, h0 = (torch.tensor(rng.normal(size=shape), requires_grad=True) for shape in ((T, N, D), (1, N, H)))
    output, _ = module(X, h0)
    upstream = rng.normal(size=(T, N, H))
    output.backward(torch.from_numpy(upstream))

    np.testing.assert_allclose(layer.forward(X.detach().numpy(), h0.detach().numpy()[0]), output.detach().numpy(),
                               rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(layer.backward(upstream), X.grad.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(layer.dh0, h0.grad.numpy()[0], rtol=1e-9, atol=1e-12)
    blocks = torch_gradient_blocks(module, GRU.TORCH_ORDER)
    gradients = dict(layer.grads())
    for gate in GRU.GATES:
        np.testing.assert_allclose(gradients[f"W_{gate}"][:, :H], blocks["weight_hh_l0"][gate], rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(gradients[f"W_{gate}"][:, H:], blocks["weight_ih_l0"][gate], rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(gradients[f"b_{gate}"], blocks["bias_ih_l0"][gate], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(gradients["b_hh"], blocks["bias_hh_l0"]["h"], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("layer_class, cell_class, states", [(LSTM, "LSTMCell", 2), (GRU, "GRUCell", 1)])
def test_from_torch_accepts_a_cell_and_keeps_float32(layer_class, cell_class, states):
    rng = np.random.default_rng(0)
    torch.manual_seed(0)
    cell = getattr(torch.nn, cell_class)(3, 4)
    layer = layer_class.from_torch(cell)
    assert all(parameter.dtype == np.float32 for _, parameter in layer.params())
    x = rng.normal(size=(2, 3)).astype(np.float32)
    initial = [rng.normal(size=(2, 4)).astype(np.float32) for _ in range(states)]
    with torch.no_grad():
        expected = cell(torch.from_numpy(x), tuple(map(torch.from_numpy, initial)) if states == 2 else torch.from_numpy(initial[0]))
    expected_h = expected[0] if states == 2 else expected
    hidden = layer.forward(x[None], *initial)
    assert hidden.dtype == np.float32
    np.testing.assert_allclose(hidden[0], expected_h.numpy(), rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


def test_a_sequence_without_a_batch_axis_gets_a_hint():
    with pytest.raises(ValueError, match=r"X\[:, None, :\]"):
        LSTM(3, 4).forward(np.zeros((5, 3)))


@pytest.mark.parametrize("shape", [(5, 2, 4), (0, 2, 3), (5, 3), (2, 5, 2, 3)])
def test_wrong_sequence_shapes_are_refused(shape):
    for layer in (LSTM(3, 4), GRU(3, 4)):
        with pytest.raises(ValueError, match=r"\(T, N, 3\)"):
            layer.forward(np.zeros(shape))


def test_wrong_initial_state_shapes_are_refused():
    X = np.zeros((5, 2, 3))
    with pytest.raises(ValueError, match=r"h0 must have shape \(N, H\) = \(2, 4\)"):
        GRU(3, 4).forward(X, np.zeros((1, 2, 4)))
    with pytest.raises(ValueError, match=r"c0 must have shape"):
        LSTM(3, 4).forward(X, np.zeros((2, 4)), np.zeros((2, 3)))


def test_backward_before_forward_and_wrong_upstream_shapes():
    for layer in (LSTM(3, 4), GRU(3, 4)):
        with pytest.raises(RuntimeError, match="before forward"):
            layer.backward(np.zeros((5, 2, 4)))
        layer.forward(np.zeros((5, 2, 3)))
        with pytest.raises(ValueError, match=r"dy has shape \(5, 2, 3\)"):
            layer.backward(np.zeros((5, 2, 3)))


@pytest.mark.parametrize("sizes", [(0, 4), (3, -1), (3.5, 4), (3, None)])
def test_sizes_must_be_positive_integers(sizes):
    for layer_class in (LSTM, GRU):
        with pytest.raises(ValueError, match="must be a positive integer"):
            layer_class(*sizes)


def test_reset_after_must_be_a_boolean():
    with pytest.raises(ValueError, match="reset_after"):
        GRU(3, 4, reset_after="before")


@pytest.mark.parametrize("options", [{"num_layers": 2}, {"bidirectional": True}, {"bias": False}, {"proj_size": 2}])
def test_from_torch_refuses_what_one_layer_cannot_hold(options):
    if "proj_size" in options:
        module, layer_class = torch.nn.LSTM(3, 4, **options), LSTM
    else:
        module, layer_class = torch.nn.GRU(3, 4, **options), GRU
    with pytest.raises(ValueError, match="one layer, one direction"):
        layer_class.from_torch(module)


@pytest.mark.parametrize("kind", LAYERS)
def test_the_layers_keep_the_contract_of_book_gradcheck(kind):
    """backward returns dX alone, so the generic check_layer applies (from zero initial states)."""
    rng = np.random.default_rng(3)
    layer = LAYERS[kind](3, 4, seed=0)
    assert check_layer(layer, rng.normal(size=(4, 2, 3)), rng.normal(size=(4, 2, 4))) < TOLERANCE
    assert layers.LSTM is LSTM and layers.GRU is GRU
