"""Run a call in a forked child with a deadline: the hang detector of the hostile-input tests.

A backtracking regex holds the GIL for as long as it runs, so a thread cannot time it out:
the call runs in a child process that is killed when it outlives its deadline, and the
test fails at once instead of hanging (or taking 30 s before a fix).

`grows_linearly` times the same kind of input at n and 4n: a linear parse takes about
4 times longer (less, with the core's fixed costs), a quadratic one 16, a cubic one 64.
The bound is generous on purpose: this is a correctness check of linearity, not a
benchmark (bench/fuzz.py prints the figures).
"""
from __future__ import annotations

import multiprocessing
import time
import traceback
from typing import Callable

CHILD_DEADLINE = 10.0
GROWTH_FACTOR = 8.0  # 4x the input may take at most 8x the time ...
GROWTH_SLACK = 0.5  # ... plus this many seconds, so that scheduling noise on small times never fails a test


class Hang(AssertionError):
    """The call outlived its deadline."""


def timed(call: Callable[[], object], deadline: float = CHILD_DEADLINE) -> float:
    """Seconds `call()` takes in a forked child; Hang past `deadline`; the child's exception is re-raised."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def child() -> None:
        start = time.perf_counter()
        try:
            call()
            sender.send(("ok", time.perf_counter() - start))
        except BaseException as exc:  # noqa: the parent reports whatever went wrong
            sender.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))

    process = context.Process(target=child, daemon=True)
    process.start()
    try:
        if not receiver.poll(deadline):
            raise Hang(f"still running after {deadline:g} s")
        kind, value = receiver.recv()
    finally:
        if process.is_alive():
            process.kill()
        process.join()
    if kind == "error":
        raise AssertionError(f"the call raised in the child: {value}")
    return value


def grows_linearly(make_call: Callable[[int], Callable[[], object]], n: int) -> tuple[float, float]:
    """(seconds at n, seconds at 4n); fails when 4n takes more than GROWTH_FACTOR times n plus slack."""
    small = timed(make_call(n))
    large = timed(make_call(4 * n))
    assert large <= GROWTH_FACTOR * small + GROWTH_SLACK, (
        f"{large:.2f} s for 4n against {small:.2f} s for n: the cost grows faster than the input")
    return small, large
