"""The 2-D surfaces: gradients against finite differences, minima, trajectories and their errors."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from book import landscapes, layers

SURFACES = [landscapes.ill_conditioned_quadratic(), landscapes.ill_conditioned_quadratic(5),
            landscapes.rosenbrock(), landscapes.saddle()]


@pytest.mark.parametrize("surface", SURFACES, ids=lambda surface: surface.name)
def test_gradient_matches_finite_differences(surface):
    points = np.random.default_rng(0).uniform(-2, 2, size=(20, 2))
    h = 1e-6
    for point in points:
        numeric = [(surface(point + h * e) - surface(point - h * e)) / (2 * h) for e in np.eye(2)]
        np.testing.assert_allclose(surface.gradient(point), numeric, rtol=1e-6, atol=1e-6)
    # Vectorised over a grid: the same values as point by point.
    np.testing.assert_allclose(surface.gradient(points), np.array([surface.gradient(p) for p in points]))


@pytest.mark.parametrize("surface", [s for s in SURFACES if s.minimum is not None], ids=lambda s: s.name)
def test_minimum_is_stationary_and_lowest_nearby(surface):
    minimum = np.array(surface.minimum)
    np.testing.assert_allclose(surface.gradient(minimum), 0, atol=1e-12)
    nearby = minimum + np.random.default_rng(1).normal(scale=0.1, size=(50, 2))
    assert np.all(surface(nearby) > surface(minimum))


def test_gradient_descent_reaches_the_quadratic_minimum_and_stalls_at_the_saddle():
    quadratic = landscapes.ill_conditioned_quadratic(20)
    path = landscapes.trajectory(layers.SGD(lr=0.09), quadratic, steps=300)
    assert path.shape == (301, 2) and np.linalg.norm(path[-1]) < 1e-3
    saddle = landscapes.saddle()
    stuck = landscapes.trajectory(layers.SGD(lr=0.05), saddle, steps=40)
    assert abs(stuck[-1, 1]) < 0.1 and abs(stuck[-1, 0]) < 0.05  # x has nearly converged, y has barely moved
    escaped = landscapes.trajectory(layers.Adam(lr=0.1), saddle, steps=40)
    assert abs(escaped[-1, 1]) > 1


def test_diverging_run_stops_early_and_bad_input_is_reported():
    quadratic = landscapes.ill_conditioned_quadratic(20)
    path = landscapes.trajectory(layers.SGD(lr=0.2), quadratic, steps=1000)  # lr > 2/20: unstable along y
    assert len(path) < 1001 and np.all(np.isfinite(path))
    with pytest.raises(ValueError, match="two coordinates"):
        quadratic([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="non-negative"):
        landscapes.trajectory(layers.SGD(lr=0.1), quadratic, steps=-1)
    with pytest.raises(ValueError, match="condition number"):
        landscapes.ill_conditioned_quadratic(0.5)


def test_plot_paths_draws_one_line_per_path():
    surface = landscapes.rosenbrock()
    paths = {"SGD": landscapes.trajectory(layers.SGD(lr=1e-3), surface, steps=20),
             "Adam": landscapes.trajectory(layers.Adam(lr=0.1), surface, steps=20)}
    ax = landscapes.plot_paths(surface, paths)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[:2] == ["SGD", "Adam"]
    assert ax.get_xlim() == surface.xlim
