"""Data sets for the book: Fashion-MNIST and MNIST read from IDX files, and scikit-learn's digits.

Where the files come from, in order:

1. ``data_dir`` if a caller passes one, else ``$BOOK_DATA_DIR`` if it is set;
2. the user cache, ``$XDG_CACHE_HOME/dl-textbook/<name>`` (``~/.cache/...`` by default);
3. the Debian package folder (``apt-get install dataset-fashion-mnist``);
4. a download into the user cache, only when downloads are allowed (``download=True`` or
   ``$BOOK_DOWNLOAD=1``): each file is checked against its published MD5 and its decoded
   content before it is moved into place, so an interrupted or corrupt download leaves nothing.

The IDX parser is our own (no torchvision): it checks the magic number, the dimensions and the
length of every file, so a truncated or foreign file raises :class:`IdxFormatError` instead of
turning into a silently wrong array.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tempfile
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Protocol, Sequence

import numpy as np

if TYPE_CHECKING:  # imported lazily so that NumPy-only chapters do not pay for the frameworks
    import tensorflow as tf
    import torch.utils.data

__all__ = [
    "DataNotFoundError",
    "ChecksumError",
    "IdxFormatError",
    "ImageDataset",
    "DatasetSplits",
    "FASHION_MNIST",
    "MNIST",
    "fashion_mnist",
    "mnist",
    "digits",
    "read_idx",
    "find_dataset_files",
    "download_dataset",
    "torch_loader",
    "tf_dataset",
    "shuffled_batches",
]


class DataNotFoundError(FileNotFoundError):
    """The data set is not on this machine and could not be downloaded."""


class ChecksumError(ValueError):
    """A file's bytes differ from the published checksum."""


class IdxFormatError(ValueError):
    """A file is not a well-formed IDX file of the expected shape."""


# ---------------------------------------------------------------------------------------------
# What each data set is made of
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IdxFileSpec:
    """One of the four files of an MNIST-style data set."""

    name: str  # file name without ``.gz``
    shape: tuple[int, ...]
    gz_md5: str  # MD5 of the upstream ``.gz`` download
    sha256: str | None = None  # SHA-256 of the decompressed bytes, where it is known


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    class_names: tuple[str, ...]
    files: dict[str, IdxFileSpec]  # keys: train_images, train_labels, test_images, test_labels
    mirrors: tuple[str, ...]
    system_dirs: tuple[Path, ...] = ()
    install_hint: str = ""


FASHION_MNIST = DatasetSpec(
    name="fashion-mnist",
    class_names=(
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ),
    files={
        "train_images": IdxFileSpec(
            "train-images-idx3-ubyte", (60000, 28, 28), "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
        "train_labels": IdxFileSpec(
            "train-labels-idx1-ubyte", (60000,), "25c81989df183df01b3e8a0aad5dffbe",
            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
        "test_images": IdxFileSpec(
            "t10k-images-idx3-ubyte", (10000, 28, 28), "bef4ecab320f06d8554ea6380940ec79",
            "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
        "test_labels": IdxFileSpec(
            "t10k-labels-idx1-ubyte", (10000,), "bb300cfdad3c16e7a12a480ee83cd310",
            "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
    },
    mirrors=("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",),
    system_dirs=(Path("/usr/share/datasets/fashion-mnist"),),
    install_hint="On Debian or Ubuntu: sudo apt-get install dataset-fashion-mnist",
)

MNIST = DatasetSpec(
    name="mnist",
    class_names=tuple(str(digit) for digit in range(10)),
    files={
        "train_images": IdxFileSpec(
            "train-images-idx3-ubyte", (60000, 28, 28), "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        "train_labels": IdxFileSpec(
            "train-labels-idx1-ubyte", (60000,), "d53e105ee54ea40749a09fcbcd1e9432"),
        "test_images": IdxFileSpec(
            "t10k-images-idx3-ubyte", (10000, 28, 28), "9fb629c4189551a2d022fa330f9573f3"),
        "test_labels": IdxFileSpec(
            "t10k-labels-idx1-ubyte", (10000,), "ec29112dd5afa0611ce80d1b7f02629c"),
    },
    mirrors=(
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
    ),
)

# ---------------------------------------------------------------------------------------------
# Reading IDX files
# ---------------------------------------------------------------------------------------------

# The third byte of the magic number names the element type (LeCun's IDX format).
_IDX_DTYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def _read_bytes(path: Path) -> bytes:
    """The file's content, decompressed when it is gzip."""
    raw = path.read_bytes()
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return gzip.decompress(raw)
    except (EOFError, OSError, zlib.error) as error:
        raise IdxFormatError(f"{path}: the gzip stream is damaged or truncated ({error}).") from error


def parse_idx(payload: bytes, source: str = "<bytes>") -> np.ndarray:
    """Decode the bytes of an IDX file into an array, checking magic number and length."""
    if len(payload) < 4:
        raise IdxFormatError(f"{source}: {len(payload)} bytes is too short for an IDX header.")
    zero, type_code, ndim = payload[0] | payload[1], payload[2], payload[3]
    if zero != 0 or type_code not in _IDX_DTYPES or ndim == 0:
        raise IdxFormatError(
            f"{source}: bad magic number 0x{payload[:4].hex()} (an IDX file starts with two zero "
            "bytes, a type code such as 0x08 for unsigned bytes, and the number of dimensions)."
        )
    header_size = 4 + 4 * ndim
    if len(payload) < header_size:
        raise IdxFormatError(f"{source}: the header is cut short ({len(payload)} bytes).")
    dims = tuple(int.from_bytes(payload[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    dtype = _IDX_DTYPES[type_code]
    expected = header_size + int(np.prod(dims)) * dtype.itemsize
    if len(payload) != expected:
        raise IdxFormatError(
            f"{source}: the header promises shape {dims} ({expected} bytes) but the file has "
            f"{len(payload)} bytes; it is truncated or damaged."
        )
    return np.frombuffer(payload, dtype=dtype, offset=header_size).reshape(dims).astype(dtype.newbyteorder("="))


def read_idx(path: str | os.PathLike, spec: IdxFileSpec | None = None) -> np.ndarray:
    """Read an IDX file (plain or gzip) and, given its spec, check shape and checksum."""
    path = Path(path)
    payload = _read_bytes(path)
    array = parse_idx(payload, str(path))
    if spec is not None:
        if array.shape != spec.shape:
            raise IdxFormatError(f"{path}: shape {array.shape}, expected {spec.shape} for {spec.name}.")
        if spec.sha256 is not None:
            digest = hashlib.sha256(payload).hexdigest()
            if digest != spec.sha256:
                raise ChecksumError(
                    f"{path}: SHA-256 of the content is {digest}, expected {spec.sha256}. "
                    "The file is damaged or is not the published data; delete it and fetch it again."
                )
    return array


# ---------------------------------------------------------------------------------------------
# Finding and downloading files
# ---------------------------------------------------------------------------------------------


class DataLocation(Protocol):
    """What the search for files needs to know of a data set (a :class:`DatasetSpec`, or a
    text corpus of :mod:`book.text`): its folder name and where a system package puts it."""

    @property
    def name(self) -> str: ...

    @property
    def system_dirs(self) -> tuple[Path, ...]: ...


def cache_dir(dataset: DataLocation) -> Path:
    """The per-user folder where downloads of ``dataset`` are kept."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "dl-textbook" / dataset.name


def search_dirs(dataset: DataLocation, data_dir: str | os.PathLike | None = None) -> list[Path]:
    """Folders searched for the data set's files, in order."""
    explicit = data_dir if data_dir is not None else os.environ.get("BOOK_DATA_DIR")
    if explicit:
        # A data dir may hold the files directly or one folder per data set.
        root = Path(explicit).expanduser()
        return [root / dataset.name, root]
    return [cache_dir(dataset), *dataset.system_dirs]


def _file_in(folder: Path, spec: IdxFileSpec) -> Path | None:
    for candidate in (folder / f"{spec.name}.gz", folder / spec.name):
        if candidate.is_file():
            return candidate
    return None


def find_dataset_files(
    dataset: DatasetSpec, data_dir: str | os.PathLike | None = None
) -> dict[str, Path] | None:
    """The four files from the first folder that holds all of them, or ``None``."""
    for folder in search_dirs(dataset, data_dir):
        found = {key: _file_in(folder, spec) for key, spec in dataset.files.items()}
        if all(found.values()):
            return found  # type: ignore[return-value]
    return None


def downloads_allowed(download: bool | None) -> bool:
    if download is not None:
        return download
    return os.environ.get("BOOK_DOWNLOAD", "0").strip().lower() in {"1", "true", "yes", "on"}


def _md5_of(path: Path) -> str:
    digest = hashlib.md5()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_verified(url: str, target: Path, spec: IdxFileSpec, timeout: float = 60.0) -> Path:
    """Download ``url`` to ``target`` atomically: verified bytes arrive whole or not at all."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    temporary = Path(temporary_name)
    try:
        with os.fdopen(handle, "wb") as output, urllib.request.urlopen(url, timeout=timeout) as response:
            shutil.copyfileobj(response, output)
        digest = _md5_of(temporary)
        if digest != spec.gz_md5:
            raise ChecksumError(f"{url}: MD5 {digest}, expected {spec.gz_md5}; the download was not kept.")
        read_idx(temporary, spec)  # the content must decode too, not only hash right
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def download_dataset(dataset: DatasetSpec, folder: Path | None = None) -> dict[str, Path]:
    """Download every file of ``dataset`` into ``folder`` (the user cache by default)."""
    folder = folder or cache_dir(dataset)
    paths = {}
    for key, spec in dataset.files.items():
        target = folder / f"{spec.name}.gz"
        if not target.is_file():
            errors = []
            for mirror in dataset.mirrors:
                try:
                    fetch_verified(mirror + target.name, target, spec)
                    break
                except (OSError, ValueError) as error:  # network errors are OSErrors
                    errors.append(f"  {mirror}: {error}")
            else:
                raise DataNotFoundError(
                    f"Could not download {target.name} of {dataset.name}:\n" + "\n".join(errors)
                )
        paths[key] = target
    return paths


def _missing_message(dataset: DatasetSpec, data_dir: str | os.PathLike | None) -> str:
    names = ", ".join(f"{spec.name}.gz" for spec in dataset.files.values())
    folders = "\n".join(f"  - {folder}" for folder in search_dirs(dataset, data_dir))
    lines = [
        f"The {dataset.name} files were not found. Looked for {names} in:",
        folders,
        "Ways to get them:",
    ]
    if dataset.install_hint:
        lines.append(f"  - {dataset.install_hint}")
    lines += [
        f"  - allow the book to download them into {cache_dir(dataset)}: set BOOK_DOWNLOAD=1 "
        "or pass download=True (the files are checked against their published MD5)",
        "  - copy the four files into a folder and set BOOK_DATA_DIR to it",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Data sets as NumPy arrays
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImageDataset:
    """Images with integer labels; ``pixel_max`` is the value of a white pixel."""

    images: np.ndarray
    labels: np.ndarray
    class_names: tuple[str, ...]
    pixel_max: float = 255.0

    def __post_init__(self) -> None:
        if len(self.images) != len(self.labels):
            raise ValueError(f"{len(self.images)} images but {len(self.labels)} labels.")

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    def features(self, flatten: bool = True) -> np.ndarray:
        """Pixels as float32 in [0, 1]; one row per image when ``flatten``."""
        scaled = self.images.astype(np.float32) / np.float32(self.pixel_max)
        return scaled.reshape(len(self), -1) if flatten else scaled

    def subset(self, size: int, seed: int = 0) -> "ImageDataset":
        """A random sample of ``size`` examples with every class in its original proportion."""
        if not 0 < size <= len(self):
            raise ValueError(f"size must be between 1 and {len(self)}, got {size}.")
        rng = np.random.default_rng(seed)
        order = rng.permutation(len(self))
        # Stable sort by label of a random permutation, then take every k-th: a stratified sample.
        by_class = order[np.argsort(self.labels[order], kind="stable")]
        chosen = by_class[np.linspace(0, len(self) - 1, size).round().astype(int)]
        chosen = rng.permutation(chosen)
        return ImageDataset(self.images[chosen], self.labels[chosen], self.class_names, self.pixel_max)

    def of_classes(self, classes: Sequence[int]) -> "ImageDataset":
        """Only the examples of ``classes``, relabelled 0, 1, … in the order given (a new task)."""
        classes = [int(c) for c in classes]
        unknown = [c for c in classes if not 0 <= c < self.num_classes]
        if unknown or len(set(classes)) != len(classes) or not classes:
            raise ValueError(f"classes must be distinct labels between 0 and {self.num_classes - 1}, got {classes}.")
        new_label = np.full(self.num_classes, -1)
        new_label[classes] = np.arange(len(classes))
        keep = np.isin(self.labels, classes)
        return ImageDataset(self.images[keep], new_label[self.labels[keep]],
                            tuple(self.class_names[c] for c in classes), self.pixel_max)

    def per_class(self, count: int, seed: int = 0) -> "ImageDataset":
        """``count`` examples of every class drawn at random: a few-label training set."""
        rng = np.random.default_rng(seed)
        chosen = []
        for label in range(self.num_classes):
            members = np.flatnonzero(self.labels == label)
            if not 0 < count <= len(members):
                raise ValueError(f"count must be between 1 and {len(members)} (the examples of class "
                                 f"{self.class_names[label]!r}), got {count}.")
            chosen.append(rng.choice(members, count, replace=False))
        chosen = rng.permutation(np.concatenate(chosen))
        return ImageDataset(self.images[chosen], self.labels[chosen], self.class_names, self.pixel_max)


@dataclass(frozen=True)
class DatasetSplits:
    train: ImageDataset
    validation: ImageDataset
    test: ImageDataset

    @property
    def class_names(self) -> tuple[str, ...]:
        return self.train.class_names


def _split_off_validation(
    images: np.ndarray, labels: np.ndarray, validation_size: int, seed: int
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    if not 0 <= validation_size < len(labels):
        raise ValueError(f"validation_size must be between 0 and {len(labels) - 1}, got {validation_size}.")
    order = np.random.default_rng(seed).permutation(len(labels))
    held, kept = order[:validation_size], order[validation_size:]
    return (images[kept], labels[kept]), (images[held], labels[held])


def load_idx_dataset(
    dataset: DatasetSpec,
    validation_size: int = 5000,
    *,
    seed: int = 0,
    download: bool | None = None,
    data_dir: str | os.PathLike | None = None,
) -> DatasetSplits:
    """Load an MNIST-style data set and split ``validation_size`` images off the training set."""
    paths = find_dataset_files(dataset, data_dir)
    if paths is None:
        if not downloads_allowed(download):
            raise DataNotFoundError(_missing_message(dataset, data_dir))
        paths = download_dataset(dataset)
    arrays = {key: read_idx(path, dataset.files[key]) for key, path in paths.items()}
    for part in ("train", "test"):
        if arrays[f"{part}_labels"].max() >= len(dataset.class_names):
            raise IdxFormatError(f"{paths[f'{part}_labels']}: a label is out of range 0..9.")
    (train_x, train_y), (val_x, val_y) = _split_off_validation(
        arrays["train_images"], arrays["train_labels"].astype(np.int64), validation_size, seed
    )

    def make(images: np.ndarray, labels: np.ndarray) -> ImageDataset:
        return ImageDataset(images, labels.astype(np.int64), dataset.class_names)

    return DatasetSplits(
        train=make(train_x, train_y),
        validation=make(val_x, val_y),
        test=make(arrays["test_images"], arrays["test_labels"]),
    )


def fashion_mnist(validation_size: int = 5000, **options) -> DatasetSplits:
    """Fashion-MNIST: 28×28 grey images of ten kinds of clothing (train 60,000 / test 10,000)."""
    return load_idx_dataset(FASHION_MNIST, validation_size, **options)


def mnist(validation_size: int = 5000, **options) -> DatasetSplits:
    """MNIST handwritten digits, in the same format as :func:`fashion_mnist`."""
    return load_idx_dataset(MNIST, validation_size, **options)


def digits(validation_size: int = 297, test_size: int = 300, *, seed: int = 0) -> DatasetSplits:
    """scikit-learn's 1,797 bundled 8×8 digits (no download), split three ways."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    images, labels = bunch.images.astype(np.uint8), bunch.target.astype(np.int64)
    if validation_size + test_size >= len(labels):
        raise ValueError("validation_size + test_size must leave some training images.")
    order = np.random.default_rng(seed).permutation(len(labels))
    test, validation, train = np.split(order, [test_size, test_size + validation_size])
    names = tuple(str(digit) for digit in range(10))

    def make(index: np.ndarray) -> ImageDataset:
        return ImageDataset(images[index], labels[index], names, pixel_max=16.0)

    return DatasetSplits(train=make(train), validation=make(validation), test=make(test))


# ---------------------------------------------------------------------------------------------
# Thin framework adapters
# ---------------------------------------------------------------------------------------------


def torch_loader(
    data: ImageDataset, batch_size: int = 128, *, shuffle: bool = False, flatten: bool = False, seed: int = 0
) -> "torch.utils.data.DataLoader":
    """A PyTorch ``DataLoader`` of (float images in [0, 1], int64 labels).

    Images come as ``(n, 1, height, width)`` for convolutions or ``(n, height*width)`` when
    ``flatten``; shuffling draws from its own generator seeded with ``seed``.
    """
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    features = data.features(flatten=flatten)
    inputs = torch.from_numpy(features if flatten else features[:, None])
    generator = torch.Generator().manual_seed(seed)
    return DataLoader(
        TensorDataset(inputs, torch.from_numpy(data.labels)),
        batch_size=batch_size,
        shuffle=shuffle,
        generator=generator,
    )


def tf_dataset(
    data: ImageDataset, batch_size: int = 128, *, shuffle: bool = False, flatten: bool = False, seed: int = 0
) -> "tf.data.Dataset":
    """A ``tf.data.Dataset`` of (float images in [0, 1], int64 labels), channels last."""
    import tensorflow as tf

    features = data.features(flatten=flatten)
    inputs = features if flatten else features[..., None]
    pipeline = tf.data.Dataset.from_tensor_slices((inputs, data.labels))
    if shuffle:
        pipeline = pipeline.shuffle(len(data), seed=seed, reshuffle_each_iteration=True)
    return pipeline.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def shuffled_batches(num_examples: int, batch_size: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """Index arrays of one epoch of mini-batch SGD: a fresh random order, cut into consecutive batches.

    Every index in ``range(num_examples)`` appears once; the last batch is shorter when
    ``batch_size`` does not divide ``num_examples``. Each call draws one permutation from ``rng``,
    so calling it once per epoch with the same generator gives a reproducible run.
    """
    if not (isinstance(num_examples, (int, np.integer)) and num_examples > 0):
        raise ValueError(f"num_examples must be a positive integer, got {num_examples!r}.")
    if not (isinstance(batch_size, (int, np.integer)) and batch_size > 0):
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}.")
    order = rng.permutation(num_examples)
    return (order[start:start + batch_size] for start in range(0, num_examples, batch_size))


def class_counts(labels: np.ndarray, num_classes: int) -> np.ndarray:
    """How many examples of each class (a quick balance check)."""
    return np.bincount(np.asarray(labels), minlength=num_classes)


def describe(splits: DatasetSplits) -> str:
    """One line per split: size and image shape."""
    rows: Sequence[tuple[str, ImageDataset]] = (
        ("train", splits.train), ("validation", splits.validation), ("test", splits.test))
    return "\n".join(f"{name:<10} {len(part):>6} images of shape {part.images.shape[1:]}" for name, part in rows)
