"""The one place that builds Powertools' Logger, Metrics and Tracer.

Handlers import these objects; nothing builds them twice (all `Metrics`
instances share one buffer anyway). Metric names are constants here so the
dashboard, alarms and code agree. Dimensions stay bounded: `service`, and for
rejections the rejection code (a fixed list, synd.errors.CODES).
"""
from __future__ import annotations

import os

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit, single_metric

NAMESPACE = os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "Syndication")
SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME", "synd")

DROPS_RECEIVED = "DropsReceived"
DROPS_DUPLICATE = "DropsDuplicate"
DROPS_REJECTED = "DropsRejected"
ARTICLES_INGESTED = "ArticlesIngested"
ARTICLE_VERSIONS = "ArticleVersionsCreated"
ITEMS_REJECTED = "ItemsRejected"
ARTICLES_PUBLISHED = "ArticlesPublished"
DELIVERIES_WITHHELD = "DeliveriesWithheld"
DELIVERIES_FAILED = "DeliveriesFailed"
DELIVERIES_PAUSED = "DeliveriesPaused"  # held back because their target is paused

def _log_stream():
    """Lambda logs to stdout; the local stack sends the same JSON lines to a file ($SYND_LOG_FILE)."""
    path = os.environ.get("SYND_LOG_FILE")
    return open(path, "a", encoding="utf-8", buffering=1) if path else None


logger = Logger(service=SERVICE, stream=_log_stream())
metrics = Metrics(namespace=NAMESPACE, service=SERVICE)
tracer = Tracer()


def count(name: str, value: float = 1) -> None:
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)


def count_rejection(code: str) -> None:
    """One EMF line per rejection, with the code as its own dimension."""
    with single_metric(name=DROPS_REJECTED, unit=MetricUnit.Count, value=1, namespace=NAMESPACE,
                       default_dimensions={"service": SERVICE}) as metric:
        metric.add_dimension(name="reason", value=code)
