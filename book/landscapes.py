"""Two-dimensional loss surfaces for watching optimisers move, and the path an optimiser takes on one.

Each :class:`Surface` knows its value, its gradient (written out by hand, checked in the tests
against finite differences), a region worth plotting, a starting point that shows the surface's
difficulty, and its minimum if it has one::

    from book import landscapes, layers
    surface = landscapes.rosenbrock()
    path = landscapes.trajectory(layers.Adam(lr=0.1), surface, steps=200)   # (201, 2)
    landscapes.plot_paths(surface, {"Adam": path})
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

__all__ = ["Surface", "ill_conditioned_quadratic", "rosenbrock", "saddle", "trajectory", "plot_paths"]


@dataclass(frozen=True)
class Surface:
    """f(x, y) and its gradient; both take arrays whose last axis holds (x, y)."""

    name: str
    formula: str
    value: Callable[[np.ndarray], np.ndarray]
    gradient: Callable[[np.ndarray], np.ndarray]
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    start: tuple[float, float]
    minimum: tuple[float, float] | None = None

    def __call__(self, point) -> np.ndarray:
        return self.value(np.asarray(point, dtype=np.float64))


def _split(point: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    point = np.asarray(point, dtype=np.float64)
    if point.shape[-1:] != (2,):
        raise ValueError(f"a point on a surface has two coordinates (last axis of size 2), got shape {point.shape}.")
    return point[..., 0], point[..., 1]


def ill_conditioned_quadratic(condition: float = 20.0) -> Surface:
    """f = (x² + κy²)/2: curvature κ times larger along y than along x, a long narrow valley.

    Gradient descent must take lr < 2/κ to stay stable along y, and then crawls along x.
    """
    if condition < 1:
        raise ValueError(f"the condition number is at least 1, got {condition}.")

    def value(point):
        x, y = _split(point)
        return 0.5 * (x**2 + condition * y**2)

    def gradient(point):
        x, y = _split(point)
        return np.stack([x, condition * y], axis=-1)

    return Surface(f"quadratic, condition number {condition:g}", f"(x² + {condition:g}y²)/2",
                   value, gradient, xlim=(-11, 11), ylim=(-3, 3), start=(-10.0, 2.0), minimum=(0.0, 0.0))


def rosenbrock(a: float = 1.0, b: float = 100.0) -> Surface:
    """Rosenbrock's banana: f = (a − x)² + b(y − x²)², a curved valley whose floor falls slowly to (a, a²)."""

    def value(point):
        x, y = _split(point)
        return (a - x) ** 2 + b * (y - x**2) ** 2

    def gradient(point):
        x, y = _split(point)
        return np.stack([-2 * (a - x) - 4 * b * x * (y - x**2), 2 * b * (y - x**2)], axis=-1)

    return Surface("Rosenbrock function", f"({a:g} − x)² + {b:g}(y − x²)²", value, gradient,
                   xlim=(-2.0, 2.0), ylim=(-1.0, 3.0), start=(-1.5, 2.0), minimum=(a, a**2))


def saddle() -> Surface:
    """f = x² − y²: a minimum along x, a maximum along y, and a flat point at the origin.

    The start lies a hair off the ridge, where the gradient along y is almost zero.
    """

    def value(point):
        x, y = _split(point)
        return x**2 - y**2

    def gradient(point):
        x, y = _split(point)
        return np.stack([2 * x, -2 * y], axis=-1)

    return Surface("saddle", "x² − y²", value, gradient, xlim=(-2.0, 2.0), ylim=(-2.0, 2.0), start=(1.5, 1e-3))


def trajectory(optimizer, surface: Surface, start=None, steps: int = 100) -> np.ndarray:
    """The points an optimiser of ``book.layers`` visits from ``start``: an array (steps + 1, 2).

    Stops early (the array is then shorter) if the point leaves a box ten times the plotted
    region, so a diverging run does not overflow.
    """
    if steps < 0:
        raise ValueError(f"steps must be non-negative, got {steps}.")
    point = np.array(surface.start if start is None else start, dtype=np.float64)
    _split(point)
    limit = 10 * max(map(abs, surface.xlim + surface.ylim))
    path = [point.copy()]
    for _ in range(steps):
        optimizer.step([point], [surface.gradient(point)])
        path.append(point.copy())
        if not np.all(np.abs(point) < limit):
            break
    return np.array(path)


def plot_paths(surface: Surface, paths: Mapping[str, np.ndarray], *, ax: plt.Axes | None = None,
               levels: int = 30, legend: bool = True) -> plt.Axes:
    """Contours of the surface with each path drawn over them, start and (if any) minimum marked."""
    ax = ax or plt.figure(figsize=(6, 4.5)).gca()
    xs = np.linspace(*surface.xlim, 300)
    ys = np.linspace(*surface.ylim, 300)
    grid = np.stack(np.meshgrid(xs, ys), axis=-1)
    heights = surface(grid)
    # Levels spaced evenly in a compressed scale, so the valley floor and the walls both get contours.
    shifted = heights - heights.min()
    contour_levels = heights.min() + np.linspace(0, np.sqrt(shifted.max()), levels) ** 2
    ax.contour(xs, ys, heights, levels=contour_levels, colors="0.75", linewidths=0.6)
    for label, path in paths.items():
        ax.plot(path[:, 0], path[:, 1], ".-", markersize=2.5, linewidth=1, label=label)
    ax.plot(*surface.start, "ko", markersize=4)
    if surface.minimum is not None:
        ax.plot(*surface.minimum, "k*", markersize=10)
    ax.set(xlim=surface.xlim, ylim=surface.ylim, xlabel="x", ylabel="y", title=f"{surface.name}: {surface.formula}")
    ax.grid(False)
    if legend and paths:
        ax.legend(fontsize=8, loc="best")
    return ax
