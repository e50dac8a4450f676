"""The static site in S3 (private bucket behind CloudFront with OAC in production).

Layout of the site bucket:

    articles/<id>/index.html     the article page (lang, dir, attribution, previous/next in its language)
    articles/<id>/ninjs.json     the ninjs 3.1 JSON of the version on the page
    <lang>/index.html            newest articles in one language, and a link to each month's archive
    <lang>/archive/YYYY-MM.html  every article of the language published that month, and the other months
    feeds/<lang>/rss.xml|atom.xml|feed.json   the newest `feed_size` entries
    index.html                   every language: its own name, article count and newest date
    assets/fonts/...             the bundled font and its licence (synd.publish.webfont.site_assets)

Publishing an article writes its ninjs, and its page and feed entry in the table (a small item
whose size does not grow with the site: synd.render.entries), then asks for its language to be
rendered (unless the delivery says `render=False`: a backfill asks once when it is done). The
feeds, language index, archive pages, root index and assets are written by the renderer
(synd.render.renderer, the RenderFunction behind a FIFO queue, one message group per language),
which coalesces a burst into one render. Nothing is read, modified and written back here.

The page is rendered here with an empty pager (its neighbours are not known here: finding them would
read the language) and kept in the table (synd.render.pages); the renderer writes it to the bucket once,
with its links to the newer and older articles in the language, and rewrites the pager block of the
neighbours whose links changed (synd.render.pagers). Until its language is rendered a new page is
missing (within the render queue's batching window; a backfill's pages at its catch-up).

An older version arriving late never replaces a newer one: the page keeps its version in object
metadata (the bucket's page is checked first; a withdrawal notice is a conditional PUT on its ETag), the
kept page and the entry are conditional PutItems on their version. A
withdrawal's tombstone is an entry too (never rendered): being a newer version, it keeps an older
one from coming back into the feeds. The page's metadata also names where its entry is
(`synd-feed: <lang>/<month>`), so a new version that moves to another month or language leaves a
tombstone where the old entry was.

Without RENDER_QUEUE_URL (tests, tools outside a stack) the language is rendered in process at once.

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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from synd.aws import client
from synd.language.tags import safe_tag
from synd.ninjs import with_attribution
from synd.publish import feeds
from synd.publish.html import Pager, render_article_page, render_withdrawn_page
from synd.render import requests
from synd.render.entries import EntryStore, entry_month
from synd.render.pages import MAX_KEPT_BYTES, PageStore, compress_page, page_metadata
from synd.targets import Delivery, Outcome, TargetEnv

KIND = "site"

HTML = "text/html; charset=utf-8"
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


def render_options(options: dict[str, Any]):
    """The renderer's options (URL, title, feed size) from a site target's options."""
    from synd.render.renderer import RenderOptions

    return RenderOptions.from_target_options(options, base_url(options))


def render_options_from_settings():
    """The options of the first enabled site target in the live settings (defaults when there is none)."""
    from synd import settings

    site = next((t for t in settings.target_settings() if t.kind == KIND and t.enabled), None)
    return render_options(site.options if site else {})


def deliver(delivery: Delivery, env: TargetEnv) -> Outcome:
    refusal = _refusal(delivery, env)
    if refusal:
        return refusal
    s3, bucket = client("s3"), env.site_bucket or ""  # set: _refusal checked it
    record, options = delivery.record, delivery.target.options
    article_id, site = record["id"], base_url(options)
    entry = feeds.make_entry(record, page_url=f"{site}/{page_key(article_id)}", updated=feeds.rfc3339(_now()),
                             attribution=delivery.attribution)  # the feed's rights are the delivery's
    html = render_article_page(record, delivery.attribution, pager=Pager())  # the renderer fills in the pager
    written, before = keep_page(s3, bucket, _pages(env), article_id, delivery.version, html, feed_location(entry))
    if not written:
        return Outcome.delivered(superseded=True, page=page_key(article_id))
    _put(s3, bucket, ninjs_key(article_id), json.dumps(with_attribution(delivery.ninjs, delivery.attribution),
                                                     ensure_ascii=False, indent=1),
         "application/json; charset=utf-8")
    language = _store_entry(delivery, env, entry, before)
    return Outcome.delivered(page=page_key(article_id), ninjs=ninjs_key(article_id), feeds=f"feeds/{language}/",
                             url=f"{site}/{page_key(article_id)}")


def withdraw(delivery: Delivery, env: TargetEnv) -> Outcome:
    """Take a withdrawn article back: a withdrawal notice in place of its page, its ninjs marked canceled,
    its feed entry replaced by a tombstone (which keeps an older version from coming back)."""
    refusal = _refusal(delivery, env)
    if refusal:
        return refusal
    s3, bucket = client("s3"), env.site_bucket or ""  # set: _refusal checked it
    record, options = delivery.record, delivery.target.options
    article_id, site = record["id"], base_url(options)
    entry = tombstone(feeds.make_entry(record, page_url=f"{site}/{page_key(article_id)}",
                                       updated=feeds.rfc3339(_now())))
    written, before = put_page(s3, bucket, article_id, delivery.version, render_withdrawn_page(record),
                               feed_location(entry))
    if not written:
        return Outcome.delivered(superseded=True, page=page_key(article_id))
    before = _pages(env).forget_older(article_id, delivery.version) or before  # a kept page is the newer one
    _put(s3, bucket, ninjs_key(article_id), json.dumps(delivery.ninjs, ensure_ascii=False, indent=1),
         "application/json; charset=utf-8")
    language = _store_entry(delivery, env, entry, before)
    return Outcome.delivered(page=page_key(article_id), withdrawn=True, feeds=f"feeds/{language}/")


def _refusal(delivery: Delivery, env: TargetEnv) -> Outcome | None:
    """Why this delivery cannot touch the site at all (no bucket, no table, an id that cannot be a key), or None."""
    if not env.site_bucket:
        return Outcome.failed("SITE_BUCKET is not set")
    if not (env.table_name or os.environ.get("TABLE_NAME")):
        return Outcome.failed("TABLE_NAME is not set: the site's feed entries live in the table")
    article_id = delivery.record["id"]
    if not isinstance(article_id, str) or not _ARTICLE_ID.fullmatch(article_id):
        return Outcome.failed(f"article id {str(article_id)[:80]!r} cannot be part of a key")
    return None


def _store_entry(delivery: Delivery, env: TargetEnv, entry: dict[str, Any], before: str | None) -> str:
    """The entry (or tombstone) in the table, a tombstone where a moved entry was, then a render request
    per changed language; returns the entry's language."""
    store = EntryStore(env.table_name or os.environ["TABLE_NAME"])
    language, month = feed_language(entry), entry_month(entry)
    if not store.put_entry(language, entry):
        return language  # a newer version's entry (or its withdrawal) is there: nothing changed
    changes = {language: (month, store.bump(language, month))}
    moved_from = _old_location(before, language, month)
    if moved_from:
        old_language, old_month = moved_from
        if store.put_entry(old_language, dict(tombstone(entry), published=f"{old_month}-01T00:00:00Z")):
            changes.setdefault(old_language, (old_month, store.bump(old_language, old_month)))
    for changed, (changed_month, revision) in changes.items():
        if revision == 1:  # the first change of a month: the language may be new to the site
            store.register_language(changed)
        if delivery.render:
            _ask_for_render(changed, f"{changed_month}-{revision}", delivery.target.options, store, env)
    return language


def _ask_for_render(language: str, change: str, options: dict[str, Any], store: EntryStore, env: TargetEnv) -> None:
    url = env.render_queue_url or requests.queue_url()
    if url:
        requests.request_render(language, change, render_options(options).as_message(), url=url)
        return
    from synd.render.outputs import SiteOutputs
    from synd.render.renderer import render_language

    render_language(language, store, SiteOutputs(env.site_bucket or ""), render_options(options))


def feed_location(entry: dict[str, Any]) -> str:
    """Where the entry lives, `<lang>/<YYYY-MM>` (kept in the page's metadata)."""
    return f"{feed_language(entry)}/{entry_month(entry)}"


def _old_location(before: str | None, language: str, month: str) -> tuple[str, str] | None:
    """The previous version's entry location when it differs from the new one (a changed date or language)."""
    if not before or before == f"{language}/{month}" or "/" not in before:
        return None
    old_language, old_month = before.split("/", 1)
    if safe_tag(old_language) != old_language or not re.fullmatch(r"\d{4}-\d{2}", old_month):
        return None
    return old_language, old_month


def tombstone(entry: dict[str, Any]) -> dict[str, Any]:
    """The mark of a withdrawn article: it replaces the entry, is never rendered, and, being a newer
    version, keeps a late message of an older one from putting the entry back."""
    return {"id": entry["id"], "version": entry["version"], "withdrawn": True, "published": entry.get("published"),
            "updated": entry["updated"], "language": entry.get("language"), "direction": entry.get("direction")}


def visible(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entries if not e.get("withdrawn")]


def feed_language(entry: dict[str, Any]) -> str:
    """The `<lang>` of the entry's keys: a canonical tag, `und` when the entry has none."""
    return safe_tag(entry.get("language")) or "und"


def _pages(env: TargetEnv) -> PageStore:
    return PageStore(env.table_name or os.environ["TABLE_NAME"])


def keep_page(s3, bucket: str, pages: PageStore, article_id: str, version: int, html: str,
              location: str) -> tuple[bool, str | None]:
    """Keep the page for the renderer, which writes it to the bucket with its links (synd.render.pages),
    unless a newer version is in the bucket or kept; a page too large for an item is written to the
    bucket now (and again when linked). Returns (kept, the feed location of the version it replaces:
    the kept one's, else the bucket's; None for a new article)."""
    html_z = compress_page(html)
    if len(html_z) > MAX_KEPT_BYTES:
        return put_page(s3, bucket, article_id, version, html, location)  # written again when linked
    _, current = _head(s3, bucket, page_key(article_id))
    if current is not None and int(current.get("synd-version", "0")) > version:
        return False, current.get("synd-feed")
    kept, pending_location = pages.put(article_id, version, html_z, location)
    if not kept:
        return False, None
    return True, pending_location or (current or {}).get("synd-feed")


def put_page(s3, bucket: str, article_id: str, version: int, html: str,
             location: str = "") -> tuple[bool, str | None]:
    """Write the page unless a newer version is already there. Returns (written, the feed location the
    page named before: None when there was no page)."""
    key = page_key(article_id)
    for _ in range(_MAX_RACES):
        etag, current = _head(s3, bucket, key)
        if current is not None and int(current.get("synd-version", "0")) > version:
            return False, current.get("synd-feed")
        condition = {"IfMatch": etag} if etag else {"IfNoneMatch": "*"}
        try:
            s3.put_object(Bucket=bucket, Key=key, Body=html.encode("utf-8"), ContentType=HTML,
                          Metadata=page_metadata(version, location), CacheControl="max-age=300", **condition)
            return True, (current or {}).get("synd-feed")
        except ClientError as exc:
            if not _lost_race(exc):
                raise
            _pause()
    raise RuntimeError(f"could not write {key}: too many concurrent writers")


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
    short = key.startswith("feeds/") or key.endswith("index.html")
    s3.put_object(Bucket=bucket, Key=key, Body=text.encode("utf-8"), ContentType=content_type,
                  CacheControl="max-age=60" if short else "max-age=300")


def _lost_race(exc: ClientError) -> bool:
    return exc.response["Error"]["Code"] in _LOST_RACE or \
        str(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")) in _LOST_RACE


def _pause() -> None:
    time.sleep(random.uniform(0.01, 0.1))  # noqa: S311 - jitter between retries, not a secret


def _now() -> datetime:
    return datetime.now(UTC)
