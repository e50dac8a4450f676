"""What a backfill's keys mean, with no AWS: the partner each key belongs to, and the batches.

Every key under the prefix is untrusted (whoever could write to the bucket chose it), so it is
checked before it names a drop (a DynamoDB key, a log field) or a partner: a bad key is reported
and counted, never ingested. The partner comes either from `--partner` (every object under the
prefix is that partner's) or from the layout `<prefix><partner>/<path>`, as under incoming/.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

BATCH_SIZE = 25  # keys per BackfillFunction invocation: ItemBatcher.MaxItemsPerBatch in template.yaml
MAX_KEY_BYTES = 1024  # S3's own limit: a longer "key" did not come from S3
# a partner id names a folder, a settings entry and the PARTNER# items: lower-case letters, digits, - and _
PARTNER_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
RESERVED_PARTNERS = {"default"}  # partners.yaml's fallback entry, not a partner
BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class BadKey(ValueError):
    """A key (or partner) the backfill refuses; the message says why, for the report."""


class FolderMarker(Exception):
    """A zero-byte `folder/` object (the S3 console makes them): nothing to ingest, not an error."""


@dataclass(frozen=True)
class Location:
    bucket: str
    prefix: str  # "" or ending in "/"


def parse_location(url: str) -> Location:
    """`s3://bucket/prefix` -> Location; the prefix is a folder (a trailing / is added), so that
    `s3://b/backfill/af` never takes `backfill/afgazad-old/` along."""
    if not url.startswith("s3://"):
        raise BadKey(f"{url!r} is not an s3://bucket/prefix URL")
    bucket, _, prefix = url[len("s3://"):].partition("/")
    if not BUCKET_NAME.fullmatch(bucket) or ".." in bucket:
        raise BadKey(f"{bucket!r} is not an S3 bucket name")
    prefix = prefix.lstrip("/")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    if prefix:
        check_key(prefix + "x", "")
    return Location(bucket, prefix)


def check_partner(partner: str) -> str:
    if not PARTNER_ID.fullmatch(partner) or partner in RESERVED_PARTNERS:
        raise BadKey(f"{partner[:80]!r} is not a partner id (lower-case letters, digits, - and _; "
                     f"at most 64; not 'default')")
    return partner


def check_key(key: str | None, prefix: str) -> list[str]:
    """The key's path segments below the prefix; BadKey when it cannot be a drop's key."""
    if not isinstance(key, str) or not key:
        raise BadKey("an empty key")
    if len(key.encode("utf-8", "surrogatepass")) > MAX_KEY_BYTES:
        raise BadKey(f"a key of more than {MAX_KEY_BYTES} bytes")
    if _CONTROL.search(key):
        raise BadKey(f"{key[:200]!r} holds control characters")
    if not key.startswith(prefix):
        raise BadKey(f"{key[:200]!r} is not under {prefix!r}")
    rest = key[len(prefix):]
    if rest.endswith("/"):
        raise FolderMarker(key)
    segments = rest.split("/")
    if any(segment in ("", ".", "..") for segment in segments):
        raise BadKey(f"{key[:200]!r} has an empty, '.' or '..' path segment")
    return segments


def partner_of(key: str | None, prefix: str, partner: str | None = None) -> str:
    """The partner whose drop `key` is: `partner` when given, else the key's first folder below the prefix."""
    segments = check_key(key, prefix)
    if partner:
        return check_partner(partner)
    if len(segments) < 2:
        raise BadKey(f"{str(key)[:200]!r} is not under {prefix}<partner>/ (or pass --partner)")
    return check_partner(segments[0])


def batches(items: Iterable[dict], size: int = BATCH_SIZE) -> Iterator[list[dict]]:
    """Consecutive batches of at most `size` items, as the ItemBatcher hands them out."""
    if size < 1:
        raise ValueError("a batch holds at least one item")
    batch: list[dict] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def batch_event(items: list[dict], location: Location, partner: str | None) -> dict:
    """The event the Distributed Map's ItemBatcher gives each child (BatchInput from the execution input)."""
    return {"Items": items, "BatchInput": {"Bucket": location.bucket, "Prefix": location.prefix,
                                           "Partner": partner or ""}}


def listed_item(obj: dict) -> dict:
    """A ListObjectsV2 entry as the ItemReader passes it on (its fields, `Etag` spelled as it spells it)."""
    return {"Key": obj["Key"], "Size": obj.get("Size"), "Etag": obj.get("ETag") or obj.get("Etag"),
            "LastModified": str(obj.get("LastModified", "")), "StorageClass": obj.get("StorageClass", "STANDARD")}
