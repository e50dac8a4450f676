"""Where moto, run with threads, behaves unlike AWS or spends its one core on nothing, and what the
local stack does about it.

DynamoDB applies a TransactWriteItems atomically and in isolation. moto 5.2 does not: it deep-copies
every table a transaction names (its rollback copy) without a lock, so a write from another thread
during the copy raises "dictionary changed size during iteration" (a 500 for that caller), and a
transaction that fails puts its copy back, undoing what other threads wrote meanwhile. The local
stack serves requests on threads (ThreadedMotoServer) and runs handlers on threads (the backfill's
workers, the concurrent publishers of bench/scale.py), so `serialize_dynamodb()` makes moto's
DynamoDB reads and writes take one lock, as if each request ran alone.

moto's server also routes every request by listing its own package directory (`os.listdir` and an
`isdir` for each of its ~150 service folders) while it holds its dispatcher's lock, so requests from
concurrent callers queue for the file system: 13% of the server's CPU in bench/scale.py's
publishers run. The folders do not change while the process runs; `route_from_cached_modules()`
lists them once. Every error response (a 404 for a page not written yet, a conditional write
refused) built a botocore Session and listed botocore's service models to name the service
(another 9%); `name_services_once()` keeps the answer per name. `apply()` makes all three changes,
as the local stack, the tests and the benches need.
"""
from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

OPERATIONS = ("put_item", "get_item", "query", "scan", "update_item", "delete_item", "transact_write_items")
_LOCK = threading.RLock()  # re-entrant: a backend method may call another one


def apply() -> None:
    """Every fix of this module (idempotent)."""
    serialize_dynamodb()
    route_from_cached_modules()
    name_services_once()


def route_from_cached_modules() -> None:
    """Idempotent: moto.backends.list_of_moto_modules lists the package once per process."""
    from moto import backends

    _memoize(backends, "list_of_moto_modules", tuple)


def name_services_once() -> None:
    """Idempotent: moto's error responses map a package name to a service name once per name."""
    from moto.core import utils

    _memoize(utils, "service_name_from_moto_package_name")


def _memoize(module: Any, name: str, convert: Callable[[Any], Any] | None = None) -> None:
    """Replace a pure function of `module` (called by moto through the module) by a cached one."""
    original = getattr(module, name)
    if getattr(original, "_synd_cached", False):
        return

    @functools.cache
    def cached(*args: Any) -> Any:
        value = original(*args)
        return convert(value) if convert else value

    cached.__wrapped__ = original
    cached._synd_cached = True  # type: ignore[attr-defined]
    setattr(module, name, cached)


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
