"""book.layers: every backward pass against finite differences, the loss against PyTorch, and the
errors a student meets first (bad shapes, bad labels, backward before forward)."""

import numpy as np
import pytest

from book import layers
from book import gradcheck
from book.gradcheck import check_gradient

TOLERANCE = 1e-7


def away_from_zero(x, gap=0.1):
    """Move values off the ReLU kink, where a finite difference would straddle two slopes."""
    return np.where(np.abs(x) < gap, x + 2 * gap * np.sign(x + 1e-12), x)


# ---------------------------------------------------------------------------------------------
# Gradients of every layer
# ---------------------------------------------------------------------------------------------


def test_affine_gradients():
    rng = np.random.default_rng(0)
    layer = layers.Affine(rng.normal(size=(5, 3)), rng.normal(size=3))
    assert gradcheck.check_layer(layer, rng.normal(size=(4, 5)), rng.normal(size=(4, 3))) < TOLERANCE


@pytest.mark.parametrize("activation", [layers.ReLU, layers.Sigmoid, layers.Tanh])
def test_activation_gradients(activation):
    rng = np.random.default_rng(0)
    x = away_from_zero(rng.normal(size=(4, 6)))
    assert gradcheck.check_layer(activation(), x, rng.normal(size=(4, 6))) < TOLERANCE


def test_dropout_gradient_with_the_mask_held_fixed():
    layer = layers.Dropout(0.3, seed=5)
    x = np.random.default_rng(0).normal(size=(4, 6))
    G = np.random.default_rng(1).normal(size=x.shape)

    def loss():
        layer.rng = np.random.default_rng(5)  # the same mask at every evaluation
        return float(np.sum(layer.forward(x) * G))

    loss()
    assert check_gradient(loss, x, layer.backward(G)) < TOLERANCE


def test_softmax_cross_entropy_gradient():
    rng = np.random.default_rng(0)
    logits, labels = rng.normal(size=(4, 5)), np.array([0, 3, 3, 4])
    loss_fn = layers.SoftmaxCrossEntropy()
    loss_fn.forward(logits, labels)
    dlogits = loss_fn.backward()
    assert check_gradient(lambda: loss_fn.forward(logits, labels), logits, dlogits) < TOLERANCE
    np.testing.assert_allclose(dlogits.sum(axis=1), 0, atol=1e-15)  # softmax − one_hot sums to 0


def torch_twin(network, activation):
    """A float64 PyTorch copy of a book.layers MLP, with the same weights."""
    torch = pytest.importorskip("torch")
    modules = []
    for layer in network.layers:
        if isinstance(layer, layers.Affine):
            linear = torch.nn.Linear(*layer.W.shape).double()
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(layer.W.T))
                linear.bias.copy_(torch.from_numpy(layer.b))
            modules.append(linear)
        elif isinstance(layer, (layers.ReLU, layers.Sigmoid, layers.Tanh)):
            modules.append(activation())
    return torch.nn.Sequential(*modules)


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_whole_network_gradients_by_finite_differences(activation):
    rng = np.random.default_rng(0)
    network = layers.mlp([12, 8, 6, 10], activation=activation, seed=0, dtype=np.float64)
    network[0].input_grad = True
    x, labels = rng.normal(size=(5, 12)), np.array([0, 3, 3, 7, 9])
    loss_fn = layers.SoftmaxCrossEntropy()
    loss = lambda: loss_fn.forward(network.forward(x), labels)  # noqa: E731
    loss()
    assert check_gradient(loss, x, network.backward(loss_fn.backward())) < TOLERANCE
    for (name, param), (_, grad) in zip(network.params(), network.grads()):
        assert check_gradient(loss, param, grad.copy()) < TOLERANCE, name


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh"])
def test_whole_network_gradients_match_torch_autograd(name):
    """The chain of layers, input gradient included, against autograd (each layer is checked above)."""
    torch = pytest.importorskip("torch")
    activation = {"relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh}[name]
    rng = np.random.default_rng(0)
    network = layers.mlp([20, 16, 12, 5], activation=name, dropout=0.3, seed=0, dtype=np.float64)
    network[0].input_grad = True
    network.eval()  # dropout off, so that both sides compute the same function
    x, labels = rng.normal(size=(8, 20)), rng.integers(0, 5, 8)
    loss_fn = layers.SoftmaxCrossEntropy()
    loss = loss_fn.forward(network.forward(x), labels)
    dx = network.backward(loss_fn.backward())
    twin = torch_twin(network, activation)
    x_t = torch.tensor(x, requires_grad=True)
    loss_t = torch.nn.functional.cross_entropy(twin(x_t), torch.from_numpy(labels))
    loss_t.backward()
    np.testing.assert_allclose(loss, loss_t.item(), rtol=1e-12)
    np.testing.assert_allclose(dx, x_t.grad.numpy(), rtol=1e-9, atol=1e-15)
    affines = [layer for layer in network.layers if isinstance(layer, layers.Affine)]
    linears = [module for module in twin if isinstance(module, torch.nn.Linear)]
    for layer, linear in zip(affines, linears):
        np.testing.assert_allclose(layer.dW, linear.weight.grad.numpy().T, rtol=1e-9, atol=1e-15)
        np.testing.assert_allclose(layer.db, linear.bias.grad.numpy(), rtol=1e-9, atol=1e-15)


# ---------------------------------------------------------------------------------------------
# Softmax and the loss against PyTorch
# ---------------------------------------------------------------------------------------------


def test_softmax_cross_entropy_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    logits, labels = rng.normal(scale=3.0, size=(32, 10)), rng.integers(0, 10, 32)
    loss_fn = layers.SoftmaxCrossEntropy()
    loss = loss_fn.forward(logits, labels)
    logits_t = torch.tensor(logits, requires_grad=True)
    loss_t = torch.nn.functional.cross_entropy(logits_t, torch.tensor(labels))
    loss_t.backward()
    np.testing.assert_allclose(loss, loss_t.item(), rtol=1e-12)
    np.testing.assert_allclose(loss_fn.backward(), logits_t.grad.numpy(), rtol=1e-10, atol=1e-15)


def test_stable_softmax_survives_huge_logits():
    logits = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0]])
    with np.errstate(over="ignore", invalid="ignore"):
        naive = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    assert np.isnan(naive).any()
    probabilities = layers.softmax(logits)
    assert np.isfinite(probabilities).all()
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    np.testing.assert_allclose(probabilities[0], layers.softmax(np.array([0.0, 1.0, 2.0])))
    loss = layers.SoftmaxCrossEntropy().forward(logits, np.array([0, 0]))
    assert np.isfinite(loss) and loss == pytest.approx((2 + np.log1p(np.exp(-1) + np.exp(-2)) + 2000) / 2)


# ---------------------------------------------------------------------------------------------
# Dropout: training versus evaluation
# ---------------------------------------------------------------------------------------------


def test_dropout_keeps_the_expectation_in_training_and_is_the_identity_in_evaluation():
    layer = layers.Dropout(0.25, seed=0)
    x = np.ones((200, 500), dtype=np.float32)
    y = layer.forward(x)
    assert y.dtype == np.float32
    assert np.mean(y == 0) == pytest.approx(0.25, abs=0.01)
    assert set(np.unique(y)) == {0.0, np.float32(1 / 0.75)}
    assert y.mean() == pytest.approx(1.0, abs=0.01)
    np.testing.assert_array_equal(layer.backward(x), y)  # the gradient flows through kept units only
    layer.training = False
    np.testing.assert_array_equal(layer.forward(x), x)
    np.testing.assert_array_equal(layer.backward(x), x)


def test_network_modes_switch_dropout_and_predict_restores_the_mode():
    network = layers.mlp([8, 16, 3], dropout=0.5, seed=0)
    x = np.random.default_rng(0).normal(size=(10, 8)).astype(np.float32)
    assert not np.array_equal(network.forward(x), network.forward(x))  # fresh masks
    network.eval()
    np.testing.assert_array_equal(network.forward(x), network.forward(x))
    expected = network.forward(x).argmax(axis=1)
    network.train()
    np.testing.assert_array_equal(network.predict(x, batch_size=3), expected)
    assert network.training and all(layer.training for layer in network.layers)


def test_dropout_rejects_a_probability_of_one():
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        layers.Dropout(1.0)


# ---------------------------------------------------------------------------------------------
# The optimiser, the constructors, float32
# ---------------------------------------------------------------------------------------------


def test_sgd_with_momentum_and_weight_decay_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    network = layers.mlp([4, 6, 3], seed=0, dtype=np.float64)
    twin = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.ReLU(), torch.nn.Linear(6, 3)).double()
    with torch.no_grad():
        for index in (0, 2):
            twin[index].weight.copy_(torch.from_numpy(network[index].W.T.copy()))
            twin[index].bias.copy_(torch.from_numpy(network[index].b))
    optimizer = layers.SGD(network, lr=0.1, momentum=0.9, weight_decay=0.01)
    # Ours decays the weights only; in PyTorch that takes two parameter groups.
    groups = [{"params": [twin[0].weight, twin[2].weight]}, {"params": [twin[0].bias, twin[2].bias], "weight_decay": 0.0}]
    twin_optimizer = torch.optim.SGD(groups, lr=0.1, momentum=0.9, weight_decay=0.01)
    loss_fn = layers.SoftmaxCrossEntropy()
    for _ in range(3):
        x, labels = rng.normal(size=(5, 4)), rng.integers(0, 3, 5)
        loss_fn.forward(network.forward(x), labels)
        network.backward(loss_fn.backward())
        optimizer.step()
        twin_optimizer.zero_grad()
        torch.nn.functional.cross_entropy(twin(torch.from_numpy(x)), torch.from_numpy(labels)).backward()
        twin_optimizer.step()
    for index in (0, 2):
        np.testing.assert_allclose(network[index].W, twin[index].weight.detach().numpy().T, rtol=1e-10)
        np.testing.assert_allclose(network[index].b, twin[index].bias.detach().numpy(), rtol=1e-10)


def test_mlp_layout_initialisation_and_float32_throughout():
    network = layers.mlp([784, 256, 128, 10], seed=0)
    assert [type(layer).__name__ for layer in network.layers] == ["Affine", "ReLU", "Affine", "ReLU", "Affine"]
    assert [name for name, _ in network.params()] == ["0.W", "0.b", "2.W", "2.b", "4.W", "4.b"]
    assert network[0].W.std() == pytest.approx(np.sqrt(2 / 784), rel=0.02)  # He
    limit = np.sqrt(6 / (784 + 256))
    assert np.abs(layers.xavier_uniform(784, 256, rng=0)).max() <= limit
    x = np.random.default_rng(0).random((32, 784), dtype=np.float32)
    loss_fn = layers.SoftmaxCrossEntropy()
    logits = network.forward(x)
    loss_fn.forward(logits, np.zeros(32, dtype=np.int64))
    assert logits.dtype == np.float32 and network.backward(loss_fn.backward()) is None
    assert all(grad.dtype == np.float32 for _, grad in network.grads())


def test_training_learns_a_separable_problem():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, 2)).astype(np.float32)
    labels = (x[:, 0] * x[:, 1] > 0).astype(np.int64)  # XOR of the signs: not linearly separable
    network = layers.mlp([2, 32, 2], seed=0)
    optimizer = layers.SGD(network, lr=0.5, momentum=0.9)
    loss_fn = layers.SoftmaxCrossEntropy()
    for _ in range(300):
        loss_fn.forward(network.forward(x), labels)
        network.backward(loss_fn.backward())
        optimizer.step()
    assert np.mean(network.predict(x) == labels) > 0.95


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


def test_affine_reports_bad_shapes_and_backward_before_forward():
    with pytest.raises(ValueError, match="b must have shape"):
        layers.Affine(np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="matrix"):
        layers.Affine(np.zeros(3), np.zeros(3))
    layer = layers.Affine(np.zeros((3, 2)), np.zeros(2))
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"\(n, 3\)"):
        layer.forward(np.zeros((4, 5)))
    layer.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="dy has shape"):
        layer.backward(np.zeros((4, 3)))


def test_loss_reports_bad_labels_and_logits():
    loss_fn = layers.SoftmaxCrossEntropy()
    logits = np.zeros((3, 4))
    with pytest.raises(ValueError, match=r"0\.\.3"):
        loss_fn.forward(logits, np.array([0, 1, 4]))
    with pytest.raises(ValueError, match=r"0\.\.3"):
        loss_fn.forward(logits, np.array([0, -1, 2]))
    with pytest.raises(TypeError, match="integer"):
        loss_fn.forward(logits, np.array([0.0, 1.0, 2.0]))
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        loss_fn.forward(logits, np.array([0, 1]))
    with pytest.raises(ValueError, match="classes"):
        loss_fn.forward(np.zeros(4), np.array([0]))
    with pytest.raises(RuntimeError, match="before forward"):
        layers.SoftmaxCrossEntropy().backward()


def test_constructors_and_optimiser_reject_bad_settings():
    with pytest.raises(ValueError, match="activation"):
        layers.mlp([4, 2], activation="swish")
    with pytest.raises(ValueError, match="two positive"):
        layers.mlp([4])
    with pytest.raises(ValueError, match="init"):
        layers.affine(4, 2, init="zeros")
    network = layers.mlp([4, 2])
    with pytest.raises(ValueError, match="learning rate"):
        layers.SGD(network, lr=0)
    with pytest.raises(ValueError, match="momentum"):
        layers.SGD(network, lr=0.1, momentum=1.0)


# ---------------------------------------------------------------------------------------------
# Reconstruction and binary losses
# ---------------------------------------------------------------------------------------------


def test_binary_cross_entropy_and_mean_squared_error_match_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    logits = rng.normal(scale=30, size=(4, 5))  # large |z|: the stable form must not overflow
    targets = rng.random((4, 5))
    for ours, theirs, inputs in [(layers.SigmoidBinaryCrossEntropy(), torch.nn.BCEWithLogitsLoss(), logits),
                                 (layers.MeanSquaredError(), torch.nn.MSELoss(), logits / 30)]:
        twin = torch.tensor(inputs, requires_grad=True)
        expected = theirs(twin, torch.from_numpy(targets))
        expected.backward()
        assert ours.forward(inputs, targets) == pytest.approx(expected.item(), rel=1e-12)
        np.testing.assert_allclose(ours.backward(), twin.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_binary_losses_report_bad_targets():
    loss_fn = layers.SigmoidBinaryCrossEntropy()
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        loss_fn.forward(np.zeros(3), np.array([0.0, 1.0, 2.0]))
    with pytest.raises(ValueError, match="must match"):
        layers.MeanSquaredError().forward(np.zeros((2, 3)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="empty"):
        layers.MeanSquaredError().forward(np.zeros(0), np.zeros(0))
    with pytest.raises(RuntimeError, match="before forward"):
        layers.SigmoidBinaryCrossEntropy().backward()
