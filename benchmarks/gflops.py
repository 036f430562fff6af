"""Achieved GFLOP/s of matrix products and convolutions in NumPy, PyTorch and TensorFlow, against the peak.

Square matrix products from n = 64 to 2048 in float32 (and in float64 for NumPy, whose vector
lanes hold half as many float64 numbers), and the forward pass of four convolutions of the sizes
of LeNet's and ResNet's layers, each at 1 and 2 threads. The peak is cores × clock × operations
per cycle from ``book.hardware.cpu_peak_gflops``, for as many cores as threads.

    .venv/bin/python benchmarks/gflops.py [--quick] [--repeats 5] [--threads 1 2]

Prints one table: the fastest and the median repeat in GFLOP/s and the fastest as a percentage of
the peak; then the memory bandwidth of one core. ``--quick`` measures three matrix sizes and two
convolutions. NumPy's BLAS threads are set through threadpoolctl and PyTorch's with
``torch.set_num_threads``, TensorFlow's when it starts; each backend and thread count is measured
in a fresh process of this script, so that no other library's thread pool competes for the cores. The "numpy" convolution is the book's from-scratch
``layers.Conv2D`` (im2col and one matrix product). This is a benchmark, not a test: timings depend
on the machine and on what else it is running.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import book  # noqa: E402  (quiets framework logs before any framework is imported)
from book import hardware  # noqa: E402

MATMUL_SIZES = (64, 128, 256, 512, 1024, 2048)
QUICK_MATMUL_SIZES = (64, 256, 1024)
# name: (batch, in_channels, out_channels, size, kernel, stride, padding)
CONVOLUTIONS = {
    "LeNet conv1 1→6 5×5 28²": (64, 1, 6, 28, 5, 1, 2),
    "LeNet conv2 6→16 5×5 14²": (64, 6, 16, 14, 5, 1, 0),
    "ResNet stem 3→64 7×7/2 112²": (8, 3, 64, 112, 7, 2, 3),
    "ResNet 3×3 64→64 28²": (8, 64, 64, 28, 3, 1, 1),
}
QUICK_CONVOLUTIONS = ("LeNet conv2 6→16 5×5 14²", "ResNet 3×3 64→64 28²")


def workload(quick: bool) -> tuple[tuple[int, ...], dict[str, tuple[int, ...]]]:
    sizes = QUICK_MATMUL_SIZES if quick else MATMUL_SIZES
    convolutions = {name: CONVOLUTIONS[name] for name in (QUICK_CONVOLUTIONS if quick else CONVOLUTIONS)}
    return sizes, convolutions


def measure(backend: str, threads: int | None, quick: bool, repeats: int, float64: bool) -> list[dict]:
    """One row per measurement: what was measured, and its fastest and median GFLOP/s."""
    sizes, convolutions = workload(quick)
    rows = []
    dtypes = ("float32", "float64") if float64 else ("float32",)
    for dtype in dtypes:
        for n in sizes:
            rates = hardware.matmul_rates(backend, n, dtype, threads, repeats=repeats)
            rows.append({"operation": f"matmul {n}×{n}", "dtype": dtype, "backend": backend,
                         "rates": [max(rates), statistics.median(rates)]})
    for name, shape in convolutions.items():
        rates = hardware.conv2d_rates(backend, *shape, threads=threads, repeats=repeats)
        rows.append({"operation": name, "dtype": "float32", "backend": backend,
                     "rates": [max(rates), statistics.median(rates)]})
    return rows


def rows_in_fresh_process(backend: str, threads: int, quick: bool, repeats: int) -> list[dict]:
    """One backend's rows, measured in a process of its own.

    Measured in one process after NumPy, PyTorch's two-thread rates were erratic, at times ten times
    lower than measured alone (a 512×512 product at 17 instead of about 100 GFLOP/s, LeNet's second
    convolution at 1.5 instead of 134): the thread pools that several libraries keep in one process
    compete for the same cores. A process per measurement keeps them apart. TensorFlow, moreover,
    fixes its thread count when it starts.
    """
    command = [sys.executable, __file__, "--worker", backend, str(threads), "--repeats", str(repeats)]
    completed = subprocess.run(command + (["--quick"] if quick else []), capture_output=True, text=True,
                               check=True, env=os.environ.copy())
    return json.loads(completed.stdout.strip().splitlines()[-1])


def run_worker(backend: str, threads: int, quick: bool, repeats: int) -> None:
    if backend == "tensorflow":
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(threads)
        rows = measure("tensorflow", None, quick, repeats, float64=False)
    else:
        rows = measure(backend, threads, quick, repeats, float64=backend == "numpy")
    print(json.dumps(rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="three matrix sizes and two convolutions")
    parser.add_argument("--repeats", type=int, default=5, help="timed repeats per measurement")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="thread counts to measure")
    parser.add_argument("--worker", nargs=2, metavar=("BACKEND", "THREADS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    if any(threads < 1 for threads in args.threads):
        parser.error("--threads must be at least 1")
    if args.worker is not None:
        backend, threads = args.worker
        run_worker(backend, int(threads), args.quick, args.repeats)
        return 0

    info = hardware.cpu_info()
    print(f"{info.model_name} (family {info.family}, model {info.model}), {info.physical_cores} usable cores, "
          f"{info.clock_ghz:.2f} GHz reported, SIMD {', '.join(info.simd_flags)}")
    per_cycle = {dtype: hardware.flops_per_cycle(info, dtype) for dtype in ("float32", "float64")}
    print(f"peak per core: {hardware.cpu_peak_gflops(info, 'float32', cores=1):.1f} GFLOP/s in float32 "
          f"({per_cycle['float32']} per cycle), {hardware.cpu_peak_gflops(info, 'float64', cores=1):.1f} "
          f"in float64 ({per_cycle['float64']} per cycle)")
    print(f"{'operation':<29} {'dtype':<8} {'backend':<11} {'threads':>7} {'fastest':>8} {'median':>8} {'% peak':>7}")
    for threads in args.threads:
        rows = [row for backend in hardware.BACKENDS
                for row in rows_in_fresh_process(backend, threads, args.quick, args.repeats)]
        order = [f"matmul {n}×{n}" for n in workload(args.quick)[0]] + list(workload(args.quick)[1])
        rows.sort(key=lambda row: (row["dtype"] == "float64", order.index(row["operation"]),
                                   hardware.BACKENDS.index(row["backend"])))
        for row in rows:
            fastest, median = row["rates"]
            peak = hardware.cpu_peak_gflops(info, row["dtype"], cores=threads)
            print(f"{row['operation']:<29} {row['dtype']:<8} {row['backend']:<11} {threads:>7} "
                  f"{fastest:8.1f} {median:8.1f} {100 * fastest / peak:6.0f}%", flush=True)
    print(f"memory bandwidth of one core (c = a + b, 3 × 64 MB): {hardware.memory_bandwidth_gbs(64):.1f} GB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
