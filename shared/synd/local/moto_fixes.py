"""Where moto, run with threads, behaves unlike AWS, and what the local stack does about it.

DynamoDB applies a TransactWriteItems atomically and in isolation. moto 5.2 does not: it deep-copies
every table a transaction names (its rollback copy) without a lock, so a write from another thread
during the copy raises "dictionary changed size during iteration" (a 500 for that caller), and a
transaction that fails puts its copy back, undoing what other threads wrote meanwhile. The local
stack serves requests on threads (ThreadedMotoServer) and runs handlers on threads (the backfill's
workers, the concurrent publishers of bench/scale.py), so `serialize_dynamodb()` makes moto's
DynamoDB reads and writes take one lock, as if each request ran alone.
"""
from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

OPERATIONS = ("put_item", "get_item", "query", "scan", "update_item", "delete_item", "transact_write_items")
_LOCK = threading.RLock()  # re-entrant: a backend method may call another one


def serialize_dynamodb() -> None:
    """Idempotent: wraps each of moto's DynamoDB backend operations once."""
    from moto.dynamodb.models import DynamoDBBackend

    for name in OPERATIONS:
        method = getattr(DynamoDBBackend, name)
        if not getattr(method, "_synd_serialized", False):
            setattr(DynamoDBBackend, name, _locked(method))


def _locked(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def locked(*args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            return method(*args, **kwargs)

    locked._synd_serialized = True  # type: ignore[attr-defined]
    return locked
