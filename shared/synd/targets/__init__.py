"""Publishing targets as registered plug-ins.

Each target module exposes `KIND`, `deliver(delivery: Delivery, env: TargetEnv) -> Outcome`
and `withdraw(delivery, env) -> Outcome` (take a withdrawn article back: the delivery is the
version that withdraws it, synd.model.is_withdrawal).
The publish loop knows only REGISTRY: a new kind of target is one new module and
one line here, plus its entries in config/targets.yaml.

A target never decides *whether* to publish (the licence policy did); it only
publishes and says how it went: delivered, retry later (transient), or failed
(permanent, not retried).
"""
from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from synd.settings import TargetSettings

DELIVERED = "delivered"
RETRY = "retry"
FAILED = "failed"
WITHDRAW = "withdraw"  # the action of a delivery that takes a withdrawn article back


@dataclass(frozen=True)
class TargetEnv:
    """Resource names the targets need, from the publish function's environment."""

    processed_bucket: str | None = None
    site_bucket: str | None = None
    articles_topic_arn: str | None = None
    event_bus_name: str | None = None
    webhook_secret_prefix: str | None = None  # each webhook target signs with the secret <prefix>/<name>
    table_name: str | None = None  # the site's feed entries and render state (synd.render.entries)
    render_queue_url: str | None = None  # the site's render requests (None: render in process)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> TargetEnv:
        env = os.environ if environ is None else environ
        return cls(processed_bucket=env.get("PROCESSED_BUCKET"), site_bucket=env.get("SITE_BUCKET"),
                   articles_topic_arn=env.get("ARTICLES_TOPIC_ARN"), event_bus_name=env.get("EVENT_BUS_NAME"),
                   webhook_secret_prefix=env.get("WEBHOOK_SECRET_PREFIX"), table_name=env.get("TABLE_NAME"),
                   render_queue_url=env.get("RENDER_QUEUE_URL"))


@dataclass(frozen=True)
class Delivery:
    """One article version going to one target, with the policy's decision."""

    record: dict[str, Any]  # the full article record, with "version"
    ninjs: dict[str, Any]
    target: TargetSettings
    action: str  # deliver | deliver_with_attribution | withdraw
    attribution: dict[str, Any] | None = None  # the policy's rendered attribution (text, html)
    attempt: int = 1
    render: bool = True  # False: the site target sends no render request (a backfill)

    @property
    def article_id(self) -> str:
        return self.record["id"]

    @property
    def version(self) -> int:
        return int(self.record.get("version") or 1)

    @property
    def idempotency_key(self) -> str:
        return f"{self.article_id}:v{self.version}:{self.target.name}"


@dataclass(frozen=True)
class Outcome:
    state: str  # delivered | retry | failed
    detail: dict[str, Any] = field(default_factory=dict)  # where it went (keys, ids, status)
    error: str | None = None  # short, safe to log and store (never a secret)
    status: int | None = None  # HTTP status for webhooks

    @classmethod
    def delivered(cls, **detail: Any) -> Outcome:
        return cls(DELIVERED, detail=detail)

    @classmethod
    def retry(cls, error: str, status: int | None = None) -> Outcome:
        return cls(RETRY, error=error, status=status)

    @classmethod
    def failed(cls, error: str, status: int | None = None) -> Outcome:
        return cls(FAILED, error=error, status=status)


Deliver = Callable[[Delivery, TargetEnv], Outcome]

# kind -> module (imported on first use: a function that never publishes to SNS never imports it)
REGISTRY: dict[str, str] = {
    "site": "synd.targets.site",
    "webhook": "synd.targets.webhook",
    "sns": "synd.targets.events",
    "eventbridge": "synd.targets.events",
}


def _module(kind: str):
    if kind not in REGISTRY:
        raise KeyError(f"unknown target kind {kind!r}; known: {', '.join(sorted(REGISTRY))}")
    return importlib.import_module(REGISTRY[kind])


def deliverer(kind: str) -> Deliver:
    module = _module(kind)
    return getattr(module, "DELIVERERS", {}).get(kind) or module.deliver


def withdrawer(kind: str) -> Deliver:
    module = _module(kind)
    return getattr(module, "WITHDRAWERS", {}).get(kind) or module.withdraw


def deliver(delivery: Delivery, env: TargetEnv) -> Outcome:
    """Publish (or, for a withdrawal, take back) through the target's kind; unexpected exceptions are the
    caller's to handle."""
    if delivery.action == WITHDRAW:
        return withdrawer(delivery.target.kind)(delivery, env)
    return deliverer(delivery.target.kind)(delivery, env)
