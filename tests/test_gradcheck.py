"""book.gradcheck catches a wrong gradient and passes a right one."""

import numpy as np
import pytest

from book.gradcheck import check_gradient, numerical_gradient, relative_error


def test_numerical_gradient_of_a_quadratic():
    x = np.array([1.0, -2.0, 3.0])
    np.testing.assert_allclose(numerical_gradient(lambda: float(np.sum(x**2)), x), 2 * x, rtol=1e-8)


def test_check_passes_a_right_gradient_and_fails_a_wrong_one():
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(4, 3)), rng.normal(size=(3, 2))
    loss = lambda: float(np.sum(np.tanh(x @ w)))  # noqa: E731
    right = x.T @ (1 - np.tanh(x @ w) ** 2)
    assert check_gradient(loss, w, right) < 1e-7
    with pytest.raises(AssertionError, match="relative error"):
        check_gradient(loss, w, right * 1.01)


def test_float32_is_refused_and_shapes_must_match():
    with pytest.raises(TypeError, match="float64"):
        numerical_gradient(lambda: 0.0, np.zeros(2, dtype=np.float32))
    with pytest.raises(ValueError, match="shapes"):
        relative_error(np.zeros(2), np.zeros(3))
    assert relative_error(np.zeros(2), np.zeros(2)) == 0.0
