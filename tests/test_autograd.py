"""book.autograd: every operation's gradient against finite differences and against PyTorch."""

import numpy as np
import pytest
import torch

from book.autograd import Tensor, cross_entropy, log_softmax, unbroadcast
from book.gradcheck import check_gradient

LABELS = np.array([2, 0, 1, 2])  # for the cross-entropy case: four examples, three classes


def positive(shape, rng):
    return rng.uniform(0.5, 2.0, shape)


def away_from_zero(shape, rng):
    """Inputs for ReLU: at least 0.1 from its kink, so centred differences do not straddle it."""
    return rng.choice([-1.0, 1.0], shape) * rng.uniform(0.1, 2.0, shape)


# name: (function of the inputs, written once for both engines; input shapes; how to draw inputs)
CASES = {
    "add": (lambda a, b: a + b, [(3, 4), (3, 4)], None),
    "add broadcast row": (lambda a, b: a + b, [(3, 4), (4,)], None),
    "add broadcast column and scalar": (lambda a, b, c: a + b + c, [(3, 1), (1, 4), ()], None),
    "add a plain number": (lambda a: 2.5 + a + 1, [(2, 3)], None),
    "sub broadcast": (lambda a, b: a - b, [(2, 3, 4), (3, 1)], None),
    "rsub": (lambda a: 1.0 - a, [(3,)], None),
    "mul broadcast": (lambda a, b: a * b, [(3, 4), (3, 1)], None),
    "mul by itself": (lambda a: a * a, [(5,)], None),
    "div broadcast": (lambda a, b: a / b, [(2, 3), (3,)], positive),
    "rdiv": (lambda a: 3.0 / a, [(4,)], positive),
    "neg": (lambda a: -a, [(2, 2)], None),
    "pow": (lambda a: a**3, [(3, 2)], None),
    "pow fractional": (lambda a: a**-0.5, [(3, 2)], positive),
    "matmul": (lambda a, b: a @ b, [(3, 4), (4, 2)], None),
    "matmul vector on the right": (lambda a, b: a @ b, [(3, 4), (4,)], None),
    "matmul vector on the left": (lambda a, b: a @ b, [(4,), (4, 2)], None),
    "matmul two vectors": (lambda a, b: a @ b, [(4,), (4,)], None),
    "matmul batched with shared weights": (lambda a, b: a @ b, [(2, 3, 4), (4, 5)], None),
    "sum all": (lambda a: a.sum(), [(3, 4)], None),
    "sum axis 0": (lambda a: a.sum(axis=0), [(3, 4)], None),
    "sum last axis keepdims": (lambda a: a.sum(axis=-1, keepdims=True), [(2, 3, 4)], None),
    "sum two axes": (lambda a: a.sum(axis=(0, 2)), [(2, 3, 4)], None),
    "mean all": (lambda a: a.mean(), [(3, 4)], None),
    "mean axis 1 keepdims": (lambda a: a.mean(axis=1, keepdims=True), [(3, 4)], None),
    "exp": (lambda a: a.exp(), [(3, 4)], None),
    "log": (lambda a: a.log(), [(3, 4)], positive),
    "tanh": (lambda a: a.tanh(), [(3, 4)], None),
    "sigmoid": (lambda a: a.sigmoid(), [(3, 4)], None),
    "relu": (lambda a: a.relu(), [(3, 4)], away_from_zero),
    "reshape": (lambda a: a.reshape(4, 3) @ a, [(3, 4)], None),
    "reshape to a tuple and flat": (lambda a: a.reshape((2, 6)).reshape(-1), [(3, 4)], None),
    "transpose": (lambda a: a.T, [(3, 4)], None),
    "transpose axes": (lambda a: a.permute(2, 0, 1) if torch.is_tensor(a) else a.transpose(2, 0, 1),
                       [(2, 3, 4)], None),  # PyTorch calls a general transpose "permute"
    "log_softmax": (lambda a: a.log_softmax(axis=-1), [(4, 3)], None),
    "log_softmax axis 0": (lambda a: a.log_softmax(axis=0), [(4, 3)], None),
    "mlp layer": (lambda x, w, b: (x @ w + b).tanh(), [(5, 4), (4, 3), (3,)], None),
}

CROSS_ENTROPY_LOGITS_SHAPE = (4, 3)


def draw_inputs(shapes, sampler, seed):
    rng = np.random.default_rng(seed)
    return [(sampler or (lambda shape, rng: rng.normal(size=shape)))(shape, rng) for shape in shapes]


def engine_gradients(function, arrays, weights):
    """Gradients of sum(function(*inputs) * weights) with respect to every input."""
    inputs = [Tensor(array) for array in arrays]
    output = function(*inputs)
    output.backward(weights)
    return output.data, [tensor.grad for tensor in inputs]


@pytest.mark.parametrize("name", list(CASES))
def test_gradient_matches_finite_differences(name):
    function, shapes, sampler = CASES[name]
    arrays = draw_inputs(shapes, sampler, seed=0)
    weights = np.random.default_rng(1).normal(size=function(*map(Tensor, arrays)).shape)
    _, gradients = engine_gradients(function, arrays, weights)
    # The loss the finite differences see re-runs the forward pass on the perturbed arrays.
    loss = lambda: float(np.sum(function(*map(Tensor, arrays)).data * weights))  # noqa: E731
    for array, gradient in zip(arrays, gradients):
        assert gradient.shape == array.shape
        check_gradient(loss, array, gradient)


@pytest.mark.parametrize("name", list(CASES))
def test_values_and_gradients_match_torch(name):
    function, shapes, sampler = CASES[name]
    arrays = draw_inputs(shapes, sampler, seed=2)
    weights = np.random.default_rng(3).normal(size=function(*map(Tensor, arrays)).shape)
    output, gradients = engine_gradients(function, arrays, weights)
    torch_inputs = [torch.tensor(array, dtype=torch.float64, requires_grad=True) for array in arrays]
    torch_output = function(*torch_inputs)
    torch_output.backward(torch.from_numpy(weights))
    np.testing.assert_allclose(output, torch_output.detach().numpy(), rtol=1e-12, atol=1e-12)
    for gradient, tensor in zip(gradients, torch_inputs):
        np.testing.assert_allclose(gradient, tensor.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_cross_entropy_against_finite_differences_and_torch():
    logits = np.random.default_rng(4).normal(size=CROSS_ENTROPY_LOGITS_SHAPE) * 3
    tensor = Tensor(logits)
    loss = cross_entropy(tensor, LABELS)
    loss.backward()
    check_gradient(lambda: cross_entropy(Tensor(logits), LABELS).item(), logits, tensor.grad)
    reference = torch.tensor(logits, requires_grad=True)
    torch_loss = torch.nn.functional.cross_entropy(reference, torch.from_numpy(LABELS))
    torch_loss.backward()
    np.testing.assert_allclose(loss.item(), torch_loss.item(), rtol=1e-12)
    np.testing.assert_allclose(tensor.grad, reference.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_log_softmax_is_stable_for_huge_logits():
    logits = Tensor([[1000.0, 0.0, -1000.0]])
    values = log_softmax(logits).data
    assert np.all(np.isfinite(values))
    np.testing.assert_allclose(values, [[0.0, -1000.0, -2000.0]])
    assert np.isfinite(cross_entropy(logits, [2]).item())
    assert np.all(np.isfinite(Tensor([-800.0, 800.0]).sigmoid().data))


def test_a_node_used_on_two_paths_accumulates_both_gradients():
    # Diamond: a feeds b and c, which meet again in d, so dd/da = dd/db·db/da + dd/dc·dc/da.
    a = Tensor(0.7)
    b, c = a * 2.0, a.exp()
    d = b * c
    d.backward()
    np.testing.assert_allclose(a.grad, 2 * np.exp(0.7) + 2 * 0.7 * np.exp(0.7), rtol=1e-14)
    np.testing.assert_allclose([b.grad, c.grad], [np.exp(0.7), 1.4], rtol=1e-14)


def test_topological_order_puts_parents_first_and_lists_each_node_once():
    x = Tensor(2.0)
    y = (x * x + x).tanh()
    order = y.topological_order()
    assert order[-1] is y and len(order) == len({id(node) for node in order})
    position = {id(node): index for index, node in enumerate(order)}
    assert all(position[id(parent)] < position[id(node)] for node in order for parent in node.parents)


def test_backward_through_a_very_deep_graph():
    x = Tensor(1.0)
    y = x
    for _ in range(5000):  # far deeper than Python's default recursion limit
        y = y + 0.001
    y.backward()
    assert x.grad == 1.0


def test_gradients_accumulate_until_zero_grad():
    w = Tensor([1.0, -2.0])
    for _ in range(2):
        (w * w).sum().backward()
    np.testing.assert_allclose(w.grad, 2 * 2 * w.data)
    w.zero_grad()
    np.testing.assert_array_equal(w.grad, [0.0, 0.0])


def test_plain_numbers_and_arrays_become_constants_on_either_side():
    t = Tensor([1.0, 2.0])
    for result in (t + 1, 1 + t, np.ones(2) * t, t * np.ones(2), np.ones(2) - t, np.ones((3, 2)) @ t):
        assert isinstance(result, Tensor)
    (np.array([3.0, 4.0]) * t).sum().backward()
    np.testing.assert_array_equal(t.grad, [3.0, 4.0])


def test_dtype_is_float64_by_default_and_kept_when_chosen():
    assert Tensor([1, 2]).data.dtype == np.float64
    single = Tensor([1.0, 2.0], dtype=np.float32)
    assert ((single * 2 + 1.5).exp().sum()).data.dtype == np.float32


def test_unbroadcast_sums_added_and_stretched_axes():
    gradient = np.ones((2, 3, 4))
    np.testing.assert_array_equal(unbroadcast(gradient, (4,)), np.full(4, 6.0))
    np.testing.assert_array_equal(unbroadcast(gradient, (3, 1)), np.full((3, 1), 8.0))
    assert unbroadcast(gradient, ()).shape == ()
    assert unbroadcast(gradient, (2, 3, 4)) is gradient


def test_clear_errors_on_bad_input():
    with pytest.raises(ValueError, match=r"matmul shape mismatch: \(3, 4\) @ \(3, 2\)"):
        Tensor(np.ones((3, 4))) @ Tensor(np.ones((3, 2)))
    with pytest.raises(ValueError, match="matmul shape mismatch"):
        Tensor(2.0) @ Tensor(np.ones(2))
    with pytest.raises(ValueError, match=r"needs a scalar output.*\(2, 3\)"):
        (Tensor(np.ones((2, 3))) * 2).backward()
    with pytest.raises(ValueError, match="gradient has shape"):
        Tensor(np.ones((2, 3))).backward(np.ones(3))
    with pytest.raises(TypeError, match="exponent"):
        Tensor(2.0) ** Tensor(3.0)
    with pytest.raises(TypeError, match="floating-point"):
        Tensor([1, 2], dtype=np.int64)
    logits = Tensor(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="integers"):
        cross_entropy(logits, [0.0, 1.0])
    with pytest.raises(ValueError, match="integers"):
        cross_entropy(logits, [0, 1, 2])
    with pytest.raises(ValueError, match=r"0\.\.2"):
        cross_entropy(logits, [0, 3])
    with pytest.raises(ValueError, match="examples, classes"):
        cross_entropy(Tensor(np.zeros(3)), [0, 1, 2])
