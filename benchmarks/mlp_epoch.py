"""Seconds per epoch of one MLP, from scratch in NumPy (book.layers) and in PyTorch.

The same network on both sides: 784-256-128-10 with ReLU, He-initialised, float32, plain SGD
(learning rate 0.1), mini-batches of 128 drawn from the 60,000 Fashion-MNIST training images in a
fresh random order each epoch. Batches are cut from a tensor by index on both sides, so the
comparison times the layers and the optimiser, not a data loader.

    .venv/bin/python benchmarks/mlp_epoch.py [--repeats 3] [--threads N]

Prints the median (and fastest) seconds per epoch of each implementation and the ratio
scratch / PyTorch.
``--threads N`` limits both sides alike (NumPy's BLAS through threadpoolctl, PyTorch through
``torch.set_num_threads``); without it each library picks its own number of threads. On a machine
shared with other jobs, use ``--threads 1``: threads that wait for each other on oversubscribed
cores can make an epoch ten times slower, and by very different amounts on the two sides.
This is a benchmark, not a test: timings depend on the machine and on what else it is running.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import book  # noqa: E402  (quiets framework logs before torch is imported)
import numpy as np  # noqa: E402
import torch  # noqa: E402

from book import layers  # noqa: E402
from bench_common import add_threads_option, apply_threads, print_comparison  # noqa: E402  (beside this script)

SIZES = [784, 256, 128, 10]
BATCH_SIZE = 128
LEARNING_RATE = 0.1


def scratch_epoch(network: layers.Sequential, optimizer: layers.SGD, images: np.ndarray,
                  labels: np.ndarray, order: np.ndarray) -> float:
    """One pass over the data with book.layers; returns the mean training loss."""
    loss_fn = layers.SoftmaxCrossEntropy()
    total = 0.0
    for start in range(0, len(order), BATCH_SIZE):
        batch = order[start:start + BATCH_SIZE]
        loss = loss_fn.forward(network.forward(images[batch]), labels[batch])
        network.backward(loss_fn.backward())
        optimizer.step()
        total += loss * len(batch)
    return total / len(order)


def torch_network(scratch: layers.Sequential) -> torch.nn.Sequential:
    """The PyTorch twin of the scratch MLP, starting from the very same weights."""
    modules: list[torch.nn.Module] = []
    for layer in scratch.layers:
        if isinstance(layer, layers.Affine):
            linear = torch.nn.Linear(*layer.W.shape)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(layer.W.T.copy()))
                linear.bias.copy_(torch.from_numpy(layer.b))
            modules.append(linear)
        else:
            modules.append(torch.nn.ReLU())
    return torch.nn.Sequential(*modules)


def torch_epoch(network: torch.nn.Module, optimizer: torch.optim.Optimizer, images: torch.Tensor,
                labels: torch.Tensor, order: torch.Tensor) -> float:
    """One pass over the data in PyTorch; returns the mean training loss."""
    total = 0.0
    for start in range(0, len(order), BATCH_SIZE):
        batch = order[start:start + BATCH_SIZE]
        loss = torch.nn.functional.cross_entropy(network(images[batch]), labels[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(batch)
    return total / len(order)


def timed(run) -> tuple[float, float]:
    start = time.perf_counter()
    loss = run()
    return time.perf_counter() - start, loss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3, help="timed epochs per implementation (after one warm-up)")
    add_threads_option(parser)
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    threads_line = apply_threads(args.threads)

    book.seed_all(0)
    train = book.data.fashion_mnist(validation_size=0).train
    images, labels = train.features(), train.labels
    images_t, labels_t = torch.from_numpy(images), torch.from_numpy(labels)

    scratch = layers.mlp(SIZES, seed=0, dtype=np.float32)
    scratch_sgd = layers.SGD(scratch, lr=LEARNING_RATE)
    framework = torch_network(scratch)
    framework_sgd = torch.optim.SGD(framework.parameters(), lr=LEARNING_RATE)

    rng = np.random.default_rng(0)
    times: dict[str, list[float]] = {"scratch NumPy": [], "PyTorch": []}
    print(f"MLP {'-'.join(map(str, SIZES))}, batch {BATCH_SIZE}, SGD lr {LEARNING_RATE}, float32, "
          f"{len(images)} images")
    print(threads_line)
    print(f"{'epoch':>5}  {'implementation':<14} {'seconds':>8} {'mean loss':>10}")
    for epoch in range(args.repeats + 1):
        order = rng.permutation(len(images))
        order_t = torch.from_numpy(order)
        runs = {
            "scratch NumPy": lambda: scratch_epoch(scratch, scratch_sgd, images, labels, order),
            "PyTorch": lambda: torch_epoch(framework, framework_sgd, images_t, labels_t, order_t),
        }
        for name, run in runs.items():
            seconds, loss = timed(run)
            label = "warm-up" if epoch == 0 else str(epoch)
            print(f"{label:>5}  {name:<14} {seconds:8.2f} {loss:10.4f}", flush=True)
            if epoch > 0:
                times[name].append(seconds)

    print()
    print_comparison(times, "seconds per epoch")
    return 0


if __name__ == "__main__":
    sys.exit(main())
