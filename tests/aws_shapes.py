"""Events in the shape AWS sends them, where moto's differ.

moto's S3 notifications leave out `versionId` and `sequencer`; real ones carry
both (the raw bucket is versioned). Tests that depend on them build the
notification from the bucket's real object versions, with sequencers that grow
in the order the versions were written, as S3's do.
"""
from __future__ import annotations

import json
import uuid
from typing import Any

from synd.aws.s3_events import ObjectRef, notification_for


def object_versions(s3, bucket: str, key: str) -> list[dict[str, Any]]:
    """Every version of one key, oldest first (S3 lists the newest first)."""
    versions = []
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=key):
        versions += [v for v in page.get("Versions", []) if v["Key"] == key]
    return list(reversed(versions))


def sequencer(position: int) -> str:
    """An S3-like sequencer (18 hex digits) for the n-th write to a key."""
    return f"0062{position:014X}"


def notification(bucket: str, key: str, version: dict[str, Any], position: int) -> dict[str, Any]:
    """The S3 ObjectCreated:Put notification AWS sends for one object version."""
    ref = ObjectRef(bucket=bucket, key=key, size=int(version["Size"]), etag=version["ETag"].strip('"'),
                    version_id=version["VersionId"], sequencer=sequencer(position))
    return notification_for(ref, event_name="ObjectCreated:Put")


def notifications_for_key(s3, bucket: str, key: str) -> list[dict[str, Any]]:
    """AWS-shaped notifications of every version of `key`, in the order the versions were written."""
    return [notification(bucket, key, v, i + 1) for i, v in enumerate(object_versions(s3, bucket, key))]


def sqs_event(bodies: list[dict[str, Any]], queue_arn: str = "arn:aws:sqs:us-east-1:123456789012:ingest") -> dict:
    """A Lambda SQS event holding these message bodies (as the event source mapping hands them over)."""
    records = []
    for body in bodies:
        text = json.dumps(body)
        records.append({"messageId": str(uuid.uuid4()), "receiptHandle": uuid.uuid4().hex, "body": text,
                        "attributes": {"ApproximateReceiveCount": "1"}, "messageAttributes": {},
                        "md5OfBody": "", "eventSource": "aws:sqs", "eventSourceARN": queue_arn,
                        "awsRegion": "us-east-1"})
    return {"Records": records}
