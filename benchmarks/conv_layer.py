"""Forward + backward time of one convolution layer, from scratch (book.layers.Conv2D) and in PyTorch.

The layer is LeNet's second convolution: a batch of 64 inputs of 6 channels, 14×14, sixteen 5×5
kernels, stride 1, no padding, float32. One step is the forward pass and the backward pass with
all three gradients (input, kernels, bias), on both sides.

    .venv/bin/python benchmarks/conv_layer.py [--steps 200] [--threads N]

Prints the median and fastest milliseconds per step of each implementation and the ratio
scratch / PyTorch. ``--threads N`` limits both sides alike (NumPy's BLAS through threadpoolctl,
PyTorch through ``torch.set_num_threads``); without it each library picks its own number of
threads. This is a benchmark, not a test: timings depend on the machine and on what else it runs.
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

BATCH, IN_CHANNELS, OUT_CHANNELS, KERNEL, SIZE = 64, 6, 16, 5, 14


def step_times(step, steps: int) -> list[float]:
    """Seconds of each of ``steps`` calls of ``step``, after a few warm-up calls."""
    for _ in range(5):
        step()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=200, help="timed steps per implementation")
    add_threads_option(parser)
    args = parser.parse_args(argv)
    if args.steps < 1:
        parser.error("--steps must be at least 1")
    threads_line = apply_threads(args.threads)

    book.seed_all(0)
    x = np.random.default_rng(0).standard_normal((BATCH, IN_CHANNELS, SIZE, SIZE), dtype=np.float32)
    scratch = layers.conv2d(IN_CHANNELS, OUT_CHANNELS, KERNEL, rng=0)
    upstream = np.ones_like(scratch.forward(x))

    framework = torch.nn.Conv2d(IN_CHANNELS, OUT_CHANNELS, KERNEL)
    with torch.no_grad():
        framework.weight.copy_(torch.from_numpy(scratch.W))
        framework.bias.copy_(torch.from_numpy(scratch.b))
    x_t = torch.from_numpy(x).requires_grad_()
    upstream_t = torch.from_numpy(upstream)

    def scratch_step() -> None:
        scratch.forward(x)
        scratch.backward(upstream)

    def torch_step() -> None:
        framework.zero_grad()
        x_t.grad = None
        framework(x_t).backward(upstream_t)

    # Both compute the same gradients: time the same work.
    scratch_step()
    torch_step()
    np.testing.assert_allclose(scratch.dW, framework.weight.grad.numpy(), rtol=1e-4, atol=1e-4)

    print(f"Conv2D {IN_CHANNELS}→{OUT_CHANNELS}, {KERNEL}×{KERNEL}, input {BATCH}×{IN_CHANNELS}×{SIZE}×{SIZE}, "
          f"float32, forward + backward")
    print(threads_line)
    results = {"scratch NumPy": step_times(scratch_step, args.steps), "PyTorch": step_times(torch_step, args.steps)}
    print_comparison(results, "milliseconds per step", scale=1e3)
    return 0


if __name__ == "__main__":
    sys.exit(main())
