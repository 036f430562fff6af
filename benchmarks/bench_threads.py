"""The ``--threads`` option the benchmarks share: one thread count for NumPy's BLAS and PyTorch alike."""

from __future__ import annotations

import argparse

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
