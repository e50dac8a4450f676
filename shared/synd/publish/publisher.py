"""Publishing one article version: licence policy × target settings → one delivery per target.

For each enabled target: skip it if already delivered or withheld; ask the
licence policy; record a withheld decision; skip a paused target (recorded as
failed, re-driven by an operator); claim the delivery (conditional write, so two
workers never both deliver); deliver; record the outcome and the target's health.

A transient failure of any target raises RetryLater after all targets were
tried: the SQS message comes back after a backoff and only the targets not yet
done are tried again. Out of attempts, a delivery is failed for good (and
`synd redrive` can try it again).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from synd import observability as obs
from synd import policy
from synd.aws.deliveries import FINAL_STATES, DeliveryStore
from synd.aws.objects import get_json
from synd.ninjs import to_ninjs
from synd.observability import logger
from synd.publish.retry import backoff_seconds
from synd.settings import PartnerSettings, TargetSettings, partner_settings, target_settings
from synd.targets import DELIVERED, FAILED, RETRY, Delivery, Outcome, TargetEnv, deliver

DEFAULT_MAX_ATTEMPTS = 4  # <= the publish queue's maxReceiveCount (template MaxReceiveCount, default 4)
DEFAULT_PAUSE_AFTER = 5

Decide = Callable[[dict, TargetSettings, PartnerSettings], Any]


@dataclass(frozen=True)
class PublishConfig:
    table: str
    env: TargetEnv

    @classmethod
    def from_environ(cls, environ: dict[str, str] | None = None) -> "PublishConfig":
        env = os.environ if environ is None else environ
        return cls(table=env["TABLE_NAME"], env=TargetEnv.from_environ(env))


class RetryLater(Exception):
    """Some targets failed transiently: the message should come back after `delay` seconds."""

    def __init__(self, delay: float, targets: list[str]):
        super().__init__(f"retry in {delay:.0f}s: {', '.join(targets)}")
        self.delay = delay
        self.targets = targets


@dataclass
class TargetResult:
    target: str
    state: str  # delivered | withheld | retrying | failed | skipped
    reason: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


def load_article(message: dict[str, Any], env: TargetEnv) -> tuple[dict[str, Any], dict[str, Any]]:
    """The record and ninjs of the message's article version, from the processed bucket."""
    record = get_json(env.processed_bucket, message["record_key"])
    record.setdefault("version", int(message["version"]))
    try:
        ninjs = get_json(env.processed_bucket, message["ninjs_key"]) if message.get("ninjs_key") else to_ninjs(record)
    except Exception:  # noqa: BLE001 - the ninjs is derived data: rebuild it rather than fail
        logger.warning("ninjs copy unreadable, rebuilt from the record", extra={"key": message.get("ninjs_key")})
        ninjs = to_ninjs(record)
    return record, ninjs


def publish_message(message: dict[str, Any], config: PublishConfig, *, decide: Decide | None = None,
                    store: DeliveryStore | None = None,
                    targets: Iterable[TargetSettings] | None = None) -> list[TargetResult]:
    """Publish the article version a publish-queue message names to every enabled target."""
    record, ninjs = load_article(message, config.env)
    store = store or DeliveryStore(config.table)
    decide = decide or policy.decide
    partner = partner_settings(record.get("partner") or message.get("partner") or "default")
    redrive = set(message.get("redrive") or [])
    results, retry_delays = [], []
    for target in targets if targets is not None else target_settings():
        if not target.enabled:
            continue
        result, delay = publish_to_target(record, ninjs, target, partner, config, store, decide,
                                          redrive=target.name in redrive)
        results.append(result)
        if delay is not None:
            retry_delays.append(delay)
    if retry_delays:
        raise RetryLater(min(retry_delays), [r.target for r in results if r.state == "retrying"])
    return results


def publish_to_target(record: dict[str, Any], ninjs: dict[str, Any], target: TargetSettings,
                      partner: PartnerSettings, config: PublishConfig, store: DeliveryStore, decide: Decide,
                      *, redrive: bool = False) -> tuple[TargetResult, float | None]:
    """One target; returns the result and, for a transient failure, the backoff delay in seconds."""
    article_id, version = record["id"], int(record["version"])
    language = record.get("language")
    existing = store.get(article_id, target.name, version)
    if existing and existing.get("state") in FINAL_STATES:
        return TargetResult(target.name, "skipped", f"already {existing['state']}"), None
    if existing and existing.get("state") == "failed" and not redrive:
        return TargetResult(target.name, "skipped", "failed earlier; use synd redrive"), None
    decision = decide(record, target, partner)
    decision_record = decision.to_record()
    if decision.action == "withhold":
        store.record_withheld(article_id, target.name, version, decision=decision_record,
                              partner=record.get("partner"), language=language)
        obs.count(obs.DELIVERIES_WITHHELD)
        logger.info("delivery withheld", extra={"target": target.name, "reason": decision.reason})
        return TargetResult(target.name, "withheld", decision.reason), None
    health = store.health(target.name)
    if health.get("paused") and not redrive:
        store.finish(article_id, target.name, version, "failed", decision=decision_record,
                     last_error=f"target paused after {health.get('consecutive_failures')} consecutive failures",
                     partner=record.get("partner"), language=language)
        obs.count(obs.DELIVERIES_PAUSED)
        return TargetResult(target.name, "failed", "target paused"), None
    claimed = store.claim(article_id, target.name, version, partner=record.get("partner"), language=language,
                          redrive=redrive)
    if claimed is None:
        return TargetResult(target.name, "skipped", "claimed by another worker or done"), None
    delivery = Delivery(record=record, ninjs=ninjs, target=target, action=decision.action,
                        attribution=decision.attribution, attempt=int(claimed.get("attempts", 1)))
    outcome = _attempt(delivery, config.env)
    return _record_outcome(delivery, outcome, decision_record, store, health)


def _attempt(delivery: Delivery, env: TargetEnv) -> Outcome:
    try:
        return deliver(delivery, env)
    except Exception as exc:  # noqa: BLE001 - an unexpected error is transient until attempts run out
        logger.exception("target raised", extra={"target": delivery.target.name})
        return Outcome.retry(f"{type(exc).__name__}: {exc}"[:300])


def _record_outcome(delivery: Delivery, outcome: Outcome, decision_record: dict[str, Any], store: DeliveryStore,
                    health: dict[str, Any]) -> tuple[TargetResult, float | None]:
    target, options = delivery.target, delivery.target.options
    common = {"decision": decision_record, "partner": delivery.record.get("partner"),
              "language": delivery.record.get("language"), "status": outcome.status}
    args = (delivery.article_id, target.name, delivery.version)
    log = {"target": target.name, "attempt": delivery.attempt, "status": outcome.status}
    if outcome.state == DELIVERED:
        store.finish(*args, "delivered", detail=outcome.detail, **common)
        if health.get("consecutive_failures"):
            store.note_success(target.name)
        obs.count(obs.ARTICLES_PUBLISHED)
        logger.info("delivered", extra=log)
        return TargetResult(target.name, "delivered", detail=outcome.detail), None
    paused = store.note_failure(target.name, outcome.error or "", int(options.get("pause_after", DEFAULT_PAUSE_AFTER)))
    if paused:
        logger.error("target paused: its deliveries are failed without calling it until `synd redrive --target`",
                     extra={"target": target.name, "error": outcome.error})
    max_attempts = int(options.get("max_attempts", DEFAULT_MAX_ATTEMPTS))
    if outcome.state == RETRY and delivery.attempt < max_attempts and not paused:
        delay = backoff_seconds(delivery.attempt, base=float(options.get("backoff_base", 30)),
                                cap=float(options.get("backoff_cap", 900)))
        store.finish(*args, "retrying", last_error=outcome.error, **common)
        logger.warning("delivery will be retried", extra={**log, "error": outcome.error, "delay": round(delay, 1)})
        return TargetResult(target.name, "retrying", outcome.error), delay
    reason = outcome.error if outcome.state == FAILED else f"gave up after {delivery.attempt} attempts: {outcome.error}"
    if paused and outcome.state == RETRY:
        reason = f"target paused: {outcome.error}"
    store.finish(*args, "failed", last_error=reason, **common)
    obs.count(obs.DELIVERIES_FAILED)
    logger.error("delivery failed", extra={**log, "error": reason})
    return TargetResult(target.name, "failed", reason), None
