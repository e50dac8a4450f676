"""DynamoDB records of deliveries (one per article version and target) and of target health.

    pk ARTICLE#<id>   sk DELIVERY#<target>#V#<version:06d>   one delivery
    pk TARGET#<name>  sk HEALTH                               consecutive failures, paused flag

A delivery moves only along the transitions of `TRANSITIONS` below, and every
move is one conditional write built from that table, so the table is the whole
state machine:

    (new) ──claim──► pending ──deliver──► delivered        (final)
      │  ▲             │  ├────retry────► retrying ──claim──► pending
      │  └─claim──(lease over) ├──fail──► failed ──redrive claim──► pending
      │                └──retract──► withdrawn              (final)
      ├─withhold─► withheld ──reconsider claim──► pending    (final unless reconsidered)
      └─nothing to retract─► withdrawn

A version that withdraws its article (synd.model.is_withdrawal) is "delivered"
by retracting it from the target (`retract`), or, where the target never had
the article, recorded as `withdrawn` with nothing to do.

Exactly one successful delivery per (article version, target) with
at-least-once input: a worker *claims* the record before it delivers. A claim
carries a fencing token (new for every claim) and a lease; the outcome is
written only by the holder of that token (`deliver`, `retry`, `fail` are
conditional on it), so a worker whose claim was taken over can never overwrite
the newer claim's outcome. A worker that dies leaves `pending` with a lease
that runs out; the next claim takes it over. The lease is derived from the
publish function's remaining time (synd.publish.publisher), so it outlives any
invocation that holds it.

A delivery that is pending, retrying, failed or withheld is in the sparse index
(synd.aws.index): gsi2pk `DELIVERY#<state>#<shard>`, gsi2sk `<target>#<updated_at>`;
every move sets or REMOVEs them with the state, so a delivered or withdrawn one
is not in the index at all (find it by its article: `of_article`). A paused
target is there under `TARGET#paused`.

A record costs one write unit (1 KB) per write, so what it stores is compact
(`stored_form`, applied to every write): of the policy's decision
(`Decision.to_record()`) it keeps what an auditor and the commands read
(`DECISION_FIELDS`: action, reason, target, licence, use, obligations, terms,
decided_by) and leaves out the attribution block. That block (title, credit
text and HTML, rights texts, in the article's script: 2.5-3.5 KB for a Persian
article) made every outcome a 3-4 WRU write, and the sparse index's projection
carried it too; nobody reads it back: it is derived (the policy is a pure
function of the record and the settings) and what was sent carries it. A
target's `last_error` and each text of its `detail` are clipped to
`MAX_TEXT_BYTES` of UTF-8 (a response excerpt may be in any script).
"""
from __future__ import annotations

import builtins  # DeliveryStore.list shadows the builtin in its class body
import json
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from synd.aws import client, index
from synd.aws.articles import from_item, now_iso, to_item

NEW = "new"  # no record yet
PENDING, DELIVERED, WITHHELD, RETRYING, FAILED = "pending", "delivered", "withheld", "retrying", "failed"
WITHDRAWN = "withdrawn"
STATES = (PENDING, DELIVERED, WITHHELD, RETRYING, FAILED, WITHDRAWN)
FINAL_STATES = frozenset({DELIVERED, WITHHELD, WITHDRAWN})
DEFAULT_LEASE_SECONDS = 120
# what the record keeps of policy.Decision.to_record() (not the attribution block: the module docstring says why)
DECISION_FIELDS = ("action", "reason", "target", "license", "use", "obligations", "terms", "decided_by")
MAX_TEXT_BYTES = 200  # last_error and each text of `detail`, UTF-8 bytes: with the rest, the item stays < 1 KB
MAX_DETAIL_KEYS = 8
BATCH_TRIES = 3  # BatchGetItem rounds for unprocessed keys before reading them one by one
BATCH_GET_KEYS = 100  # DynamoDB's limit per BatchGetItem


@dataclass(frozen=True)
class Transition:
    to: str
    sources: frozenset[str]  # states it may start from (NEW: no record yet)
    after_lease: bool = False  # also from a `pending` whose lease is over (its worker died)
    fenced: bool = False  # only the holder of the current claim (its token) may make it


TRANSITIONS: dict[str, Transition] = {
    "claim": Transition(PENDING, frozenset({NEW, RETRYING}), after_lease=True),
    "redrive_claim": Transition(PENDING, frozenset({NEW, RETRYING, FAILED}), after_lease=True),
    "withhold": Transition(WITHHELD, frozenset({NEW, RETRYING, FAILED}), after_lease=True),
    # `synd reconsider`: the licence or the agreement changed, the policy now allows what it withheld
    "reconsider_claim": Transition(PENDING, frozenset({WITHHELD})),
    "deliver": Transition(DELIVERED, frozenset({PENDING}), fenced=True),
    "retry": Transition(RETRYING, frozenset({PENDING}), fenced=True),
    "fail": Transition(FAILED, frozenset({PENDING}), fenced=True),
    "retract": Transition(WITHDRAWN, frozenset({PENDING}), fenced=True),
    "nothing_to_retract": Transition(WITHDRAWN, frozenset({NEW, RETRYING, FAILED}), after_lease=True),
}
# finish(state) -> its transition
OUTCOMES = {DELIVERED: "deliver", RETRYING: "retry", FAILED: "fail", WITHDRAWN: "retract"}
REOPENED_BY = {WITHHELD: "reconsider_claim"}  # the one way out of a final state, and what takes it


@dataclass(frozen=True)
class Attempt:
    """The answer to a claim or withhold: `ok`, and the record as it is now (ours, or what stopped us)."""

    ok: bool
    record: dict[str, Any] | None

    @property
    def state(self) -> str:
        return (self.record or {}).get("state", NEW)

    @property
    def token(self) -> str | None:
        return (self.record or {}).get("claim_token")

    def lease_left(self, now: float | None = None) -> float:
        """Seconds until the current holder's lease is over (0 when none is live)."""
        if self.state != PENDING:
            return 0.0
        return max(0.0, float((self.record or {}).get("lease_until", 0)) - (time.time() if now is None else now))


class LostClaim(Exception):
    """The claim this worker held was taken over (its lease ran out): its outcome is not recorded."""


def condition(transition: Transition, now: float, token: str | None) -> tuple[str, dict[str, Any]]:
    """The DynamoDB condition (and its values) that admits exactly this transition."""
    if transition.fenced:
        return "#state = :pending AND claim_token = :token", {":pending": PENDING, ":token": token}
    parts: list[str] = []
    values: dict[str, Any] = {}
    if NEW in transition.sources:
        parts.append("attribute_not_exists(pk)")
    for i, state in enumerate(sorted(transition.sources - {NEW})):
        parts.append(f"#state = :from{i}")
        values[f":from{i}"] = state
    if transition.after_lease:
        parts.append("(#state = :pending AND lease_until < :now)")
        values.update({":pending": PENDING, ":now": now})
    return " OR ".join(parts), values


def stored_form(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields of a write as the record stores them: the compact decision, a clipped error and detail."""
    out = dict(fields)
    if out.get("decision") is not None:
        out["decision"] = {k: v for k, v in out["decision"].items() if k in DECISION_FIELDS}
    if out.get("last_error") is not None:
        out["last_error"] = clip(str(out["last_error"]))
    if out.get("detail") is not None:
        out["detail"] = {clip(str(k), 40): _small(v) for k, v in list(out["detail"].items())[:MAX_DETAIL_KEYS]}
    return out


def clip(text: str, limit: int = MAX_TEXT_BYTES) -> str:
    """`text` in at most `limit` UTF-8 bytes, cut on a character boundary and marked with an ellipsis."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit - 3].decode("utf-8", "ignore") + "…"  # "…" is 3 bytes


def _small(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return clip(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str))


def _healthy(target: str) -> dict[str, Any]:
    """A target without a health item: it has not failed yet."""
    return {"target": target, "consecutive_failures": 0, "paused": False}


def delivery_key(article_id: str, target: str, version: int) -> dict[str, Any]:
    return {"pk": {"S": f"ARTICLE#{article_id}"}, "sk": {"S": f"DELIVERY#{target}#V#{int(version):06d}"}}


def health_key(target: str) -> dict[str, Any]:
    return {"pk": {"S": f"TARGET#{target}"}, "sk": {"S": "HEALTH"}}


class DeliveryStore:
    def __init__(self, table: str):
        self.table = table
        self.ddb = client("dynamodb")

    # -- one delivery ----------------------------------------------------------
    def get(self, article_id: str, target: str, version: int) -> dict[str, Any] | None:
        item = self.ddb.get_item(TableName=self.table, Key=delivery_key(article_id, target, version),
                                 ConsistentRead=True).get("Item")
        return from_item(item) if item else None

    def claim(self, article_id: str, target: str, version: int, *, partner: str | None, language: str | None,
              redrive: bool = False, reconsider: bool = False,
              lease_seconds: float = DEFAULT_LEASE_SECONDS) -> Attempt:
        """Take the delivery for this worker, with a new fencing token and a lease of `lease_seconds`.

        Not ours when it is final (withheld only with `reconsider`), failed (unless
        re-driven) or under another worker's live lease: the Attempt then holds the
        record that stopped us. Each claim counts one attempt.
        """
        token, now = uuid.uuid4().hex, time.time()
        fields = {"state": PENDING, "claim_token": token, "lease_until": now + lease_seconds,
                  **self._common(article_id, target, version, PENDING, partner=partner, language=language)}
        name = "reconsider_claim" if reconsider else "redrive_claim" if redrive else "claim"
        attempt = self._move(name, article_id, target, version, fields, now=now, add_attempt=True)
        if not attempt.ok and attempt.token == token:  # our own claim, answered after it took effect
            return Attempt(True, attempt.record)
        return attempt

    def withhold(self, article_id: str, target: str, version: int, *, decision: dict[str, Any],
                 partner: str | None, language: str | None) -> Attempt:
        """Record the licence policy's refusal (once)."""
        fields = {"decision": decision, **self._common(article_id, target, version, WITHHELD,
                                                        partner=partner, language=language)}
        attempt = self._move("withhold", article_id, target, version, fields, now=time.time())
        if not attempt.ok and attempt.state == WITHHELD:
            return Attempt(True, attempt.record)  # already withheld: the same decision, recorded before
        return attempt

    def nothing_to_retract(self, article_id: str, target: str, version: int, *, decision: dict[str, Any],
                           partner: str | None, language: str | None) -> Attempt:
        """A withdrawal for a target that never had the article: recorded as withdrawn, nothing sent."""
        fields = {"decision": decision, "detail": {"retracted": False},
                  **self._common(article_id, target, version, WITHDRAWN, partner=partner, language=language)}
        attempt = self._move("nothing_to_retract", article_id, target, version, fields, now=time.time())
        if not attempt.ok and attempt.state == WITHDRAWN:
            return Attempt(True, attempt.record)
        return attempt

    def finish(self, article_id: str, target: str, version: int, state: str, *, token: str,
               decision: dict[str, Any] | None = None, last_error: str | None = None,
               status: int | None = None, detail: dict[str, Any] | None = None,
               partner: str | None = None, language: str | None = None) -> dict[str, Any]:
        """Record the outcome of the claim that holds `token`; raises LostClaim when it is no longer held."""
        if state not in OUTCOMES:
            raise ValueError(f"a claim ends delivered, retrying, failed or withdrawn, not {state!r}")
        fields = {"decision": decision, "last_error": last_error, "status_code": status, "detail": detail,
                  **self._common(article_id, target, version, state, partner=partner, language=language)}
        remove: tuple[str, ...] = ("lease_until",)
        if state in (DELIVERED, WITHDRAWN):
            fields[f"{state}_at"] = fields["updated_at"]
            if last_error is None:
                remove += ("last_error",)  # an earlier attempt's error; `attempts` keeps the history
        attempt = self._move(OUTCOMES[state], article_id, target, version, fields, now=time.time(), token=token,
                             remove=remove)
        if attempt.ok or (attempt.state == state and attempt.token == token):  # ours, maybe answered late
            return attempt.record or {}
        raise LostClaim(f"{article_id} v{version} -> {target}: the claim was taken over "
                        f"(now {attempt.state}); outcome {state} not recorded")

    def _common(self, article_id: str, target: str, version: int, state: str, *, partner: str | None,
                language: str | None) -> dict[str, Any]:
        at = now_iso()
        return {"state": state, "updated_at": at, "target": target, "article_id": article_id, "version": int(version),
                "type": "delivery", "partner": partner or "unknown", "language": language or "und"}

    def _move(self, name: str, article_id: str, target: str, version: int, fields: dict[str, Any], *,
              now: float, token: str | None = None, add_attempt: bool = False,
              remove: tuple[str, ...] = ()) -> Attempt:
        """Make transition `name` in one conditional write; the record after it, or the one that refused it."""
        transition = TRANSITIONS[name]
        fields = {k: v for k, v in stored_form(fields).items() if v is not None and k != "state"}
        if transition.to in index.INDEXED_DELIVERY_STATES:  # into the sparse index, on its state's shard
            fields[index.PK] = index.delivery_pk(transition.to, article_id)
            fields[index.SK] = f"{target}#{fields['updated_at']}"
        else:  # out of it: delivered and withdrawn are final and nobody lists them by state
            remove = (*remove, index.PK, index.SK)
        guard, guard_values = condition(transition, now, token)
        names = {"#state": "state", **{f"#f{i}": key for i, key in enumerate(fields)}}
        values = {**guard_values, **{f":v{i}": value for i, value in enumerate(fields.values())}}
        sets = [f"#f{i} = :v{i}" for i in range(len(fields))]
        sets.append("#state = :to")
        values[":to"] = transition.to
        if add_attempt:
            sets.append("attempts = if_not_exists(attempts, :zero) + :one")
            values.update({":zero": 0, ":one": 1})
        else:
            sets.append("attempts = if_not_exists(attempts, :zero)")
            values[":zero"] = 0
        update = "SET " + ", ".join(sets)
        removable = [key for key in remove if key not in fields]
        if removable:
            update += " REMOVE " + ", ".join(removable)
        try:
            response = self.ddb.update_item(
                TableName=self.table, Key=delivery_key(article_id, target, version), UpdateExpression=update,
                ConditionExpression=guard, ExpressionAttributeNames=names, ExpressionAttributeValues=to_item(values),
                ReturnValues="ALL_NEW", ReturnValuesOnConditionCheckFailure="ALL_OLD")
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            item = exc.response.get("Item")
            return Attempt(False, from_item(item) if item else self.get(article_id, target, version))
        return Attempt(True, from_item(response["Attributes"]))

    # -- queries -----------------------------------------------------------------
    def by_state(self, state: str, target: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        """Deliveries in one indexed state (every shard), newest first; optionally of one target (a
        key prefix on gsi2sk). The rows carry the index's projection (synd.aws.index.PROJECTED)."""
        if state not in index.INDEXED_DELIVERY_STATES:
            raise ValueError(f"{state} deliveries are not indexed (only {', '.join(index.INDEXED_DELIVERY_STATES)}): "
                             "find them by article (synd.aws.deliveries.DeliveryStore.of_article)")
        items = index.query_shards(self.ddb, self.table, f"DELIVERY#{state}",
                                   sk_prefix=f"{target}#" if target else None, limit=limit)
        rows = sorted((from_item(i) for i in items), key=lambda d: d.get("updated_at", ""), reverse=True)
        return rows[:limit]

    def list(self, state: str | None = None, target: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        """Deliveries filtered by state and/or target (every indexed state in turn when none is given)."""
        states = [state] if state else list(index.INDEXED_DELIVERY_STATES)
        found: list[dict[str, Any]] = []
        for one in states:
            found += self.by_state(one, target, limit)
        found.sort(key=lambda d: d.get("updated_at", ""), reverse=True)
        return found[:limit]

    def of_article(self, article_id: str) -> builtins.list[dict[str, Any]]:
        return self._query(KeyConditionExpression="pk = :p AND begins_with(sk, :s)",
                           ExpressionAttributeValues={":p": {"S": f"ARTICLE#{article_id}"},
                                                      ":s": {"S": "DELIVERY#"}}, limit=10_000)

    def _query(self, *, limit: int, **kwargs: Any) -> builtins.list[dict[str, Any]]:
        items: builtins.list[dict[str, Any]] = []
        start = None
        while len(items) < limit:
            page = self.ddb.query(TableName=self.table, **kwargs, **({"ExclusiveStartKey": start} if start else {}))
            items += [from_item(i) for i in page.get("Items", [])]
            start = page.get("LastEvaluatedKey")
            if not start:
                break
        return items[:limit]

    # -- target health ---------------------------------------------------------------
    def health(self, target: str) -> dict[str, Any]:
        item = self.ddb.get_item(TableName=self.table, Key=health_key(target), ConsistentRead=True).get("Item")
        return from_item(item) if item else _healthy(target)

    def healths(self, targets: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The health of several targets in one strongly consistent BatchGetItem (an article's targets: a
        GetItem each was one call per target and article); keys DynamoDB leaves unprocessed (throttling)
        are asked again, then read one by one."""
        names = sorted(set(targets))
        found = {name: _healthy(name) for name in names}
        for start in range(0, len(names), BATCH_GET_KEYS):
            keys = [health_key(name) for name in names[start:start + BATCH_GET_KEYS]]
            for _ in range(BATCH_TRIES):
                if not keys:
                    break
                response = self.ddb.batch_get_item(RequestItems={self.table: {"Keys": keys, "ConsistentRead": True}})
                for item in response.get("Responses", {}).get(self.table, []):
                    found[item["pk"]["S"].removeprefix("TARGET#")] = from_item(item)
                keys = response.get("UnprocessedKeys", {}).get(self.table, {}).get("Keys", [])
            for key in keys:
                name = key["pk"]["S"].removeprefix("TARGET#")
                found[name] = self.health(name)
        return found

    def note_success(self, target: str) -> None:
        self.ddb.update_item(TableName=self.table, Key=health_key(target),
                             UpdateExpression="SET consecutive_failures = :zero, paused = :no, target = :t, "
                                              "updated_at = :at REMOVE gsi2pk, gsi2sk",
                             ExpressionAttributeValues=to_item({":zero": 0, ":no": False, ":t": target,
                                                                ":at": now_iso()}))

    def note_failure(self, target: str, error: str, pause_after: int) -> bool:
        """Count one more consecutive failure; pause the target at `pause_after`. True when (now) paused."""
        at = now_iso()
        response = self.ddb.update_item(
            TableName=self.table, Key=health_key(target),
            UpdateExpression=("SET consecutive_failures = if_not_exists(consecutive_failures, :zero) + :one, "
                              "last_error = :err, target = :t, updated_at = :at"),
            ExpressionAttributeValues=to_item({":zero": 0, ":one": 1, ":err": error, ":t": target, ":at": at}),
            ReturnValues="ALL_NEW")
        health = from_item(response["Attributes"])
        if health.get("paused"):
            return True
        if pause_after and health["consecutive_failures"] >= pause_after:
            self.ddb.update_item(TableName=self.table, Key=health_key(target),
                                 UpdateExpression="SET paused = :yes, paused_at = :at, gsi2pk = :p, gsi2sk = :s",
                                 ExpressionAttributeValues=to_item({":yes": True, ":at": at, ":p": index.PAUSED_TARGETS,
                                                                    ":s": f"{target}#{at}"}))
            return True
        return False

    def resume(self, target: str) -> None:
        """Un-pause a target (an operator's decision, through `synd redrive --target`)."""
        self.note_success(target)

    def paused_targets(self) -> builtins.list[dict[str, Any]]:
        return [from_item(i) for i in index.query(self.ddb, self.table, index.PAUSED_TARGETS, newest_first=False)]
