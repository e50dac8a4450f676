"""DynamoDB records of drops and article versions (one table, pk/sk keys).

    pk DROP#<bucket>/<key>   sk SHA#<sha256>      one per distinct content of a raw object
    pk ARTICLE#<id>          sk LATEST            the current version of an article
    pk ARTICLE#<id>          sk V#<version:06d>   every version (metadata, no body)
    pk STORY#<story id>      sk ARTICLE#<id>      the same story sent by several partners (a relation:
                                                  each article keeps its own text, licence and credit)

Delivery at least once means every write here is conditional: the same object
twice gives one drop record and one article version; changed content under the
same key gives a new drop record and a new version of the same article id.
LATEST only moves forward in the source's own order (synd.ordering): an event
for an older object version that is processed late is recorded as superseded.
A withdrawn article stays withdrawn: a later version of it is superseded too.
The sparse GSI (synd.aws.index) holds a rejected drop (`DROP#rejected#<shard>`)
and each article's LATEST (`LATEST#<shard>`, for `synd status`); nothing else
written here is indexed. Drop records expire (`expires_at`, the table's TTL)
DROP_RECORD_DAYS after they are written; article versions never do.
"""
from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from synd.aws import client, index
from synd.model import is_withdrawal
from synd.ordering import is_older

BODY_FIELDS = ("body_text",)
# A drop record is the ingest's duplicate check for S3 events (redelivered within the queues' 14 days
# of retention, a DLQ redrive included) and the operators' list of rejected drops; the raw bucket keeps
# a replaced object version 365 days (template.yaml, RawBucket ExpireOldVersions). A year covers both;
# after it the record goes (TTL deletes are free), and a drop sent again is judged again: its articles'
# versions, which never expire, recognise content they already hold (`save_version`).
DROP_RECORD_DAYS = 365


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def to_item(data: dict[str, Any]) -> dict[str, Any]:
    """Plain JSON data -> DynamoDB attribute values (floats as numbers, no empty sets)."""
    from boto3.dynamodb.types import TypeSerializer

    plain = json.loads(json.dumps(data), parse_float=Decimal)
    serializer = TypeSerializer()
    return {k: serializer.serialize(v) for k, v in plain.items() if v is not None}


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    from boto3.dynamodb.types import TypeDeserializer

    deserializer = TypeDeserializer()
    plain = {k: deserializer.deserialize(v) for k, v in item.items()}
    return json.loads(json.dumps(plain, default=_number))


def _number(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(type(value))


@dataclass(frozen=True)
class SavedVersion:
    version: int
    created: bool  # False when the same content was already the latest version
    enqueued: bool  # whether the publish message for this version was already sent
    superseded: bool = False  # the record came from an older source than the latest version's
    stored_at: str | None = None  # when this version was stored (ninjs versionCreated)
    first_created: str | None = None  # when the article's first version was stored (ninjs firstCreated)


class ArticleStore:
    def __init__(self, table: str):
        self.table = table
        self.ddb = client("dynamodb")

    # -- drops -------------------------------------------------------------
    def drop_seen(self, bucket: str, key: str, sha256: str) -> dict[str, Any] | None:
        """The finished record of this exact content under this key, if any."""
        item = self.ddb.get_item(TableName=self.table, ConsistentRead=True,
                                 Key=_key(f"DROP#{bucket}/{key}", f"SHA#{sha256}")).get("Item")
        return from_item(item) if item else None

    def record_drop(self, bucket: str, key: str, sha256: str, *, state: str, partner: str | None,
                    article_ids: Sequence[str] = (), error: dict[str, str] | None = None,
                    item_errors: Sequence[dict[str, str]] = (), source: dict[str, Any] | None = None,
                    superseded: Sequence[str] = ()) -> None:
        at = now_iso()
        data = {"pk": f"DROP#{bucket}/{key}", "sk": f"SHA#{sha256}", "type": "drop", "state": state,
                "bucket": bucket, "key": key, "sha256": sha256, "partner": partner,
                "article_ids": list(article_ids), "superseded": list(superseded), "error": error,
                "item_errors": list(item_errors), "source": source, "recorded_at": at,
                "expires_at": int(time.time()) + DROP_RECORD_DAYS * 86400}
        if state in index.INDEXED_DROP_STATES:  # operators list these; ingested and superseded are not indexed
            data.update({index.PK: index.drop_pk(state, bucket, key), index.SK: f"{at}#{key}"})
        self.ddb.put_item(TableName=self.table, Item=to_item(data))

    def relate(self, story_id: str, article_id: str, partner: str) -> None:
        """Record that this partner's article tells a story others may send too (once)."""
        data = {"pk": f"STORY#{story_id}", "sk": f"ARTICLE#{article_id}", "type": "story_member",
                "story_id": story_id, "article_id": article_id, "partner": partner, "related_at": now_iso()}
        try:
            self.ddb.put_item(TableName=self.table, Item=to_item(data), ConditionExpression="attribute_not_exists(pk)")
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise

    def story(self, story_id: str) -> list[dict[str, Any]]:
        """The articles (of any partner) that tell one story."""
        response = self.ddb.query(TableName=self.table, KeyConditionExpression="pk = :p",
                                  ExpressionAttributeValues={":p": {"S": f"STORY#{story_id}"}})
        return [from_item(item) for item in response.get("Items", [])]

    # -- article versions ----------------------------------------------------
    def latest(self, article_id: str) -> dict[str, Any] | None:
        item = self.ddb.get_item(TableName=self.table, ConsistentRead=True,
                                 Key=_key(f"ARTICLE#{article_id}", "LATEST")).get("Item")
        return from_item(item) if item else None

    def version_metadata(self, article_id: str, version: int,
                         latest: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """The stored fields of one version (all but the body): from `latest` when it is that version
        (a publisher has just read it), else from its own item. LATEST may carry a newer `source` than
        the version item (the same content sent again: `_advance_source`); both name the same content."""
        if latest is not None and int(latest.get("version") or 0) == int(version):
            return record_metadata(latest)
        item = self.ddb.get_item(TableName=self.table, ConsistentRead=True,
                                 Key=_key(f"ARTICLE#{article_id}", f"V#{int(version):06d}")).get("Item")
        return record_metadata(from_item(item)) if item else None

    def save_version(self, record: dict[str, Any], attempts: int = 5) -> SavedVersion:
        """Store the record as the article's next version unless its content is already the latest
        or it comes from an older source than the latest (then it is superseded).

        A transaction writes the version item and moves LATEST, conditional on
        LATEST not having moved meanwhile; a lost race re-reads and tries again.
        """
        article_id = record["id"]
        for _ in range(attempts):
            latest = self.latest(article_id)
            if latest:
                current_source = latest.get("source") or {}
                if is_withdrawal(latest) and not is_withdrawal(record):  # withdrawn stays withdrawn
                    return SavedVersion(int(latest["version"]), created=False, enqueued=True, superseded=True)
                if latest.get("content_hash") == record["content_hash"]:
                    if is_older(current_source, record["source"]):
                        self._advance_source(article_id, int(latest["version"]), record["source"])
                    return SavedVersion(int(latest["version"]), created=False, enqueued=bool(latest.get("enqueued")),
                                        stored_at=latest.get("stored_at"), first_created=latest.get("first_created"))
                if is_older(record["source"], current_source):
                    return SavedVersion(int(latest["version"]), created=False, enqueued=True, superseded=True)
            previous = int(latest["version"]) if latest else 0
            version, at = previous + 1, now_iso()
            first_created = self._first_created(article_id, latest) or at
            if self._commit_version(record, version, previous, at, first_created):
                return SavedVersion(version, created=True, enqueued=False, stored_at=at, first_created=first_created)
        raise RuntimeError(f"article {article_id}: could not save a version after {attempts} attempts")

    def _advance_source(self, article_id: str, version: int, source: dict[str, Any]) -> None:
        """The same content came again from a newer source: LATEST remembers the newer one, so that
        an older version processed after it is still recognised as older."""
        try:
            self.ddb.update_item(TableName=self.table, Key=_key(f"ARTICLE#{article_id}", "LATEST"),
                                 UpdateExpression="SET #source = :source", ConditionExpression="version = :v",
                                 ExpressionAttributeNames={"#source": "source"},
                                 ExpressionAttributeValues={**to_item({":source": source}),
                                                            ":v": {"N": str(version)}})
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise  # LATEST moved meanwhile: the newer version carries its own source

    def _first_created(self, article_id: str, latest: dict[str, Any] | None) -> str | None:
        """When the article's first version was stored: LATEST carries it forward; a LATEST written before
        it did is read from the first version's item (once: the next version carries it)."""
        if not latest:
            return None
        if latest.get("first_created"):
            return str(latest["first_created"])
        item = self.ddb.get_item(TableName=self.table, ConsistentRead=True, ProjectionExpression="stored_at",
                                 Key=_key(f"ARTICLE#{article_id}", "V#000001")).get("Item")
        return from_item(item).get("stored_at") if item else None

    def _commit_version(self, record: dict[str, Any], version: int, previous: int, at: str,
                        first_created: str) -> bool:
        version_item, latest_item = version_items(record, version, at, first_created)
        if previous:
            latest_condition = {"ConditionExpression": "version = :previous",
                                "ExpressionAttributeValues": {":previous": {"N": str(previous)}}}
        else:
            latest_condition = {"ConditionExpression": "attribute_not_exists(pk)"}
        try:
            self.ddb.transact_write_items(
                ClientRequestToken=self.request_token(record["id"], version, record["content_hash"]),
                TransactItems=[
                    {"Put": {"TableName": self.table, "Item": to_item(version_item),
                             "ConditionExpression": "attribute_not_exists(pk)"}},
                    {"Put": {"TableName": self.table, "Item": to_item(latest_item), **latest_condition}},
                ])
            return True
        except ClientError as exc:
            # IdempotentParameterMismatch: a twin worker wrote this very version (same token) moments ago
            # with its own stored_at; like a cancelled transaction, a lost race: re-read and see.
            lost_race = ("TransactionCanceledException", "IdempotentParameterMismatchException")
            if exc.response["Error"]["Code"] in lost_race:
                return False
            raise

    @staticmethod
    def request_token(article_id: str, version: int, content_hash: str) -> str:
        """The transaction's ClientRequestToken: the same for the same version of the same content, so
        a call retried after a lost response (botocore retries, a timeout) is applied once (DynamoDB
        remembers a token for 10 minutes); another version or content gets another token."""
        return hashlib.sha256(f"{article_id}#{int(version)}#{content_hash}".encode()).hexdigest()[:36]

    def mark_enqueued(self, article_id: str, version: int) -> None:
        """Remember that the publish message for this version went out (a retry need not resend it)."""
        try:
            self.ddb.update_item(TableName=self.table, Key=_key(f"ARTICLE#{article_id}", "LATEST"),
                                 UpdateExpression="SET enqueued = :t",
                                 ConditionExpression="version = :v",
                                 ExpressionAttributeValues={":t": {"BOOL": True}, ":v": {"N": str(version)}})
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise  # a newer version moved LATEST: its own message covers it


# what the table adds to a record's fields on its version items (never part of the record)
STORAGE_FIELDS = ("pk", "sk", "type", "enqueued", index.PK, index.SK)


def version_items(record: dict[str, Any], version: int, at: str,
                  first_created: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The version item (`V#<version>`) and the LATEST item of a record stored as `version` at `at`: every
    field but the body, which only the version's ninjs copy keeps (synd.aws.versions)."""
    meta = {k: v for k, v in record.items() if k not in BODY_FIELDS}
    pk = f"ARTICLE#{record['id']}"
    version_item = {**meta, "pk": pk, "sk": f"V#{version:06d}", "type": "article_version",
                    "version": version, "stored_at": at, "first_created": first_created}
    latest_item = {**meta, "pk": pk, "sk": "LATEST", "type": "article", "version": version,
                   "stored_at": at, "first_created": first_created, "enqueued": False,
                   index.PK: index.latest_pk(record["id"]), index.SK: f"{at}#{record['id']}"}
    return version_item, latest_item


def record_metadata(item: dict[str, Any]) -> dict[str, Any]:
    """A version or LATEST item (plain, from `from_item`) less what the table adds: the record's fields."""
    return {k: v for k, v in item.items() if k not in STORAGE_FIELDS}


def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}
