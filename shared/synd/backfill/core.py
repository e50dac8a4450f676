"""One batch of a backfill through the ingest core: what BackfillFunction does with each event.

Each key is checked (synd.backfill.items) and, when it is a drop's key, ingested exactly as a
notification's object is (`synd.ingest.ingest_object`, with the checked partner and
`backfill=True`). The raw object is only read. Outcomes per key:
- ingested / superseded / duplicate: as ingest says (a drop ingested before is a duplicate, so
  running a backfill again does no work twice);
- rejected: a bad object, recorded as ingest records any rejected drop (`synd status` lists it);
- bad_key: a key refused before it named anything; reported here and in the log only;
- failed: an unexpected error (throttling, a bug) or too little time left to parse. The batch
  goes on with the other keys, then raises `BatchIncomplete`, so Step Functions retries the batch
  (the keys done are duplicates the second time) and, after its retries, counts it as failed.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from synd import observability as obs
from synd.aws.s3_events import ObjectRef
from synd.backfill.items import BUCKET_NAME, BadKey, FolderMarker, check_partner, partner_of
from synd.ingest import IngestConfig, OutOfTime, ingest_object

logger = obs.logger
COUNTED = ("ingested", "superseded", "duplicate", "rejected", "bad_key", "skipped", "failed")
MAX_REPORTED = 20  # keys listed per kind in a batch's result (the counts are complete)


class BatchIncomplete(Exception):
    """Some keys of the batch failed: the state machine's Retry names this error (template.yaml)."""


@dataclass
class BatchResult:
    counts: Counter = field(default_factory=Counter)
    articles: int = 0
    problems: list[dict] = field(default_factory=list)  # rejected, bad_key and failed keys, with why

    def note(self, kind: str, key: str | None = None, reason: str | None = None) -> None:
        self.counts[kind] += 1
        if key is not None and sum(1 for p in self.problems if p["kind"] == kind) < MAX_REPORTED:
            self.problems.append({"kind": kind, "key": key[:300], "reason": (reason or "")[:300]})

    def as_dict(self) -> dict:
        return {"items": sum(self.counts.values()), **{kind: self.counts.get(kind, 0) for kind in COUNTED},
                "articles": self.articles, "problems": self.problems}


def process_batch(event: dict, config: IngestConfig, remaining: Callable[[], float] | None = None) -> BatchResult:
    """Ingest every item of one ItemBatcher event; a bad item never stops the others."""
    batch_input = event.get("BatchInput") or {}
    bucket, prefix = str(batch_input.get("Bucket") or ""), str(batch_input.get("Prefix") or "")
    if not BUCKET_NAME.fullmatch(bucket):
        raise ValueError(f"the batch names no valid bucket: {bucket[:80]!r}")
    given = str(batch_input.get("Partner") or "") or None
    if given:
        check_partner(given)  # a wrong --partner refuses the whole batch, not each key
    result = BatchResult()
    for item in event.get("Items") or []:
        process_item(item, bucket, prefix, given, config, remaining, result)
    return result


def process_item(item: dict, bucket: str, prefix: str, given: str | None, config: IngestConfig,
                 remaining, result: BatchResult) -> None:
    key = item.get("Key") if isinstance(item, dict) else None
    try:
        partner = partner_of(key, prefix, given)
    except FolderMarker:
        result.note("skipped")
        return
    except BadKey as exc:
        logger.warning("backfill key refused", extra={"reason": str(exc)})
        result.note("bad_key", repr(key)[:300], str(exc))
        return
    ref = ObjectRef(bucket, str(key), size=_size(item.get("Size")), etag=str(item.get("Etag") or "").strip('"') or None)
    logger.append_keys(s3_key=key, partner=partner)
    try:
        outcome = ingest_object(ref, config, remaining=remaining, partner=partner, backfill=True)
    except OutOfTime as exc:
        result.note("failed", key, f"out of time: {exc}")
        return
    except Exception as exc:  # one object's trouble never stops the batch; the batch retries
        logger.exception("backfill item failed", extra={"error": type(exc).__name__})
        result.note("failed", key, f"{type(exc).__name__}: {exc}")
        return
    finally:
        logger.remove_keys(["s3_key", "partner"])
    result.articles += len(outcome.article_ids) if outcome.state != "duplicate" else 0
    if outcome.state == "rejected":
        result.note("rejected", key, (outcome.error or {}).get("code"))
    else:
        result.note(outcome.state)


CATCH_UP_MAX_WAITS = 60  # the state machine waits 30 s between tries (30 min); the local form 1 s


def publish_backlog(queue_url: str) -> int:
    """Messages still on the publish queue (waiting, in flight or delayed): backfilled articles whose
    page and feed entry are not written yet, which a render now would miss."""
    from synd.aws import client

    attributes = client("sqs").get_queue_attributes(QueueUrl=queue_url, AttributeNames=[
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed"])["Attributes"]
    return sum(int(value) for value in attributes.values())


def ready_to_catch_up(backlog: int, waits: int) -> bool:
    """The renderer is asked once the backfill's articles are published, or after CATCH_UP_MAX_WAITS tries
    (live traffic may keep the queue from ever emptying; its own render requests cover its languages)."""
    return backlog == 0 or waits >= CATCH_UP_MAX_WAITS


def _size(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
