"""Read-only views of the table for operators: articles and drops (deliveries: synd.aws.deliveries)."""
from __future__ import annotations

from typing import Any

from synd.aws import client
from synd.aws.articles import from_item


def articles(table: str, partner: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
    """Latest version of each article (newest first); by partner through the byState index."""
    ddb = client("dynamodb")
    if partner:
        pages = ddb.get_paginator("query").paginate(
            TableName=table, IndexName="byState", KeyConditionExpression="gsi1pk = :p",
            ExpressionAttributeValues={":p": {"S": f"PARTNER#{partner}"}}, ScanIndexForward=False)
    else:
        pages = ddb.get_paginator("scan").paginate(
            TableName=table, FilterExpression="sk = :latest", ExpressionAttributeValues={":latest": {"S": "LATEST"}})
    items = [from_item(i) for page in pages for i in page.get("Items", [])]
    items.sort(key=lambda a: a.get("stored_at", ""), reverse=True)
    return items[:limit]


def drops(table: str, state: str, limit: int = 1000) -> list[dict[str, Any]]:
    pages = client("dynamodb").get_paginator("query").paginate(
        TableName=table, IndexName="byState", KeyConditionExpression="gsi1pk = :p",
        ExpressionAttributeValues={":p": {"S": f"DROP#{state}"}}, ScanIndexForward=False)
    return [from_item(i) for page in pages for i in page.get("Items", [])][:limit]

