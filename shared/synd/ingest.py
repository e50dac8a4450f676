"""The ingest stage: one raw object -> stored, versioned articles queued for publishing.

Called by functions/ingest/app.py for every object an S3 notification names.
Every step is idempotent, because S3 notifications reach us at least once, out
of order, and twice for a multipart upload. The raw object is only read.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from synd import observability as obs
from synd.aws.articles import ArticleStore
from synd.aws.objects import put_json, read_raw
from synd.aws.queues import send
from synd.aws.s3_events import ObjectRef
from synd.errors import Rejected
from synd.ninjs import to_ninjs
from synd.pipeline import check_size, make_source, parse_drop, size_cap
from synd.settings import partner_settings

logger = obs.logger


@dataclass(frozen=True)
class IngestConfig:
    table: str
    processed_bucket: str
    publish_queue_url: str

    @classmethod
    def from_env(cls) -> "IngestConfig":
        return cls(table=os.environ["TABLE_NAME"], processed_bucket=os.environ["PROCESSED_BUCKET"],
                   publish_queue_url=os.environ["PUBLISH_QUEUE_URL"])


@dataclass
class IngestOutcome:
    state: str  # ingested | rejected | duplicate
    article_ids: list[str] = field(default_factory=list)
    new_versions: int = 0
    error: dict[str, str] | None = None


def record_key(article_id: str, version: int) -> str:
    return f"articles/{article_id}/v{version}.json"


def ninjs_key(article_id: str, version: int) -> str:
    return f"ninjs/{article_id}/v{version}.json"


def ingest_object(ref: ObjectRef, config: IngestConfig) -> IngestOutcome:
    obs.count(obs.DROPS_RECEIVED)
    store = ArticleStore(config.table)
    settings = partner_settings(ref.partner or "")
    try:
        if ref.partner is None:
            raise Rejected("no_partner", f"{ref.key!r} is not under incoming/<partner>/")
        check_size(ref.size or 0, settings)  # from the event: a huge drop is not even fetched
        data, size = read_raw(ref.bucket, ref.key, size_cap(settings), ref.version_id)
        check_size(size, settings)
    except Rejected as exc:
        return _reject(store, ref, f"etag:{ref.etag or ref.sequencer or 'unknown'}", exc)

    source = make_source(data, bucket=ref.bucket, key=ref.key)
    seen = store.drop_seen(ref.bucket, ref.key, source.sha256)
    if seen and seen["state"] == "ingested":  # a rejected drop is parsed again: the parser may have been fixed
        logger.info("drop already processed", extra={"sha256": source.sha256})
        obs.count(obs.DROPS_DUPLICATE)
        return IngestOutcome(state="duplicate")
    try:
        result = parse_drop(data, source, settings)
    except Rejected as exc:
        return _reject(store, ref, source.sha256, exc, source=source.to_record())

    outcome = IngestOutcome(state="ingested")
    for article in result.articles:
        created = _store_article(article.to_record(), store, config)
        outcome.article_ids.append(article.id)
        outcome.new_versions += created
    for item_error in result.errors:
        obs.count(obs.ITEMS_REJECTED)
        logger.warning("item rejected", extra={"code": item_error.code, "reason": item_error.message})
    store.record_drop(ref.bucket, ref.key, source.sha256, state="ingested", partner=ref.partner,
                      article_ids=outcome.article_ids, item_errors=[e.to_record() for e in result.errors],
                      source=result.source.to_record())
    obs.count(obs.ARTICLES_INGESTED, len(result.articles))
    logger.info("drop ingested", extra={"articles": outcome.article_ids, "new_versions": outcome.new_versions,
                                        "format": result.source.format, "encoding": result.source.encoding})
    return outcome


def _store_article(record: dict, store: ArticleStore, config: IngestConfig) -> bool:
    """Save the record as a version; write its processed copies and queue it for publishing.

    Returns True when a new version was created. A retry after a crash finds the
    version saved but not yet enqueued, and finishes the job.
    """
    record["status"] = {"state": "stored", "reason": None}
    saved = store.save_version(record)
    article_id, version = record["id"], saved.version
    logger.append_keys(article_id=article_id)
    if saved.created:
        obs.count(obs.ARTICLE_VERSIONS)
    if saved.created or not saved.enqueued:
        record["version"] = version
        put_json(config.processed_bucket, record_key(article_id, version), record)
        put_json(config.processed_bucket, ninjs_key(article_id, version), to_ninjs(record))
        send(config.publish_queue_url, {
            "type": "article.version", "article_id": article_id, "version": version,
            "partner": record["partner"], "record_key": record_key(article_id, version),
            "ninjs_key": ninjs_key(article_id, version), "content_hash": record["content_hash"],
        })
        store.mark_enqueued(article_id, version)
    logger.remove_keys(["article_id"])
    return saved.created


def _reject(store: ArticleStore, ref: ObjectRef, identity: str, exc: Rejected,
            source: dict | None = None) -> IngestOutcome:
    obs.count_rejection(exc.code)
    logger.warning("drop rejected", extra={"code": exc.code, "reason": exc.message})
    store.record_drop(ref.bucket, ref.key, identity, state="rejected", partner=ref.partner,
                      error=exc.to_record(), source=source)
    return IngestOutcome(state="rejected", error=exc.to_record())
