"""The renderer's files in the site bucket: written only when their bytes change.

The caller keeps each file's hash (in the render state, synd.render.entries) and passes it in;
an output whose hash is the same is not written, so a render that changes one month's archive
page costs one PUT, not six. The root index is the one file several renderers (one per language)
may write at once: it is written with a conditional PUT and carries the root revision of the view it
shows (synd.render.entries.SiteView), so a renderer holding an older view never replaces a newer one.

An article page's previous/next links are rewritten in place (`rewrite_page`): GET, replace, PUT
conditional on the ETag that was read, keeping the page's metadata (its version, its entry's
location); a page a publisher rewrote meanwhile is left alone (the publisher's entry write asks for
the render that links it again). A page published since the bucket's copy (or never written there)
is taken from the table (synd.render.pages) and written once, linked.
"""
from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from enum import Enum

from botocore.exceptions import ClientError

from synd.aws import client
from synd.render.pages import PendingPage, page_metadata

HTML = "text/html; charset=utf-8"
CONTENT_TYPES = {"rss.xml": "application/rss+xml; charset=utf-8", "atom.xml": "application/atom+xml; charset=utf-8",
                 "feed.json": "application/feed+json; charset=utf-8", "html": HTML}
_LOST_RACE = {"PreconditionFailed", "ConditionalRequestConflict", "412", "409"}
_ROOT_TRIES = 10
_MISSING = ("404", "NoSuchKey", "NotFound")
ROOT_REVISION = "synd-root-revision"


class PageRewrite(Enum):
    WRITTEN = "written"
    UNCHANGED = "unchanged"  # the page already shows it: no PUT
    NO_PAGER = "no-pager"  # a page without a pager block (withdrawn, or older than pagers): left as it is
    LOST = "lost"  # a publisher wrote the page between the GET and the PUT, or it is not there
    MISSING = "missing"  # neither in the bucket nor kept in the table (its kept copy expired): republish it


def digest(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()[:32]


def content_type(key: str) -> str:
    name = key.rsplit("/", 1)[-1]
    return CONTENT_TYPES.get(name) or CONTENT_TYPES["html"]


class SiteOutputs:
    """Writes rendered files to the site bucket and counts the PUTs (tests and the bench read `puts`)."""

    def __init__(self, bucket: str, s3=None):
        self.bucket, self.s3, self.puts, self.gets = bucket, s3 or client("s3"), 0, 0
        self._counting = threading.Lock()  # pages are relinked from several threads

    def _count(self, puts: int = 0, gets: int = 0) -> None:
        with self._counting:
            self.puts, self.gets = self.puts + puts, self.gets + gets

    def put_if_changed(self, key: str, body: str | bytes, known_hash: str | None, **extra) -> str:
        """Write `body` at `key` unless its hash is `known_hash`; returns the hash of what is there now.
        `extra` overrides the PUT's arguments (a static asset's ContentType and CacheControl)."""
        new_hash = digest(body)
        if new_hash != known_hash:
            self._put(key, body, **extra)
        return new_hash

    def put_root(self, text: str, revision: int) -> bool:
        """The root index, unless the bucket's shows a view of at least `revision`; False when it does."""
        for _ in range(_ROOT_TRIES):
            etag, shown = self._root_head()
            if shown >= revision:
                return False
            condition = {"IfMatch": etag} if etag else {"IfNoneMatch": "*"}
            try:
                self._put("index.html", text, Metadata={ROOT_REVISION: str(revision)}, **condition)
                return True
            except ClientError as exc:
                if exc.response["Error"]["Code"] not in _LOST_RACE:
                    raise
        raise RuntimeError("could not write index.html: too many concurrent renderers")

    def rewrite_page(self, key: str, rewrite: Callable[[str], str | None],
                     pending: Callable[[], PendingPage | None] | None = None, version: int = 0) -> PageRewrite:
        """The page at `key` through `rewrite` (None: it cannot be rewritten), written back only if it
        changed and only over the version that was read. When the bucket's page is missing or older than
        `version` (the entry's), the kept page (`pending()`, synd.render.pages) is written, once, if newer."""
        try:
            self._count(gets=1)
            page = self.s3.get_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if exc.response["Error"]["Code"] not in _MISSING:
                raise
            page = None
        shown = int((page or {}).get("Metadata", {}).get("synd-version", "0") or 0)
        if pending is not None and (page is None or shown < version):
            kept = pending()
            if kept is not None and kept.version > shown:
                if page is not None:
                    page["Body"].close()  # the older page's bytes are not needed: its connection back to the pool
                return self._write_kept(key, kept, rewrite, page["ETag"] if page else None)
        if page is None:
            return PageRewrite.MISSING if pending is not None else PageRewrite.LOST
        html = page["Body"].read().decode("utf-8")
        new = rewrite(html)
        if new is None:
            return PageRewrite.NO_PAGER
        if new == html:
            return PageRewrite.UNCHANGED
        return self._put_page(key, new, page.get("Metadata", {}), page.get("CacheControl") or "max-age=300",
                              {"IfMatch": page["ETag"]})

    def _write_kept(self, key: str, kept: PendingPage, rewrite: Callable[[str], str | None],
                    etag: str | None) -> PageRewrite:
        """The kept page, linked, in place of the missing (or older) page that was read."""
        return self._put_page(key, rewrite(kept.html) or kept.html, page_metadata(kept.version, kept.location),
                              "max-age=300", {"IfMatch": etag} if etag else {"IfNoneMatch": "*"})

    def _put_page(self, key: str, html: str, metadata: dict[str, str], cache_control: str,
                  condition: dict[str, str]) -> PageRewrite:
        """One conditional page PUT; LOST when another writer got there since the read."""
        try:
            self._count(puts=1)
            self.s3.put_object(Bucket=self.bucket, Key=key, Body=html.encode("utf-8"), ContentType=HTML,
                               CacheControl=cache_control, Metadata=metadata, **condition)
        except ClientError as exc:
            if exc.response["Error"]["Code"] in _LOST_RACE:
                return PageRewrite.LOST
            raise
        return PageRewrite.WRITTEN

    def _root_head(self) -> tuple[str | None, int]:
        try:
            response = self.s3.head_object(Bucket=self.bucket, Key="index.html")
        except ClientError as exc:
            if exc.response["Error"]["Code"] in _MISSING:
                return None, 0
            raise
        return response["ETag"], int(response.get("Metadata", {}).get(ROOT_REVISION, "0") or 0)

    def _put(self, key: str, body: str | bytes, **extra) -> None:
        self._count(puts=1)
        raw = body.encode("utf-8") if isinstance(body, str) else body
        options = {"ContentType": content_type(key), "CacheControl": "max-age=60", **extra}
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=raw, **options)
