"""The ingest stage: one raw object -> stored, versioned articles queued for publishing.

Called by functions/ingest/app.py for every object an S3 notification names.
Every step is idempotent, because S3 notifications reach us at least once, out
of order, and twice for a multipart upload. The raw object is only read.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from synd import observability as obs
from synd.aws.articles import ArticleStore, SavedVersion
from synd.aws.objects import RawObject, put_json, read_raw
from synd.aws.queues import send
from synd.aws.s3_events import ObjectRef
from synd.aws.versions import ninjs_key
from synd.errors import Rejected
from synd.model import PUB_CANCELED, Source, content_hash, is_withdrawal
from synd.ninjs import to_ninjs
from synd.pipeline import check_size, make_source, parse_drop, partner_budget, size_cap
from synd.settings import partner_settings

logger = obs.logger

# a step the budget cannot interrupt may overrun it by ~7 s (trafilatura on 9 MB); storing takes the rest
RESERVE_SECONDS = 12.0
DEFER_SECONDS = 5.0  # a deferred drop comes back to a fresh invocation after this


class OutOfTime(Exception):
    """The invocation has too little time left to parse this drop in its budget: a fresh one takes it.

    Not a rejection: the drop did nothing wrong (its batch ran long)."""

    def __init__(self, message: str, delay: float = DEFER_SECONDS):
        super().__init__(message)
        self.delay = delay


def parse_budget(settings, remaining: Callable[[], float] | None) -> tuple[float, bool]:
    """The drop's parse budget, cut to what the invocation has left (less the store reserve); and whether
    it was cut. Within its partner's budget no drop can time out the batch."""
    full = partner_budget(settings)
    if remaining is None:
        return full, False
    left = remaining() - RESERVE_SECONDS
    return (full, False) if left >= full else (max(left, 0.0), True)


@dataclass(frozen=True)
class IngestConfig:
    table: str
    processed_bucket: str
    publish_queue_url: str

    @classmethod
    def from_env(cls) -> IngestConfig:
        return cls(table=os.environ["TABLE_NAME"], processed_bucket=os.environ["PROCESSED_BUCKET"],
                   publish_queue_url=os.environ["PUBLISH_QUEUE_URL"])


@dataclass
class IngestOutcome:
    state: str  # ingested | superseded (every article of the drop had a newer version) | rejected | duplicate
    article_ids: list[str] = field(default_factory=list)
    new_versions: int = 0
    error: dict[str, str] | None = None


def ingest_object(ref: ObjectRef, config: IngestConfig, remaining: Callable[[], float] | None = None, *,
                  partner: str | None = None, backfill: bool = False) -> IngestOutcome:
    """Ingest one raw object; `remaining` tells the seconds left in the invocation (the parse budget fits in it).

    A backfill (synd.backfill) names the partner itself, checked, since its objects need not lie under
    incoming/<partner>/; its publish messages say `"backfill": true`, so the site skips per-article feed
    work and the renderer catches up once at the end."""
    started = time.monotonic()
    obs.count(obs.DROPS_RECEIVED)
    store = ArticleStore(config.table)
    partner = partner or ref.partner
    settings = partner_settings(partner or "")
    try:
        if partner is None:
            raise Rejected("no_partner", f"{ref.key!r} is not under incoming/<partner>/")
        check_size(ref.size or 0, settings)  # from the event: a huge drop is not even fetched
        raw = read_raw(ref.bucket, ref.key, size_cap(settings), ref.version_id)
        check_size(raw.size, settings)
    except Rejected as exc:
        return _reject(store, ref, f"etag:{ref.etag or ref.sequencer or 'unknown'}", exc, started=started,
                       partner=partner)

    source = source_of(ref, raw)
    seen = None if ref.replayed else store.drop_seen(ref.bucket, ref.key, source.sha256)
    if seen and seen["state"] in ("ingested", "superseded"):  # a rejected or replayed drop is parsed again
        logger.info("drop already processed", extra={"sha256": source.sha256})
        obs.count(obs.DROPS_DUPLICATE)
        return IngestOutcome(state="duplicate")
    budget, cut = parse_budget(settings, remaining)
    try:
        result = parse_drop(raw.data, source, settings, budget_seconds=budget)
    except Rejected as exc:
        if exc.code == "too_slow" and cut:
            raise OutOfTime(f"{budget:.1f}s of the invocation were left for a {partner_budget(settings):g}s budget: "
                            f"{exc.message}") from exc
        return _reject(store, ref, source.sha256, exc, source=source.to_record(), size=raw.size, started=started,
                       partner=partner)

    outcome = IngestOutcome(state="ingested")
    superseded = []
    for article in result.articles:
        saved = store_version(article.to_record(), store, config, backfill=backfill)
        outcome.article_ids.append(article.id)
        outcome.new_versions += saved.created
        if saved.superseded:
            superseded.append(article.id)
    for item_error in result.errors:
        obs.count(obs.ITEMS_REJECTED)
        logger.warning("item rejected", extra={"code": item_error.code, "reason": item_error.message})
    if superseded and len(superseded) == len(result.articles):
        outcome.state = "superseded"
    store.record_drop(ref.bucket, ref.key, source.sha256, state=outcome.state, partner=partner,
                      article_ids=outcome.article_ids, item_errors=[e.to_record() for e in result.errors],
                      source=result.source.to_record(), superseded=superseded)
    obs.count(obs.ARTICLES_INGESTED, len(result.articles))
    # the drop's one INFO line (the saved Logs Insights queries read it): its articles, size and time
    logger.info("drop ingested", extra={"state": outcome.state, "articles": outcome.article_ids,
                                        "new_versions": outcome.new_versions, "superseded": superseded,
                                        "format": result.source.format, "encoding": result.source.encoding,
                                        "size": raw.size, "duration_ms": _ms_since(started)})
    return outcome


def source_of(ref: ObjectRef, raw: RawObject) -> Source:
    """The drop's source with what orders it among other versions of its key.

    The event's sequencer describes the version the event names; it is kept
    only when that exact version was read (real S3 events carry `versionId`).
    """
    source = make_source(raw.data, bucket=ref.bucket, key=ref.key)
    sequencer = ref.sequencer if ref.version_id and raw.version_id == ref.version_id else None
    return replace(source, version_id=raw.version_id, sequencer=sequencer or None, last_modified=raw.last_modified)


def store_version(record: dict, store: ArticleStore, config: IngestConfig, backfill: bool = False) -> SavedVersion:
    """Save the record as a version; write its processed copy (the ninjs: the record's fields but the body
    are in the version's items, synd.aws.versions) and queue it for publishing.

    A retry after a crash finds the version saved but not yet enqueued, and
    finishes the job. A version older than the stored one (an event processed
    out of order) is recorded as superseded and goes no further.
    """
    if is_withdrawal(record):
        record = withdrawal_of(record, store.latest(record["id"]))
    else:
        record["status"] = {"state": "stored", "reason": None}
    saved = store.save_version(record)
    article_id, version = record["id"], saved.version
    logger.append_keys(article_id=article_id)
    if saved.superseded:
        obs.count(obs.ARTICLE_VERSIONS_SUPERSEDED)
        logger.debug("older version superseded", extra={"stored_version": version,
                                                        "source": record["source"]})
    elif saved.created or not saved.enqueued:
        if saved.created:
            obs.count(obs.ARTICLE_VERSIONS)
        record["version"] = version
        record.update({k: v for k, v in (("stored_at", saved.stored_at), ("first_created", saved.first_created)) if v})
        if record.get("story_id"):
            store.relate(record["story_id"], article_id, record["partner"])
        put_json(config.processed_bucket, ninjs_key(article_id, version), to_ninjs(record))
        send(config.publish_queue_url, publish_message(record, version, backfill))
        store.mark_enqueued(article_id, version)
    logger.remove_keys(["article_id"])
    return saved


def publish_message(record: dict, version: int, backfill: bool = False) -> dict:
    """The publish queue's message for a stored version; a backfilled one says so (contract 2: the publisher
    delivers it with `render=False`, and the backfill asks the renderer once when it is done)."""
    article_id = record["id"]
    message = {"type": "article.version", "article_id": article_id, "version": version,
               "partner": record["partner"], "ninjs_key": ninjs_key(article_id, version),
               "content_hash": record["content_hash"]}
    if backfill:
        message["backfill"] = True
    return message


# what a withdrawal keeps of the version it withdraws, so that every target finds the article where it put it
INHERITED = ("title", "authors", "published", "canonical_url", "publisher", "language", "languages", "script",
             "direction", "license", "story_id", "section")


def withdrawal_of(record: dict, latest: dict | None) -> dict:
    """The record of a version that withdraws its article: the latest version's metadata, no text.

    A partner's withdrawal notice (ninjs `pubStatus: canceled`) may carry nothing but the
    article's identity; an operator's (`synd withdraw`) starts from the latest record."""
    merged = dict(record)
    for name in INHERITED:
        if latest and latest.get(name) not in (None, "", []):
            merged[name] = latest[name]
    merged.update(body_text="", summary=None, pub_status=PUB_CANCELED,
                  status={"state": "withdrawn", "reason": (record.get("withdrawal") or {}).get("reason")})
    merged["content_hash"] = content_hash(merged)
    return merged


def _ms_since(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def _reject(store: ArticleStore, ref: ObjectRef, identity: str, exc: Rejected, source: dict | None = None,
            size: int | None = None, started: float | None = None, partner: str | None = None) -> IngestOutcome:
    obs.count_rejection(exc.code)
    details = {"code": exc.code, "reason": exc.message, "size": ref.size if size is None else size,
               "duration_ms": None if started is None else _ms_since(started)}
    if exc.code == "parser_error":  # a bug of ours, not a bad drop: an operator must see it
        logger.error("drop rejected: the parser failed", exc_info=exc.__cause__, extra=details)
    else:
        logger.warning("drop rejected", extra=details)
    store.record_drop(ref.bucket, ref.key, identity, state="rejected", partner=partner,
                      error=exc.to_record(), source=source)
    return IngestOutcome(state="rejected", error=exc.to_record())
