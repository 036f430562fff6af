"""Shared test settings: no downloads, no windows, and small IDX files made on the fly."""

import gzip
import os
from pathlib import Path

import numpy as np
import pytest

# Set before any notebook kernel starts: kernels inherit the environment of this process.
os.environ["BOOK_DOWNLOAD"] = "0"
os.environ.setdefault("MPLBACKEND", "Agg")


def idx_bytes(array: np.ndarray) -> bytes:
    """Encode an unsigned-byte array as an IDX file."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_idx(path: Path, array: np.ndarray, compress: bool = True) -> Path:
    payload = idx_bytes(array)
    path.write_bytes(gzip.compress(payload) if compress else payload)
    return path


@pytest.fixture
def tiny_idx_dataset(tmp_path):
    """A DatasetSpec for four small, valid IDX files in tmp_path (12 train and 6 test images)."""
    from book import data

    rng = np.random.default_rng(0)
    arrays = {
        "train_images": rng.integers(0, 256, (12, 4, 4)),
        "train_labels": np.arange(12) % 3,
        "test_images": rng.integers(0, 256, (6, 4, 4)),
        "test_labels": np.arange(6) % 3,
    }
    files = {}
    folder = tmp_path / "tiny"
    folder.mkdir()
    for key, array in arrays.items():
        name = key.replace("_", "-") + "-idx"
        write_idx(folder / f"{name}.gz", array)
        files[key] = data.IdxFileSpec(name, array.shape, gz_md5="0" * 32)
    spec = data.DatasetSpec(name="tiny", class_names=("a", "b", "c"), files=files, mirrors=())
    return spec, folder, arrays

