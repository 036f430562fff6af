"""book.layers' recurrent layer and gradient clipping: gradients against finite differences,
values and gradients against PyTorch, one-hot ids, truncation, and the errors a student meets."""

import numpy as np
import pytest

from book import layers
from book.gradcheck import check_gradient, check_layer

torch = pytest.importorskip("torch")
TOLERANCE = 1e-7

# (steps, batch, input size, hidden size, nonlinearity)
RNN_CASES = [
    (5, 3, 4, 6, "tanh"),
    (1, 2, 3, 2, "tanh"),
    (7, 1, 2, 5, "relu"),
    (4, 4, 5, 3, "relu"),
]


def rnn_case(steps, batch, input_size, hidden_size, nonlinearity, seed=0):
    rng = np.random.default_rng(seed)
    layer = layers.rnn(input_size, hidden_size, nonlinearity=nonlinearity, rng=rng, dtype=np.float64)
    layer.W_hh *= 2  # recurrent weights large enough that the gradient through h_{t−1} matters
    return layer, rng.normal(size=(steps, batch, input_size)), rng.normal(size=(batch, hidden_size)), rng


@pytest.mark.parametrize("steps, batch, input_size, hidden_size, nonlinearity", RNN_CASES)
def test_rnn_gradients_by_finite_differences(steps, batch, input_size, hidden_size, nonlinearity):
    layer, x, h0, rng = rnn_case(steps, batch, input_size, hidden_size, nonlinearity)
    upstream = rng.normal(size=(steps, batch, hidden_size))
    assert check_layer(layer, x, upstream, TOLERANCE) < TOLERANCE  # h0 = 0, the Layer contract
    # With a non-zero h0, which the first step's W_hh term and dh0 depend on:
    loss = lambda: float(np.sum(layer.forward(x, h0) * upstream))  # noqa: E731
    layer.forward(x, h0)
    dx = layer.backward(upstream)
    analytic = [(x, dx), (h0, layer.dh0)] + [(param, grad) for (_, param), (_, grad) in zip(layer.params(), layer.grads())]
    for array, gradient in analytic:
        assert check_gradient(loss, array, gradient.copy(), TOLERANCE) < TOLERANCE


@pytest.mark.parametrize("steps, batch, input_size, hidden_size, nonlinearity", RNN_CASES)
def test_rnn_matches_torch_forward_and_backward(steps, batch, input_size, hidden_size, nonlinearity):
    layer, x, h0, rng = rnn_case(steps, batch, input_size, hidden_size, nonlinearity)
    torch_rnn = torch.nn.RNN(input_size, hidden_size, nonlinearity=nonlinearity).double()
    with torch.no_grad():
        torch_rnn.weight_ih_l0.copy_(torch.from_numpy(layer.W_xh.T))
        torch_rnn.weight_hh_l0.copy_(torch.from_numpy(layer.W_hh.T))
        torch_rnn.bias_ih_l0.copy_(torch.from_numpy(layer.b_h))
        torch_rnn.bias_hh_l0.zero_()
    x_t, h0_t = torch.tensor(x, requires_grad=True), torch.tensor(h0[None], requires_grad=True)
    H_t, h_last = torch_rnn(x_t, h0_t)
    upstream = rng.normal(size=tuple(H_t.shape))
    H_t.backward(torch.from_numpy(upstream))
    H = layer.forward(x, h0)
    np.testing.assert_allclose(H, H_t.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(H[-1], h_last.detach().numpy()[0], rtol=1e-10, atol=1e-12)
    dx = layer.backward(upstream)
    pairs = [(dx, x_t.grad), (layer.dh0, h0_t.grad[0]), (layer.dW_xh, torch_rnn.weight_ih_l0.grad.T),
             (layer.dW_hh, torch_rnn.weight_hh_l0.grad.T), (layer.db_h, torch_rnn.bias_ih_l0.grad)]
    for mine, theirs in pairs:
        np.testing.assert_allclose(mine, theirs.numpy(), rtol=1e-10, atol=1e-12)


def test_token_ids_act_as_one_hot_inputs():
    rng = np.random.default_rng(3)
    layer = layers.rnn(7, 4, rng=rng, dtype=np.float64)
    ids = rng.integers(7, size=(6, 3))
    ids[0, 0] = ids[1, 0]  # one token read twice: its row of dW_xh adds both contributions
    one_hot = np.eye(7)[ids]
    upstream = rng.normal(size=(6, 3, 4))
    H_dense = layer.forward(one_hot)
    layer.backward(upstream)
    dense_grads = [grad.copy() for _, grad in layer.grads()]
    np.testing.assert_allclose(layer.forward(ids), H_dense, rtol=1e-14)
    assert layer.backward(upstream) is None  # no gradient with respect to integers
    for (_, grad), expected in zip(layer.grads(), dense_grads):
        np.testing.assert_allclose(grad, expected, rtol=1e-12, atol=1e-14)
    assert check_layer(layer, ids, upstream, TOLERANCE) < TOLERANCE


def test_carrying_the_state_splits_a_sequence_without_changing_it():
    layer, x, h0, _ = rnn_case(8, 2, 3, 4, "tanh")
    whole = layer.forward(x, h0)
    first = layer.forward(x[:5], h0)
    second = layer.forward(x[5:], first[-1])
    np.testing.assert_allclose(np.concatenate([first, second]), whole, rtol=1e-14)


def test_backward_overwrites_instead_of_adding():
    layer, x, h0, rng = rnn_case(3, 2, 3, 4, "tanh")
    upstream = rng.normal(size=(3, 2, 4))
    layer.forward(x, h0)
    layer.backward(upstream)
    first = layer.dW_hh.copy()
    layer.forward(x, h0)
    layer.backward(upstream)
    np.testing.assert_allclose(layer.dW_hh, first, rtol=1e-14)


def test_rnn_constructor_initialises_like_torch_and_keeps_float32():
    layer = layers.rnn(30, 400, rng=0)
    assert layer.W_xh.shape == (30, 400) and layer.W_hh.shape == (400, 400) and layer.b_h.shape == (400,)
    assert all(array.dtype == np.float32 for _, array in layer.params())
    bound = 1 / np.sqrt(400)
    assert np.abs(layer.W_hh).max() <= bound and np.abs(layer.W_hh).max() > 0.99 * bound
    assert layer.W_hh.std() == pytest.approx(bound / np.sqrt(3), rel=0.02)  # the std of U(−a, a) is a/√3
    H = layer.forward(np.zeros((2, 5, 30), dtype=np.float32))
    assert H.shape == (2, 5, 400) and H.dtype == np.float32
    assert repr(layer) == "RNN(30 → 400, tanh, float32)"


def test_clip_gradients_matches_torch_and_keeps_the_direction():
    rng = np.random.default_rng(4)
    arrays = [rng.normal(size=(3, 4)), rng.normal(size=5), rng.normal(size=(2, 2, 2))]
    tensors = [torch.tensor(array) for array in arrays]
    parameters = [torch.zeros_like(tensor, requires_grad=True) for tensor in tensors]
    for parameter, tensor in zip(parameters, tensors):
        parameter.grad = tensor.clone()
    before = [array.copy() for array in arrays]
    total = np.sqrt(sum(np.sum(array**2) for array in arrays))
    norm = layers.clip_gradients(arrays, max_norm=1.5)
    torch_norm = torch.nn.utils.clip_grad_norm_(parameters, max_norm=1.5)
    assert norm == pytest.approx(total, rel=1e-12) == pytest.approx(float(torch_norm), rel=1e-12)
    for array, parameter, original in zip(arrays, parameters, before):
        np.testing.assert_allclose(array, parameter.grad.numpy(), rtol=1e-12)
        np.testing.assert_allclose(array, original * 1.5 / (total + 1e-6), rtol=1e-12)
    assert np.sqrt(sum(np.sum(array**2) for array in arrays)) == pytest.approx(1.5, rel=1e-6)


def test_clip_gradients_leaves_small_gradients_alone_and_takes_named_pairs():
    layer, x, h0, rng = rnn_case(3, 2, 3, 4, "tanh")
    layer.forward(x, h0)
    layer.backward(1e-3 * rng.normal(size=(3, 2, 4)))
    before = [grad.copy() for _, grad in layer.grads()]
    norm = layers.clip_gradients(layer.grads(), max_norm=10.0)
    assert 0 < norm < 10
    for (_, grad), original in zip(layer.grads(), before):
        np.testing.assert_array_equal(grad, original)
    assert layers.clip_gradients(layer.grads(), max_norm=np.inf) == norm  # measures only
    layers.clip_gradients(layer.grads(), max_norm=norm / 2)  # in place, on the layer's own arrays
    for (_, grad), original in zip(layer.grads(), before):
        np.testing.assert_allclose(grad, original * (norm / 2) / (norm + 1e-6), rtol=1e-12)


def test_rnn_reports_bad_shapes_and_backward_before_forward():
    with pytest.raises(ValueError, match="W_xh must be a matrix"):
        layers.RNN(np.zeros(3), np.zeros((3, 3)), np.zeros(3))
    with pytest.raises(ValueError, match=r"W_hh must have shape \(4, 4\)"):
        layers.RNN(np.zeros((3, 4)), np.zeros((3, 3)), np.zeros(4))
    with pytest.raises(ValueError, match=r"b_h must have shape \(4,\)"):
        layers.RNN(np.zeros((3, 4)), np.zeros((4, 4)), np.zeros(3))
    with pytest.raises(ValueError, match="nonlinearity"):
        layers.RNN(np.zeros((3, 4)), np.zeros((4, 4)), np.zeros(4), nonlinearity="sigmoid")
    with pytest.raises(ValueError, match="positive"):
        layers.rnn(0, 4)
    layer = layers.rnn(3, 4, rng=0, dtype=np.float64)
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.zeros((2, 1, 4)))
    with pytest.raises(ValueError, match=r"\(T, N, 3\)"):
        layer.forward(np.zeros((2, 1, 5)))  # wrong input size
    with pytest.raises(ValueError, match=r"\(T, N, 3\)"):
        layer.forward(np.zeros((2, 3)).ravel())  # a flat vector
    with pytest.raises(TypeError, match="integer"):
        layer.forward(np.zeros((2, 3)))  # a 2-D float array is not token ids
    with pytest.raises(ValueError, match=r"0\.\.2"):
        layer.forward(np.array([[0, 3]]))
    with pytest.raises(ValueError, match="at least one time step"):
        layer.forward(np.zeros((0, 2, 3)))
    with pytest.raises(ValueError, match=r"h0 must have shape \(N, H\) = \(2, 4\)"):
        layer.forward(np.zeros((5, 2, 3)), h0=np.zeros((1, 2, 4)))
    layer.forward(np.zeros((5, 2, 3)))
    with pytest.raises(ValueError, match="dy has shape"):
        layer.backward(np.zeros((5, 2, 3)))


def test_clip_gradients_rejects_a_non_positive_threshold():
    with pytest.raises(ValueError, match="max_norm must be positive"):
        layers.clip_gradients([np.ones(3)], max_norm=0)
