"""Where moto, run with threads, behaves unlike AWS or spends its one core on nothing, and what the
local stack does about it.

DynamoDB applies a TransactWriteItems atomically and in isolation. moto 5.2 does not: it deep-copies
every table a transaction names (its rollback copy) without a lock, so a write from another thread
during the copy raises "dictionary changed size during iteration" (a 500 for that caller), and a
transaction that fails puts its copy back, undoing what other threads wrote meanwhile. The local
stack serves requests on threads (ThreadedMotoServer) and runs handlers on threads (the backfill's
workers, the concurrent publishers of bench/scale.py), so `serialize_dynamodb()` makes moto's
DynamoDB reads and writes take one lock, as if each request ran alone. That copy of every table
also makes a transaction's cost grow with the table; `roll_back_items_not_tables()` keeps a copy
of the items the transaction writes instead.

moto's server also routes every request by listing its own package directory (`os.listdir` and an
`isdir` for each of its ~150 service folders) while it holds its dispatcher's lock, so requests from
concurrent callers queue for the file system: 13% of the server's CPU in bench/scale.py's
publishers run. The folders do not change while the process runs; `route_from_cached_modules()`
lists them once. Every error response (a 404 for a page not written yet, a conditional write
refused) built a botocore Session and listed botocore's service models to name the service
(another 9%); `name_services_once()` keeps the answer per name.

A Query of the table by its partition key reads one partition in DynamoDB. moto 5.2 sorts every item
of the table and keeps those of the partition, so each Query costs time in proportion to the table:
in bench/scale.py's 2,000-drop run the renderer's Query of a language's render state took about
1.7 s, and the run never drained. `query_partitions_not_tables()` hands moto's Query only the
partition's items. `apply()` makes all five changes, as the local stack, the tests and the benches
need.
"""
from __future__ import annotations

import copy
import functools
import inspect
import threading
from collections.abc import Callable
from typing import Any

OPERATIONS = ("put_item", "get_item", "query", "scan", "update_item", "delete_item", "transact_write_items")
_LOCK = threading.RLock()  # re-entrant: a backend method may call another one


def apply() -> None:
    """Every fix of this module (idempotent)."""
    serialize_dynamodb()
    roll_back_items_not_tables()
    route_from_cached_modules()
    name_services_once()
    query_partitions_not_tables()


_PARTITION = threading.local()  # the (table, hash key) a base-table Query on this thread reads


def query_partitions_not_tables() -> None:
    """Idempotent: a Query of the table (not of an index) reads only its partition's items.

    moto's `Table.query` takes `self.all_items()` (the whole table, sorted) and keeps the items whose
    hash key matches; it then sorts them by range key itself. While a base-table Query runs on a
    thread, `all_items` answers with that partition alone, so moto's filtering, sorting, paging
    and projection run as shipped, over the same items in the same order. Index Queries and
    Scans still read the whole table, as they must."""
    from moto.dynamodb.models.table import Table

    query, all_items = Table.query, Table.all_items
    if getattr(query, "_synd_by_partition", False):
        return
    signature = inspect.signature(query)

    @functools.wraps(query)
    def query_by_partition(self: Any, *args: Any, **kwargs: Any) -> Any:
        arguments = signature.bind(self, *args, **kwargs).arguments
        if arguments.get("index_name") or arguments.get("hash_key") is None:
            return query(self, *args, **kwargs)
        _PARTITION.scope = (self, arguments["hash_key"])
        try:
            return query(self, *args, **kwargs)
        finally:
            _PARTITION.scope = None

    @functools.wraps(all_items)
    def items_in_scope(self: Any) -> Any:
        scope = getattr(_PARTITION, "scope", None)
        if scope is None or scope[0] is not self:
            return all_items(self)
        hash_key = scope[1]
        if hash_key not in self.items:  # a defaultdict: `in` adds no partition
            return []
        partition = self.items[hash_key]
        return list(partition.values()) if self.range_key_attr else [partition]

    query_by_partition._synd_by_partition = True  # type: ignore[attr-defined]
    Table.query = query_by_partition  # type: ignore[method-assign]
    Table.all_items = items_in_scope  # type: ignore[method-assign]


def roll_back_items_not_tables() -> None:
    """Idempotent: a transaction keeps a copy of the items it writes, not of the tables it names.

    moto's rollback copy is a deep copy of each whole table, so a transaction costs time in
    proportion to the table (in bench/scale.py's 500-drop run an ingest invocation took up to 40 s,
    and the 2,000-drop run never finished). moto's own copy becomes the table itself, and this
    wrapper restores the items the transaction named when it raises; under the lock of
    `serialize_dynamodb`, so nothing else writes meanwhile."""
    from moto.dynamodb import models

    if getattr(models.copy, "_synd_tables_not_copied", False):
        return
    models.copy = _TablesNotCopied()  # type: ignore[assignment]
    transact = models.DynamoDBBackend.transact_write_items

    @functools.wraps(transact)
    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> Any:
        with _LOCK:
            saved = [snapshot for entry in transact_items if (snapshot := _item_before(self, entry))]
            try:
                return transact(self, transact_items)
            except Exception:
                for table, hash_value, range_value, item in reversed(saved):
                    _restore(table, hash_value, range_value, item)
                raise

    models.DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]


class _TablesNotCopied:
    """moto.dynamodb.models' `copy` module, but a Table's deep copy is the table itself."""

    _synd_tables_not_copied = True

    def deepcopy(self, value: Any, memo: Any = None) -> Any:
        from moto.dynamodb.models.table import Table

        return value if isinstance(value, Table) else copy.deepcopy(value, memo)

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)


def _item_before(backend: Any, entry: dict[str, Any]) -> tuple[Any, Any, Any, Any] | None:
    """(table, hash key, range key, a copy of the item or None) for one TransactItems entry; None when
    the entry is malformed (moto refuses it before writing anything for it)."""
    from moto.dynamodb.models.dynamo_type import DynamoType

    try:
        _, operation = next(iter(entry.items()))
        table = backend.tables[operation["TableName"]]
        key = operation["Item"] if "Item" in operation else operation["Key"]
        hash_value = DynamoType(key[table.hash_key_attr])
        range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
        return table, hash_value, range_value, copy.deepcopy(table.get_item(hash_value, range_value))
    except Exception:  # noqa: BLE001 - moto's own validation answers for a malformed entry
        return None


def _restore(table: Any, hash_value: Any, range_value: Any, item: Any) -> None:
    if item is None:
        table.delete_item(hash_value, range_value)
    elif range_value is not None:
        table.items[hash_value][range_value] = item
    else:
        table.items[hash_value] = item


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
