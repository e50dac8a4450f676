"""The site's feed entries and render state in the table: small items whose size does not grow with the site.

    pk FEED#<lang>#<YYYY-MM>   sk ENTRY#<article id>   one article's feed entry (or its tombstone)
    pk RENDER#<lang>           sk MONTH#<YYYY-MM>      revision (bumped by every entry write of that month),
                                                       rendered (the revision the renderer last rendered),
                                                       page_hash (of the month's archive page)
    pk RENDER#<lang>           sk OUTPUTS              hashes of the language's feeds and index
    pk SITE                    sk LANGUAGES            the languages with site state; root_count (how many
                                                       of them the root index lists)

The month is the entry's published month (else the month it was delivered in). An entry write is
one conditional PutItem (`version <= :v`: an older version arriving late never replaces a newer
entry or a withdrawal's tombstone) and one atomic ADD on its month's revision; nothing is read,
modified and written back by concurrent publishers. Keys: 100 articles/s in one language put
~1.5 KB entries (2 WRU) on one FEED#<lang>#<month> key and 1 WRU on one RENDER#<lang> item,
about 200 and 100 WRU/s, well under a partition's 1,000 WRU/s (docs/scale.md).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from botocore.exceptions import ClientError

from synd.aws import client

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
SITE_KEY = {"pk": {"S": "SITE"}, "sk": {"S": "LANGUAGES"}}


def entry_month(entry: dict[str, Any]) -> str:
    """YYYY-MM of the entry's published date, else of its delivery time (both RFC 3339 in the entry)."""
    for value in (entry.get("published"), entry.get("updated")):
        month = str(value or "")[:7]
        if MONTH.fullmatch(month):
            return month
    raise ValueError("the entry has neither a published nor an updated date")


@dataclass
class MonthState:
    revision: int = 0
    rendered: int = 0
    page_hash: str | None = None

    @property
    def dirty(self) -> bool:
        return self.revision > self.rendered


@dataclass
class LanguageState:
    months: dict[str, MonthState] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)  # key -> hash of what the bucket holds

    def dirty_months(self) -> list[str]:
        return sorted(m for m, s in self.months.items() if s.dirty)


class EntryStore:
    """The DynamoDB side of the site (the table of the pipeline, TABLE_NAME)."""

    def __init__(self, table: str, ddb=None):
        self.table, self.ddb = table, ddb or client("dynamodb")

    # -- publishers -----------------------------------------------------------------------------
    def put_entry(self, language: str, entry: dict[str, Any]) -> bool:
        """Store the entry unless a newer version (or its withdrawal) holds it; False when superseded."""
        item = {**_entry_key(language, entry_month(entry), entry["id"]), "type": {"S": "feed_entry"},
                "version": {"N": str(int(entry["version"]))}, "withdrawn": {"BOOL": bool(entry.get("withdrawn"))},
                "entry": {"S": json.dumps(entry, ensure_ascii=False, sort_keys=True)}}
        try:
            self.ddb.put_item(TableName=self.table, Item=item,
                              ConditionExpression="attribute_not_exists(pk) OR version <= :v",
                              ExpressionAttributeValues={":v": item["version"]})
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def bump(self, language: str, month: str) -> int:
        """One more change in the month: its revision, atomically; returns the new revision."""
        response = self.ddb.update_item(
            TableName=self.table, Key=_state_key(language, f"MONTH#{month}"), UpdateExpression="ADD revision :one",
            ExpressionAttributeValues={":one": {"N": "1"}}, ReturnValues="UPDATED_NEW")
        return int(response["Attributes"]["revision"]["N"])

    def register_language(self, language: str) -> tuple[set[str], int]:
        """Add the language to the site's list; returns the list and how many the root index shows."""
        response = self.ddb.update_item(
            TableName=self.table, Key=SITE_KEY, UpdateExpression="ADD languages :l",
            ExpressionAttributeValues={":l": {"SS": [language]}}, ReturnValues="ALL_NEW")
        attributes = response["Attributes"]
        return set(attributes["languages"]["SS"]), int(attributes.get("root_count", {}).get("N", "0"))

    # -- the renderer ---------------------------------------------------------------------------
    def state(self, language: str) -> LanguageState:
        state = LanguageState()
        for item in self._query(f"RENDER#{language}"):
            sk = item["sk"]["S"]
            if sk.startswith("MONTH#"):
                state.months[sk[len("MONTH#"):]] = MonthState(
                    int(item.get("revision", {}).get("N", "0")), int(item.get("rendered", {}).get("N", "0")),
                    item.get("page_hash", {}).get("S"))
            elif sk == "OUTPUTS":
                state.outputs = {k: v["S"] for k, v in item.get("hashes", {}).get("M", {}).items()}
        return state

    def month_entries(self, language: str, month: str) -> list[dict[str, Any]]:
        return [json.loads(item["entry"]["S"]) for item in self._query(f"FEED#{language}#{month}")]

    def mark_rendered(self, language: str, months: dict[str, MonthState], outputs: dict[str, str]) -> None:
        """Record what was rendered: per month the revision read before rendering (never lowered) and the
        archive page's hash; the feeds' and index's hashes."""
        for month, rendered in months.items():
            try:
                self.ddb.update_item(
                    TableName=self.table, Key=_state_key(language, f"MONTH#{month}"),
                    UpdateExpression="SET rendered = :r, page_hash = :h",
                    ConditionExpression="attribute_not_exists(rendered) OR rendered < :r",
                    ExpressionAttributeValues={":r": {"N": str(rendered.revision)}, ":h": {"S": rendered.page_hash or ""}})
            except ClientError as exc:
                if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    raise
        self.ddb.put_item(TableName=self.table, Item={**_state_key(language, "OUTPUTS"), "type": {"S": "render_outputs"},
                                                      "hashes": {"M": {k: {"S": v} for k, v in outputs.items()}}})

    def set_root_count(self, count: int) -> None:
        try:
            self.ddb.update_item(TableName=self.table, Key=SITE_KEY, UpdateExpression="SET root_count = :n",
                                 ConditionExpression="attribute_not_exists(root_count) OR root_count < :n",
                                 ExpressionAttributeValues={":n": {"N": str(count)}})
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise

    def languages(self) -> list[str]:
        item = self.ddb.get_item(TableName=self.table, Key=SITE_KEY, ConsistentRead=True).get("Item") or {}
        return sorted(item.get("languages", {}).get("SS", []))

    def _query(self, pk: str) -> Iterable[dict[str, Any]]:
        """Every item of a key, strongly consistent (the renderer must see the writes that asked for it)."""
        paginator = self.ddb.get_paginator("query")
        for page in paginator.paginate(TableName=self.table, KeyConditionExpression="pk = :p", ConsistentRead=True,
                                       ExpressionAttributeValues={":p": {"S": pk}}):
            yield from page.get("Items", [])


def _entry_key(language: str, month: str, article_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"FEED#{language}#{month}"}, "sk": {"S": f"ENTRY#{article_id}"}}


def _state_key(language: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": f"RENDER#{language}"}, "sk": {"S": sk}}
