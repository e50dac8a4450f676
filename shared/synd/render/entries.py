"""The site's feed entries and render state in the table: small items whose size does not grow with the site.

    pk FEED#<lang>#<YYYY-MM>   sk ENTRY#<article id>   one article's feed entry (or its tombstone); token (new
                                                       at every entry write)
    pk FEED#<lang>#<YYYY-MM>   sk PAGER#<article id>   the previous/next links its page shows (a hash) and the
                                                       token of the entry write they were linked for
    pk RENDER#<lang>           sk MONTH#<YYYY-MM>      revision (bumped by every entry write of that month),
                                                       rendered (the revision the renderer last rendered),
                                                       page_hash (of the month's archive page), count and
                                                       newest (its visible entries, for the root index)
    pk RENDER#<lang>           sk OUTPUTS              hashes of the language's feeds and index; summary (the
                                                       hash of the language's line on the root index)
    pk SITE                    sk LANGUAGES            the languages with site state; `lang#<tag>` (each
                                                       language's count and newest date), root_revision
                                                       (bumped by every summary change), asset hashes

The month is the entry's published month (else the month it was delivered in). An entry write is
one conditional PutItem (`version <= :v`: an older version arriving late never replaces a newer
entry or a withdrawal's tombstone) and one atomic ADD on its month's revision; nothing is read,
modified and written back by concurrent publishers. Keys: 100 articles/s in one language put
~1.5 KB entries (2 WRU; compressed, ~1 KB) on one FEED#<lang>#<month> key and 1 WRU on one RENDER#<lang> item,
about 200 and 100 WRU/s, well under a partition's 1,000 WRU/s (docs/scale.md).

The entry is one JSON string, `entry` (S), or, when that makes the item smaller, the same JSON
compressed, `entry_z` (B, zlib level ENTRY_ZLIB_LEVEL); a read gives back exactly the entry
written either way (items written before compression hold `entry` and still read). Measured
(bench/feed_entries.py, the corpus and the test articles): the whole JSON compressed is ~40% of
its plain size (the test articles' items: median 3,876 -> 1,259 bytes, 3.8 -> 1.7 WRU per article,
bench/index_wru.py --articles 10), because the
summary repeats the text's opening and the credit the title; the text alone compressed, with the
rest left plain, only ~85%, so the entry is compressed whole. Level 6 (zlib's default) against 1:
~5-10% fewer bytes for ~10 us more per median entry (~0.3 ms on a 33 KB one), decompression
~10 us either way; 9 gains nothing over 6. Compression is always tried and kept when it saves
bytes (it did on every corpus entry, tombstones of ~250 bytes included): it is microseconds
against the PutItem's round trip, and every Query of the month reads the smaller item.

A render holds a month's entries in memory, and a month can hold many. Held whole, they took ~12 KB of
Python objects per entry at the render's peak (~17 KB with real article texts: a 1,024 MB function
held 62,000-84,000; bench/render_month.py). Only the newest entries of a language go into its feeds,
whole; archive pages and pagers show a few fields of the rest. `month_items(..., whole=N)` keeps the
month's newest N visible entries whole and cuts the others to LISTED_FIELDS as the items are read
(~7 KB per entry at the peak, with either text: about 149,000 entries in 1,024 MB).

The pager a page shows is recorded beside its entry (a small item: 1 WRU, where an update of the
entry would cost the entry's size) with the token of the entry write it was linked for, and counts
only while the entry still has that token: a publisher that rewrote the page (and then its entry)
in the meantime leaves the record stale, so the next render, which that entry write asks for,
links the new page again. The same Query reads entries and records.
"""
from __future__ import annotations

import heapq
import json
import re
import uuid
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from synd.aws import client
from synd.publish.feeds import sort_key
from synd.render.pages import PageStore, PendingPage

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
SITE_KEY = {"pk": {"S": "SITE"}, "sk": {"S": "LANGUAGES"}}
SUMMARY_PREFIX = "lang#"  # the SITE item's attribute per language: its root index line
ASSET_PREFIX = "asset#"  # the SITE item's attribute per site asset: the hash of what the bucket holds
ENTRY_ZLIB_LEVEL = 6  # zlib's default: see the module docstring for the measurements
LISTED_FIELDS = frozenset({  # what archive pages, pagers and the relinking read of an entry
    "id", "version", "language", "direction", "title", "published", "published_as", "updated", "withdrawn",
    "license_spdx", "license_name", "license_label"})


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
    count: int | None = None  # visible entries when last rendered (None: not known yet, e.g. an older state)
    newest: str | None = None  # the newest visible entry's published-or-updated date

    @property
    def dirty(self) -> bool:
        return self.revision > self.rendered


@dataclass
class LanguageState:
    months: dict[str, MonthState] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)  # key -> hash of what the bucket holds
    summary: str | None = None  # hash of the language's summary the root index was last given

    def dirty_months(self) -> list[str]:
        return sorted(m for m, s in self.months.items() if s.dirty)


@dataclass(frozen=True)
class StoredEntry:
    """An entry as the table holds it: the entry, the token of its write, the pager hash its page shows."""

    entry: dict[str, Any]
    token: str = ""
    pager: str | None = None


@dataclass(frozen=True)
class SiteView:
    """The SITE item after a summary change: every language's (count, newest), at one revision."""

    revision: int
    summaries: dict[str, tuple[int, str | None]]
    assets: dict[str, str]


class EntryStore:
    """The DynamoDB side of the site (the table of the pipeline, TABLE_NAME)."""

    def __init__(self, table: str, ddb=None):
        self.table, self.ddb = table, ddb or client("dynamodb")

    # -- publishers -----------------------------------------------------------------------------
    def put_entry(self, language: str, entry: dict[str, Any]) -> bool:
        """Store the entry unless a newer version (or its withdrawal) holds it; False when superseded."""
        item = {**_entry_key(language, entry_month(entry), entry["id"]), "type": {"S": "feed_entry"},
                "version": {"N": str(int(entry["version"]))}, "withdrawn": {"BOOL": bool(entry.get("withdrawn"))},
                "token": {"S": uuid.uuid4().hex}, **entry_attribute(entry)}
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

    def register_language(self, language: str) -> None:
        """Add the language to the site's list (the languages a catch-up render asks for)."""
        self.ddb.update_item(TableName=self.table, Key=SITE_KEY, UpdateExpression="ADD languages :l",
                             ExpressionAttributeValues={":l": {"SS": [language]}})

    # -- the renderer ---------------------------------------------------------------------------
    def state(self, language: str) -> LanguageState:
        state = LanguageState()
        for item in self._query(f"RENDER#{language}"):
            sk = item["sk"]["S"]
            if sk.startswith("MONTH#"):
                state.months[sk[len("MONTH#"):]] = _month_state(item)
            elif sk == "OUTPUTS":
                state.outputs = {k: v["S"] for k, v in item.get("hashes", {}).get("M", {}).items()}
                state.summary = item.get("summary", {}).get("S")
        return state

    def month_entries(self, language: str, month: str) -> list[dict[str, Any]]:
        return [stored.entry for stored in self.month_items(language, month)]

    def kept_page(self, article_id: str) -> PendingPage | None:
        """The page a publisher kept for the renderer to write (synd.render.pages), None when there is none."""
        return PageStore(self.table, self.ddb).get(article_id)

    def month_items(self, language: str, month: str, whole: int | None = None) -> list[StoredEntry]:
        """The month's entries, each with the pager its page shows when that was recorded for this write;
        with `whole`, only the newest `whole` visible entries keep every field (the others: LISTED_FIELDS)."""
        entries: list[tuple[dict[str, Any], str]] = []
        shown: dict[str, tuple[str, str | None]] = {}
        newest = NewestWhole(whole)
        for item in self._query(f"FEED#{language}#{month}"):
            sk = item["sk"]["S"]
            if sk.startswith("PAGER#"):
                shown[sk[len("PAGER#"):]] = (item.get("token", {}).get("S", ""), item.get("pager", {}).get("S"))
            elif sk.startswith("ENTRY#"):
                newest.add(entries, stored_entry(item), item.get("token", {}).get("S", ""))
        stored = []
        for entry, token in entries:
            linked_for, pager = shown.get(entry["id"], (None, None))
            stored.append(StoredEntry(entry, token, pager if linked_for == token else None))
        return stored

    def record_pager(self, language: str, month: str, stored: StoredEntry, pager_hash: str) -> None:
        """Note that the entry's page shows `pager_hash`, as linked for the entry write `stored` was read at."""
        self.ddb.put_item(TableName=self.table, Item={
            "pk": {"S": f"FEED#{language}#{month}"}, "sk": {"S": f"PAGER#{stored.entry['id']}"},
            "type": {"S": "feed_pager"}, "token": {"S": stored.token}, "pager": {"S": pager_hash}})

    def mark_rendered(self, language: str, months: dict[str, MonthState], outputs: dict[str, str],
                      summary: str | None = None, refreshed: dict[str, MonthState] | None = None) -> None:
        """Record what was rendered: per rendered month the revision read before rendering (never lowered),
        the archive page's hash, its count and newest date; for months re-rendered without a change of
        their own (`refreshed`: a neighbour month came or went) the same but the revision; the feeds' and
        index's hashes and the summary's."""
        for month, rendered in months.items():
            try:
                self.ddb.update_item(
                    TableName=self.table, Key=_state_key(language, f"MONTH#{month}"),
                    UpdateExpression="SET rendered = :r, page_hash = :h, #c = :c, newest = :n",
                    ConditionExpression="attribute_not_exists(rendered) OR rendered < :r",
                    ExpressionAttributeNames={"#c": "count"},
                    ExpressionAttributeValues={":r": {"N": str(rendered.revision)}, **_month_values(rendered)})
            except ClientError as exc:
                if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    raise
        for month, seen in (refreshed or {}).items():
            self.ddb.update_item(TableName=self.table, Key=_state_key(language, f"MONTH#{month}"),
                                 UpdateExpression="SET page_hash = :h, #c = :c, newest = :n",
                                 ExpressionAttributeNames={"#c": "count"},
                                 ExpressionAttributeValues=_month_values(seen))
        item = {**_state_key(language, "OUTPUTS"), "type": {"S": "render_outputs"},
                "hashes": {"M": {k: {"S": v} for k, v in outputs.items()}}}
        if summary:
            item["summary"] = {"S": summary}
        self.ddb.put_item(TableName=self.table, Item=item)

    def publish_summary(self, language: str, count: int, newest: str | None) -> SiteView:
        """Set the language's root index line and bump the root revision in one write; returns the SITE
        item as that write left it, so every summary in the view is as of that revision."""
        response = self.ddb.update_item(
            TableName=self.table, Key=SITE_KEY, UpdateExpression="SET #s = :s ADD root_revision :one",
            ExpressionAttributeNames={"#s": SUMMARY_PREFIX + language},
            ExpressionAttributeValues={":s": {"M": {"count": {"N": str(count)}, "newest": {"S": newest or ""}}},
                                       ":one": {"N": "1"}},
            ReturnValues="ALL_NEW")
        return _site_view(response["Attributes"])

    def record_asset(self, key: str, asset_hash: str) -> None:
        self.ddb.update_item(TableName=self.table, Key=SITE_KEY, UpdateExpression="SET #a = :h",
                             ExpressionAttributeNames={"#a": ASSET_PREFIX + key},
                             ExpressionAttributeValues={":h": {"S": asset_hash}})

    def languages(self) -> list[str]:
        item = self.ddb.get_item(TableName=self.table, Key=SITE_KEY, ConsistentRead=True).get("Item") or {}
        return sorted(item.get("languages", {}).get("SS", []))

    def _query(self, pk: str) -> Iterable[dict[str, Any]]:
        """Every item of a key, strongly consistent (the renderer must see the writes that asked for it)."""
        paginator = self.ddb.get_paginator("query")
        for page in paginator.paginate(TableName=self.table, KeyConditionExpression="pk = :p", ConsistentRead=True,
                                       ExpressionAttributeValues={":p": {"S": pk}}):
            yield from page.get("Items", [])


class NewestWhole:
    """Entries added as they are read, the newest `whole` visible ones kept whole (None: every one) and each
    older one cut to LISTED_FIELDS once `whole` newer ones are in, so a month is never held whole."""

    def __init__(self, whole: int | None):
        self.whole = whole
        self._newest: list[tuple[tuple[str, str], int]] = []  # a min-heap of (sort key, index) of the whole ones

    def add(self, entries: list[tuple[dict[str, Any], str]], entry: dict[str, Any], token: str) -> None:
        entries.append((entry, token))
        if self.whole is None or entry.get("withdrawn"):
            return
        heapq.heappush(self._newest, (sort_key(entry), len(entries) - 1))
        if len(self._newest) > self.whole:
            oldest = heapq.heappop(self._newest)[1]
            entries[oldest] = (listed(entries[oldest][0]), entries[oldest][1])


def listed(entry: dict[str, Any]) -> dict[str, Any]:
    """The fields of an entry that archive pages, pagers and the relinking read."""
    return {key: value for key, value in entry.items() if key in LISTED_FIELDS}


def entry_attribute(entry: dict[str, Any]) -> dict[str, Any]:
    """The entry as its item holds it: `entry_z`, the JSON compressed, when that is smaller, else `entry`."""
    text = json.dumps(entry, ensure_ascii=False, sort_keys=True)
    plain = text.encode("utf-8")
    packed = zlib.compress(plain, ENTRY_ZLIB_LEVEL)
    if len(packed) + len("entry_z") < len(plain) + len("entry"):
        return {"entry_z": {"B": packed}}
    return {"entry": {"S": text}}


def stored_entry(item: dict[str, Any]) -> dict[str, Any]:
    """The entry an item holds, compressed (`entry_z`) or, as every item written before compression, plain."""
    if "entry_z" in item:
        return json.loads(zlib.decompress(item["entry_z"]["B"]).decode("utf-8"))
    return json.loads(item["entry"]["S"])


def _month_state(item: dict[str, Any]) -> MonthState:
    count = item.get("count", {}).get("N")
    return MonthState(int(item.get("revision", {}).get("N", "0")), int(item.get("rendered", {}).get("N", "0")),
                      item.get("page_hash", {}).get("S"), None if count is None else int(count),
                      item.get("newest", {}).get("S") or None)


def _month_values(month: MonthState) -> dict[str, Any]:
    return {":h": {"S": month.page_hash or ""}, ":c": {"N": str(month.count or 0)}, ":n": {"S": month.newest or ""}}


def _site_view(attributes: dict[str, Any]) -> SiteView:
    summaries = {name[len(SUMMARY_PREFIX):]: (int(value["M"]["count"]["N"]), value["M"]["newest"]["S"] or None)
                 for name, value in attributes.items() if name.startswith(SUMMARY_PREFIX)}
    assets = {name[len(ASSET_PREFIX):]: value["S"] for name, value in attributes.items()
              if name.startswith(ASSET_PREFIX)}
    return SiteView(int(attributes.get("root_revision", {}).get("N", "0")), summaries, assets)


def _entry_key(language: str, month: str, article_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"FEED#{language}#{month}"}, "sk": {"S": f"ENTRY#{article_id}"}}


def _state_key(language: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": f"RENDER#{language}"}, "sk": {"S": sk}}
