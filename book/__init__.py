"""The helpers every chapter of the book imports: data, text corpora, plotting, training loops,
seeding, and the from-scratch layers and autograd engine that several chapters build on.

``import book`` also applies the book's plotting style and quiets framework start-up logs, so
import it before PyTorch or TensorFlow.
"""

from .runtime import quiet_framework_logs, seed_all, tf_device, torch_device

quiet_framework_logs()

from . import autograd, data, gradcheck, landscapes, layers, ngram, plot, seq2seq, text, train  # noqa: E402  (logs must be quiet before any framework import)

plot.use_book_style()

__all__ = ["autograd", "data", "gradcheck", "landscapes", "layers", "ngram", "plot", "seq2seq", "text", "train", "seed_all", "torch_device", "tf_device"]
__version__ = "0.1.0"
