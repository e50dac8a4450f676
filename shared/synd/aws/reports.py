"""Read-only views of the table for operators: articles and drops (deliveries: synd.aws.deliveries).

Both answer from the sparse index (synd.aws.index) with a query per shard; whole
article records are then read by key (BatchGetItem), never by a Scan.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from synd.aws import client, index
from synd.aws.articles import from_item


def articles(table: str, partner: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
    """Latest version of each article, newest first (of one partner: a filter on the listing entries)."""
    ddb = client("dynamodb")
    extra: dict[str, Any] = {}
    if partner:
        extra = {"FilterExpression": "partner = :partner", "ExpressionAttributeValues": {":partner": {"S": partner}}}
    entries = index.query_shards(ddb, table, "LATEST", limit=limit, **extra)
    entries.sort(key=lambda i: i[index.SK]["S"], reverse=True)
    items = get_items(table, [{"pk": e["pk"], "sk": e["sk"]} for e in entries[:limit]])
    items.sort(key=lambda a: a.get("stored_at", ""), reverse=True)
    return items


def get_items(table: str, keys: list[dict[str, Any]], projection: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Items by key, 100 a call (BatchGetItem's limit), unprocessed keys asked again; plain data."""
    ddb, found = client("dynamodb"), []
    for chunk in _chunks(keys, 100):
        request = {table: {"Keys": chunk, **(projection or {})}}
        while request:
            response = ddb.batch_get_item(RequestItems=request)
            found += [from_item(i) for i in response.get("Responses", {}).get(table, [])]
            request = response.get("UnprocessedKeys") or {}
    return found


def drops(table: str, state: str, limit: int = 1000) -> list[dict[str, Any]]:
    """Drop records in one state, newest first. Rejected drops come from the index (its projection:
    key, bucket, error, ...); other states are not indexed and are found by a Scan, for the local
    stack's progress lines and tests, not for production tables."""
    ddb = client("dynamodb")
    if state in index.INDEXED_DROP_STATES:
        items = index.query_shards(ddb, table, f"DROP#{state}", limit=limit)
    else:
        pages = ddb.get_paginator("scan").paginate(
            TableName=table, FilterExpression="begins_with(pk, :drop) AND #state = :state",
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues={":drop": {"S": "DROP#"}, ":state": {"S": state}})
        items = [i for page in pages for i in page.get("Items", [])]
    rows = sorted((from_item(i) for i in items), key=lambda d: d.get("recorded_at", ""), reverse=True)
    return rows[:limit]


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
