"""book.hardware: the peak-rate rule, the operation counts, clear errors, and measurements that measure."""

import math

import numpy as np
import pytest

from book import hardware

ZEN4 = """processor	: 0
vendor_id	: AuthenticAMD
cpu family	: 25
model		: 17
model name	: AMD EPYC
cpu MHz		: 2596.128
siblings	: 2
cpu cores	: 2
flags		: fpu sse sse2 avx fma avx2 avx512f avx512bw

processor	: 1
vendor_id	: AuthenticAMD
"""

SKYLAKE_SERVER = """vendor_id	: GenuineIntel
cpu family	: 6
model		: 85
model name	: Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz
cpu MHz		: 2400.000
siblings	: 4
cpu cores	: 2
flags		: sse2 avx fma avx2 avx512f
"""

SANDY_BRIDGE = """vendor_id	: GenuineIntel
cpu family	: 6
model		: 42
cpu MHz		: 3400.000
flags		: sse2 avx
"""


def test_cpu_info_reads_the_fields_the_peak_depends_on():
    info = hardware.cpu_info(ZEN4, usable_cores=2)
    assert (info.vendor, info.family, info.model, info.model_name) == ("AuthenticAMD", 25, 17, "AMD EPYC")
    assert info.clock_ghz == pytest.approx(2.596128)
    assert info.simd_flags == ("avx512f", "avx2", "fma", "avx", "sse2")
    assert info.physical_cores == 2


def test_cpu_info_of_this_machine_is_usable():
    info = hardware.cpu_info()
    assert info.usable_cores >= 1 and info.physical_cores >= 1


def test_hyperthreads_share_a_core():
    info = hardware.cpu_info(SKYLAKE_SERVER, usable_cores=4)
    assert info.threads_per_core == 2 and info.physical_cores == 2


def test_zen4_runs_avx512_as_two_256_bit_halves():
    info = hardware.cpu_info(ZEN4, usable_cores=2)
    assert hardware.vector_bits(info) == 256
    assert hardware.flops_per_cycle(info, "float32") == 32  # 2 FMA units × 8 lanes × 2
    assert hardware.flops_per_cycle(info, np.float64) == 16
    assert hardware.cpu_peak_gflops(info) == pytest.approx(2 * 2.596128 * 32)


def test_full_width_avx512_and_no_fma():
    skylake = hardware.cpu_info(SKYLAKE_SERVER, usable_cores=4)
    assert hardware.flops_per_cycle(skylake) == 64  # 2 units × 16 lanes × 2
    sandy_bridge = hardware.cpu_info(SANDY_BRIDGE, usable_cores=1)
    assert hardware.flops_per_cycle(sandy_bridge) == 16  # one multiply and one add of 8 lanes
    assert hardware.flops_per_cycle(sandy_bridge, units=1) == 8


def test_peak_overrides_and_their_errors():
    info = hardware.cpu_info(ZEN4, usable_cores=2)
    assert hardware.cpu_peak_gflops(info, cores=1, clock_ghz=3.0, per_cycle=64) == pytest.approx(192)
    with pytest.raises(ValueError, match="clock_ghz"):
        hardware.cpu_peak_gflops(info, clock_ghz=0)
    with pytest.raises(ValueError, match="clock"):
        hardware.cpu_peak_gflops(hardware.cpu_info("flags : avx2 fma", usable_cores=1))
    with pytest.raises(ValueError, match="dtype"):
        hardware.flops_per_cycle(info, "float16")


def test_operation_counts():
    assert hardware.matmul_flops(3) == 2 * 27
    assert hardware.matmul_flops(2, 3, 4) == 48
    # LeNet's second convolution: 6 → 16 channels, 5×5, 14×14 → 10×10.
    assert hardware.conv2d_flops(1, 6, 16, 14, 5) == 2 * 16 * 10 * 10 * 6 * 25
    # Padding keeps the size; stride 2 halves it.
    assert hardware.conv2d_flops(2, 3, 4, 8, 3, stride=1, padding=1) == 2 * 2 * 4 * 8 * 8 * 3 * 9
    assert hardware.conv2d_flops(1, 1, 1, 8, 2, stride=2) == 2 * 4 * 4 * 4


@pytest.mark.parametrize("call, message", [
    (lambda: hardware.matmul_flops(0), "m must be"),
    (lambda: hardware.matmul_flops(2.5), "m must be"),
    (lambda: hardware.conv2d_flops(1, 1, 1, 4, 7), "does not fit"),
    (lambda: hardware.matmul_gflops("jax", 8), "backend"),
    (lambda: hardware.matmul_gflops("numpy", -8), "n must be"),
    (lambda: hardware.matmul_gflops("numpy", 8, dtype="int32"), "dtype"),
    (lambda: hardware.matmul_gflops("numpy", 8, threads=0), "threads"),
    (lambda: hardware.matmul_gflops("numpy", 8, statistic="mean"), "statistic"),
    (lambda: hardware.conv2d_gflops("numpy", 1, 1, 1, 3, 5), "does not fit"),
    (lambda: hardware.matmul("numpy", np.ones((2, 3)), np.ones((2, 3))), "shapes"),
    (lambda: hardware.conv2d("numpy", np.ones((1, 2, 5, 5)), np.ones((1, 3, 3, 3))), "shapes"),
    (lambda: hardware.time_per_call(lambda: None, repeats=0), "repeats"),
])
def test_bad_arguments_are_told_clearly(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_time_per_call_repeats_and_syncs():
    synced = []
    seconds = hardware.time_per_call(lambda: sum(range(100)), sync=lambda: synced.append(1), repeats=3,
                                     min_seconds=0.001)
    assert len(seconds) == 3 and all(value > 0 for value in seconds)
    assert len(synced) == 2 + 2 * 3  # around the calibrating call, and around every repeat


@pytest.mark.parametrize("backend", hardware.BACKENDS)
def test_backends_agree_and_measure_a_positive_rate(backend):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((5, 7)), rng.standard_normal((7, 3))
    np.testing.assert_allclose(hardware.matmul(backend, a, b), a @ b, rtol=1e-10)
    x, w = rng.standard_normal((2, 3, 6, 6)), rng.standard_normal((4, 3, 3, 3))
    reference = hardware.conv2d("numpy", x, w, padding=1)
    assert reference.shape == (2, 4, 6, 6)
    np.testing.assert_allclose(hardware.conv2d(backend, x, w, padding=1), reference, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(reference[0, 0, 2, 2], np.sum(x[0, :, 1:4, 1:4] * w[0]), rtol=1e-12)
    for rate in (hardware.matmul_gflops(backend, 32, repeats=2, min_seconds=0.001),
                 hardware.conv2d_gflops(backend, 1, 2, 2, 8, 3, repeats=2, min_seconds=0.001)):
        assert rate > 0 and math.isfinite(rate)


def test_rates_give_one_value_per_repeat_and_the_statistics_pick_from_them():
    rates = hardware.matmul_rates("numpy", 16, repeats=3, min_seconds=0.001)
    assert len(rates) == 3 and all(rate > 0 and math.isfinite(rate) for rate in rates)
    assert len(hardware.conv2d_rates("numpy", 1, 1, 1, 6, 3, repeats=4, min_seconds=0.001)) == 4
    median = hardware.matmul_gflops("numpy", 16, statistic="median", repeats=3, min_seconds=0.001)
    assert median > 0 and math.isfinite(median)


def test_threads_are_restored_after_a_measurement():
    import torch

    before = torch.get_num_threads()
    hardware.matmul_gflops("torch", 16, threads=1, repeats=1, min_seconds=0.0)
    assert torch.get_num_threads() == before


def test_tensorflow_refuses_a_thread_count_once_started():
    import tensorflow as tf

    tf.constant(1.0) + 1.0  # TensorFlow's runtime starts with its first operation
    other = hardware.tensorflow_threads() + 1
    with pytest.raises(ValueError, match="fresh process"):
        hardware.matmul_gflops("tensorflow", 8, threads=other, repeats=1)


def test_memory_bandwidth_is_positive():
    assert hardware.memory_bandwidth_gbs(megabytes=1, repeats=2) > 0
    with pytest.raises(ValueError, match="megabytes"):
        hardware.memory_bandwidth_gbs(megabytes=0)
