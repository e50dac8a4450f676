"""The table's one GSI, `byStateSparse`: only what operators query, on keys that spread.

Sparse: an item is in the index only while it has `gsi2pk`. It is set on

    DELIVERY#<state>#<n>   pending, retrying, failed, withheld deliveries   sk <target>#<updated_at>
    TARGET#paused          a paused target (a handful at most: not sharded)  sk <target>#<paused_at>
    DROP#rejected#<n>      a rejected drop                                   sk <recorded_at>#<key>
    LATEST#<n>             an article's latest version (`synd status`)       sk <stored_at>#<article id>

and REMOVEd when the item leaves such a state (a delivery that is delivered or
withdrawn, a target resumed). Delivered deliveries and ingested, superseded or
duplicate drops, the bulk of the writes, are never indexed.

Sharded: `<n>` = sha256(the item's id) mod SHARDS, so a burst of one kind (a
one-partner backfill, a target that is down, a batch of bad drops) spreads
over SHARDS partition keys instead of one; readers query every shard and merge.
SHARDS may grow (old items sit in shards the readers still query), never shrink.

Why `pending` is indexed at all: `synd redrive` must find a pending delivery
whose worker died (issue 9). Without the index only a Scan finds it. Indexed
on SHARDS keys it costs one small index put at the claim and one delete at the
outcome, ~1 WRU each with the INCLUDE projection below, spread over the shards.

Projection INCLUDE: the attributes the commands print (synd deliveries,
redrive, withheld, reconsider, status, replay); `synd status` reads whole
articles by key (BatchGetItem) after finding them here.
"""
from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from typing import Any

INDEX = "byStateSparse"
PK, SK = "gsi2pk", "gsi2sk"
SHARDS = 16
INDEXED_DELIVERY_STATES = ("pending", "retrying", "failed", "withheld")
INDEXED_DROP_STATES = ("rejected",)
PROJECTED = ("type", "state", "article_id", "version", "target", "partner", "language", "updated_at", "attempts",
             "last_error", "status_code", "decision", "detail", "lease_until", "paused_at", "bucket", "key",
             "error", "recorded_at")  # template.yaml's NonKeyAttributes (tests/integration/test_sparse_index.py)


def shard(item_id: str) -> int:
    """A stable shard of an id (sha256, not Python's per-process hash())."""
    return int.from_bytes(hashlib.sha256(item_id.encode("utf-8")).digest()[:4], "big") % SHARDS


def delivery_pk(state: str, article_id: str) -> str:
    return f"DELIVERY#{state}#{shard(article_id)}"


def drop_pk(state: str, bucket: str, key: str) -> str:
    return f"DROP#{state}#{shard(f'{bucket}/{key}')}"


def latest_pk(article_id: str) -> str:
    return f"LATEST#{shard(article_id)}"


PAUSED_TARGETS = "TARGET#paused"


def shard_keys(prefix: str) -> list[str]:
    """Every partition key of one sharded kind, e.g. `DELIVERY#failed` -> DELIVERY#failed#0 .. #SHARDS-1."""
    return [f"{prefix}#{n}" for n in range(SHARDS)]


def query_shards(ddb, table: str, prefix: str, *, sk_prefix: str | None = None, limit: int = 1000,
                 newest_first: bool = True, **extra: Any) -> list[dict[str, Any]]:
    """The index items of every shard of `prefix` (optionally with gsi2sk starting `sk_prefix`), raw
    DynamoDB items; each shard read newest first up to `limit`, so the merge holds the newest `limit`."""
    items: list[dict[str, Any]] = []
    for key in shard_keys(prefix):
        items += query(ddb, table, key, sk_prefix=sk_prefix, limit=limit, newest_first=newest_first, **extra)
    return items


def query(ddb, table: str, key: str, *, sk_prefix: str | None = None, limit: int = 1000,
          newest_first: bool = True, **extra: Any) -> list[dict[str, Any]]:
    """One partition key of the index, paged, up to `limit` raw items."""
    condition, values = f"{PK} = :p", {":p": {"S": key}}
    if sk_prefix:
        condition += f" AND begins_with({SK}, :s)"
        values[":s"] = {"S": sk_prefix}
    values.update(extra.pop("ExpressionAttributeValues", {}))
    items: list[dict[str, Any]] = []
    start = None
    while len(items) < limit:
        page = ddb.query(TableName=table, IndexName=INDEX, KeyConditionExpression=condition,
                         ExpressionAttributeValues=values, ScanIndexForward=not newest_first, **extra,
                         **({"ExclusiveStartKey": start} if start else {}))
        items += page.get("Items", [])
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    return items[:limit]


# -- migration: give items already in a queried state their gsi2pk (docs/deploy.md) ----------------------
def index_keys(item: dict[str, Any]) -> tuple[str, str] | None:
    """The (gsi2pk, gsi2sk) an item written before this index should have, or None (not indexed).
    `item` is plain data (synd.aws.articles.from_item)."""
    kind, sk = item.get("type"), str(item.get("sk", ""))
    if kind == "delivery" and item.get("state") in INDEXED_DELIVERY_STATES:
        return delivery_pk(item["state"], item["article_id"]), f"{item['target']}#{item.get('updated_at', '')}"
    if kind == "drop" and item.get("state") in INDEXED_DROP_STATES:
        return (drop_pk(item["state"], item["bucket"], item["key"]),
                f"{item.get('recorded_at', '')}#{item['key']}")
    if kind == "article" and sk == "LATEST":
        article_id = str(item["pk"]).removeprefix("ARTICLE#")
        return latest_pk(article_id), f"{item.get('stored_at', '')}#{article_id}"
    if sk == "HEALTH" and item.get("paused"):
        return PAUSED_TARGETS, f"{item.get('target', '')}#{item.get('paused_at', '')}"
    return None


def reindex(table: str, *, dry_run: bool = False) -> dict[str, int]:
    """One pass over the table (a Scan: a one-off, not a query path) setting gsi2pk/gsi2sk where
    `index_keys` says so; conditional on the item not having them yet, so a rerun does nothing new."""
    from botocore.exceptions import ClientError

    from synd.aws import client
    from synd.aws.articles import from_item

    ddb, counts = client("dynamodb"), {"scanned": 0, "indexed": 0, "already": 0}
    for raw in _scan(ddb, table):
        counts["scanned"] += 1
        keys = index_keys(from_item(raw))
        if not keys:
            continue
        if dry_run:
            counts["indexed"] += 1
            continue
        try:
            ddb.update_item(TableName=table, Key={"pk": raw["pk"], "sk": raw["sk"]},
                            UpdateExpression=f"SET {PK} = :p, {SK} = :s",
                            ConditionExpression=f"attribute_exists(pk) AND attribute_not_exists({PK})",
                            ExpressionAttributeValues={":p": {"S": keys[0]}, ":s": {"S": keys[1]}})
            counts["indexed"] += 1
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            counts["already"] += 1
    return counts


def _scan(ddb, table: str) -> Iterator[dict[str, Any]]:
    for page in ddb.get_paginator("scan").paginate(TableName=table):
        yield from page.get("Items", [])


def main(argv: list[str] | None = None) -> int:
    """python -m synd.aws.index reindex --table NAME [--dry-run] [--endpoint-url URL]"""
    import argparse
    import json

    parser = argparse.ArgumentParser(prog="python -m synd.aws.index", description=reindex.__doc__)
    parser.add_argument("action", choices=["reindex"])
    parser.add_argument("--table", required=True)
    parser.add_argument("--endpoint-url")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    if args.endpoint_url:
        from synd.commands.status import use_endpoint

        use_endpoint(args)
    print(json.dumps(reindex(args.table, dry_run=args.dry_run)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
