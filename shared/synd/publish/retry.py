"""When to try a failed delivery again: exponential backoff with full jitter.

Full jitter (a uniform draw in [0, min(cap, base * 2**attempt)]) spreads the
retries of many messages that failed together, so a recovering receiver is not
hit by a synchronised wave (see the AWS Architecture Blog, "Exponential Backoff And Jitter").
"""
from __future__ import annotations

import random

RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


def backoff_seconds(attempt: int, *, base: float = 2.0, cap: float = 300.0, rng: random.Random | None = None) -> float:
    """Delay before retry number `attempt` (1 = the first retry)."""
    ceiling = min(cap, base * (2 ** max(attempt - 1, 0)))
    return (rng or random).uniform(0, ceiling)


def is_retryable(status: int | None) -> bool:
    """5xx, 429 and 408 are worth another try; None (timeout, connection refused) too; other 4xx are not."""
    return status is None or status in RETRYABLE_STATUS or status >= 500
