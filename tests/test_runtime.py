"""book.runtime: one call makes NumPy, PyTorch and TensorFlow repeat themselves."""

import random

import numpy as np
import pytest

import book


def draw_everything():
    import tensorflow as tf
    import torch

    return (random.random(), np.random.rand(), torch.rand(1).item(), float(tf.random.uniform(())))


def test_seed_all_makes_every_generator_repeat():
    import tensorflow  # noqa: F401  (seed_all seeds the frameworks that are imported)
    import torch  # noqa: F401

    book.seed_all(3)
    first = draw_everything()
    book.seed_all(3)
    assert draw_everything() == first
    book.seed_all(4)
    assert draw_everything() != first


@pytest.mark.parametrize("seed", [-1, 1.5, "0"])
def test_seed_all_rejects_what_is_not_a_seed(seed):
    with pytest.raises(ValueError, match="seed"):
        book.seed_all(seed)


def test_devices_fall_back_to_the_cpu():
    assert str(book.torch_device(prefer_gpu=False)) == "cpu"
    assert book.tf_device(prefer_gpu=False) == "/CPU:0"
    assert str(book.torch_device()) in {"cpu", "cuda", "mps"}
