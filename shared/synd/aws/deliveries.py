"""DynamoDB records of deliveries (one per article version and target) and of target health.

    pk ARTICLE#<id>   sk DELIVERY#<target>#V#<version:06d>   one delivery
    pk TARGET#<name>  sk HEALTH                               consecutive failures, paused flag

A delivery's state is one of pending (being delivered, under a lease), delivered,
withheld (the licence policy said no), retrying (a transient failure; the message
comes back) and failed (permanent, or out of attempts). gsi1pk `DELIVERY#<state>`
/ gsi1sk `<target>#<updated_at>` on the `byState` index answer "failed deliveries"
and "withheld deliveries" (for a target) without a scan.

Exactly one successful delivery per (article version, target) with at-least-once
input: a worker must *claim* the record with a conditional write before it
delivers. The claim succeeds only if nobody delivered it, and nobody else holds
an unexpired lease (a crashed worker's lease runs out, so the work is not stuck).
"""
from __future__ import annotations

import time
from typing import Any

from botocore.exceptions import ClientError

from synd.aws import client
from synd.aws.articles import from_item, now_iso, to_item

STATES = ("pending", "delivered", "withheld", "retrying", "failed")
FINAL_STATES = frozenset({"delivered", "withheld"})
DEFAULT_LEASE_SECONDS = 120


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
              redrive: bool = False, lease_seconds: int = DEFAULT_LEASE_SECONDS) -> dict[str, Any] | None:
        """Take the delivery for this worker; the updated record, or None when it is not ours to do.

        Claimable: new, retrying, pending with an expired lease, and failed only when re-driven.
        Each claim counts one attempt.
        """
        now = time.time()
        at = now_iso()
        condition = ("attribute_not_exists(pk) OR #state = :retrying OR (#state = :pending AND lease_until < :now)"
                     + (" OR #state = :failed" if redrive else ""))
        values = {":retrying": "retrying", ":pending": "pending", ":now": now, ":lease": now + lease_seconds,
                  ":zero": 0, ":one": 1, ":at": at, ":gpk": "DELIVERY#pending", ":gsk": f"{target}#{at}",
                  ":target": target, ":id": article_id, ":version": int(version), ":partner": partner or "unknown",
                  ":language": language or "und", ":type": "delivery"}
        if redrive:
            values[":failed"] = "failed"
        try:
            response = self.ddb.update_item(
                TableName=self.table, Key=delivery_key(article_id, target, version),
                UpdateExpression=("SET #state = :pending, lease_until = :lease, updated_at = :at, gsi1pk = :gpk, "
                                  "gsi1sk = :gsk, target = :target, article_id = :id, version = :version, "
                                  "partner = :partner, #language = :language, #type = :type, "
                                  "attempts = if_not_exists(attempts, :zero) + :one"),
                ConditionExpression=condition,
                ExpressionAttributeNames={"#state": "state", "#language": "language", "#type": "type"},
                ExpressionAttributeValues=to_item(values), ReturnValues="ALL_NEW")
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return None
            raise
        return from_item(response["Attributes"])

    def finish(self, article_id: str, target: str, version: int, state: str, *,
               decision: dict[str, Any] | None = None, last_error: str | None = None,
               status: int | None = None, detail: dict[str, Any] | None = None, retry_at: float | None = None,
               partner: str | None = None, language: str | None = None) -> dict[str, Any]:
        """Record the outcome of a claimed delivery (or a decision that needs no claim, like withheld)."""
        if state not in STATES:
            raise ValueError(f"unknown delivery state {state!r}")
        at = now_iso()
        fields = {"state": state, "updated_at": at, "gsi1pk": f"DELIVERY#{state}", "gsi1sk": f"{target}#{at}",
                  "target": target, "article_id": article_id, "version": int(version), "type": "delivery",
                  "decision": decision, "last_error": last_error, "status_code": status, "detail": detail,
                  "retry_at": retry_at, "partner": partner, "language": language}
        if state == "delivered":
            fields["delivered_at"] = at
        fields = {k: v for k, v in fields.items() if v is not None}
        names = {f"#f{i}": name for i, name in enumerate(fields)}
        values = {f":v{i}": value for i, value in enumerate(fields.values())}
        sets = ", ".join(f"#f{i} = :v{i}" for i in range(len(fields)))
        update = f"SET {sets}, attempts = if_not_exists(attempts, :zero)"
        values[":zero"] = 0
        if state == "delivered":
            update += " REMOVE lease_until"
        response = self.ddb.update_item(TableName=self.table, Key=delivery_key(article_id, target, version),
                                        UpdateExpression=update, ExpressionAttributeNames=names,
                                        ExpressionAttributeValues=to_item(values), ReturnValues="ALL_NEW")
        return from_item(response["Attributes"])

    def record_withheld(self, article_id: str, target: str, version: int, *, decision: dict[str, Any],
                        partner: str | None, language: str | None) -> bool:
        """Record a withheld decision once; False when the delivery already has a record."""
        at = now_iso()
        data = {"pk": f"ARTICLE#{article_id}", "sk": f"DELIVERY#{target}#V#{int(version):06d}", "type": "delivery",
                "state": "withheld", "attempts": 0, "decision": decision, "target": target,
                "article_id": article_id, "version": int(version), "partner": partner, "language": language,
                "updated_at": at, "gsi1pk": "DELIVERY#withheld", "gsi1sk": f"{target}#{at}"}
        try:
            self.ddb.put_item(TableName=self.table, Item=to_item(data),
                              ConditionExpression="attribute_not_exists(pk)")
            return True
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise

    # -- queries -----------------------------------------------------------------
    def by_state(self, state: str, target: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        """Deliveries in one state, newest first; optionally of one target (a key prefix on gsi1sk)."""
        condition, values = "gsi1pk = :p", {":p": {"S": f"DELIVERY#{state}"}}
        if target:
            condition += " AND begins_with(gsi1sk, :t)"
            values[":t"] = {"S": f"{target}#"}
        return self._query(IndexName="byState", KeyConditionExpression=condition,
                           ExpressionAttributeValues=values, ScanIndexForward=False, limit=limit)

    def list(self, state: str | None = None, target: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        """Deliveries filtered by state and/or target (all states queried in turn when none is given)."""
        states = [state] if state else list(STATES)
        found: list[dict[str, Any]] = []
        for one in states:
            found += self.by_state(one, target, limit)
        found.sort(key=lambda d: d.get("updated_at", ""), reverse=True)
        return found[:limit]

    def of_article(self, article_id: str) -> list[dict[str, Any]]:
        return self._query(KeyConditionExpression="pk = :p AND begins_with(sk, :s)",
                           ExpressionAttributeValues={":p": {"S": f"ARTICLE#{article_id}"},
                                                      ":s": {"S": "DELIVERY#"}}, limit=10_000)

    def _query(self, *, limit: int, **kwargs: Any) -> list[dict[str, Any]]:
        items, start = [], None
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
        return from_item(item) if item else {"target": target, "consecutive_failures": 0, "paused": False}

    def note_success(self, target: str) -> None:
        self.ddb.update_item(TableName=self.table, Key=health_key(target),
                             UpdateExpression="SET consecutive_failures = :zero, paused = :no, target = :t, "
                                              "updated_at = :at REMOVE gsi1pk, gsi1sk",
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
                                 UpdateExpression="SET paused = :yes, paused_at = :at, gsi1pk = :p, gsi1sk = :s",
                                 ExpressionAttributeValues=to_item({":yes": True, ":at": at, ":p": "TARGET#paused",
                                                                    ":s": f"{target}#{at}"}))
            return True
        return False

    def resume(self, target: str) -> None:
        """Un-pause a target (an operator's decision, through `synd redrive --target`)."""
        self.note_success(target)

    def paused_targets(self) -> list[dict[str, Any]]:
        return self._query(IndexName="byState", KeyConditionExpression="gsi1pk = :p",
                           ExpressionAttributeValues={":p": {"S": "TARGET#paused"}}, limit=1000)
