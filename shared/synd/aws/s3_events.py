"""S3 notifications as they reach us through SQS.

Keys arrive URL-encoded (`+` for space, `%2F`...) and Powertools'
`S3Object.key` hands them over raw, so they are unquote_plus'ed here, once.
The first message of a new notification configuration is an `s3:TestEvent`; it carries no object and is dropped.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote_plus, unquote_plus

from aws_lambda_powertools.utilities.data_classes import S3Event

INCOMING_PREFIX = "incoming/"
REPLAY_EVENT = "ObjectCreated:Replay"


@dataclass(frozen=True)
class ObjectRef:
    bucket: str
    key: str  # decoded
    size: int | None = None
    etag: str | None = None
    version_id: str | None = None
    sequencer: str | None = None
    event_name: str | None = None  # ObjectCreated:Put, ..., ObjectCreated:Replay (synd replay)

    @property
    def replayed(self) -> bool:
        """Sent by `synd replay`: parse it again even when this content was ingested before."""
        return self.event_name == REPLAY_EVENT

    @property
    def partner(self) -> str | None:
        """`incoming/<partner>/<any/path>` -> partner; None when the key has no partner folder."""
        if not self.key.startswith(INCOMING_PREFIX):
            return None
        parts = self.key[len(INCOMING_PREFIX):].split("/")
        return parts[0] if len(parts) >= 2 and parts[0] and parts[-1] else None


def objects_in_message(body: str) -> list[ObjectRef]:
    """The created objects an SQS message body announces ([] for test events and other events)."""
    payload = json.loads(body)
    if payload.get("Event") == "s3:TestEvent" or "Records" not in payload:
        return []
    refs = []
    for record in S3Event(payload).records:
        if not record.event_name.startswith("ObjectCreated"):
            continue
        obj = record.s3.get_object
        refs.append(ObjectRef(bucket=record.s3.bucket.name, key=unquote_plus(obj.key),
                              size=obj.get("size"), etag=obj.get("eTag"),
                              version_id=obj.get("versionId"), sequencer=obj.get("sequencer"),
                              event_name=record.event_name))
    return refs


def notification_for(ref: ObjectRef, event_name: str = REPLAY_EVENT) -> dict:
    """An S3 notification for an object that is already in the bucket, to send it through ingest again.

    The key is URL-encoded as S3 encodes it, so a replayed drop takes exactly the
    path a fresh one takes.
    """
    obj = {"key": quote_plus(ref.key, safe="/"), "size": ref.size or 0, "eTag": ref.etag or "",
           "sequencer": ref.sequencer or ""}
    if ref.version_id:
        obj["versionId"] = ref.version_id
    return {"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "eventName": event_name,
                         "s3": {"s3SchemaVersion": "1.0",
                                "bucket": {"name": ref.bucket, "arn": f"arn:aws:s3:::{ref.bucket}"},
                                "object": obj}}]}
