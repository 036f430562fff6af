"""Reproducibility and hardware: seed every random number generator in one call, pick a device."""

from __future__ import annotations

import importlib.abc
import logging
import os
import random
import re
import sys
import tempfile
import warnings

import numpy as np

__all__ = ["seed_all", "torch_device", "tf_device", "quiet_framework_logs"]


# What TensorFlow's C++ core writes to the process's stderr while it loads, whatever
# TF_CPP_MIN_LOG_LEVEL says: a notice that its oneDNN kernels are on, and absl's note that logs
# come before its logging is set up. Turning oneDNN off (TF_ENABLE_ONEDNN_OPTS=0) would silence
# the notice too, but slows convolutional training on CPUs by 15-40%.
_START_UP_NOTICES = re.compile(r"oneDNN custom operations are on|All log messages before absl::InitializeLog")


def quiet_framework_logs() -> None:
    """Silence TensorFlow's start-up notices (CPU features, oneDNN) that are not part of a lesson.

    Must run before TensorFlow is imported; ``import book`` calls it.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message=r".*`tf\.compat\.v1\..*", category=DeprecationWarning)
    if not any(isinstance(finder, _QuietTensorFlowImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _QuietTensorFlowImport())


class _QuietTensorFlowImport(importlib.abc.MetaPathFinder):
    """Imports ``tensorflow`` with the process's stderr captured, then passes on all but the notices."""

    def find_spec(self, name, path=None, target=None):
        if name != "tensorflow":
            return None
        for finder in sys.meta_path:
            if finder is not self and hasattr(finder, "find_spec"):
                spec = finder.find_spec(name, path, target)
                if spec is not None and spec.loader is not None:
                    spec.loader = _FilteredStderrLoader(spec.loader)
                    return spec
        return None


class _FilteredStderrLoader(importlib.abc.Loader):
    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        sys.stderr.flush()
        saved = os.dup(2)
        with tempfile.TemporaryFile() as captured:
            os.dup2(captured.fileno(), 2)
            try:
                self.loader.exec_module(module)
            finally:
                os.dup2(saved, 2)
                os.close(saved)
                captured.seek(0)
                text = captured.read().decode(errors="replace")
                kept = [line for line in text.splitlines(keepends=True) if not _START_UP_NOTICES.search(line)]
                if kept:
                    sys.stderr.write("".join(kept))


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
