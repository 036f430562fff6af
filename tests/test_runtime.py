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


def test_a_chapter_start_prints_nothing_to_stderr(monkeypatch):
    """TensorFlow's start-up notices do not reach a notebook as a red stderr box; real errors do."""
    import nbformat
    from nbclient import NotebookClient

    # ipykernel forwards what C++ code writes to the process's stderr only outside pytest.
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)

    cells = [
        "import book\nimport torch\nimport tensorflow as tf\nfrom tensorflow import keras\nbook.seed_all(0)",
        "keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])(tf.zeros((1, 3))).shape",
        "import sys\nprint('a genuine message', file=sys.stderr)",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells])
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    stderr = [[output.text for output in cell.outputs if output.get("name") == "stderr"] for cell in notebook.cells]
    assert stderr[:2] == [[], []], stderr
    assert "a genuine message" in "".join(stderr[2])


def test_tensorflow_start_up_notices_are_filtered_and_other_lines_kept():
    from book import runtime

    lines = [
        "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n",
        "I0000 00:00:1.0  1 port.cc:153] oneDNN custom operations are on. You may see slightly different...\n",
        "E0000 something went wrong\n",
    ]
    assert [line for line in lines if not runtime._START_UP_NOTICES.search(line)] == [lines[2]]
