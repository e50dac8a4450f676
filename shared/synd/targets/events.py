"""`article.published` events on an SNS topic and an EventBridge bus.

The event (schema in docs/publishing.md) is small: metadata, licence and where
the full ninjs lies, never the body, so it stays far below the 256 KB limits of
both services. SNS message attributes (`type`, `language`, `license`, `partner`)
let subscribers filter without parsing; on EventBridge the same fields are in
`detail` for rules to match. The rights travel with the event: licence id, name and
URL, what the target may do with the text (`use`), the ShareAlike obligation and the
other obligations of the licence policy (synd.publish.attribution.rights_of).
"""
from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from synd.aws import client
from synd.aws.versions import ninjs_key
from synd.ninjs import article_uri
from synd.publish.attribution import rights_of
from synd.targets import Delivery, Outcome, TargetEnv

KIND = "events"
EVENT_TYPE = "article.published"
EVENT_SOURCE = "synd.publish"
SCHEMA_VERSION = "1"
_THROTTLED = {"Throttling", "ThrottlingException", "ThrottledException", "InternalError", "InternalFailure",
              "ServiceUnavailable", "KMSThrottlingException"}


def published_event(delivery: Delivery, env: TargetEnv) -> dict[str, Any]:
    """The `article.published` event of a delivery."""
    record = delivery.record
    rights = rights_of(record, delivery.attribution)
    article_id, version = delivery.article_id, delivery.version
    return {
        "type": EVENT_TYPE,
        "schema_version": SCHEMA_VERSION,
        "id": delivery.idempotency_key,
        "article_id": article_id,
        "version": version,
        "uri": article_uri(article_id),
        "partner": record.get("partner"),
        "title": record.get("title"),
        "authors": list(record.get("authors") or []),
        "language": record.get("language"),
        "direction": record.get("direction"),
        "published": record.get("published"),
        "canonical_url": record.get("canonical_url"),
        "publisher": record.get("publisher"),
        "license": rights["license"],
        "use": rights["use"],
        "share_alike": rights["share_alike"],
        "obligations": rights["obligations"],
        "action": delivery.action,
        "attribution": (delivery.attribution or {}).get("text"),
        "content_hash": record.get("content_hash"),
        "ninjs": {"bucket": env.processed_bucket, "key": ninjs_key(article_id, version)},
        "target": delivery.target.name,
        "emitted_at": _now(),
    }


def deliver_sns(delivery: Delivery, env: TargetEnv) -> Outcome:
    event = published_event(delivery, env)
    return _to_topic(delivery, env, event, license=event["license"]["spdx"])


def deliver_eventbridge(delivery: Delivery, env: TargetEnv) -> Outcome:
    return _to_bus(delivery, env, published_event(delivery, env))


WITHDRAWN_TYPE = "article.withdrawn"


def withdrawn_event(delivery: Delivery, env: TargetEnv) -> dict[str, Any]:
    """The `article.withdrawn` event: which article, since which version, and why."""
    record = delivery.record
    withdrawal = record.get("withdrawal") or {}
    return {
        "type": WITHDRAWN_TYPE, "schema_version": SCHEMA_VERSION, "id": delivery.idempotency_key,
        "article_id": delivery.article_id, "version": delivery.version, "uri": article_uri(delivery.article_id),
        "partner": record.get("partner"), "title": record.get("title"), "language": record.get("language"),
        "canonical_url": record.get("canonical_url"), "reason": withdrawal.get("reason"),
        "withdrawn_by": withdrawal.get("by"), "target": delivery.target.name,
        "emitted_at": _now(),
    }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def withdraw_sns(delivery: Delivery, env: TargetEnv) -> Outcome:
    return _to_topic(delivery, env, withdrawn_event(delivery, env))


def withdraw_eventbridge(delivery: Delivery, env: TargetEnv) -> Outcome:
    return _to_bus(delivery, env, withdrawn_event(delivery, env))


def _to_topic(delivery: Delivery, env: TargetEnv, event: dict[str, Any], **attributes: str) -> Outcome:
    """The event on the target's topic, with the attributes every subscriber filters on (type,
    language, partner) and any the event kind adds."""
    topic = delivery.target.options.get("topic_arn") or env.articles_topic_arn
    if not topic:
        return Outcome.failed("ARTICLES_TOPIC_ARN is not set")
    return _publish_sns(topic, event, {"type": event["type"], "language": event["language"] or "und",
                                       **attributes, "partner": event["partner"] or "unknown"})


def _to_bus(delivery: Delivery, env: TargetEnv, event: dict[str, Any]) -> Outcome:
    """The event on the target's bus, its type as the DetailType rules match."""
    bus = delivery.target.options.get("event_bus_name") or env.event_bus_name
    if not bus:
        return Outcome.failed("EVENT_BUS_NAME is not set")
    return _put_event(bus, event["type"], event)


def _publish_sns(topic: str, event: dict[str, Any], attributes: dict[str, str]) -> Outcome:
    """One event on the topic, with string message attributes subscribers filter on."""
    typed = {name: {"DataType": "String", "StringValue": str(value)} for name, value in attributes.items()}
    try:
        response = client("sns").publish(TopicArn=topic, Message=json.dumps(event, ensure_ascii=False),
                                         MessageAttributes=typed)
    except (ClientError, BotoCoreError) as exc:
        return _error(exc)
    return Outcome.delivered(message_id=response["MessageId"])


def _put_event(bus: str, detail_type: str, event: dict[str, Any]) -> Outcome:
    """One event on the bus; a throttled entry is retried, another refused entry fails."""
    try:
        response = client("events").put_events(Entries=[{
            "Source": EVENT_SOURCE, "DetailType": detail_type, "Detail": json.dumps(event, ensure_ascii=False),
            "EventBusName": bus, "Resources": [event["uri"]]}])
    except (ClientError, BotoCoreError) as exc:
        return _error(exc)
    entry = response["Entries"][0]
    if response.get("FailedEntryCount"):
        code = entry.get("ErrorCode", "")
        message = f"{code}: {entry.get('ErrorMessage', '')}"
        return Outcome.retry(message) if code in _THROTTLED else Outcome.failed(message)
    return Outcome.delivered(event_id=entry.get("EventId"))


def _error(exc: Exception) -> Outcome:
    code = exc.response["Error"]["Code"] if isinstance(exc, ClientError) else type(exc).__name__
    message = f"{code}: {exc}"[:300]
    if isinstance(exc, BotoCoreError) or code in _THROTTLED:
        return Outcome.retry(message)
    return Outcome.failed(message)


DELIVERERS = {"sns": deliver_sns, "eventbridge": deliver_eventbridge}
WITHDRAWERS = {"sns": withdraw_sns, "eventbridge": withdraw_eventbridge}
