"""book.layers' convolution, pooling and flatten layers: gradients against finite differences,
values and gradients against PyTorch, the output-size formula, and the errors a student meets."""

import numpy as np
import pytest

from book import layers
from book.gradcheck import check_layer

torch = pytest.importorskip("torch")
TOLERANCE = 1e-7

# (input shape, kernel shape, stride, padding): square and non-square, strides that do and do not
# divide the padded size, padding wider than needed, 1×1 kernels.
CONV_CASES = [
    ((2, 3, 7, 6), (4, 3, 3, 2), 2, 1),
    ((1, 1, 5, 5), (2, 1, 5, 5), 1, 0),
    ((3, 2, 8, 9), (1, 2, 3, 3), 3, 2),
    ((2, 4, 4, 4), (5, 4, 1, 1), 1, 0),
    ((1, 2, 6, 6), (3, 2, 2, 2), 2, 0),
]


def conv_case(x_shape, w_shape, stride, padding, seed=0):
    rng = np.random.default_rng(seed)
    layer = layers.Conv2D(rng.normal(size=w_shape), rng.normal(size=w_shape[0]), stride=stride, padding=padding)
    return layer, rng.normal(size=x_shape), rng


@pytest.mark.parametrize("x_shape, w_shape, stride, padding", CONV_CASES)
def test_conv2d_gradients_by_finite_differences(x_shape, w_shape, stride, padding):
    layer, x, rng = conv_case(x_shape, w_shape, stride, padding)
    upstream = rng.normal(size=layer.forward(x).shape)
    assert check_layer(layer, x, upstream, TOLERANCE) < TOLERANCE


@pytest.mark.parametrize("x_shape, w_shape, stride, padding", CONV_CASES)
def test_conv2d_matches_torch_forward_and_backward(x_shape, w_shape, stride, padding):
    layer, x, rng = conv_case(x_shape, w_shape, stride, padding)
    x_t = torch.tensor(x, requires_grad=True)
    w_t, b_t = (torch.tensor(array, requires_grad=True) for array in (layer.W, layer.b))
    y_t = torch.nn.functional.conv2d(x_t, w_t, b_t, stride=stride, padding=padding)
    upstream = rng.normal(size=tuple(y_t.shape))
    y_t.backward(torch.from_numpy(upstream))
    np.testing.assert_allclose(layer.forward(x), y_t.detach().numpy(), rtol=1e-10, atol=1e-12)
    dx = layer.backward(upstream)
    for mine, theirs in ((dx, x_t), (layer.dW, w_t), (layer.db, b_t)):
        np.testing.assert_allclose(mine, theirs.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_im2col_and_col2im_are_adjoint():
    """⟨im2col(x), C⟩ = ⟨x, col2im(C)⟩ for any x and C: what makes col2im the right backward pass."""
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 3, 7, 8))
    columns = layers.im2col(x, (3, 2), stride=2, padding=1)
    assert columns.shape == (3 * 3 * 2, 2 * 4 * 5)
    other = rng.normal(size=columns.shape)
    back = layers.col2im(other, x.shape, (3, 2), stride=2, padding=1)
    np.testing.assert_allclose(np.sum(columns * other), np.sum(x * back), rtol=1e-12)


def test_output_size_formula_against_torch_over_a_grid():
    for size in range(1, 12):
        for kernel in range(1, 6):
            for padding in range(3):
                for stride in range(1, 4):
                    if kernel > size + 2 * padding:
                        with pytest.raises(ValueError, match="does not fit"):
                            layers.conv_output_size(size, kernel, padding, stride)
                        continue
                    expected = torch.nn.functional.conv2d(torch.zeros(1, 1, size, size), torch.zeros(1, 1, kernel, kernel),
                                                          stride=stride, padding=padding).shape[-1]
                    assert layers.conv_output_size(size, kernel, padding, stride) == expected


def test_conv2d_constructor_initialises_like_torch_and_keeps_float32():
    layer = layers.conv2d(6, 16, 5, rng=0)
    assert layer.W.shape == (16, 6, 5, 5) and layer.W.dtype == np.float32 and not layer.b.any()
    assert layer.W.std() == pytest.approx(np.sqrt(2 / (6 * 25)), rel=0.05)  # He: fan-in = c_in·k²
    xavier = layers.conv2d(6, 16, 5, init="xavier", rng=0)
    assert np.abs(xavier.W).max() <= np.sqrt(6 / (6 * 25 + 16 * 25))
    x = np.random.default_rng(0).random((4, 6, 14, 14), dtype=np.float32)
    y = layer.forward(x)
    assert y.shape == (4, 16, 10, 10) and y.dtype == np.float32
    assert layer.backward(np.ones_like(y)).dtype == np.float32 and layer.dW.dtype == np.float32


@pytest.mark.parametrize("pool_class, torch_pool", [(layers.MaxPool2D, "max_pool2d"), (layers.AvgPool2D, "avg_pool2d")])
@pytest.mark.parametrize("shape, size", [((2, 3, 6, 6), 2), ((1, 2, 7, 5), 2), ((2, 1, 9, 9), 3)])
def test_pooling_matches_torch_and_finite_differences(pool_class, torch_pool, shape, size):
    rng = np.random.default_rng(0)
    x = rng.normal(size=shape)  # continuous values: no ties, so the max is differentiable
    layer = pool_class(size)
    x_t = torch.tensor(x, requires_grad=True)
    y_t = getattr(torch.nn.functional, torch_pool)(x_t, size)
    upstream = rng.normal(size=tuple(y_t.shape))
    y_t.backward(torch.from_numpy(upstream))
    np.testing.assert_allclose(layer.forward(x), y_t.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(layer.backward(upstream), x_t.grad.numpy(), rtol=1e-12, atol=1e-15)
    assert check_layer(layer, x, upstream, TOLERANCE) < TOLERANCE


def test_pooling_reproduces_the_course_example_and_sends_a_tie_to_the_first_maximum():
    x = np.array([[1, 3, 2, 4], [1, 3, 2, 4], [5, 7, 6, 8], [5, 7, 6, 8]], dtype=float).reshape(1, 1, 4, 4)
    max_pool, avg_pool = layers.MaxPool2D(2), layers.AvgPool2D(2)
    np.testing.assert_array_equal(max_pool.forward(x)[0, 0], [[3, 4], [7, 8]])
    np.testing.assert_array_equal(avg_pool.forward(x)[0, 0], [[2, 3], [6, 7]])
    # Every window holds its maximum twice (e.g. 3 at rows 0 and 1): only the first gets the gradient.
    dx = max_pool.backward(np.ones((1, 1, 2, 2)))
    x_t = torch.tensor(x, requires_grad=True)
    torch.nn.functional.max_pool2d(x_t, 2).sum().backward()
    np.testing.assert_array_equal(dx, x_t.grad.numpy())
    assert dx.sum() == 4 and dx[0, 0, 0, 1] == 1 and dx[0, 0, 1, 1] == 0


def test_flatten_round_trip():
    layer = layers.Flatten()
    x = np.arange(2 * 3 * 4 * 5.0).reshape(2, 3, 4, 5)
    y = layer.forward(x)
    assert y.shape == (2, 60)
    np.testing.assert_array_equal(layer.backward(y), x)


def test_a_small_cnn_trains_end_to_end():
    """Conv → ReLU → pool → flatten → affine learns to tell a vertical bar from a horizontal one."""
    rng = np.random.default_rng(0)
    images = np.zeros((200, 1, 8, 8), dtype=np.float32)
    labels = rng.integers(0, 2, 200)
    positions = rng.integers(1, 7, 200)
    for image, label, position in zip(images, labels, positions):
        if label:
            image[0, :, position] = 1
        else:
            image[0, position, :] = 1
    images += rng.normal(scale=0.3, size=images.shape).astype(np.float32)
    network = layers.Sequential(layers.conv2d(1, 4, 3, padding=1, rng=0, input_grad=False), layers.ReLU(),
                                layers.MaxPool2D(2), layers.Flatten(), layers.affine(64, 2, rng=1))
    optimizer = layers.SGD(network, lr=0.1, momentum=0.9)
    loss_fn = layers.SoftmaxCrossEntropy()
    for _ in range(30):
        loss_fn.forward(network.forward(images), labels)
        network.backward(loss_fn.backward())
        optimizer.step()
    assert [name for name, _ in network.params()] == ["0.W", "0.b", "4.W", "4.b"]
    assert np.mean(network.predict(images) == labels) > 0.95


def test_conv_and_pooling_report_bad_input():
    layer = layers.Conv2D(np.zeros((4, 3, 3, 3)), np.zeros(4))
    with pytest.raises(ValueError, match=r"\(n, 3, h, w\)"):
        layer.forward(np.zeros((2, 1, 8, 8)))
    with pytest.raises(ValueError, match=r"\(n, 3, h, w\)"):
        layer.forward(np.zeros((3, 8, 8)))
    with pytest.raises(ValueError, match="does not fit"):
        layer.forward(np.zeros((2, 3, 2, 2)))
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.zeros((2, 4, 6, 6)))
    layer.forward(np.zeros((2, 3, 8, 8)))
    with pytest.raises(ValueError, match="dy has shape"):
        layer.backward(np.zeros((2, 4, 8, 8)))
    with pytest.raises(ValueError, match="b must have shape"):
        layers.Conv2D(np.zeros((4, 3, 3, 3)), np.zeros(3))
    with pytest.raises(ValueError, match="c_out, c_in"):
        layers.Conv2D(np.zeros((4, 3, 3)), np.zeros(4))
    with pytest.raises(ValueError, match="stride"):
        layers.Conv2D(np.zeros((4, 3, 3, 3)), np.zeros(4), stride=0)
    with pytest.raises(ValueError, match="init"):
        layers.conv2d(1, 2, 3, init="zeros")
    with pytest.raises(ValueError, match="non-overlapping"):
        layers.MaxPool2D(3, stride=2)
    with pytest.raises(ValueError, match="does not fit"):
        layers.AvgPool2D(3).forward(np.zeros((1, 1, 2, 5)))
    with pytest.raises(ValueError, match=r"\(n, c, h, w\)"):
        layers.MaxPool2D(2).forward(np.zeros((4, 4)))
