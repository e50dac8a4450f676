"""The renderer's files in the site bucket: written only when their bytes change.

The caller keeps each file's hash (in the render state, synd.render.entries) and passes it in;
an output whose hash is the same is not written, so a render that changes one month's archive
page costs one PUT, not six. The root index is the one file several renderers (one per language)
may write at once: it is written with a conditional PUT and carries how many languages it lists,
so a renderer holding an older, shorter list never replaces a longer one.
"""
from __future__ import annotations

import hashlib

from botocore.exceptions import ClientError

from synd.aws import client

HTML = "text/html; charset=utf-8"
CONTENT_TYPES = {"rss.xml": "application/rss+xml; charset=utf-8", "atom.xml": "application/atom+xml; charset=utf-8",
                 "feed.json": "application/feed+json; charset=utf-8", "html": HTML}
_LOST_RACE = {"PreconditionFailed", "ConditionalRequestConflict", "412", "409"}
_ROOT_TRIES = 10


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def content_type(key: str) -> str:
    name = key.rsplit("/", 1)[-1]
    return CONTENT_TYPES.get(name) or CONTENT_TYPES["html"]


class SiteOutputs:
    """Writes rendered files to the site bucket and counts the PUTs (tests and the bench read `puts`)."""

    def __init__(self, bucket: str, s3=None):
        self.bucket, self.s3, self.puts = bucket, s3 or client("s3"), 0

    def put_if_changed(self, key: str, text: str, known_hash: str | None) -> str:
        """Write `text` at `key` unless its hash is `known_hash`; returns the hash of what is there now."""
        new_hash = digest(text)
        if new_hash != known_hash:
            self._put(key, text)
        return new_hash

    def put_root(self, text: str, languages: int) -> bool:
        """The root index, unless the bucket's lists at least as many languages; False when it does."""
        for _ in range(_ROOT_TRIES):
            etag, listed = self._root_head()
            if listed >= languages:
                return False
            condition = {"IfMatch": etag} if etag else {"IfNoneMatch": "*"}
            try:
                self._put("index.html", text, Metadata={"synd-languages": str(languages)}, **condition)
                return True
            except ClientError as exc:
                if exc.response["Error"]["Code"] not in _LOST_RACE:
                    raise
        raise RuntimeError("could not write index.html: too many concurrent renderers")

    def _root_head(self) -> tuple[str | None, int]:
        try:
            response = self.s3.head_object(Bucket=self.bucket, Key="index.html")
        except ClientError as exc:
            if exc.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
                return None, 0
            raise
        return response["ETag"], int(response.get("Metadata", {}).get("synd-languages", "0") or 0)

    def _put(self, key: str, text: str, **extra) -> None:
        self.puts += 1
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=text.encode("utf-8"), ContentType=content_type(key),
                           CacheControl="max-age=60", **extra)
