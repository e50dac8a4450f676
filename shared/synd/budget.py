"""A drop's time budget, and which stage of the core is running.

No drop may outlast the Lambda that parses it: one that did would fail its
whole SQS batch again and again until the batch reached the DLQ. Every stage
of the core is linear in its input, but a 10 MiB drop of the worst kind can
still take long, so `parse_drop` gives each drop a budget and the stages check
it cooperatively at their boundaries and in their loops (per feed item, per
paragraph judged for its language, before and after each extractor). When
the budget is spent, the drop is refused with `Rejected("too_slow", ...)`,
naming the stage that ran out; a drop record and `synd replay` can take it
again with a bigger budget.

The budget travels in a context variable, so format modules call
`checkpoint("feed item 3")` without a budget argument in every signature; with
no budget running (a format module called alone, in a test), a checkpoint only
notes the stage. The clock is injectable for tests.
"""
from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from synd.errors import Rejected

DEFAULT_BUDGET_SECONDS = 20.0


class Budget:
    """Seconds a drop may take, counted from creation on `clock`; `stage` is the last checkpoint passed."""

    def __init__(self, seconds: float | None, clock: Callable[[], float] = time.monotonic):
        self.seconds = seconds
        self.clock = clock
        self.started = clock()
        self.step = "start"
        self.item: str | None = None  # the item of a multi-article drop being built, if any

    @property
    def stage(self) -> str:
        """Where the core is: the last checkpoint, and the item it belongs to (`language detection in item 2`)."""
        if self.item and not self.step.startswith(self.item):
            return f"{self.step} in {self.item}"
        return self.step

    def elapsed(self) -> float:
        return self.clock() - self.started

    def checkpoint(self, step: str) -> None:
        """Note that `step` starts; refuse the drop when the budget is already spent."""
        self.step = step
        if self.seconds is None:
            return
        elapsed = self.elapsed()
        if elapsed > self.seconds:
            raise Rejected("too_slow", f"parsing took longer than its {self.seconds:g} s budget: "
                                       f"{elapsed:.1f} s had passed when {self.stage} was to start")


_CURRENT: ContextVar[Budget | None] = ContextVar("synd_budget", default=None)


@contextmanager
def running(budget: Budget) -> Iterator[Budget]:
    """Make `budget` the one every checkpoint in this context checks."""
    token = _CURRENT.set(budget)
    try:
        yield budget
    finally:
        _CURRENT.reset(token)


def checkpoint(stage: str) -> None:
    """A stage or loop boundary: note the stage, refuse the drop if its budget is spent."""
    budget = _CURRENT.get()
    if budget is not None:
        budget.checkpoint(stage)


def begin_item(item: str) -> None:
    """The checkpoints that follow belong to this item of the drop (their stage names say so)."""
    budget = _CURRENT.get()
    if budget is not None:
        budget.item = item
        budget.checkpoint(item)


def remaining(default: float) -> float:
    """Seconds the running budget has left (`default` when no budget runs, or it has none)."""
    budget = _CURRENT.get()
    if budget is None or budget.seconds is None:
        return default
    return budget.seconds - budget.elapsed()


def invocation_clock(context) -> Callable[[], float] | None:
    """Seconds left in the Lambda invocation of `context`, as a clock the core cuts its budgets to;
    None outside Lambda (no context: tests, tools)."""
    if context is None:
        return None
    return lambda: context.get_remaining_time_in_millis() / 1000


def call_with_deadline(function: Callable, argument, seconds: float, default):
    """`function(argument)` in a forked child, killed after `seconds`: `default` then, or when it fails.

    For library code the core cannot make linear nor interrupt (readability-lxml is quadratic
    or worse on nested or malformed pages). The result comes back through a pipe; where fork
    is not available the call runs in this process."""
    if seconds <= 0:
        return default
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        return function(argument)
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_send_result, args=(sender, function, argument), daemon=True)
    child.start()
    sender.close()
    try:
        if receiver.poll(seconds):
            ok, value = receiver.recv()
            return value if ok else default
        return default
    except EOFError:  # the child died without an answer
        return default
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()


def _send_result(sender, function: Callable, argument) -> None:
    try:
        sender.send((True, function(argument)))
    except Exception:  # noqa: BLE001 - the parent falls back on its default
        sender.send((False, None))


def current_stage() -> str:
    budget = _CURRENT.get()
    return budget.stage if budget is not None else "start"
