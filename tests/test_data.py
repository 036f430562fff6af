"""book.data: IDX parsing, where files are found, verified downloads, splits and adapters."""

import gzip
import hashlib
import io
import os
from pathlib import Path

import numpy as np
import pytest

from book import data
from conftest import idx_bytes, write_idx


def load_tiny(spec, folder, **options):
    return data.load_idx_dataset(spec, validation_size=2, data_dir=folder, **options)


# --- IDX format ------------------------------------------------------------------------------


def test_reads_plain_and_gzip_idx_files(tmp_path):
    array = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    for compress in (True, False):
        path = write_idx(tmp_path / f"file{compress}", array, compress=compress)
        np.testing.assert_array_equal(data.read_idx(path), array)


def test_rejects_a_bad_magic_number(tmp_path):
    path = tmp_path / "bad"
    path.write_bytes(b"\x12\x34\x08\x01" + (3).to_bytes(4, "big") + b"abc")
    with pytest.raises(data.IdxFormatError, match="bad magic number"):
        data.read_idx(path)


def test_rejects_a_truncated_file(tmp_path):
    payload = idx_bytes(np.zeros((5, 4, 4)))
    path = tmp_path / "short"
    path.write_bytes(payload[:-7])
    with pytest.raises(data.IdxFormatError, match="truncated"):
        data.read_idx(path)


def test_rejects_extra_bytes(tmp_path):
    path = tmp_path / "long"
    path.write_bytes(idx_bytes(np.zeros((2, 2))) + b"\0")
    with pytest.raises(data.IdxFormatError, match="truncated or damaged"):
        data.read_idx(path)


def test_rejects_a_cut_gzip_stream(tmp_path):
    compressed = gzip.compress(idx_bytes(np.arange(4000) % 256))
    path = tmp_path / "cut.gz"
    path.write_bytes(compressed[: len(compressed) // 2])
    with pytest.raises(data.IdxFormatError, match="gzip"):
        data.read_idx(path)


def test_rejects_an_empty_file(tmp_path):
    path = tmp_path / "empty"
    path.write_bytes(b"")
    with pytest.raises(data.IdxFormatError, match="too short"):
        data.read_idx(path)


def test_checks_shape_and_checksum_against_the_spec(tmp_path):
    array = np.ones((3, 2, 2))
    path = write_idx(tmp_path / "x.gz", array)
    good = data.IdxFileSpec("x", (3, 2, 2), "0" * 32, hashlib.sha256(idx_bytes(array)).hexdigest())
    np.testing.assert_array_equal(data.read_idx(path, good), array)
    with pytest.raises(data.IdxFormatError, match="expected"):
        data.read_idx(path, data.IdxFileSpec("x", (4, 2, 2), "0" * 32))
    with pytest.raises(data.ChecksumError, match="SHA-256"):
        data.read_idx(path, data.IdxFileSpec("x", (3, 2, 2), "0" * 32, "f" * 64))


# --- Finding the files -------------------------------------------------------------------------


def test_missing_data_without_downloads_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    spec = data.DatasetSpec(**{**data.FASHION_MNIST.__dict__, "system_dirs": (tmp_path / "nowhere",)})
    with pytest.raises(data.DataNotFoundError) as error:
        data.load_idx_dataset(spec, download=False)
    message = str(error.value)
    for hint in ("apt-get install dataset-fashion-mnist", "BOOK_DOWNLOAD=1", "BOOK_DATA_DIR",
                 str(tmp_path / "cache" / "dl-textbook" / "fashion-mnist"), "train-images-idx3-ubyte.gz"):
        assert hint in message


def test_downloads_are_off_unless_asked(monkeypatch):
    monkeypatch.delenv("BOOK_DOWNLOAD", raising=False)
    assert not data.downloads_allowed(None)
    monkeypatch.setenv("BOOK_DOWNLOAD", "1")
    assert data.downloads_allowed(None)
    assert not data.downloads_allowed(False)


def test_searches_the_data_dir_environment_variable_then_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BOOK_DATA_DIR", str(tmp_path / "mine"))
    assert data.search_dirs(data.MNIST) == [tmp_path / "mine" / "mnist", tmp_path / "mine"]
    monkeypatch.delenv("BOOK_DATA_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert data.search_dirs(data.FASHION_MNIST) == [
        tmp_path / "cache" / "dl-textbook" / "fashion-mnist", Path("/usr/share/datasets/fashion-mnist")]


def test_loads_and_splits_a_data_set(tiny_idx_dataset):
    spec, folder, arrays = tiny_idx_dataset
    splits = load_tiny(spec, folder)
    assert (len(splits.train), len(splits.validation), len(splits.test)) == (10, 2, 6)
    assert splits.train.labels.dtype == np.int64
    combined = np.concatenate([splits.train.images, splits.validation.images])
    assert sorted(map(bytes, combined)) == sorted(map(bytes, arrays["train_images"].astype(np.uint8)))
    np.testing.assert_array_equal(splits.test.images, arrays["test_images"])
    assert splits.class_names == ("a", "b", "c")


def test_rejects_labels_outside_the_classes(tiny_idx_dataset):
    spec, folder, arrays = tiny_idx_dataset
    write_idx(folder / "train-labels-idx.gz", np.full(12, 7))
    with pytest.raises(data.IdxFormatError, match="out of range"):
        load_tiny(spec, folder)


def test_rejects_an_impossible_validation_size(tiny_idx_dataset):
    spec, folder, _ = tiny_idx_dataset
    with pytest.raises(ValueError, match="validation_size"):
        data.load_idx_dataset(spec, validation_size=12, data_dir=folder)


# --- Downloads (from a local folder through a file:// address) --------------------------------


def mirror_of(tiny_idx_dataset, tmp_path, *, corrupt=None):
    """Serve the tiny data set from a folder; spec MD5s match the served bytes."""
    spec, folder, _ = tiny_idx_dataset
    files = {}
    for key, file_spec in spec.files.items():
        served = folder / f"{file_spec.name}.gz"
        if key == corrupt:
            served.write_bytes(served.read_bytes()[:40])
        md5 = hashlib.md5(served.read_bytes()).hexdigest()
        files[key] = data.IdxFileSpec(file_spec.name, file_spec.shape, md5)
    return data.DatasetSpec(name="tiny", class_names=spec.class_names, files=files,
                            mirrors=(folder.as_uri() + "/",))


def test_download_verifies_and_moves_files_into_the_cache(tiny_idx_dataset, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    spec = mirror_of(tiny_idx_dataset, tmp_path)
    splits = data.load_idx_dataset(spec, validation_size=2, download=True)
    assert len(splits.test) == 6
    cached = sorted(p.name for p in data.cache_dir(spec).iterdir())
    assert cached == sorted(f"{f.name}.gz" for f in spec.files.values())


def test_download_with_a_wrong_checksum_leaves_nothing(tiny_idx_dataset, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    spec = mirror_of(tiny_idx_dataset, tmp_path)
    wrong = dict(spec.files, train_images=data.IdxFileSpec("train-images-idx", (12, 4, 4), "0" * 32))
    spec = data.DatasetSpec(name="tiny", class_names=spec.class_names, files=wrong, mirrors=spec.mirrors)
    with pytest.raises(data.DataNotFoundError, match="MD5"):
        data.load_idx_dataset(spec, download=True)
    assert not any(p.name.startswith(".train-images") for p in data.cache_dir(spec).iterdir())
    assert not (data.cache_dir(spec) / "train-images-idx.gz").exists()


def test_download_of_a_corrupt_file_with_a_matching_md5_is_refused(tiny_idx_dataset, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    spec = mirror_of(tiny_idx_dataset, tmp_path, corrupt="test_images")
    with pytest.raises(data.DataNotFoundError, match="t10k|test-images"):
        data.load_idx_dataset(spec, download=True)
    assert not list(data.cache_dir(spec).glob("*test-images*"))


def test_interrupted_download_leaves_no_partial_file(tiny_idx_dataset, tmp_path, monkeypatch):
    class BrokenStream(io.BytesIO):
        def read(self, *args):
            raise ConnectionResetError("connection lost")

        def __enter__(self):
            return self

        def __exit__(self, *args):
            return False

    monkeypatch.setattr(data.urllib.request, "urlopen", lambda url, timeout: BrokenStream(b""))
    spec, _, _ = tiny_idx_dataset
    target = tmp_path / "out" / "file.gz"
    with pytest.raises(ConnectionResetError):
        data.fetch_verified("http://example.invalid/file.gz", target, spec.files["test_labels"])
    assert list(target.parent.iterdir()) == []


# --- Arrays, subsets, adapters -------------------------------------------------------------------


def make_dataset(n=100, classes=4):
    rng = np.random.default_rng(1)
    return data.ImageDataset(rng.integers(0, 256, (n, 3, 3)).astype(np.uint8), np.arange(n) % classes,
                             tuple("abcd"[:classes]))


def test_features_are_scaled_to_the_unit_interval():
    features = make_dataset().features()
    assert features.shape == (100, 9) and features.dtype == np.float32
    assert 0 <= features.min() and features.max() <= 1


def test_subset_keeps_class_proportions_and_rejects_bad_sizes():
    small = make_dataset().subset(40, seed=3)
    assert len(small) == 40
    np.testing.assert_array_equal(data.class_counts(small.labels, 4), [10, 10, 10, 10])
    with pytest.raises(ValueError, match="size"):
        make_dataset().subset(0)
    with pytest.raises(ValueError, match="size"):
        make_dataset().subset(101)


def test_of_classes_keeps_those_classes_and_relabels_them_in_the_order_given():
    dataset = make_dataset()
    task = dataset.of_classes([3, 1])
    assert task.class_names == ("d", "b") and len(task) == 50
    np.testing.assert_array_equal(task.labels, np.where(dataset.labels[dataset.labels % 2 == 1] == 3, 0, 1))
    np.testing.assert_array_equal(task.images, dataset.images[dataset.labels % 2 == 1])
    for bad in ([], [1, 1], [4], [-1]):
        with pytest.raises(ValueError, match="distinct labels"):
            dataset.of_classes(bad)


def test_per_class_draws_that_many_distinct_examples_of_every_class():
    dataset = make_dataset()
    few = dataset.per_class(3, seed=2)
    np.testing.assert_array_equal(data.class_counts(few.labels, 4), [3, 3, 3, 3])
    assert len({image.tobytes() for image in few.images}) == 12
    assert not np.array_equal(few.images, dataset.per_class(3, seed=5).images)
    np.testing.assert_array_equal(few.images, dataset.per_class(3, seed=2).images)
    with pytest.raises(ValueError, match="between 1 and 25"):
        dataset.per_class(26)


def test_images_and_labels_must_match_in_length():
    with pytest.raises(ValueError, match="labels"):
        data.ImageDataset(np.zeros((3, 2, 2)), np.zeros(2), ("a",))


def test_digits_come_from_scikit_learn_without_download():
    splits = data.digits()
    assert (len(splits.train), len(splits.validation), len(splits.test)) == (1200, 297, 300)
    assert splits.train.images.shape[1:] == (8, 8)
    assert splits.train.features().max() == 1.0


def test_torch_loader_shapes_and_seeded_shuffle():
    loader = data.torch_loader(make_dataset(), batch_size=32, shuffle=True, seed=5)
    images, labels = next(iter(loader))
    assert tuple(images.shape) == (32, 1, 3, 3) and str(labels.dtype) == "torch.int64"
    again = next(iter(data.torch_loader(make_dataset(), batch_size=32, shuffle=True, seed=5)))[1]
    assert labels.tolist() == again.tolist()
    flat, _ = next(iter(data.torch_loader(make_dataset(), batch_size=8, flatten=True)))
    assert tuple(flat.shape) == (8, 9)


def test_tf_dataset_shapes():
    images, labels = next(iter(data.tf_dataset(make_dataset(), batch_size=16)))
    assert tuple(images.shape) == (16, 3, 3, 1) and labels.dtype.name == "int64"


# --- The real data, where it is installed --------------------------------------------------------

debian = Path("/usr/share/datasets/fashion-mnist")


@pytest.mark.skipif(not debian.is_dir() and not os.environ.get("CI"), reason="dataset-fashion-mnist not installed")
def test_fashion_mnist_from_the_debian_package_matches_its_checksums():
    splits = data.fashion_mnist()
    assert splits.train.images.shape == (55000, 28, 28) and splits.test.images.shape == (10000, 28, 28)
    np.testing.assert_array_equal(data.class_counts(splits.test.labels, 10), np.full(10, 1000))
    assert splits.class_names[9] == "Ankle boot"


def test_shuffled_batches_cover_every_example_once_per_epoch():
    rng = np.random.default_rng(0)
    batches = list(data.shuffled_batches(10, 4, rng))
    assert [len(batch) for batch in batches] == [4, 4, 2]
    assert sorted(np.concatenate(batches)) == list(range(10))
    next_epoch = np.concatenate(list(data.shuffled_batches(10, 4, rng)))
    assert not np.array_equal(np.concatenate(batches), next_epoch)  # a fresh order each call
    np.testing.assert_array_equal(np.concatenate(batches), np.random.default_rng(0).permutation(10))


@pytest.mark.parametrize("num_examples, batch_size", [(0, 4), (10, 0), (10, 2.5), (-3, 1)])
def test_shuffled_batches_refuse_sizes_that_are_not_positive_integers(num_examples, batch_size):
    with pytest.raises(ValueError, match="positive integer"):
        data.shuffled_batches(num_examples, batch_size, np.random.default_rng(0))
