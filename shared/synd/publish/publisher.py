"""Publishing one article version: licence policy × target settings → one delivery per target.

For each enabled target: ask the licence policy; record a withheld decision
(unless the record is final already); claim the delivery (a conditional write
with a fencing token and a lease, so two workers never both deliver; refused,
with the record, when it is delivered, withheld, failed or leased, so nothing is
read before it); fail it without calling a paused target (re-driven by an
operator); deliver; record the outcome with the claim's token and the target's
health. The state machine itself is `synd.aws.deliveries.TRANSITIONS`.

The lease is derived from the invocation's remaining time (the function's
timeout), plus a small margin, so no live worker ever loses its claim; a target
is not even claimed when less time is left than it may need. A delivery held
under another worker's live lease, or deferred for lack of time, returns its
message to the queue (RetryLater) until the lease is over: it is never dropped.

A transient failure of any target raises RetryLater after all targets were
tried: the SQS message comes back after a backoff and only the targets not yet
done are tried again. Out of attempts, a delivery is failed for good (and
`synd redrive` can try it again).

The targets of one article version are delivered in parallel, one thread each
(at most `parallel_targets`): about three quarters of a publish is waiting on
AWS and on the webhooks, so K targets take about the time of the slowest, not
the sum. Each target's path above is unchanged and touches only its own
delivery record and health item (the article's targets' health items are read
in one BatchGetItem, `TargetHealth`), so the threads share nothing but thread-safe
boto3 clients (synd.aws.client builds them under a lock: sessions are not
thread-safe), the Logger (its appended keys are global, a `thread_safe_append_keys`
context is copied into each thread) and the metrics (counted under a lock). A
target whose path raises does not stop the others: every outcome is recorded and
on the INFO line, then the first exception is raised.
"""
from __future__ import annotations

import contextvars
import os
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from synd import observability as obs, policy
from synd.aws.articles import ArticleStore
from synd.aws.deliveries import (
    DEFAULT_LEASE_SECONDS,
    DELIVERED,
    FAILED,
    FINAL_STATES,
    PENDING,
    WITHDRAWN,
    WITHHELD,
    Attempt,
    DeliveryStore,
    LostClaim,
)
from synd.aws.versions import read_version
from synd.model import is_withdrawal
from synd.observability import logger
from synd.publish.retry import backoff_seconds
from synd.settings import PartnerSettings, TargetSettings, partner_settings, target_settings
from synd.targets import (
    DELIVERED as OUTCOME_DELIVERED,
    FAILED as OUTCOME_FAILED,
    RETRY,
    WITHDRAW,
    Delivery,
    Outcome,
    TargetEnv,
    deliver,
)

DEFAULT_MAX_ATTEMPTS = 4  # <= the publish queue's maxReceiveCount (template MaxReceiveCount, default 4)
DEFAULT_PAUSE_AFTER = 5
LEASE_MARGIN_SECONDS = 2.0  # a lease outlives the invocation that holds it by this much (clock skew)
DEFAULT_TARGET_SECONDS = 10.0  # what one delivery may take, unless the target's `timeout` option says
RECORD_TRIES = 5  # an outcome is recorded at all costs: losing it means delivering again
DEFAULT_PARALLEL_TARGETS = 8  # threads per article version (botocore keeps 10 connections per client)

Decide = Callable[[dict, TargetSettings, PartnerSettings], Any]
Remaining = Callable[[], float]  # seconds left in this invocation


def no_deadline() -> float:
    """Outside Lambda (tests, tools): as if a fresh invocation of the default lease had just begun."""
    return DEFAULT_LEASE_SECONDS - LEASE_MARGIN_SECONDS


@dataclass(frozen=True)
class PublishConfig:
    table: str
    env: TargetEnv
    parallel_targets: int = DEFAULT_PARALLEL_TARGETS  # 1: one target after the other, in this thread

    @classmethod
    def from_environ(cls, environ: dict[str, str] | None = None) -> PublishConfig:
        env = os.environ if environ is None else environ
        return cls(table=env["TABLE_NAME"], env=TargetEnv.from_environ(env),
                   parallel_targets=max(1, int(env.get("SYND_PARALLEL_TARGETS") or DEFAULT_PARALLEL_TARGETS)))


class RetryLater(Exception):
    """Some targets failed transiently: the message should come back after `delay` seconds."""

    def __init__(self, delay: float, targets: list[str]):
        super().__init__(f"retry in {delay:.0f}s: {', '.join(targets)}")
        self.delay = delay
        self.targets = targets


@dataclass
class TargetResult:
    target: str
    state: str  # delivered | withdrawn | withheld | retrying | failed | skipped | leased | deferred | lost | error
    reason: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadedArticle:
    record: dict[str, Any]
    ninjs: dict[str, Any]
    latest: dict[str, Any] | None  # the article's LATEST item as read now


def load_article(message: dict[str, Any], config: PublishConfig) -> LoadedArticle:
    """The message's article version (record and ninjs: synd.aws.versions) and the article's LATEST item:
    one strongly consistent GetItem and one S3 GET when the version is the latest (the usual case)."""
    bucket = config.env.processed_bucket
    if not bucket:  # a misconfigured function says so, not a TypeError from inside botocore
        raise RuntimeError("PROCESSED_BUCKET is not set: the publish function reads article versions from it")
    articles = ArticleStore(config.table)
    article_id, version = str(message["article_id"]), int(message["version"])
    latest = articles.latest(article_id)
    stored = read_version(articles, bucket, article_id, version, latest=latest)
    return LoadedArticle(stored.record, stored.ninjs, latest)


def publish_message(message: dict[str, Any], config: PublishConfig, *, decide: Decide | None = None,
                    store: DeliveryStore | None = None, targets: Iterable[TargetSettings] | None = None,
                    remaining: Remaining = no_deadline) -> list[TargetResult]:
    """Publish the article version a publish-queue message names to every enabled target."""
    started = time.monotonic()
    loaded = load_article(message, config)
    record, ninjs = loaded.record, loaded.ninjs
    store = store or DeliveryStore(config.table)
    decide = decide or policy.decide
    withdrawn_in = newer_withdrawal(record, loaded.latest)
    if withdrawn_in:  # an older version arriving after the withdrawal never brings the article back
        decide = withdrawn_article(withdrawn_in)
    partner = partner_settings(record.get("partner") or message.get("partner") or "default")
    redrive, reconsider = set(message.get("redrive") or []), set(message.get("reconsider") or [])
    render = not message.get("backfill", False)  # a backfilled article leaves the feeds to the renderer
    enabled = [target for target in (targets if targets is not None else target_settings()) if target.enabled]
    health = TargetHealth(store, [target.name for target in enabled])
    jobs = [Job(record, ninjs, target, partner, config, store, decide, remaining, health,
                redrive=target.name in redrive, reconsider=target.name in reconsider, render=render)
            for target in enabled]
    results, retry_delays, errors = [], [], []
    for job, done in zip(jobs, run_jobs(jobs, config.parallel_targets), strict=True):
        if isinstance(done, Exception):
            errors.append(done)
            results.append(TargetResult(job.target.name, "error", f"{type(done).__name__}: {done}"[:300]))
            continue
        result, delay = done
        results.append(result)
        if delay is not None:
            retry_delays.append(delay)
    log_published(record, results, started)  # also when a target raised: every outcome is on the line
    if errors:  # the message comes back; the batch processor logs the first at ERROR, the others are here
        for error in errors[1:]:
            logger.error("target raised", exc_info=error, extra={"error_type": type(error).__name__})
        raise errors[0]
    if retry_delays:
        raise RetryLater(min(retry_delays), [r.target for r in results if r.state in COME_BACK])
    return results


COME_BACK = ("retrying", "leased", "deferred")  # the message must return for these


def run_jobs(jobs: list[Job], parallel: int) -> list[tuple[TargetResult, float | None] | Exception]:
    """Each job's (result, delay), or the exception its path raised, in the order of `jobs`.

    With more than one job and `parallel` > 1, one thread per job (at most `parallel`), each in a
    copy of the caller's context (contextvars: Powertools' thread-safe log keys follow it). All
    jobs run to the end whatever the others do: nothing is cancelled, nothing is left unrecorded."""
    if parallel <= 1 or len(jobs) <= 1:
        return [_run_job(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=min(parallel, len(jobs)), thread_name_prefix="synd-target") as pool:
        futures = [pool.submit(contextvars.copy_context().run, _run_job, job) for job in jobs]
    return [future.result() for future in futures]


def _run_job(job: Job) -> tuple[TargetResult, float | None] | Exception:
    try:
        return publish_to_target(job)
    except Exception as exc:  # noqa: BLE001 - handed back so that the other targets' outcomes still count
        return exc


def log_published(record: dict[str, Any], results: list[TargetResult], started: float) -> None:
    """The one INFO line of an article version's publish, also when the message must come back.

    Every target's outcome is a compact entry of `deliveries` (with its reason when
    there is one), which the saved Logs Insights queries unnest: a line per target
    was 81% of the log bytes. Per-target details are at DEBUG; a retry is still a
    WARNING and a failure an ERROR line of its own.
    """
    logger.info("published", extra={"language": record.get("language"),
                                    "duration_ms": round((time.monotonic() - started) * 1000),
                                    "deliveries": [_delivery_entry(r) for r in results]})


def _delivery_entry(result: TargetResult) -> dict[str, str]:
    entry = {"target": result.target, "state": result.state}
    if result.reason:
        entry["reason"] = result.reason[:300]
    return entry


def newer_withdrawal(record: dict[str, Any], latest: dict[str, Any] | None) -> int | None:
    """The version that withdrew this article after this one, if any (`latest`: its LATEST item)."""
    if is_withdrawal(record):
        return None
    if latest and is_withdrawal(latest) and int(latest["version"]) > int(record["version"]):
        return int(latest["version"])
    return None


def withdrawn_article(version: int) -> Decide:
    def decide(record, target, partner):
        return policy.Decision(policy.WITHHOLD, f"the article was withdrawn in version {version}",
                               target=target.name, license=(record.get("license") or {}).get("spdx"))
    return decide


def withdrawal_decision(record: dict[str, Any], target: TargetSettings) -> policy.Decision:
    """Withdrawing needs no licence: it always goes to every target that has the article."""
    withdrawal = record.get("withdrawal") or {}
    by = "an operator" if withdrawal.get("by") == "operator" else "the partner"
    return policy.Decision(WITHDRAW, f"withdrawn by {by}: {withdrawal.get('reason') or 'no reason given'}",
                           target=target.name, license=(record.get("license") or {}).get("spdx"))


class TargetHealth:
    """The health of an article's targets, read in one call when the first of its deliveries needs it
    (after its claim: an article whose deliveries are all withheld or skipped reads none), and shared
    by the article's delivery threads."""

    def __init__(self, store: DeliveryStore, targets: Iterable[str]):
        self._store, self._targets = store, tuple(targets)
        self._lock = threading.Lock()
        self._read: dict[str, dict[str, Any]] | None = None

    def of(self, target: str) -> dict[str, Any]:
        with self._lock:
            if self._read is None:
                self._read = self._store.healths(self._targets)
        return self._read[target]  # healths() answers for every target it was asked about


@dataclass(frozen=True)
class Job:
    """One article version for one target, with what deciding and recording it needs."""

    record: dict[str, Any]
    ninjs: dict[str, Any]
    target: TargetSettings
    partner: PartnerSettings
    config: PublishConfig
    store: DeliveryStore
    decide: Decide
    remaining: Remaining
    health: TargetHealth  # the health of the article's targets, read once for all of them
    redrive: bool = False
    reconsider: bool = False
    render: bool = True  # False for a backfilled article: the site target sends no render request

    @property
    def key(self) -> tuple[str, str, int]:
        return self.record["id"], self.target.name, int(self.record["version"])

    @property
    def labels(self) -> dict[str, Any]:
        return {"partner": self.record.get("partner"), "language": self.record.get("language")}


def publish_to_target(job: Job) -> tuple[TargetResult, float | None]:
    """One target; returns the result and, when the message must come back, after how many seconds."""
    store, target = job.store, job.target
    withdrawal = is_withdrawal(job.record)
    decision = withdrawal_decision(job.record, target) if withdrawal else job.decide(job.record, target, job.partner)
    reopened = False
    if withdrawal or decision.action == "withhold" or job.reconsider:
        # these paths act on what is recorded; a delivery needs no read first: its claim is refused
        # when the record is final, failed or leased, and not_ours then says which (one call fewer)
        existing = store.get(*job.key)
        state = (existing or {}).get("state")
        reopened = state == WITHHELD and job.reconsider
        if state in FINAL_STATES and not reopened:
            return TargetResult(target.name, "skipped", f"already {state}"), None
        if state == FAILED and not job.redrive:
            return TargetResult(target.name, "skipped", "failed earlier; use synd redrive"), None
        early = _nothing_to_retract(job, decision) if withdrawal else None
        if early:
            return early
    decision_record = decision.to_record()
    if decision.action == "withhold":
        if reopened:
            return TargetResult(target.name, "skipped", f"still withheld: {decision.reason}"), None
        attempt = store.withhold(*job.key, decision=decision_record, **job.labels)
        if not attempt.ok:
            return not_ours(target.name, attempt)
        obs.count(obs.DELIVERIES_WITHHELD)
        logger.debug("delivery withheld", extra={"target": target.name, "reason": decision.reason})
        return TargetResult(target.name, "withheld", decision.reason), None
    left, needed = job.remaining(), target_seconds(target) + LEASE_MARGIN_SECONDS
    if left < needed:  # it might not finish before the invocation ends: leave it to a fresh one
        return TargetResult(target.name, "deferred", f"{left:.1f}s left in this invocation, {needed:.0f}s needed"), 1.0
    claim = store.claim(*job.key, **job.labels, redrive=job.redrive, reconsider=reopened,
                        lease_seconds=left + LEASE_MARGIN_SECONDS)
    if not claim.ok:
        return not_ours(target.name, claim)
    health = job.health.of(target.name)
    if health.get("paused") and not job.redrive:
        reason = f"target paused after {health.get('consecutive_failures')} consecutive failures"
        if not record_outcome(job, claim, FAILED, decision=decision_record, last_error=reason):
            return TargetResult(target.name, "lost", "claim taken over"), None
        obs.count(obs.DELIVERIES_PAUSED)
        logger.warning("delivery paused", extra={"target": target.name, "reason": reason})  # Logs Insights finds it
        return TargetResult(target.name, "failed", "target paused"), None
    delivery = Delivery(record=job.record, ninjs=job.ninjs, target=target, action=decision.action,
                        attribution=decision.attribution, attempt=int((claim.record or {}).get("attempts", 1)),
                        render=job.render)
    outcome = _attempt(delivery, job.config.env)
    return _record_outcome(job, claim, delivery, outcome, decision_record, health)


def _nothing_to_retract(job: Job, decision: policy.Decision) -> tuple[TargetResult, float | None] | None:
    """For a withdrawal: None when the target had an earlier version (it must be retracted there);
    otherwise the result (recorded withdrawn with nothing to do, or wait for a delivery in flight)."""
    earlier = [d for d in job.store.of_article(job.record["id"])
               if d.get("target") == job.target.name and int(d.get("version", 0)) < int(job.record["version"])]
    if any(d.get("state") == DELIVERED for d in earlier):
        return None
    in_flight = [Attempt(False, d) for d in earlier if d.get("state") == PENDING]
    wait = max((a.lease_left() for a in in_flight), default=0.0)
    if wait > 0:  # an earlier version is being delivered there right now: retract it once it is
        return TargetResult(job.target.name, "leased", f"an earlier version is in flight for {wait:.0f}s"), wait + 1.0
    attempt = job.store.nothing_to_retract(*job.key, decision=decision.to_record(), **job.labels)
    if not attempt.ok:
        return not_ours(job.target.name, attempt)
    return TargetResult(job.target.name, "withdrawn", "the target never had the article"), None


def not_ours(target: str, attempt: Attempt) -> tuple[TargetResult, float | None]:
    """Why a claim or a withhold was refused; a live lease of another worker brings the message back after it."""
    if attempt.state in FINAL_STATES:
        return TargetResult(target, "skipped", f"already {attempt.state}"), None
    if attempt.state == FAILED:
        return TargetResult(target, "skipped", "failed earlier; use synd redrive"), None
    wait = attempt.lease_left()
    logger.debug("delivery leased by another worker", extra={"target": target, "lease_left": round(wait, 1)})
    return TargetResult(target, "leased", f"claimed by another worker for {wait:.0f}s more"), wait + 1.0


def target_seconds(target: TargetSettings) -> float:
    return float(target.options.get("timeout", DEFAULT_TARGET_SECONDS))


def record_outcome(job: Job, claim: Attempt, state: str, **fields: Any) -> bool:
    """Write the claim's outcome (retried: once delivered, losing the record means delivering again).

    False when the claim was taken over meanwhile (its lease ran out): the newer
    claim's outcome stands, and this one is dropped.
    """
    token = claim.token
    if token is None:  # a claim that succeeded holds its token: without it the write would not be fenced
        raise ValueError(f"{job.key}: an outcome needs the claim's token")
    for attempt in range(1, RECORD_TRIES + 1):
        try:
            job.store.finish(*job.key, state, token=token, **(job.labels | fields))
            return True
        except LostClaim as exc:
            obs.count(obs.CLAIMS_LOST)
            logger.warning("claim lost before its outcome was recorded", extra={"target": job.target.name,
                                                                              "outcome": state, "error": str(exc)})
            return False
        except (ClientError, BotoCoreError):
            if attempt == RECORD_TRIES:
                raise
            logger.warning("recording the outcome failed; trying again", exc_info=True,
                           extra={"target": job.target.name, "outcome": state, "try": attempt})
            time.sleep(0.05 * 2 ** attempt)
    return False


def _attempt(delivery: Delivery, env: TargetEnv) -> Outcome:
    try:
        return deliver(delivery, env)
    except Exception as exc:  # noqa: BLE001 - an unexpected error is transient until attempts run out
        logger.exception("target raised", extra={"target": delivery.target.name})
        return Outcome.retry(f"{type(exc).__name__}: {exc}"[:300])


def _record_outcome(job: Job, claim: Attempt, delivery: Delivery, outcome: Outcome, decision_record: dict[str, Any],
                    health: dict[str, Any]) -> tuple[TargetResult, float | None]:
    target, options, store = delivery.target, delivery.target.options, job.store
    common = {"decision": decision_record, "status": outcome.status}
    log = {"target": target.name, "attempt": delivery.attempt, "status": outcome.status}
    if outcome.state == OUTCOME_DELIVERED:
        done = WITHDRAWN if delivery.action == WITHDRAW else DELIVERED
        if not record_outcome(job, claim, done, detail=outcome.detail, **common):
            return TargetResult(target.name, "lost", "claim taken over after delivering"), None
        if health.get("consecutive_failures"):
            _health(store.note_success, target.name)
        obs.count(obs.ARTICLES_WITHDRAWN if done == WITHDRAWN else obs.ARTICLES_PUBLISHED)
        logger.debug(done, extra=log)
        return TargetResult(target.name, done, detail=outcome.detail), None
    paused = _health(store.note_failure, target.name, outcome.error or "",
                     int(options.get("pause_after", DEFAULT_PAUSE_AFTER)))
    if paused:
        logger.error("target paused: its deliveries are failed without calling it until `synd redrive --target`",
                     extra={"target": target.name, "error": outcome.error})
    max_attempts = int(options.get("max_attempts", DEFAULT_MAX_ATTEMPTS))
    if outcome.state == RETRY and delivery.attempt < max_attempts and not paused:
        delay = backoff_seconds(delivery.attempt, base=float(options.get("backoff_base", 30)),
                                cap=float(options.get("backoff_cap", 900)))
        if not record_outcome(job, claim, "retrying", last_error=outcome.error, **common):
            return TargetResult(target.name, "lost", "claim taken over"), None
        logger.warning("delivery will be retried", extra={**log, "error": outcome.error, "delay": round(delay, 1)})
        return TargetResult(target.name, "retrying", outcome.error), delay
    reason = outcome.error if outcome.state == OUTCOME_FAILED else \
        f"gave up after {delivery.attempt} attempts: {outcome.error}"
    if paused and outcome.state == RETRY:
        reason = f"target paused: {outcome.error}"
    if not record_outcome(job, claim, "failed", last_error=reason, **common):
        return TargetResult(target.name, "lost", "claim taken over"), None
    obs.count(obs.DELIVERIES_FAILED)
    logger.error("delivery failed", extra={**log, "error": reason})
    return TargetResult(target.name, "failed", reason), None


def _health(update: Callable[..., Any], *args: Any) -> Any:
    """Target health is advice for pausing: failing to count it must not fail the delivery."""
    try:
        return update(*args)
    except (ClientError, BotoCoreError):
        logger.warning("target health not updated", exc_info=True, extra={"target": args[0]})
        return False
