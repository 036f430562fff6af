"""Plotting: one style for every figure, image grids, decision boundaries, training curves."""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

__all__ = [
    "use_book_style",
    "show_images",
    "plot_decision_boundary",
    "plot_history",
    "plot_confusion_matrix",
    "LiveCurves",
]

BOOK_STYLE = {
    "figure.figsize": (6.0, 4.0),
    "figure.dpi": 90,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.frameon": False,
    "image.cmap": "gray_r",
    "savefig.bbox": "tight",
}


def use_book_style() -> None:
    """Apply the book's matplotlib settings (``import book`` does this once)."""
    mpl.rcParams.update(BOOK_STYLE)


def show_images(
    images: np.ndarray,
    labels: Sequence[int] | None = None,
    class_names: Sequence[str] | None = None,
    *,
    predictions: Sequence[int] | None = None,
    ncols: int = 8,
    size: float = 1.2,
) -> plt.Figure:
    """A grid of grey images, titled with their class; wrong predictions are titled in red."""
    images = np.asarray(images)
    if images.ndim == 2:  # one flattened image per row
        side = int(round(np.sqrt(images.shape[1])))
        images = images.reshape(-1, side, side)
    if images.ndim != 3:
        raise ValueError(f"expected images of shape (n, h, w) or (n, h*w), got {images.shape}.")
    count = len(images)
    nrows = max(1, int(np.ceil(count / ncols)))
    fig, axes = plt.subplots(nrows, ncols, figsize=(ncols * size, nrows * (size + 0.25)), squeeze=False)
    for index, ax in enumerate(axes.flat):
        ax.axis("off")
        if index >= count:
            continue
        ax.imshow(images[index])
        if labels is None:
            continue
        name = class_names[labels[index]] if class_names is not None else str(labels[index])
        if predictions is None:
            ax.set_title(name, fontsize=8)
        else:
            guess = class_names[predictions[index]] if class_names is not None else str(predictions[index])
            wrong = predictions[index] != labels[index]
            ax.set_title(f"{guess}\n(true: {name})" if wrong else name, fontsize=7,
                         color="tab:red" if wrong else "black")
    fig.tight_layout()
    return fig


def plot_decision_boundary(
    predict: Callable[[np.ndarray], np.ndarray],
    points: np.ndarray,
    labels: np.ndarray,
    *,
    ax: plt.Axes | None = None,
    margin: float = 0.5,
    resolution: int = 200,
    title: str | None = None,
) -> plt.Axes:
    """Shade the plane by the class ``predict`` gives each point, and scatter the data on top.

    ``predict`` maps an array of shape (n, 2) to n class labels (or scores thresholded at 0.5).
    """
    points = np.asarray(points, dtype=float)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"points must have shape (n, 2), got {points.shape}.")
    ax = ax or plt.gca()
    low, high = points.min(axis=0) - margin, points.max(axis=0) + margin
    grid_x, grid_y = np.meshgrid(np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution))
    grid = np.column_stack([grid_x.ravel(), grid_y.ravel()])
    predicted = np.asarray(predict(grid), dtype=float).reshape(grid_x.shape)
    ax.contourf(grid_x, grid_y, predicted, levels=[-np.inf, 0.5, np.inf], colors=["#c6dbef", "#fdd0a2"], alpha=0.8)
    ax.contour(grid_x, grid_y, predicted, levels=[0.5], colors="k", linewidths=1)
    labels = np.asarray(labels).ravel()
    for value, marker, color in ((0, "o", "tab:blue"), (1, "s", "tab:orange")):
        chosen = labels == value
        ax.scatter(points[chosen, 0], points[chosen, 1], marker=marker, c=color, edgecolors="k", s=60,
                   label=f"class {value}", zorder=3)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)
    return ax


def _draw_history(axes: Sequence[plt.Axes], history: Mapping[str, Sequence[float]]) -> None:
    """Losses on the left axes, everything else (accuracies) on the right."""
    for ax in axes:
        ax.clear()
    for name, values in history.items():
        if name == "epoch":
            continue
        ax = axes[0] if "loss" in name else axes[1]
        ax.plot(range(1, len(values) + 1), values, marker="o", label=name)
    for ax, ylabel in zip(axes, ("loss", "accuracy")):
        ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
        ax.set_xlabel("epoch")
        ax.set_ylabel(ylabel)
        if ax.has_data():
            ax.legend()


def plot_history(history: Mapping[str, Sequence[float]]) -> plt.Figure:
    """Loss and accuracy per epoch from a history such as :class:`book.train.History`."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
    _draw_history(axes, history)
    fig.tight_layout()
    return fig


class LiveCurves:
    """Training curves that redraw in place in the notebook after every epoch.

    On the published site (and in any non-interactive run) the last drawing is what remains.
    """

    def __init__(self) -> None:
        from IPython.display import display

        self.figure, self.axes = plt.subplots(1, 2, figsize=(10, 3.5))
        plt.close(self.figure)  # drawn through the display handle only, not again by inline
        self.handle = display(self.figure, display_id=True)

    def update(self, history: Mapping[str, Sequence[float]]) -> None:
        _draw_history(self.axes, history)
        self.figure.tight_layout()
        if self.handle is not None:
            self.handle.update(self.figure)


def plot_confusion_matrix(matrix: np.ndarray, class_names: Sequence[str], *, ax: plt.Axes | None = None) -> plt.Axes:
    """Counts of (true class, predicted class), with each cell written in."""
    matrix = np.asarray(matrix)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 5.5))
    image = ax.imshow(matrix, cmap="Blues")
    ax.figure.colorbar(image, ax=ax, fraction=0.046)
    ticks = np.arange(len(class_names))
    ax.set_xticks(ticks, class_names, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(ticks, class_names, fontsize=8)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.grid(False)
    threshold = matrix.max() / 2
    for (row, col), count in np.ndenumerate(matrix):
        ax.text(col, row, int(count), ha="center", va="center", fontsize=7,
                color="white" if count > threshold else "black")
    return ax
