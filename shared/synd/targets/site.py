"""The static site in S3 (private bucket behind CloudFront with OAC in production).

Layout of the site bucket:

    articles/<id>/index.html     the article page (lang, dir, attribution)
    articles/<id>/ninjs.json     the ninjs 3.1 JSON of the version on the page
    <lang>/index.html            newest articles in one language
    feeds/<lang>/rss.xml|atom.xml|feed.json
    feeds/<lang>/entries.json    the feed's state: its entries, newest first (a withdrawn article's
                                 entry is a tombstone there, never rendered)
    index.html                   the list of languages

Concurrent publishers may touch one feed. Every change to `entries.json` is a
conditional write (`IfMatch` its ETag, `IfNoneMatch: *` when new), retried on a
lost race, so no entry is lost. The rendered feeds are then written from that
state, and a writer re-renders if the state moved on meanwhile, so the last
rendered files always match the newest state. The article page keeps its
version in object metadata: an older version arriving late never replaces a newer page.

Keys are built only from checked parts: `<lang>` is a canonical BCP 47 tag
(synd.language.tags.safe_tag, else `und`: a declared `../../..` once became keys
here), `<id>` letters, digits, `_` and `-`. `export_site` checks every key again
before it becomes a path, and writes nothing outside its folder.
"""
from __future__ import annotations

import json
import logging
import os
import random
import re
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from synd.aws import client
from synd.language.tags import is_safe_tag, safe_tag
from synd.ninjs import with_attribution
from synd.publish import feeds
from synd.publish.html import render_article_page, render_language_index, render_root_index, render_withdrawn_page
from synd.targets import Delivery, Outcome, TargetEnv

KIND = "site"

HTML = "text/html; charset=utf-8"
CONTENT_TYPES = {"rss.xml": "application/rss+xml; charset=utf-8", "atom.xml": "application/atom+xml; charset=utf-8",
                 "feed.json": "application/feed+json; charset=utf-8"}
_LOST_RACE = {"PreconditionFailed", "ConditionalRequestConflict", "412", "409"}
_MAX_RACES = 20
_ARTICLE_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")
_SEGMENT = re.compile(r"[A-Za-z0-9._~-]{1,255}")  # one folder or file name of an exported key
logger = logging.getLogger(__name__)


def page_key(article_id: str) -> str:
    return f"articles/{article_id}/index.html"


def ninjs_key(article_id: str) -> str:
    return f"articles/{article_id}/ninjs.json"


def base_url(options: dict[str, Any]) -> str:
    """The site's public URL in pages, feeds and events.

    In AWS, the stack's own (SYND_SITE_URL, the CloudFront domain of its SiteUrl output) wins over
    targets.yaml; a stack without a CDN sets it empty: the private bucket has no public URL, so links
    are site-relative unless `options.base_url` names one (an own domain). Outside a stack (the local
    stack, tests) `options.base_url`, else http://localhost:8080 where `synd run` serves out/site/."""
    stack_url = os.environ.get("SYND_SITE_URL")
    if stack_url:
        return stack_url.rstrip("/")
    configured = str(options.get("base_url") or "").rstrip("/")
    return configured or ("" if stack_url is not None else "http://localhost:8080")


def deliver(delivery: Delivery, env: TargetEnv) -> Outcome:
    refusal = _refusal(delivery, env)
    if refusal:
        return refusal
    s3, bucket = client("s3"), env.site_bucket
    record, options = delivery.record, delivery.target.options
    article_id = record["id"]
    html = render_article_page(record, delivery.attribution)  # every page carries the attribution block
    if not put_page(s3, bucket, article_id, delivery.version, html):
        return Outcome.delivered(superseded=True, page=page_key(article_id))
    _put(s3, bucket, ninjs_key(article_id), json.dumps(with_attribution(delivery.ninjs, delivery.attribution),
                                                     ensure_ascii=False, indent=1),
         "application/json; charset=utf-8")
    site = base_url(options)
    updated = feeds.rfc3339(_now())
    entry = feeds.make_entry(record, page_url=f"{site}/{page_key(article_id)}", updated=updated,
                             attribution=delivery.attribution)  # the feed's rights are the delivery's
    language = feed_language(entry)
    _update_feeds(s3, bucket, language, entry, options, site)
    _put(s3, bucket, "index.html", render_root_index(languages(s3, bucket)), HTML)
    return Outcome.delivered(page=page_key(article_id), ninjs=ninjs_key(article_id), feeds=f"feeds/{language}/",
                             url=f"{site}/{page_key(article_id)}")


def withdraw(delivery: Delivery, env: TargetEnv) -> Outcome:
    """Take a withdrawn article back: a withdrawal notice in place of its page, its ninjs marked canceled,
    its feed entries gone (a tombstone in the feed's state keeps an older version from coming back)."""
    refusal = _refusal(delivery, env)
    if refusal:
        return refusal
    s3, bucket = client("s3"), env.site_bucket
    record, options = delivery.record, delivery.target.options
    article_id = record["id"]
    if not put_page(s3, bucket, article_id, delivery.version, render_withdrawn_page(record)):
        return Outcome.delivered(superseded=True, page=page_key(article_id))
    _put(s3, bucket, ninjs_key(article_id), json.dumps(delivery.ninjs, ensure_ascii=False, indent=1),
         "application/json; charset=utf-8")
    site = base_url(options)
    entry = feeds.make_entry(record, page_url=f"{site}/{page_key(article_id)}", updated=feeds.rfc3339(_now()))
    language = feed_language(entry)
    _update_feeds(s3, bucket, language, tombstone(entry), options, site)
    return Outcome.delivered(page=page_key(article_id), withdrawn=True, feeds=f"feeds/{language}/")


def _refusal(delivery: Delivery, env: TargetEnv) -> Outcome | None:
    """Why this delivery cannot touch the site at all (no bucket, an id that cannot be a key), or None."""
    if not env.site_bucket:
        return Outcome.failed("SITE_BUCKET is not set")
    article_id = delivery.record["id"]
    if not isinstance(article_id, str) or not _ARTICLE_ID.fullmatch(article_id):
        return Outcome.failed(f"article id {str(article_id)[:80]!r} cannot be part of a key")
    return None


def _update_feeds(s3, bucket: str, language: str, entry: dict[str, Any], options: dict[str, Any], site: str) -> None:
    update_feeds(s3, bucket, language, entry, size=int(options.get("feed_size", feeds.DEFAULT_SIZE)),
                 site_url=site, title=str(options.get("title", "Syndicated articles")))


def tombstone(entry: dict[str, Any]) -> dict[str, Any]:
    """The feed state's mark of a withdrawn article: it replaces the entry, is never rendered, and, being
    a newer version, keeps a late message of an older one from putting the entry back."""
    return {"id": entry["id"], "version": entry["version"], "withdrawn": True, "published": entry.get("published"),
            "updated": entry["updated"], "language": entry.get("language"), "direction": entry.get("direction")}


def visible(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entries if not e.get("withdrawn")]


def feed_language(entry: dict[str, Any]) -> str:
    """The `<lang>` of the entry's keys: a canonical tag, `und` when the entry has none."""
    return safe_tag(entry.get("language")) or "und"


def put_page(s3, bucket: str, article_id: str, version: int, html: str) -> bool:
    """Write the page unless a newer version is already there; False when superseded."""
    key = page_key(article_id)
    for _ in range(_MAX_RACES):
        etag, current = _head(s3, bucket, key)
        if current is not None and int(current.get("synd-version", "0")) > version:
            return False
        condition = {"IfMatch": etag} if etag else {"IfNoneMatch": "*"}
        try:
            s3.put_object(Bucket=bucket, Key=key, Body=html.encode("utf-8"), ContentType=HTML,
                          Metadata={"synd-version": str(version)}, **condition)
            return True
        except ClientError as exc:
            if not _lost_race(exc):
                raise
            _pause()
    raise RuntimeError(f"could not write {key}: too many concurrent writers")


def update_feeds(s3, bucket: str, language: str, entry: dict[str, Any], *, size: int, site_url: str,
                 title: str) -> list[dict[str, Any]]:
    """Merge `entry` into the language's feed state, then render the feeds and the language index."""
    if not is_safe_tag(language):
        raise ValueError(f"{language[:80]!r} is not a language tag: it cannot be part of a key")
    state_key = f"feeds/{language}/entries.json"
    for _ in range(_MAX_RACES):
        entries, etag = read_entries(s3, bucket, state_key)
        merged = feeds.merge_entry(entries, entry, size)
        condition = {"IfMatch": etag} if etag else {"IfNoneMatch": "*"}
        try:
            response = s3.put_object(Bucket=bucket, Key=state_key, Body=json.dumps(merged, ensure_ascii=False).encode(),
                                     ContentType="application/json; charset=utf-8", **condition)
            break
        except ClientError as exc:
            if not _lost_race(exc):
                raise
            _pause()
    else:
        raise RuntimeError(f"could not update {state_key}: too many concurrent writers")
    rendered_etag = response["ETag"]
    while True:
        _render_feeds(s3, bucket, language, merged, site_url=site_url, title=title)
        current_etag, _meta = _head(s3, bucket, state_key)
        if current_etag == rendered_etag:
            return merged
        merged, rendered_etag = read_entries(s3, bucket, state_key)  # a newer state: render that one too


def _render_feeds(s3, bucket: str, language: str, entries: list[dict[str, Any]], *, site_url: str, title: str) -> None:
    feed_title, entries = f"{title} ({language})", visible(entries)
    for name, render in feeds.RENDERERS.items():
        _put(s3, bucket, f"feeds/{language}/{name}", render(language, entries, site_url=site_url, title=feed_title),
             CONTENT_TYPES[name])
    direction = entries[0].get("direction", "ltr") if entries else "ltr"
    _put(s3, bucket, f"{language}/index.html", render_language_index(language, direction, entries), HTML)


def read_entries(s3, bucket: str, key: str) -> tuple[list[dict[str, Any]], str | None]:
    try:
        response = s3.get_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        if exc.response["Error"]["Code"] in ("NoSuchKey", "404"):
            return [], None
        raise
    return json.loads(response["Body"].read()), response["ETag"]


def languages(s3, bucket: str) -> list[str]:
    """Languages that have a feed (the `feeds/<lang>/` folders whose name is a canonical tag)."""
    found, paginator = [], s3.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix="feeds/", Delimiter="/"):
        found += [p["Prefix"][len("feeds/"):].rstrip("/") for p in page.get("CommonPrefixes", [])]
    return [language for language in found if is_safe_tag(language)]


def export_site(bucket: str, out_dir: str | Path) -> int:
    """Copy the site bucket to a local folder (`out/site/`) to open in a browser; returns the file count.

    A key that is not a plain relative path (`..`, `.` or empty parts, a leading `/`, a
    backslash, a drive, NUL or any character outside letters, digits and `._~-`), or whose
    resolved path (symbolic links followed) is not inside the folder, is skipped with a warning.
    """
    s3, out, count = client("s3"), Path(out_dir), 0
    out.mkdir(parents=True, exist_ok=True)
    root = out.resolve()
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for obj in page.get("Contents", []):
            target = export_path(root, obj["Key"])
            if target is None:
                logger.warning("site export: key %r skipped, it is not a path inside %s", obj["Key"][:200], root)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if not _inside(root, target):  # a symbolic link on the way points elsewhere
                logger.warning("site export: key %r skipped, it leads outside %s", obj["Key"][:200], root)
                continue
            target.write_bytes(s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read())
            count += 1
    return count


def export_path(root: Path, key: str) -> Path | None:
    """Where `key` goes under the (resolved) folder `root`; None when it is not a safe relative path."""
    parts = key.split("/")
    if not all(_SEGMENT.fullmatch(part) and part not in (".", "..") for part in parts):
        return None
    target = root.joinpath(*parts)
    return target if _inside(root, target) else None


def _inside(root: Path, path: Path) -> bool:
    resolved = Path(os.path.realpath(path))
    return resolved != root and resolved.is_relative_to(root)


def _head(s3, bucket: str, key: str) -> tuple[str | None, dict[str, str] | None]:
    try:
        response = s3.head_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        if exc.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
            return None, None
        raise
    return response["ETag"], response.get("Metadata", {})


def _put(s3, bucket: str, key: str, text: str, content_type: str) -> None:
    s3.put_object(Bucket=bucket, Key=key, Body=text.encode("utf-8"), ContentType=content_type,
                  CacheControl="max-age=60" if key.startswith("feeds/") or key.endswith("index.html") else "max-age=300")


def _lost_race(exc: ClientError) -> bool:
    return exc.response["Error"]["Code"] in _LOST_RACE or \
        str(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")) in _LOST_RACE


def _pause() -> None:
    time.sleep(random.uniform(0.01, 0.1))


def _now() -> datetime:
    return datetime.now(timezone.utc)
