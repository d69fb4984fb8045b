"""What every benchmark shares: the summary of a list of timings."""

from __future__ import annotations

import statistics

__all__ = ["stats"]


def stats(samples: list[float], *, digits: int = 1) -> dict[str, float]:
    """Return median and p95 in milliseconds (rounded to `digits`) and the number of runs."""
    s = sorted(samples)
    p95 = s[min(len(s) - 1, round(0.95 * (len(s) - 1)))]
    return {"median_ms": round(statistics.median(s) * 1000, digits),
            "p95_ms": round(p95 * 1000, digits), "n": len(s)}
