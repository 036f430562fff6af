"""What the processor can do, and how much of it a matrix multiply or a convolution achieves.

``cpu_info`` reads the processor's description from ``/proc/cpuinfo``; ``cpu_peak_gflops`` turns it
into a theoretical peak, cores × clock × floating-point operations per cycle, with the operations
per cycle derived from the SIMD flags by :func:`flops_per_cycle`. ``matmul_gflops`` and
``conv2d_gflops`` time the same operation in NumPy, PyTorch or TensorFlow and report the achieved
GFLOP/s; ``matmul`` and ``conv2d`` return the results themselves, so that the backends can be
checked against each other on exactly the code that is timed.

Timings depend on the machine and on whatever else it runs: measure speed here or in a benchmark
script, never assert it in a test.
"""

from __future__ import annotations

import math
import os
import re
import statistics
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

from .layers import Conv2D, conv_output_size

__all__ = ["BACKENDS", "CpuInfo", "cpu_info", "vector_bits", "flops_per_cycle", "cpu_peak_gflops",
           "matmul_flops", "conv2d_flops", "time_per_call", "matmul", "conv2d", "matmul_rates",
           "matmul_gflops", "conv2d_rates", "conv2d_gflops", "memory_bandwidth_gbs", "tensorflow_threads"]

BACKENDS = ("numpy", "torch", "tensorflow")
_DTYPES = ("float32", "float64")
# The flags that decide the width of the vector units, widest first.
_SIMD_FLAGS = ("avx512f", "avx2", "fma", "avx", "sse2", "asimd")


@dataclass(frozen=True)
class CpuInfo:
    """The facts about a processor that its peak arithmetic rate depends on.

    ``usable_cores`` counts the logical CPUs this process may run on; ``threads_per_core`` > 1
    means simultaneous multithreading, whose sibling threads share one core's arithmetic units.
    ``clock_ghz`` is the clock the operating system reports. Under a hypervisor this is usually the
    nominal (base) clock, and a core running at a boost clock can exceed a peak computed from it.
    """

    model_name: str
    vendor: str
    family: int | None
    model: int | None
    usable_cores: int
    threads_per_core: int
    clock_ghz: float | None
    simd_flags: tuple[str, ...]

    @property
    def physical_cores(self) -> int:
        """Usable cores with their own arithmetic units (logical CPUs ÷ threads per core)."""
        return max(1, self.usable_cores // self.threads_per_core)


def _first_processor(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            if fields:
                break  # the first processor's block is enough: the others are alike
            continue
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())
    return fields


def _integer(value: str | None) -> int | None:
    try:
        return int(value, 0) if value is not None else None
    except ValueError:
        return None


def cpu_info(cpuinfo_text: str | None = None, usable_cores: int | None = None) -> CpuInfo:
    """Describe this machine's processor (or the one in ``cpuinfo_text``, a ``/proc/cpuinfo``).

    Without ``/proc/cpuinfo`` (not Linux) the fields it would give are empty or ``None``.
    """
    if cpuinfo_text is None:
        path = Path("/proc/cpuinfo")
        cpuinfo_text = path.read_text() if path.is_file() else ""
    if usable_cores is None:
        usable_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if usable_cores < 1:
        raise ValueError(f"usable_cores must be at least 1, got {usable_cores}.")
    fields = _first_processor(cpuinfo_text)
    flags = set((fields.get("flags") or fields.get("Features") or "").split())
    siblings, cores = _integer(fields.get("siblings")), _integer(fields.get("cpu cores"))
    threads_per_core = siblings // cores if siblings and cores and siblings >= cores else 1
    megahertz = fields.get("cpu MHz")
    return CpuInfo(
        model_name=fields.get("model name", "unknown"),
        vendor=fields.get("vendor_id", "unknown"),
        family=_integer(fields.get("cpu family")),
        model=_integer(fields.get("model")),
        usable_cores=usable_cores,
        threads_per_core=threads_per_core,
        clock_ghz=float(megahertz) / 1000 if megahertz else None,
        simd_flags=tuple(flag for flag in _SIMD_FLAGS if flag in flags),
    )


def vector_bits(info: CpuInfo) -> int:
    """The width in bits of the data one arithmetic unit works on per cycle.

    The widest instruction set in the flags, narrowed where a core is known to split wide
    instructions: AMD's Zen 4 (family 25 with AVX-512) runs a 512-bit instruction as two 256-bit
    halves, and Zen and Zen+ (family 23, models below 0x30) run AVX's 256-bit ones as two 128-bit
    halves. Other cores are taken at their flags' word, which a few (e.g. some Xeons with a single
    512-bit unit) do not live up to: pass an override to :func:`cpu_peak_gflops` for those.
    """
    flags = set(info.simd_flags)
    if "avx512f" in flags:
        bits = 512
    elif flags & {"avx2", "avx", "fma"}:
        bits = 256
    elif flags & {"sse2", "asimd"}:
        bits = 128
    else:
        return 64  # scalar floating point only
    if info.vendor == "AuthenticAMD" and info.family == 25:
        bits = min(bits, 256)
    if info.vendor == "AuthenticAMD" and info.family == 23 and (info.model or 0) < 0x30:
        bits = min(bits, 128)
    return bits


def flops_per_cycle(info: CpuInfo, dtype: str | np.dtype = "float32", units: int = 2) -> int:
    """Floating-point operations one core can complete per cycle: units × lanes × (2 with FMA).

    A fused multiply-add (FMA) a·b + c is one instruction and two operations. ``units`` is the
    number of vector units that can each start one (FMA) instruction per cycle: two on most
    current x86 and Arm server cores. Without FMA, a core has in effect one unit that multiplies
    and one that adds, which the same formula counts as two units of one operation each. With
    AVX2 and FMA: 2 units × 8 float32 lanes × 2 = 32 operations per cycle; 16 in float64.
    """
    dtype = _check_dtype(dtype)
    if int(units) != units or units < 1:
        raise ValueError(f"units must be a positive integer, got {units!r}.")
    lanes = max(1, vector_bits(info) // (8 * np.dtype(dtype).itemsize))
    fused = 2 if ({"fma", "avx512f", "asimd"} & set(info.simd_flags)) else 1
    return int(units) * lanes * fused


def cpu_peak_gflops(info: CpuInfo | None = None, dtype: str | np.dtype = "float32", *, cores: int | None = None,
                    clock_ghz: float | None = None, per_cycle: int | None = None) -> float:
    """The theoretical peak in GFLOP/s: cores × clock (GHz) × floating-point operations per cycle.

    Each factor defaults to what ``info`` (by default this machine's :func:`cpu_info`) says:
    physical usable cores, the reported clock and :func:`flops_per_cycle`; pass any of them to
    override a rule that does not fit the processor at hand.
    """
    info = info if info is not None else cpu_info()
    cores = info.physical_cores if cores is None else cores
    clock_ghz = info.clock_ghz if clock_ghz is None else clock_ghz
    per_cycle = flops_per_cycle(info, dtype) if per_cycle is None else per_cycle
    if clock_ghz is None:
        raise ValueError("the clock is unknown on this system: pass clock_ghz.")
    for name, value in (("cores", cores), ("clock_ghz", clock_ghz), ("per_cycle", per_cycle)):
        if not value > 0:
            raise ValueError(f"{name} must be positive, got {value!r}.")
    return cores * clock_ghz * per_cycle


def _check_positive_integers(**values: int) -> None:
    for name, value in values.items():
        if isinstance(value, bool) or int(value) != value or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}.")


def _check_dtype(dtype: str | np.dtype) -> str:
    name = np.dtype(dtype).name if not isinstance(dtype, str) else dtype
    if name not in _DTYPES:
        raise ValueError(f"dtype must be one of {_DTYPES}, got {dtype!r}.")
    return name


def _check_backend(backend: str) -> None:
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}.")


def matmul_flops(m: int, k: int | None = None, n: int | None = None) -> int:
    """Operations of an (m×k) @ (k×n) product: 2·m·k·n (one multiply and one add per term).

    With one argument, the square n×n case: 2·n³.
    """
    k = m if k is None else k
    n = m if n is None else n
    _check_positive_integers(m=m, k=k, n=n)
    return 2 * m * k * n


def conv2d_flops(batch: int, in_channels: int, out_channels: int, size: int, kernel: int,
                 stride: int = 1, padding: int = 0) -> int:
    """Operations of a 2-D convolution on square images: 2·N·C_out·H_out·W_out·C_in·k·k.

    Every output value is a sum of C_in·k·k products (a multiply and an add each); the bias,
    one add per output, is left out, as is customary.
    """
    _check_positive_integers(batch=batch, in_channels=in_channels, out_channels=out_channels, size=size,
                             kernel=kernel, stride=stride)
    out_size = conv_output_size(size, kernel, padding, stride)
    return 2 * batch * out_channels * out_size * out_size * in_channels * kernel * kernel


def time_per_call(run: Callable[[], Any], *, sync: Callable[[], Any] | None = None, repeats: int = 5,
                  warmup: int = 2, min_seconds: float = 0.02) -> list[float]:
    """Seconds per call of ``run``, once per repeat, after ``warmup`` untimed calls.

    Each repeat calls ``run`` as many times as it takes to last about ``min_seconds``, so that a
    call of a few microseconds is not lost in the timer's own resolution. ``sync`` is called
    before the clock starts and before it stops: a GPU runs work asynchronously, and without it
    the clock would measure only how fast the work is queued.
    """
    _check_positive_integers(repeats=repeats)
    if warmup < 0 or min_seconds < 0:
        raise ValueError(f"warmup and min_seconds must not be negative, got {warmup} and {min_seconds}.")
    sync = sync or (lambda: None)
    for _ in range(warmup):
        run()
    sync()
    start = time.perf_counter()
    run()
    sync()
    once = time.perf_counter() - start
    calls = max(1, min(100_000, math.ceil(min_seconds / max(once, 1e-7))))
    seconds = []
    for _ in range(repeats):
        sync()
        start = time.perf_counter()
        for _ in range(calls):
            run()
        sync()
        seconds.append((time.perf_counter() - start) / calls)
    return seconds


@contextmanager
def _threads(backend: str, threads: int | None) -> Iterator[None]:
    """Run the enclosed code with ``threads`` threads in ``backend``, and restore the setting."""
    if threads is None:
        yield
        return
    _check_positive_integers(threads=threads)
    if backend == "numpy":
        from threadpoolctl import threadpool_limits

        with threadpool_limits(threads, user_api="blas"):
            yield
    elif backend == "torch":
        import torch

        before = torch.get_num_threads()
        torch.set_num_threads(threads)
        try:
            yield
        finally:
            torch.set_num_threads(before)
    else:
        if tensorflow_threads() != threads:
            import tensorflow as tf

            try:
                tf.config.threading.set_intra_op_parallelism_threads(threads)
            except RuntimeError as error:
                raise ValueError(
                    f"TensorFlow fixes its number of threads when it initialises, and it runs with "
                    f"{tensorflow_threads()}: measure it at that count, or in a fresh process that sets "
                    f"tf.config.threading.set_intra_op_parallelism_threads({threads}) first.") from error
        yield


def tensorflow_threads() -> int:
    """The threads TensorFlow uses within one operation (its default, 0, means one per usable core)."""
    import tensorflow as tf

    return tf.config.threading.get_intra_op_parallelism_threads() or cpu_info().usable_cores


@dataclass
class _Operation:
    run: Callable[[], Any]
    sync: Callable[[], Any] | None
    result: Callable[[], np.ndarray]


def _torch_sync(device: Any) -> Callable[[], Any] | None:
    import torch

    device = torch.device(device)
    if device.type == "cuda":
        return torch.cuda.synchronize
    if device.type == "mps":
        return torch.mps.synchronize
    return None


def _tensorflow_sync(device: str, output: Callable[[], Any]) -> Callable[[], Any] | None:
    if "GPU" not in device.upper():
        return None
    return lambda: output()[..., :1].numpy()  # fetching one value waits for the queued work


def _matmul_operation(backend: str, a: np.ndarray, b: np.ndarray, device: Any) -> _Operation:
    if backend == "numpy":
        last = {}

        def run():
            last["c"] = a @ b
        return _Operation(run, None, lambda: last["c"])
    if backend == "torch":
        import torch

        device = device or "cpu"
        a_t, b_t = torch.from_numpy(a).to(device), torch.from_numpy(b).to(device)
        out = torch.empty((a.shape[0], b.shape[1]), dtype=a_t.dtype, device=device)
        return _Operation(lambda: torch.matmul(a_t, b_t, out=out), _torch_sync(device), lambda: out.cpu().numpy())
    import tensorflow as tf

    device = device or "/CPU:0"
    with tf.device(device):
        a_t, b_t = tf.constant(a), tf.constant(b)
    last = {}

    def run_tf():
        with tf.device(device):
            last["c"] = tf.linalg.matmul(a_t, b_t)
    return _Operation(run_tf, _tensorflow_sync(device, lambda: last["c"]), lambda: last["c"].numpy())


def _conv2d_operation(backend: str, x: np.ndarray, w: np.ndarray, stride: int, padding: int,
                      device: Any) -> _Operation:
    if backend == "numpy":
        layer = Conv2D(w, np.zeros(w.shape[0], dtype=w.dtype), stride=stride, padding=padding, input_grad=False)
        last = {}

        def run():
            last["y"] = layer.forward(x)
        return _Operation(run, None, lambda: last["y"])
    if backend == "torch":
        import torch
        import torch.nn.functional as F

        device = device or "cpu"
        x_t, w_t = torch.from_numpy(x).to(device), torch.from_numpy(w).to(device)
        last = {}

        def run_torch():
            with torch.no_grad():
                last["y"] = F.conv2d(x_t, w_t, stride=stride, padding=padding)
        return _Operation(run_torch, _torch_sync(device), lambda: last["y"].cpu().numpy())
    import tensorflow as tf

    device = device or "/CPU:0"
    # TensorFlow's CPU convolutions want channels last: images NHWC, kernels (k, k, C_in, C_out).
    with tf.device(device):
        x_t = tf.constant(x.transpose(0, 2, 3, 1))
        w_t = tf.constant(w.transpose(2, 3, 1, 0))
    pads = [[0, 0], [padding, padding], [padding, padding], [0, 0]]
    last = {}

    def run_tf():
        with tf.device(device):
            last["y"] = tf.nn.conv2d(x_t, w_t, strides=stride, padding=pads)
    return _Operation(run_tf, _tensorflow_sync(device, lambda: last["y"]),
                      lambda: last["y"].numpy().transpose(0, 3, 1, 2))


def _check_matmul_inputs(a: np.ndarray, b: np.ndarray) -> None:
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0]:
        raise ValueError(f"matmul needs an (m×k) and a (k×n) matrix, got shapes {a.shape} and {b.shape}.")
    if a.dtype != b.dtype:
        raise ValueError(f"both matrices must have the same dtype, got {a.dtype} and {b.dtype}.")
    _check_dtype(a.dtype)


def matmul(backend: str, a: np.ndarray, b: np.ndarray, device: Any = None) -> np.ndarray:
    """a @ b computed by ``backend`` (on ``device``, for the frameworks), as a NumPy array."""
    _check_backend(backend)
    a, b = np.ascontiguousarray(a), np.ascontiguousarray(b)
    _check_matmul_inputs(a, b)
    operation = _matmul_operation(backend, a, b, device)
    operation.run()
    return operation.result()


def _check_conv_inputs(x: np.ndarray, w: np.ndarray) -> None:
    if x.ndim != 4 or w.ndim != 4 or x.shape[1] != w.shape[1] or w.shape[2] != w.shape[3]:
        raise ValueError(f"conv2d needs images (N, C_in, H, W) and square kernels (C_out, C_in, k, k), "
                         f"got shapes {x.shape} and {w.shape}.")
    if x.dtype != w.dtype:
        raise ValueError(f"images and kernels must have the same dtype, got {x.dtype} and {w.dtype}.")
    _check_dtype(x.dtype)


def conv2d(backend: str, x: np.ndarray, w: np.ndarray, stride: int = 1, padding: int = 0,
           device: Any = None) -> np.ndarray:
    """The cross-correlation of images x (N, C_in, H, W) with kernels w (C_out, C_in, k, k), no bias.

    The result has shape (N, C_out, H_out, W_out) whatever the layout ``backend`` uses inside.
    """
    _check_backend(backend)
    _check_conv_inputs(x, w)
    conv_output_size(min(x.shape[2:]), w.shape[2], padding, stride)  # a clear error when the kernel does not fit
    operation = _conv2d_operation(backend, np.ascontiguousarray(x), np.ascontiguousarray(w), stride, padding, device)
    operation.run()
    return operation.result()


def _summarise(rates: list[float], statistic: str) -> float:
    if statistic not in ("best", "median"):
        raise ValueError(f"statistic must be 'best' or 'median', got {statistic!r}.")
    return max(rates) if statistic == "best" else statistics.median(rates)


def matmul_rates(backend: str, n: int, dtype: str | np.dtype = "float32", threads: int | None = None, *,
                 device: Any = None, repeats: int = 5, min_seconds: float = 0.02, seed: int = 0) -> list[float]:
    """Achieved GFLOP/s of an n×n by n×n matrix product in ``backend``, one value per timed repeat.

    Each value is 2·n³ over the time per call (see :func:`time_per_call`). ``threads`` limits the
    backend's threads for the measurement (NumPy's BLAS through threadpoolctl, PyTorch through
    ``torch.set_num_threads``); TensorFlow's count is fixed once it has started, so for it only its
    current count, or ``None``, is accepted. ``device`` is a PyTorch device or a TensorFlow device
    name; the CPU by default.
    """
    _check_backend(backend)
    _check_positive_integers(n=n)
    dtype = _check_dtype(dtype)
    rng = np.random.default_rng(seed)
    a, b = (rng.standard_normal((n, n)).astype(dtype) for _ in range(2))
    with _threads(backend, threads):
        operation = _matmul_operation(backend, a, b, device)
        seconds = time_per_call(operation.run, sync=operation.sync, repeats=repeats, min_seconds=min_seconds)
    return [matmul_flops(n) / value / 1e9 for value in seconds]


def matmul_gflops(backend: str, n: int, dtype: str | np.dtype = "float32", threads: int | None = None, *,
                  statistic: str = "best", **options: Any) -> float:
    """One figure from :func:`matmul_rates` (same arguments): the "best" repeat or the "median".

    The best is what the machine can do when nothing disturbs it; on a shared machine the slower
    repeats measure the other jobs as much as the product.
    """
    _summarise([0.0], statistic)  # a bad statistic is refused before anything is timed
    return _summarise(matmul_rates(backend, n, dtype, threads, **options), statistic)


def conv2d_rates(backend: str, batch: int, in_channels: int, out_channels: int, size: int, kernel: int,
                 stride: int = 1, padding: int = 0, dtype: str | np.dtype = "float32",
                 threads: int | None = None, *, device: Any = None, repeats: int = 5, min_seconds: float = 0.02,
                 seed: int = 0) -> list[float]:
    """Achieved GFLOP/s of one convolution's forward pass (see :func:`conv2d_flops`), one per repeat.

    The "numpy" backend is the book's from-scratch ``layers.Conv2D`` (im2col, then one matrix
    product). ``threads`` and ``device`` as in :func:`matmul_rates`.
    """
    _check_backend(backend)
    flops = conv2d_flops(batch, in_channels, out_channels, size, kernel, stride, padding)
    dtype = _check_dtype(dtype)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, in_channels, size, size)).astype(dtype)
    w = rng.standard_normal((out_channels, in_channels, kernel, kernel)).astype(dtype)
    with _threads(backend, threads):
        operation = _conv2d_operation(backend, x, w, stride, padding, device)
        seconds = time_per_call(operation.run, sync=operation.sync, repeats=repeats, min_seconds=min_seconds)
    return [flops / value / 1e9 for value in seconds]


def conv2d_gflops(backend: str, *shape: int, statistic: str = "best", **options: Any) -> float:
    """One figure from :func:`conv2d_rates` (same arguments): the "best" repeat or the "median"."""
    _summarise([0.0], statistic)
    return _summarise(conv2d_rates(backend, *shape, **options), statistic)


def memory_bandwidth_gbs(megabytes: float = 64, *, repeats: int = 5) -> float:
    """Achieved memory bandwidth in GB/s of c = a + b on float32 arrays of ``megabytes`` each.

    Each element moves 12 bytes (two read, one written) for one addition. Arrays much larger than
    the caches make this the speed of main memory; small ones measure a cache instead. NumPy runs
    element-wise operations on one thread, so this is what one core can draw from memory.
    """
    if not megabytes > 0:
        raise ValueError(f"megabytes must be positive, got {megabytes!r}.")
    count = max(1, int(megabytes * 1e6 // 4))
    a, b = np.ones(count, np.float32), np.ones(count, np.float32)
    c = np.empty_like(a)
    seconds = time_per_call(lambda: np.add(a, b, out=c), repeats=repeats, warmup=1)
    return 12 * count / min(seconds) / 1e9
