"""Timing helpers: medians and percentiles in milliseconds."""

import statistics
import time


def timed(fn, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(samples: list[float]) -> str:
    return (
        f"p50 {statistics.median(samples):8.1f} ms   p95 {percentile(samples, 95):8.1f} ms"
        f"   (n={len(samples)})"
    )
