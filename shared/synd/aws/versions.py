"""A stored article version, read back: its record and its ninjs copy.

Ingest keeps one processed object per version, the ninjs copy (`ninjs/<id>/v<N>.json`, the IPTC copy
the product promises); the record is not written beside it. Everything of the record but its body is
in the version's table items (synd.aws.articles: `V#<N>`, and LATEST while it is the latest), and the
body is the ninjs copy's plain-text body, so the record is rebuilt from the two (synd.model.stored_record)
by whoever needs it: the publisher, `synd reconsider`. Versions stored before this wrote
`articles/<id>/v<N>.json` too; those objects stay and nothing reads them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from synd.aws.articles import ArticleStore
from synd.aws.objects import get_json
from synd.model import stored_record
from synd.ninjs import body_text_of

_MISSING = ("NoSuchKey", "404")


def ninjs_key(article_id: str, version: int) -> str:
    return f"ninjs/{article_id}/v{version}.json"


class VersionMissing(LookupError):
    """A version named by a message or a command is not (or no longer) stored: which part, and where."""


@dataclass(frozen=True)
class StoredVersion:
    record: dict[str, Any]
    ninjs: dict[str, Any]


def read_version(store: ArticleStore, bucket: str, article_id: str, version: int, *,
                 latest: dict[str, Any] | None = None) -> StoredVersion:
    """The record and ninjs of one stored version: 1 S3 GET, and 1 GetItem unless `latest` is that version."""
    metadata = store.version_metadata(article_id, version, latest)
    if metadata is None:
        raise VersionMissing(f"article {article_id} has no stored version {version} in {store.table}")
    key = ninjs_key(article_id, version)
    try:
        ninjs = get_json(bucket, key)
    except ClientError as exc:
        if exc.response["Error"]["Code"] in _MISSING:
            raise VersionMissing(f"the ninjs copy s3://{bucket}/{key} of article {article_id} version "
                                 f"{version} is missing: its text is stored nowhere else") from exc
        raise
    record = stored_record(metadata, body_text_of(ninjs))
    record["version"] = int(version)
    return StoredVersion(record, ninjs)
