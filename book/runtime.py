"""Reproducibility and hardware: seed every random number generator in one call, pick a device."""

from __future__ import annotations

import logging
import os
import random
import sys
import warnings

import numpy as np

__all__ = ["seed_all", "torch_device", "tf_device", "quiet_framework_logs"]


def quiet_framework_logs() -> None:
    """Silence TensorFlow's start-up notices (CPU features, oneDNN) that are not part of a lesson.

    Must run before TensorFlow is imported; ``import book`` calls it.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message=r".*`tf\.compat\.v1\..*", category=DeprecationWarning)


def seed_all(seed: int = 0) -> int:
    """Seed Python, NumPy and every deep learning framework already imported.

    Import PyTorch or TensorFlow *before* calling this, so that their generators are seeded too.
    Returns the seed, which makes ``SEED = seed_all(0)`` read well at the top of a notebook.
    """
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}.")
    os.environ["PYTHONHASHSEED"] = str(seed)  # for worker processes started later
    random.seed(seed)
    np.random.seed(seed)
    if "torch" in sys.modules:
        sys.modules["torch"].manual_seed(seed)
    if "tensorflow" in sys.modules:
        sys.modules["tensorflow"].random.set_seed(seed)
        # Importing TensorFlow in a kernel resets its logger to INFO: quiet it again.
        logging.getLogger("tensorflow").setLevel(logging.ERROR)
    return seed


def torch_device(prefer_gpu: bool = True) -> "torch.device":  # noqa: F821
    """The GPU when there is one (CUDA, or Apple's MPS), else the CPU."""
    import torch

    if prefer_gpu and torch.cuda.is_available():
        return torch.device("cuda")
    if prefer_gpu and getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def tf_device(prefer_gpu: bool = True) -> str:
    """A TensorFlow device name for ``tf.device(...)``: the first GPU if any, else the CPU."""
    import tensorflow as tf

    if prefer_gpu and tf.config.list_physical_devices("GPU"):
        return "/GPU:0"
    return "/CPU:0"
