"""S3 access: read raw drops (never write or delete them), write processed copies."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from synd.aws import client
from synd.errors import Rejected


@dataclass(frozen=True)
class RawObject:
    """What was read of a raw drop: at most the size cap, the whole size, and which version it was."""

    data: bytes
    size: int
    version_id: str | None = None
    last_modified: str | None = None  # ISO 8601 UTC, from S3's LastModified


def read_raw(bucket: str, key: str, max_bytes: int, version_id: str | None = None) -> RawObject:
    """At most `max_bytes + 1` bytes of the object (the rest is never read), its size and version.

    With `version_id` (real S3 events carry it) exactly that version is read, so
    an event processed late reads its own bytes, not whatever is newest now.
    """
    s3 = client("s3")
    kwargs = {"VersionId": version_id} if version_id else {}
    try:
        response = s3.get_object(Bucket=bucket, Key=key, Range=f"bytes=0-{max_bytes}", **kwargs)
    except ClientError as exc:
        if exc.response["Error"]["Code"] in ("NoSuchKey", "NoSuchVersion", "404"):
            raise Rejected("not_found", f"s3://{bucket}/{key} no longer exists") from exc
        if exc.response["Error"]["Code"] == "InvalidRange":  # an empty object
            return RawObject(b"", 0, version_id)
        raise
    return RawObject(response["Body"].read(), _total_size(response),
                     response.get("VersionId") or version_id, _iso(response.get("LastModified")))


def _iso(moment: datetime | None) -> str | None:
    if not isinstance(moment, datetime):
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _total_size(response: dict[str, Any]) -> int:
    content_range = response.get("ContentRange")  # "bytes 0-99/1234"
    if content_range and "/" in content_range:
        return int(content_range.rsplit("/", 1)[1])
    return int(response.get("ContentLength", 0))


def put_json(bucket: str, key: str, data: dict[str, Any]) -> None:
    body = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    client("s3").put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json; charset=utf-8")


def get_json(bucket: str, key: str) -> dict[str, Any]:
    return json.loads(client("s3").get_object(Bucket=bucket, Key=key)["Body"].read())
