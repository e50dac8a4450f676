"""Live partner and target settings in the table, with their history.

    pk CONFIG#partners | CONFIG#targets
    sk CURRENT      the settings the functions read (GetItem, cached for SYND_CONFIG_MAX_AGE seconds)
    sk V#00000001…  one item per version, never changed: the document, who, when, why, what changed

A write puts CURRENT (on the condition that it is still the version the writer read) and the new
V#n (on the condition that it does not exist) in one transaction: two editors at once cannot lose
each other's change, and the history has no gap. Every document is checked (synd.config_schema)
before it is written, whoever writes it.

`source` says where a version came from: `file` (seeded from config/*.yaml by `synd partners seed`,
which `make deploy` and the local stack run) or `set` (an editor's `synd partners set`). CURRENT
also keeps `file_digest`, the digest of the last file applied, so that seeding again knows whether
the file changed since (see `seed`).

Why not Powertools Parameters' DynamoDBProvider: its `get` reads `Key={key_attr: name}` only, which a
pk+sk table refuses, and `get_multiple` queries the whole partition (every history item) at each
refresh; it does not cache a missing item (an empty store would cost a read per drop) and wraps every
error in GetParameterError. The reader here is one GetItem; settings.py keeps the cache.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from synd import config_schema
from synd.aws import client

CURRENT = "CURRENT"


def pk(kind: str) -> str:
    if kind not in config_schema.KINDS:
        raise ValueError(f"unknown settings kind {kind!r}")
    return f"CONFIG#{kind}"


def version_sk(version: int) -> str:
    return f"V#{version:08d}"


class Conflict(Exception):
    """Someone else wrote a version since this writer read the settings."""


@dataclass(frozen=True)
class Version:
    kind: str
    version: int
    document: dict[str, Any]
    at: str
    by: str
    reason: str
    source: str  # file | set
    changes: list[dict[str, Any]] = field(default_factory=list)
    file_digest: str | None = None  # the digest of the last file applied, carried by every later version

    def to_record(self) -> dict[str, Any]:
        return {"kind": self.kind, "version": self.version, "at": self.at, "by": self.by, "reason": self.reason,
                "source": self.source, "changes": self.changes, "file_digest": self.file_digest}


class ConfigStore:
    def __init__(self, table: str):
        self.table = table
        self.ddb = client("dynamodb")

    def current(self, kind: str) -> Version | None:
        item = self.ddb.get_item(TableName=self.table, Key=_key(kind, CURRENT)).get("Item")
        return _version(kind, item) if item else None

    def history(self, kind: str, limit: int = 100) -> list[Version]:
        """The newest versions first."""
        versions: list[Version] = []
        start = None
        while len(versions) < limit:
            page = self.ddb.query(TableName=self.table, KeyConditionExpression="pk = :p AND begins_with(sk, :v)",
                                  ExpressionAttributeValues={":p": {"S": pk(kind)}, ":v": {"S": "V#"}},
                                  ScanIndexForward=False, Limit=min(limit, 100),
                                  **({"ExclusiveStartKey": start} if start else {}))
            versions += [_version(kind, item) for item in page.get("Items", [])]
            start = page.get("LastEvaluatedKey")
            if not start:
                break
        return versions[:limit]

    def write(self, kind: str, document: dict[str, Any], *, by: str, reason: str, source: str,
              expected: Version | None, changes: list[dict[str, Any]] | None = None,
              file_digest: str | None = None) -> Version:
        """Write the next version; `expected` is the CURRENT the writer read (None: the store was empty)."""
        problems = config_schema.check_document(kind, document)
        if problems:
            raise config_schema.ConfigError(f"the new {kind} settings", problems, kind,
                                            fix="Nothing was written.")
        body = json.dumps(document, ensure_ascii=False, sort_keys=True)
        if len(body.encode("utf-8")) > config_schema.MAX_DOCUMENT_BYTES:
            raise ValueError(f"the {kind} settings are {len(body)} bytes; the store holds "
                             f"{config_schema.MAX_DOCUMENT_BYTES}")
        number = (expected.version if expected else 0) + 1
        new = Version(kind, number, document, _now(), by, reason, source, list(changes or []),
                      file_digest if file_digest is not None else (expected.file_digest if expected else None))
        attributes = _attributes(new, body)
        current = {"Put": {"TableName": self.table, "Item": {**_key(kind, CURRENT), **attributes}}}
        if expected is None:
            current["Put"]["ConditionExpression"] = "attribute_not_exists(pk)"
        else:
            current["Put"].update(ConditionExpression="#v = :seen", ExpressionAttributeNames={"#v": "version"},
                                  ExpressionAttributeValues={":seen": {"N": str(expected.version)}})
        history = {"Put": {"TableName": self.table, "Item": {**_key(kind, version_sk(number)), **attributes},
                           "ConditionExpression": "attribute_not_exists(pk)"}}
        try:
            self.ddb.transact_write_items(TransactItems=[current, history])
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("TransactionCanceledException",
                                                              "ConditionalCheckFailedException"):
                now = self.current(kind)
                raise Conflict(f"the {kind} settings changed meanwhile (now version "
                               f"{now.version if now else 0}, by {now.by if now else '?'}): read them again "
                               "and retry") from exc
            raise
        return new


@dataclass(frozen=True)
class SeedResult:
    state: str  # seeded | updated | unchanged | kept_live | refused
    message: str
    version: Version | None = None
    differences: list[dict[str, Any]] = field(default_factory=list)


def seed(store: ConfigStore, kind: str, path: Path, *, by: str, reason: str | None = None,
         replace: bool = False) -> SeedResult:
    """Apply a settings file to the store the way a deploy should.

    - empty store: the file becomes version 1;
    - the same settings: nothing is written;
    - the file did not change since it was last applied, but editors changed the live settings: the
      live settings stand (the file is not newer than them);
    - the file changed, and the live settings are still the last file's: the file is applied;
    - the file changed, and editors changed the live settings too: refused (either would undo the
      other), unless `replace`, which applies the file over the editors' changes (kept in the history).
    """
    document = config_schema.load_file(kind, path)
    digest = config_schema.document_digest(document)
    current = store.current(kind)
    name = path.name
    if current is None:
        version = store.write(kind, document, by=by, reason=reason or f"seeded from {name}", source="file",
                              expected=None, file_digest=digest)
        return SeedResult("seeded", f"{kind}: version 1 seeded from {path}", version)
    diff = config_schema.differences(current.document, document)
    if not diff:
        return SeedResult("unchanged", f"{kind}: version {current.version} already holds {name}", current)
    file_changed = current.file_digest != digest
    edited_live = current.source != "file"
    if not replace and edited_live and not file_changed:
        return SeedResult("kept_live", f"{kind}: {name} has not changed since it was applied; the live settings "
                                       f"changed since (version {current.version}, {current.by}: "
                                       f"{current.reason!r}) and stand", current, diff)
    if not replace and edited_live:
        return SeedResult("refused", f"{kind}: {name} changed, and editors changed the live settings too "
                                     f"(version {current.version}, {current.by}: {current.reason!r}); bring "
                                     f"the live change into the file, or apply the file over it with "
                                     f"`synd {kind} seed --replace --reason ...`", current, diff)
    version = store.write(kind, document, by=by, reason=reason or f"{name} changed", source="file",
                          expected=current, changes=diff, file_digest=digest)
    return SeedResult("updated", f"{kind}: version {version.version} from {path} ({len(diff)} "
                                 f"change{'s' if len(diff) != 1 else ''})", version, diff)


def _key(kind: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": pk(kind)}, "sk": {"S": sk}}


def _attributes(version: Version, body: str) -> dict[str, Any]:
    attributes = {"version": {"N": str(version.version)}, "document": {"S": body}, "at": {"S": version.at},
                  "by": {"S": version.by or "?"}, "reason": {"S": version.reason or "-"},
                  "source": {"S": version.source},
                  "changes": {"S": json.dumps(version.changes, ensure_ascii=False, default=str)}}
    if version.file_digest:
        attributes["file_digest"] = {"S": version.file_digest}
    return attributes


def _version(kind: str, item: dict[str, Any]) -> Version:
    return Version(kind=kind, version=int(item["version"]["N"]), document=json.loads(item["document"]["S"]),
                   at=item.get("at", {}).get("S", ""), by=item.get("by", {}).get("S", ""),
                   reason=item.get("reason", {}).get("S", ""), source=item.get("source", {}).get("S", "set"),
                   changes=json.loads(item.get("changes", {}).get("S", "[]")),
                   file_digest=item.get("file_digest", {}).get("S"))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
