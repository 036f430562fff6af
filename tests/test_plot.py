"""book.plot: figures are drawn from the right data, and bad shapes are refused."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from book import plot  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_image_grid_titles_and_marks_wrong_predictions_in_red():
    images = np.zeros((3, 4, 4))
    fig = plot.show_images(images, labels=[0, 1, 1], class_names=["cat", "dog"], predictions=[0, 0, 1], ncols=2)
    titled = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in titled] == ["cat", "cat\n(true: dog)", "dog"]
    assert matplotlib.colors.same_color(titled[1].title.get_color(), "tab:red")
    assert len(fig.axes) == 4  # a 2×2 grid, the last cell left empty


def test_image_grid_accepts_flat_rows_and_rejects_other_shapes():
    fig = plot.show_images(np.zeros((2, 16)))
    assert fig.axes[0].images[0].get_array().shape == (4, 4)
    with pytest.raises(ValueError, match="shape"):
        plot.show_images(np.zeros((2, 3, 4, 5)))


def test_decision_boundary_shades_by_the_prediction():
    points = np.array([[0, 0], [1, 1]])
    ax = plot.plot_decision_boundary(lambda grid: grid[:, 0] > 0.5, points, np.array([0, 1]), resolution=50)
    assert len(ax.collections) >= 3  # the filled regions, the boundary and two scatters
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        plot.plot_decision_boundary(lambda grid: grid[:, 0], np.zeros((3, 3)), np.zeros(3))


def test_history_plot_puts_losses_left_and_accuracies_right():
    fig = plot.plot_history({"loss": [1.0, 0.5], "val_loss": [1.1, 0.7], "accuracy": [0.6, 0.8]})
    left, right = fig.axes
    assert [line.get_label() for line in left.lines] == ["loss", "val_loss"]
    np.testing.assert_array_equal(right.lines[0].get_ydata(), [0.6, 0.8])


def test_live_curves_redraw_in_place():
    curves = plot.LiveCurves()
    curves.update({"loss": [1.0]})
    curves.update({"loss": [1.0, 0.4]})
    assert len(curves.axes[0].lines) == 1
    np.testing.assert_array_equal(curves.axes[0].lines[0].get_ydata(), [1.0, 0.4])


def test_confusion_matrix_writes_every_count():
    ax = plot.plot_confusion_matrix(np.array([[5, 1], [0, 4]]), ["a", "b"])
    assert sorted(text.get_text() for text in ax.texts) == ["0", "1", "4", "5"]
