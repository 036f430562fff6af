"""book.layers' batch normalisation: gradients against finite differences, agreement with
torch.nn.BatchNorm1d/2d in training and evaluation, and the errors a student meets."""

import numpy as np
import pytest

from book import layers
from book.gradcheck import check_layer

torch = pytest.importorskip("torch")
TOLERANCE = 1e-7

# (layer class, torch class, input shape): a matrix of features, images, and odd sizes of each.
CASES = [
    (layers.BatchNorm1D, torch.nn.BatchNorm1d, (6, 4)),
    (layers.BatchNorm1D, torch.nn.BatchNorm1d, (3, 5)),  # n = 2 is degenerate: x̂ = ±1 whatever x is
    (layers.BatchNorm2D, torch.nn.BatchNorm2d, (3, 2, 4, 5)),
    (layers.BatchNorm2D, torch.nn.BatchNorm2d, (1, 3, 2, 3)),
]


def batch_norm_case(layer_class, shape, seed=0):
    """A float64 layer with random γ and β (so that neither is the identity) and a shifted, scaled input."""
    rng = np.random.default_rng(seed)
    layer = layer_class(shape[1], dtype=np.float64)
    layer.gamma[...] = rng.normal(size=shape[1])
    layer.beta[...] = rng.normal(size=shape[1])
    return layer, 3 * rng.normal(size=shape) + 1.5, rng


@pytest.mark.parametrize("layer_class, torch_class, shape", CASES)
def test_batch_norm_gradients_by_finite_differences_in_training(layer_class, torch_class, shape):
    layer, x, rng = batch_norm_case(layer_class, shape)
    assert layer.training
    assert check_layer(layer, x, rng.normal(size=shape), TOLERANCE) < TOLERANCE


@pytest.mark.parametrize("layer_class, torch_class, shape", CASES[:1] + CASES[2:3])
def test_batch_norm_gradients_by_finite_differences_in_evaluation(layer_class, torch_class, shape):
    layer, x, rng = batch_norm_case(layer_class, shape)
    layer.running_mean[...] = rng.normal(size=shape[1])
    layer.running_var[...] = rng.uniform(0.5, 2.0, size=shape[1])
    layer.training = False
    assert check_layer(layer, x, rng.normal(size=shape), TOLERANCE) < TOLERANCE


def torch_twin(layer, torch_class):
    module = torch_class(layer.num_features, dtype=torch.float64)
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(layer.gamma))
        module.bias.copy_(torch.from_numpy(layer.beta))
    return module


@pytest.mark.parametrize("layer_class, torch_class, shape", CASES)
def test_batch_norm_matches_torch_in_training(layer_class, torch_class, shape):
    layer, _, rng = batch_norm_case(layer_class, shape)
    module = torch_twin(layer, torch_class)
    for _ in range(4):  # several steps, so that the running statistics have a history to compare
        x = 3 * rng.normal(size=shape) + 1.5
        upstream = rng.normal(size=shape)
        x_t = torch.tensor(x, requires_grad=True)
        module.zero_grad()
        y_t = module(x_t)
        y_t.backward(torch.from_numpy(upstream))
        np.testing.assert_allclose(layer.forward(x), y_t.detach().numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(layer.backward(upstream), x_t.grad.numpy(), rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(layer.dgamma, module.weight.grad.numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(layer.dbeta, module.bias.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(layer.running_mean, module.running_mean.numpy(), rtol=1e-12)
    np.testing.assert_allclose(layer.running_var, module.running_var.numpy(), rtol=1e-12)


@pytest.mark.parametrize("layer_class, torch_class, shape", CASES)
def test_batch_norm_matches_torch_in_evaluation(layer_class, torch_class, shape):
    layer, x, rng = batch_norm_case(layer_class, shape)
    module = torch_twin(layer, torch_class)
    layer.forward(x)
    module(torch.from_numpy(x))
    network = layers.Sequential(layer).eval()  # Sequential.eval() is what switches the layer
    module.eval()
    assert not layer.training
    test_x = rng.normal(size=shape)
    x_t = torch.tensor(test_x, requires_grad=True)
    upstream = rng.normal(size=shape)
    y_t = module(x_t)
    y_t.backward(torch.from_numpy(upstream))
    np.testing.assert_allclose(network.forward(test_x), y_t.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(network.backward(upstream), x_t.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(layer.dgamma, module.weight.grad.numpy(), rtol=1e-10, atol=1e-12)
    # Evaluation uses the running statistics and does not change them.
    running_mean = layer.running_mean.copy()
    network.forward(test_x)
    np.testing.assert_array_equal(layer.running_mean, running_mean)


def test_batch_norm_in_training_standardises_each_feature_and_channel():
    rng = np.random.default_rng(1)
    images = 5 * rng.normal(size=(8, 3, 4, 4)) - 2
    y = layers.BatchNorm2D(3, dtype=np.float64).forward(images)
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=(0, 2, 3)), 1, rtol=1e-5)  # ε = 1e-5 keeps it just below 1
    features = rng.normal(size=(10, 4)) * [1, 10, 100, 1000]
    y = layers.BatchNorm1D(4, dtype=np.float64).forward(features)
    np.testing.assert_allclose(y.std(axis=0), 1, rtol=1e-3)


def test_batch_norm_defaults_and_parameters():
    layer = layers.BatchNorm2D(6)
    assert (layer.momentum, layer.eps) == (0.1, 1e-5)
    assert [name for name, _ in layer.params()] == [name for name, _ in layer.grads()] == ["gamma", "beta"]
    assert layer.gamma.dtype == np.float32 and np.all(layer.gamma == 1) and np.all(layer.beta == 0)
    assert np.all(layer.running_mean == 0) and np.all(layer.running_var == 1)


def test_batch_norm_rejects_bad_input():
    with pytest.raises(ValueError, match="3 features"):
        layers.BatchNorm1D(3).forward(np.zeros((4, 5)))
    with pytest.raises(ValueError, match=r"\(n, c, h, w\)"):
        layers.BatchNorm2D(3).forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"\(n, d\)"):
        layers.BatchNorm1D(3).forward(np.zeros((4, 3, 2, 2)))
    with pytest.raises(ValueError, match="more than one value"):
        layers.BatchNorm1D(3).forward(np.ones((1, 3)))
    with pytest.raises(ValueError, match="more than one value"):
        layers.BatchNorm2D(3).forward(np.ones((1, 3, 1, 1)))
    with pytest.raises(RuntimeError, match="before forward"):
        layers.BatchNorm1D(3).backward(np.ones((2, 3)))
    with pytest.raises(ValueError, match="num_features"):
        layers.BatchNorm1D(0)
    layer = layers.BatchNorm1D(3)
    layer.forward(np.ones((2, 3), dtype=np.float32))
    with pytest.raises(ValueError, match="dy has shape"):
        layer.backward(np.ones((4, 3)))


def test_batch_of_one_is_fine_in_evaluation():
    layer = layers.BatchNorm1D(3)
    layer.training = False
    np.testing.assert_allclose(layer.forward(np.ones((1, 3), dtype=np.float32)), 1 / np.sqrt(1 + 1e-5), rtol=1e-6)
