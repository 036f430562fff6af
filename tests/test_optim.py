"""The optimisers of book.layers.optim, step for step against torch.optim and Keras, and their errors."""

import numpy as np
import pytest

from book import layers

SHAPES = [(5, 3), (3,), (2, 2, 2)]
STEPS = 100


def float32_exact(value: float) -> float:
    """The float64 value of ``value`` rounded to float32, as Keras holds its learning rate and momentum."""
    return float(np.float32(value))


@pytest.fixture(scope="module")
def trajectory_inputs():
    """Starting parameters and a fixed sequence of gradients with scales from 1e-4 to 10."""
    rng = np.random.default_rng(0)
    start = [rng.normal(size=shape) for shape in SHAPES]
    grads = [[rng.normal(size=shape) * 10.0 ** rng.integers(-4, 2, size=shape) for shape in SHAPES]
             for _ in range(STEPS)]
    return start, grads


def run_ours(optimizer, start, grads):
    params = [array.copy() for array in start]
    for step_grads in grads:
        optimizer.step(params, step_grads)
    return params


def run_torch(make_optimizer, start, grads):
    torch = pytest.importorskip("torch")
    params = [torch.tensor(array, requires_grad=True) for array in start]
    optimizer = make_optimizer(params)
    for step_grads in grads:
        for param, grad in zip(params, step_grads):
            param.grad = torch.from_numpy(grad)
        optimizer.step()
    return [param.detach().numpy() for param in params]


def run_keras(optimizer, start, grads):
    keras = pytest.importorskip("keras")
    variables = [keras.Variable(array, dtype="float64") for array in start]
    for step_grads in grads:
        optimizer.apply([keras.ops.convert_to_tensor(grad) for grad in step_grads], variables)
    return [variable.numpy() for variable in variables]


def assert_same(ours, theirs, rtol=1e-12):
    for mine, other in zip(ours, theirs):
        np.testing.assert_allclose(mine, other, rtol=rtol, atol=rtol * np.abs(other).max())


TORCH_CASES = {
    "sgd": (lambda: layers.SGD(lr=0.1), lambda p, o: o.SGD(p, lr=0.1)),
    "momentum": (lambda: layers.SGD(lr=0.05, momentum=0.9, weight_decay=1e-2),
                 lambda p, o: o.SGD(p, lr=0.05, momentum=0.9, weight_decay=1e-2)),
    "nesterov": (lambda: layers.SGD(lr=0.05, momentum=0.9, nesterov=True),
                 lambda p, o: o.SGD(p, lr=0.05, momentum=0.9, nesterov=True)),
    "adagrad": (lambda: layers.Adagrad(), lambda p, o: o.Adagrad(p)),
    "adagrad-started": (lambda: layers.Adagrad(lr=0.5, eps=1e-6, initial_accumulator_value=0.1),
                        lambda p, o: o.Adagrad(p, lr=0.5, eps=1e-6, initial_accumulator_value=0.1)),
    "rmsprop": (lambda: layers.RMSprop(), lambda p, o: o.RMSprop(p)),
    "rmsprop-0.9": (lambda: layers.RMSprop(lr=1e-3, rho=0.9, eps=1e-6),
                    lambda p, o: o.RMSprop(p, lr=1e-3, alpha=0.9, eps=1e-6)),
    "adadelta": (lambda: layers.Adadelta(), lambda p, o: o.Adadelta(p)),
    "adam": (lambda: layers.Adam(), lambda p, o: o.Adam(p)),
    "adam-l2": (lambda: layers.Adam(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
                lambda p, o: o.Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    "adamw": (lambda: layers.AdamW(lr=0.01, weight_decay=0.1), lambda p, o: o.AdamW(p, lr=0.01, weight_decay=0.1)),
}


@pytest.mark.parametrize("case", TORCH_CASES)
def test_matches_torch_optim_for_many_steps(case, trajectory_inputs):
    torch = pytest.importorskip("torch")
    make_ours, make_theirs = TORCH_CASES[case]
    ours = run_ours(make_ours(), *trajectory_inputs)
    theirs = run_torch(lambda params: make_theirs(params, torch.optim), *trajectory_inputs)
    assert_same(ours, theirs)
    assert not np.allclose(ours[0], trajectory_inputs[0][0])  # the parameters did move


LR, MOMENTUM = float32_exact(0.1), float32_exact(0.9)
KERAS_CASES = {
    # Keras keeps the learning rate and the momentum in float32: our side gets the same rounded values.
    "momentum": (lambda: layers.SGD(lr=LR, momentum=MOMENTUM), lambda k: k.SGD(0.1, momentum=0.9)),
    "nesterov": (lambda: layers.SGD(lr=LR, momentum=MOMENTUM, nesterov=True),
                 lambda k: k.SGD(0.1, momentum=0.9, nesterov=True)),
    # Keras: lr·g / √(s + ε) with s starting at 0.1, i.e. ours with s starting at 0.1 + ε and no ε outside.
    "adagrad": (lambda: layers.Adagrad(lr=LR, eps=0.0, initial_accumulator_value=float32_exact(0.1) + 1e-7),
                lambda k: k.Adagrad(0.1)),
    # Keras puts ε inside the root; with ε = 0 the rules are the same.
    "rmsprop": (lambda: layers.RMSprop(lr=LR, rho=0.9, eps=0.0), lambda k: k.RMSprop(0.1, rho=0.9, epsilon=0.0)),
    "adadelta": (lambda: layers.Adadelta(rho=0.95, eps=1e-7), lambda k: k.Adadelta(1.0, rho=0.95, epsilon=1e-7)),
    # Keras adds ε to √v before the bias correction, and takes the βs of the correction in float32:
    # with ε = 0 and βs that float32 holds exactly, the rules are the same.
    "adam": (lambda: layers.Adam(lr=LR, betas=(0.875, 1 - 2**-10), eps=0.0),
             lambda k: k.Adam(0.1, beta_1=0.875, beta_2=1 - 2**-10, epsilon=0.0)),
    "adamw": (lambda: layers.AdamW(lr=LR, betas=(0.875, 1 - 2**-10), eps=0.0, weight_decay=float32_exact(0.05)),
              lambda k: k.AdamW(0.1, weight_decay=0.05, beta_1=0.875, beta_2=1 - 2**-10, epsilon=0.0)),
}


@pytest.mark.parametrize("case", KERAS_CASES)
def test_matches_keras_optimizers_for_many_steps(case, trajectory_inputs):
    keras = pytest.importorskip("keras")
    make_ours, make_theirs = KERAS_CASES[case]
    assert_same(run_ours(make_ours(), *trajectory_inputs),
                run_keras(make_theirs(keras.optimizers), *trajectory_inputs))


def test_adam_with_keras_default_epsilon_differs_only_where_gradients_are_tiny():
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(1)
    start = [np.ones(4), np.ones(4)]
    grads = [[rng.normal(size=4), 1e-6 * rng.normal(size=4)] for _ in range(50)]
    ours = run_ours(layers.Adam(lr=LR, betas=(0.875, 1 - 2**-10), eps=1e-7), start, grads)
    theirs = run_keras(keras.optimizers.Adam(0.1, beta_1=0.875, beta_2=1 - 2**-10, epsilon=1e-7), start, grads)
    assert_same(ours[:1], theirs[:1], rtol=1e-6)
    assert np.abs(ours[1] - theirs[1]).max() > 0.1  # ε is not small next to √v there


def test_optimiser_built_on_a_network_updates_its_arrays_in_place():
    network = layers.mlp([3, 4, 2], seed=0, dtype=np.float64)
    before = [array.copy() for _, array in network.params()]
    loss_fn = layers.SoftmaxCrossEntropy()
    optimizer = layers.Adam(network, lr=0.01)
    loss_fn.forward(network.forward(np.ones((2, 3))), np.array([0, 1]))
    network.backward(loss_fn.backward())
    optimizer.step()
    # The first Adam step moves every coordinate with a non-zero gradient by lr (m̂/√v̂ = ±1).
    for old, (_, new), (_, grad) in zip(before, network.params(), network.grads()):
        moved = grad != 0
        np.testing.assert_allclose(np.abs(new - old)[moved], 0.01, rtol=1e-5)
    assert set(optimizer.state) == set(range(len(before)))


def test_learning_rate_can_change_between_steps():
    param = np.zeros(1)
    optimizer = layers.SGD(lr=1.0)
    for lr in (1.0, 0.5, 0.25):
        optimizer.lr = lr
        optimizer.step([param], [np.ones(1)])
    assert param[0] == -1.75


def test_optimisers_reject_bad_settings_and_mismatched_inputs():
    with pytest.raises(ValueError, match="learning rate must be positive"):
        layers.Adam(lr=0)
    with pytest.raises(ValueError, match="momentum"):
        layers.SGD(lr=0.1, momentum=1.0)
    with pytest.raises(ValueError, match="Nesterov"):
        layers.SGD(lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="beta2"):
        layers.Adam(betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="rho"):
        layers.RMSprop(rho=-0.1)
    with pytest.raises(ValueError, match="eps must be positive"):
        layers.Adadelta(eps=0)
    optimizer = layers.RMSprop()
    with pytest.raises(ValueError, match="needs params and grads"):
        optimizer.step()
    with pytest.raises(ValueError, match="both"):
        optimizer.step([np.zeros(2)])
    with pytest.raises(ValueError, match="2 parameters but 1 gradients"):
        optimizer.step([np.zeros(2), np.zeros(3)], [np.zeros(2)])
    with pytest.raises(ValueError, match=r"shape \(2,\) but its gradient \(3,\)"):
        optimizer.step([np.zeros(2)], [np.zeros(3)])
    with pytest.raises(TypeError, match="floating-point"):
        optimizer.step([np.zeros(2, dtype=np.int64)], [np.zeros(2)])
    with pytest.raises(TypeError, match="NumPy arrays"):
        optimizer.step([[0.0, 1.0]], [np.zeros(2)])


def test_named_pairs_are_accepted_and_repr_shows_the_settings():
    param = np.ones(2)
    optimizer = layers.SGD(lr=0.5, momentum=0.9)
    optimizer.step([("w", param)], [("w", np.ones(2))])
    np.testing.assert_allclose(param, 0.5)
    assert repr(optimizer) == "SGD(lr=0.5, momentum=0.9, weight_decay=0)"


def test_sgd_weight_decay_shrinks_weights_but_not_biases_or_batch_norm_scale_and_shift():
    network = layers.Sequential(layers.Affine(np.ones((3, 4)), np.ones(4)), layers.BatchNorm1D(4),
                                layers.Conv2D(np.ones((2, 1, 3, 3)), np.ones(2)))
    named_params = network.params()
    zero_grads = [(name, np.zeros_like(array)) for name, array in named_params]
    before = {name: array.copy() for name, array in named_params}
    layers.SGD(lr=0.5, weight_decay=0.2).step(named_params, zero_grads)
    decayed = {name for name, array in named_params if not np.array_equal(array, before[name])}
    assert decayed == {"0.W", "2.W"}
    # With a zero gradient the step is the decay alone: θ ← (1 − lr·λ) θ.
    np.testing.assert_allclose(network[0].W, 0.9)
    np.testing.assert_allclose(network[2].W, 0.9)
    assert [name for name, _ in named_params if layers.optim.is_decayed(name)] == ["0.W", "2.W"]


def test_sgd_built_on_a_network_decays_the_weights_of_recurrent_layers_only():
    network = layers.Sequential(layers.RNN(np.ones((2, 3)), np.ones((3, 3)), np.ones(3)),
                                layers.LSTM(3, 4, rng=0, dtype=np.float64))
    before = [array.copy() for _, array in network.params()]
    for _, grad in network.grads():
        grad[...] = 0.0
    layers.SGD(network, lr=0.5, weight_decay=0.2).step()
    for (name, array), old in zip(network.params(), before):
        expected = 0.9 * old if name.split(".")[-1].startswith("W_") else old
        np.testing.assert_allclose(array, expected, err_msg=name)
    assert {name.split(".")[-1][0] for name, _ in network.params()} == {"W", "b"}


def test_arrays_without_names_are_all_decayed_as_in_torch():
    weight, bias = np.ones((2, 2)), np.ones(2)
    layers.SGD(lr=0.5, weight_decay=0.2).step([weight, bias], [np.zeros((2, 2)), np.zeros(2)])
    np.testing.assert_allclose(weight, 0.9)
    np.testing.assert_allclose(bias, 0.9)
