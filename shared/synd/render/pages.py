"""Article pages waiting for their links: published into the table, written to the bucket once, by the renderer.

A page cannot know its newer neighbour when it is published, and finding its older one would read the
language. Written by the publisher with an empty pager, every new page was written a second time by
the renderer that linked it: about one S3 PUT per article more than the page itself (issue 11). So the
site target keeps the rendered page (empty pager) in one table item, zlib-compressed, and the renderer,
when it links the page, writes it to the bucket with its pager: once.

    pk SITEPAGE#<id>, sk PAGE: version, location (`<lang>/<YYYY-MM>` of its feed entry), html_z, expires_at

The item is written with a conditional PutItem on its version (a late older version never replaces a
newer one) and returns what it replaced, whose location says where an entry that moved was. It expires
(the table's TTL, free) after PENDING_DAYS: longer than any render request waits (the render queue keeps
a message 14 days at most); once the bucket holds the page, the bucket's copy is the one rewritten.

Until its language is rendered, a new page is missing from the bucket (404) instead of unlinked: within
the render queue's batching window when publishing, at the backfill's catch-up for a backfilled article.
A withdrawal's notice is written to the bucket at once (synd.targets.site.withdraw): it has no pager,
and the withdrawal replaces the kept page of an older version by a marker without html, so the withdrawn
text does not wait in the table for the renderer (which would not publish it: the bucket's notice is newer).
"""
from __future__ import annotations

import time
import zlib
from dataclasses import dataclass

from botocore.exceptions import ClientError

from synd.aws import client

PENDING_DAYS = 30
PAGE_ZLIB_LEVEL = 6  # as the feed entries (synd.render.entries): a 20 KB page becomes about 5 KB
MAX_KEPT_BYTES = 300_000  # compressed; an item holds 400 KB: a larger page goes to the bucket at once


@dataclass(frozen=True)
class PendingPage:
    version: int
    html: str
    location: str


def _key(article_id: str) -> dict:
    return {"pk": {"S": f"SITEPAGE#{article_id}"}, "sk": {"S": "PAGE"}}


def _item(article_id: str, version: int, *, location: str | None = None, html_z: bytes | None = None,
          withdrawn: bool = False) -> dict:
    """The item of a kept page (`location`, `html_z`) or of a withdrawal's marker (`withdrawn`, no html)."""
    item = {**_key(article_id), "type": {"S": "site_page"}, "version": {"N": str(int(version))},
            "expires_at": {"N": str(int(time.time()) + PENDING_DAYS * 86400)}}
    if location is not None:
        item["location"] = {"S": location}
    if html_z is not None:
        item["html_z"] = {"B": html_z}
    if withdrawn:
        item["withdrawn"] = {"BOOL": True}
    return item


def page_metadata(version: int, location: str) -> dict[str, str]:
    """A page object's S3 metadata: its version and where its feed entry is (`<lang>/<month>`, when known)."""
    return {"synd-version": str(version), **({"synd-feed": location} if location else {})}


class PageStore:
    """The pending pages, in the pipeline's table (TABLE_NAME)."""

    def __init__(self, table: str, ddb=None):
        self.table, self.ddb = table, ddb or client("dynamodb")

    def put(self, article_id: str, version: int, html_z: bytes, location: str) -> tuple[bool, str | None]:
        """Keep the page of `version` (compressed: `compress_page`) for the renderer unless a newer
        version's is kept; returns (kept, the location the replaced item named: None when there was none)."""
        return self._put_unless_newer(_item(article_id, version, location=location, html_z=html_z),
                                      "attribute_not_exists(pk) OR version <= :v")

    def forget_older(self, article_id: str, version: int) -> str | None:
        """Replace a kept page older than `version` by a marker without html (a conditional PutItem: the
        functions are granted no DeleteItem), which also keeps a late older version from being kept;
        returns the location the replaced page named (None: no page was kept, or a newer version's is,
        which the renderer will write)."""
        _, location = self._put_unless_newer(_item(article_id, version, withdrawn=True),
                                             "attribute_not_exists(pk) OR version < :v")
        return location

    def _put_unless_newer(self, item: dict, condition: str) -> tuple[bool, str | None]:
        try:
            old = self.ddb.put_item(TableName=self.table, Item=item, ReturnValues="ALL_OLD",
                                    ConditionExpression=condition,
                                    ExpressionAttributeValues={":v": item["version"]}).get("Attributes")
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False, None
            raise
        return True, (old or {}).get("location", {}).get("S")

    def get(self, article_id: str) -> PendingPage | None:
        item = self.ddb.get_item(TableName=self.table, Key=_key(article_id), ConsistentRead=True).get("Item")
        if not item or "html_z" not in item:
            return None
        return PendingPage(int(item["version"]["N"]), zlib.decompress(item["html_z"]["B"]).decode("utf-8"),
                           item.get("location", {}).get("S", ""))


def compress_page(html: str) -> bytes:
    return zlib.compress(html.encode("utf-8"), PAGE_ZLIB_LEVEL)
