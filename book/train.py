"""Small training loops for PyTorch and Keras, with progress bars, a history and evaluation."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Literal

import numpy as np
from tqdm.auto import tqdm

if TYPE_CHECKING:
    import tensorflow as tf
    import torch

__all__ = ["History", "accuracy", "confusion_matrix", "fit_torch", "fit_steps", "evaluate_torch", "predict_torch",
           "random_horizontal_flip", "fit_keras", "ProgressBar"]


class History(dict):
    """Metric name → one value per epoch, e.g. ``history["val_accuracy"][-1]``."""

    def record(self, **metrics: float) -> None:
        for name, value in metrics.items():
            self.setdefault(name, []).append(float(value))

    @property
    def epochs(self) -> int:
        return max((len(values) for values in self.values()), default=0)


def accuracy(labels: np.ndarray, predictions: np.ndarray) -> float:
    """Fraction of predictions equal to the labels."""
    labels, predictions = np.asarray(labels), np.asarray(predictions)
    if labels.shape != predictions.shape:
        raise ValueError(f"labels {labels.shape} and predictions {predictions.shape} differ in shape.")
    if labels.size == 0:
        raise ValueError("accuracy of an empty set is undefined.")
    return float(np.mean(labels == predictions))


def confusion_matrix(labels: np.ndarray, predictions: np.ndarray, num_classes: int) -> np.ndarray:
    """``matrix[true, predicted]`` counts; rows sum to the class sizes."""
    labels, predictions = np.asarray(labels, dtype=np.int64), np.asarray(predictions, dtype=np.int64)
    if labels.shape != predictions.shape:
        raise ValueError(f"labels {labels.shape} and predictions {predictions.shape} differ in shape.")
    for name, values in (("labels", labels), ("predictions", predictions)):
        if values.size and (values.min() < 0 or values.max() >= num_classes):
            raise ValueError(f"{name} must lie in 0..{num_classes - 1}.")
    return np.bincount(labels * num_classes + predictions, minlength=num_classes**2).reshape(num_classes, num_classes)


# ---------------------------------------------------------------------------------------------
# PyTorch
# ---------------------------------------------------------------------------------------------


def _batches(loader, description: str, progress: bool) -> Iterator:
    """The batches of one epoch, with a bar that goes when the epoch ends. Not when the site is
    built (``BOOK_BUILDING_SITE=1``, set by ``python -m book build``): a static page keeps the
    space of every bar that ever showed, so only the epochs' bar is drawn there."""
    transient = progress and os.environ.get("BOOK_BUILDING_SITE") != "1"
    return iter(tqdm(loader, desc=description, leave=False, disable=not transient))


def evaluate_torch(model: "torch.nn.Module", loader, loss_fn: Callable | None = None,
                   device: "torch.device | str" = "cpu") -> dict[str, float]:
    """Mean loss (when ``loss_fn`` is given) and accuracy of ``model`` over ``loader``."""
    import torch

    if loss_fn is None:
        loss_fn = torch.nn.functional.cross_entropy
    model.eval()
    total_loss, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for inputs, targets in loader:
            inputs, targets = inputs.to(device), targets.to(device)
            outputs = model(inputs)
            total_loss += loss_fn(outputs, targets).item() * len(targets)
            correct += (outputs.argmax(dim=1) == targets).sum().item()
            count += len(targets)
    return {"loss": total_loss / count, "accuracy": correct / count}


def predict_torch(model: "torch.nn.Module", loader, device: "torch.device | str" = "cpu") -> np.ndarray:
    """Predicted classes for every example of ``loader``, in order."""
    import torch

    model.eval()
    with torch.no_grad():
        return np.concatenate([model(inputs.to(device)).argmax(dim=1).cpu().numpy() for inputs, _ in loader])


def random_horizontal_flip(inputs: "torch.Tensor", generator: "torch.Generator | None" = None,
                           probability: float = 0.5) -> "torch.Tensor":
    """Mirror each image of a batch left to right with ``probability``; a new tensor is returned.

    ``inputs`` has shape ``(n, ..., width)``, e.g. ``(n, channels, height, width)``. The coin
    flips come from ``generator`` (the global one when ``None``), so a seeded generator makes the
    flips repeatable. Suits data whose classes look the same mirrored (clothes, not digits).
    """
    import torch

    if not 0.0 <= probability <= 1.0:
        raise ValueError(f"probability must lie in [0, 1], got {probability}.")
    coins = torch.rand(len(inputs), generator=generator, device=None if generator is None else generator.device)
    mask = (coins < probability).to(inputs.device).view(-1, *([1] * (inputs.dim() - 1)))
    return torch.where(mask, inputs.flip(-1), inputs)


def fit_torch(
    model: "torch.nn.Module",
    train_loader,
    *,
    epochs: int,
    optimizer: "torch.optim.Optimizer",
    loss_fn: Callable | None = None,
    validation_loader=None,
    device: "torch.device | str" = "cpu",
    scheduler=None,
    scheduler_step: Literal["epoch", "batch"] = "epoch",
    augment: Callable[["torch.Tensor"], "torch.Tensor"] | None = None,
    live_plot: bool = False,
    progress: bool = True,
) -> History:
    """Train ``model`` for ``epochs`` passes over ``train_loader``; return the per-epoch history.

    The loop is the textbook one: forward, loss, ``zero_grad``, ``backward``, ``step``.

    A ``scheduler`` is stepped once per epoch by default, which suits epoch-based schedules such
    as ``StepLR`` or ``CosineAnnealingLR``. Schedules defined over optimiser steps, such as
    ``OneCycleLR`` (whose ``total_steps`` is epochs × batches per epoch), need
    ``scheduler_step="batch"``: the scheduler is then stepped after every ``optimizer.step()``.

    ``augment`` maps each batch of training inputs to a new batch (e.g.
    :func:`random_horizontal_flip`) before the forward pass; validation inputs are left alone.
    The reported training accuracy is measured on the augmented batches.
    """
    import torch

    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}.")
    if scheduler_step not in ("epoch", "batch"):
        raise ValueError(f'scheduler_step must be "epoch" or "batch", got {scheduler_step!r}.')
    loss_fn = loss_fn or torch.nn.functional.cross_entropy
    model.to(device)
    history = History()
    curves = _live_curves() if live_plot else None
    for epoch in tqdm(range(1, epochs + 1), desc="epochs", disable=not progress):
        model.train()
        total_loss, correct, count = 0.0, 0, 0
        for inputs, targets in _batches(train_loader, f"epoch {epoch}", progress):
            inputs, targets = inputs.to(device), targets.to(device)
            if augment is not None:
                inputs = augment(inputs)
            outputs = model(inputs)
            loss = loss_fn(outputs, targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if scheduler is not None and scheduler_step == "batch":
                scheduler.step()
            total_loss += loss.item() * len(targets)
            correct += (outputs.argmax(dim=1) == targets).sum().item()
            count += len(targets)
        if scheduler is not None and scheduler_step == "epoch":
            scheduler.step()
        metrics = {"loss": total_loss / count, "accuracy": correct / count}
        if validation_loader is not None:
            scores = evaluate_torch(model, validation_loader, loss_fn, device)
            metrics.update(val_loss=scores["loss"], val_accuracy=scores["accuracy"])
        history.record(**metrics)
        if curves is not None:
            curves.update(history)
    return history


def fit_steps(
    model: "torch.nn.Module",
    batches: Iterable,
    *,
    steps: int,
    optimizer: "torch.optim.Optimizer",
    ignore_index: int = -100,
    clip_norm: float | None = None,
    progress: bool = True,
) -> list[float]:
    """Train ``model`` for ``steps`` optimiser steps with a cross-entropy loss; return every step's loss.

    Made for sequence models, which train on batches drawn at random, as many as needed, rather
    than in epochs. ``batches`` yields ``(inputs, targets)`` and may be endless: ``inputs`` is a
    tuple of the model's arguments (``(tokens,)``, or ``(vectors, previous_tokens)`` for a
    decoder), ``model(*inputs)`` returns logits of shape ``(..., classes)``, and ``targets``
    holds the class of each prediction, shape ``(...)``: one per sequence (many-to-one) or one
    per time step (language models, taggers, decoders). The loss is the mean cross-entropy over
    all predictions whose target is not ``ignore_index`` (use the padding token's id).
    ``clip_norm`` rescales the gradient to at most that norm before each step (gradient clipping).
    """
    import torch

    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}.")
    model.train()
    batch_iterator = iter(batches)
    losses: list[float] = []
    for _ in tqdm(range(steps), desc="steps", disable=not progress):
        try:
            inputs, targets = next(batch_iterator)
        except StopIteration:
            raise ValueError(f"batches ran out after {len(losses)} of {steps} steps.") from None
        if not isinstance(inputs, tuple):
            raise TypeError(f"inputs must be a tuple of the model's arguments, e.g. (tokens,), got {type(inputs).__name__}.")
        logits = model(*inputs)
        loss = torch.nn.functional.cross_entropy(logits.flatten(0, -2), targets.flatten(), ignore_index=ignore_index)
        optimizer.zero_grad()
        loss.backward()
        if clip_norm is not None:
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip_norm)
        optimizer.step()
        losses.append(loss.item())
    return losses


def _live_curves():
    from .plot import LiveCurves

    return LiveCurves()


# ---------------------------------------------------------------------------------------------
# Keras
# ---------------------------------------------------------------------------------------------


def ProgressBar(epochs: int, live_plot: bool = False) -> "tf.keras.callbacks.Callback":
    """A Keras callback: a tqdm bar over epochs (and live curves), instead of Keras's own log."""
    import tensorflow as tf

    class _ProgressBar(tf.keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.bar = tqdm(total=epochs, desc="epochs")
            self.history = History()
            self.curves = _live_curves() if live_plot else None

        def on_epoch_end(self, epoch, logs=None):
            self.history.record(**(logs or {}))
            self.bar.set_postfix({name: f"{value:.3f}" for name, value in (logs or {}).items()})
            self.bar.update(1)
            if self.curves is not None:
                self.curves.update(self.history)

        def on_train_end(self, logs=None):
            self.bar.close()

    return _ProgressBar()


def fit_keras(model: "tf.keras.Model", train_data, *, epochs: int, validation_data=None,
              live_plot: bool = False, callbacks: list | None = None, batch_size: int | None = None) -> History:
    """``model.fit`` with the book's progress bar; returns the same kind of history as PyTorch.

    ``train_data`` is a ``tf.data.Dataset`` of (inputs, labels) batches or a tuple of arrays
    ``(inputs, labels)``, which Keras then batches (``batch_size``) and shuffles every epoch.
    """
    import tensorflow as tf

    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}.")
    progress = ProgressBar(epochs, live_plot=live_plot)
    # A tf.data pipeline shuffles itself (book.data.tf_dataset); Keras shuffles only arrays.
    inputs, labels = train_data if isinstance(train_data, tuple) else (train_data, None)
    model.fit(inputs, labels, batch_size=batch_size, epochs=epochs, validation_data=validation_data, verbose=0,
              shuffle=not isinstance(train_data, tf.data.Dataset), callbacks=[progress, *(callbacks or [])])
    return progress.history
