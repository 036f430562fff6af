"""What the benchmarks share: the ``--threads`` option, and the table comparing scratch code with PyTorch."""

from __future__ import annotations

import argparse
import statistics

import torch
from threadpoolctl import threadpool_info, threadpool_limits


def add_threads_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--threads", type=int, default=None,
                        help="threads for both NumPy's BLAS and PyTorch (default: each library's own choice)")


def apply_threads(threads: int | None) -> str:
    """Limit both libraries to ``threads`` (when given); return a line saying what each now uses."""
    if threads:
        threadpool_limits(threads)
        torch.set_num_threads(threads)
    blas_threads = max((pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"), default=1)
    return f"threads: NumPy BLAS {blas_threads}, PyTorch {torch.get_num_threads()}"


def print_comparison(times: dict[str, list[float]], unit: str, scale: float = 1.0) -> None:
    """Median and fastest time of "scratch NumPy" and "PyTorch", then the ratio scratch / PyTorch.

    The median is the figure to report; the fastest run shows what an undisturbed run costs when
    other jobs on the machine slow some runs down. ``scale`` converts seconds to ``unit``.
    """
    print(f"{unit:<22} {'median':>8} {'fastest':>8}")
    for name, values in times.items():
        print(f"{name:<22} {scale * statistics.median(values):8.2f} {scale * min(values):8.2f}")
    median_ratio = statistics.median(times["scratch NumPy"]) / statistics.median(times["PyTorch"])
    fastest_ratio = min(times["scratch NumPy"]) / min(times["PyTorch"])
    print(f"{'ratio scratch/PyTorch':<22} {median_ratio:8.2f} {fastest_ratio:8.2f}")
