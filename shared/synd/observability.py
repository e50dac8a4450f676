"""The one place that builds Powertools' Logger, Metrics and Tracer.

Handlers import these objects; nothing builds them twice (all `Metrics`
instances share one buffer anyway). Metric names are constants here so the
dashboard, alarms and code agree. Dimensions stay bounded: `service`, and for
rejections the rejection code (a fixed list, synd.errors.CODES).
"""
from __future__ import annotations

import os
import sys
import threading
from typing import IO, Any, cast

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, SqsFifoPartialProcessor
from aws_lambda_powertools.utilities.batch.exceptions import SQSFifoMessageGroupCircuitBreakerError

NAMESPACE = os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "Syndication")
SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME", "synd")

DROPS_RECEIVED = "DropsReceived"
DROPS_DUPLICATE = "DropsDuplicate"
DROPS_REJECTED = "DropsRejected"
ARTICLES_INGESTED = "ArticlesIngested"
ARTICLE_VERSIONS = "ArticleVersionsCreated"
ARTICLE_VERSIONS_SUPERSEDED = "ArticleVersionsSuperseded"  # an older object version processed after a newer one
ITEMS_REJECTED = "ItemsRejected"
ARTICLES_PUBLISHED = "ArticlesPublished"
ARTICLES_WITHDRAWN = "ArticlesWithdrawn"  # a withdrawal retracted from a target that had the article
DELIVERIES_WITHHELD = "DeliveriesWithheld"
DELIVERIES_FAILED = "DeliveriesFailed"
DELIVERIES_PAUSED = "DeliveriesPaused"  # held back because their target is paused
RECORDS_FAILED = "RecordsFailed"  # an SQS record failed in its batch (an alarm watches it)
RECORDS_DEFERRED = "RecordsDeferred"  # an SQS record asked to come back later (backoff, a lease): not a fault
CLAIMS_LOST = "ClaimsLost"  # a worker's claim was taken over before it recorded its outcome

class _LogStream:
    """Lambda logs to stdout; the local stack sends the same JSON lines to a file ($SYND_LOG_FILE).

    Decided at each write, not when this module is imported: `synd run` and `synd stack` import it
    before they start the stack and set the file, and a test's captured stdout is the one in force."""

    def __init__(self) -> None:
        self._files: dict[str, Any] = {}

    def write(self, text: str) -> int:
        path = os.environ.get("SYND_LOG_FILE")
        if not path:
            return sys.stdout.write(text)
        if path not in self._files:
            self._files[path] = open(path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - kept open
        return self._files[path].write(text)

    def flush(self) -> None:
        path = os.environ.get("SYND_LOG_FILE")
        target = self._files.get(path) if path else sys.stdout
        if target is not None:
            target.flush()


# logging's StreamHandler calls write and flush only: _LogStream has them, not all of IO[str]
logger = Logger(service=SERVICE, stream=cast(IO[str], _LogStream()))
metrics = Metrics(namespace=NAMESPACE, service=SERVICE)


def tracing_active() -> bool:
    """Whether this process traces: in Lambda, unless POWERTOOLS_TRACE_DISABLED is truthy or it runs
    under SAM local or Chalice (Powertools' own rule, so the answer is the one Tracer would give).

    Decided before building the tracer because Powertools' Tracer imports aws_xray_sdk even when it
    is disabled, and routes every decorated call through the (disabled) X-Ray recorder: a cold-start
    cost for traces nobody records. template.yaml turns tracing on in prod only."""
    from aws_lambda_powertools.shared.functions import resolve_truthy_env_var_choice

    if resolve_truthy_env_var_choice(env=os.environ.get("POWERTOOLS_TRACE_DISABLED", "false")):
        return False
    in_lambda = bool(os.environ.get("LAMBDA_TASK_ROOT"))
    return in_lambda and not (os.environ.get("AWS_SAM_LOCAL") or os.environ.get("AWS_CHALICE_CLI_MODE"))


class Untraced:
    """The tracer when tracing is off: Powertools Tracer's decorators and annotations, doing nothing.

    `@tracer.capture_method` and `@tracer.capture_method(capture_response=False)` both return the
    function itself, so an untraced handler costs no wrapper and its errors are its own."""

    def capture_lambda_handler(self, lambda_handler=None, **_options):
        return lambda_handler if lambda_handler is not None else (lambda handler: handler)

    capture_method = capture_lambda_handler

    def put_annotation(self, key, value) -> None:
        pass

    def put_metadata(self, key, value, namespace=None) -> None:
        pass


def _build_tracer():
    if not tracing_active():
        return Untraced()
    from aws_lambda_powertools import Tracer

    return Tracer()


tracer = _build_tracer()


_METRICS_LOCK = threading.Lock()


def count(name: str, value: float = 1) -> None:
    """Under a lock: the publisher counts from its target threads, and Metrics.add_metric reads, changes
    and stores its metric set (and flushes it at 100 metrics) without one."""
    with _METRICS_LOCK:
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)


def count_rejection(code: str) -> None:
    """One EMF line per rejection, with the code as its own dimension; tagged with the service the
    Metrics object has now (the local stack names each function's before its batch), not the one read
    at import."""
    with single_metric(name=DROPS_REJECTED, unit=MetricUnit.Count, value=1, namespace=NAMESPACE,
                       default_dimensions={"service": metrics.service or SERVICE}) as metric:
        metric.add_dimension(name="reason", value=code)


class _ReportsFailures(BatchProcessor):
    """Every failed record of a batch made visible to operators (the base of both processors below).

    A record that fails its batch logs one ERROR line with the exception, the
    correlation id (the S3 key or article version it was working on) and the
    SQS message id and receive count, and counts `RecordsFailed`, which an alarm
    watches; without this, partial batch failures are silent until a DLQ fills.
    Exceptions listed in `deferred` are planned returns (a backoff, another
    worker's lease, a FIFO group held back behind its failed record): a WARNING
    and `RecordsDeferred`, no alarm.
    """

    deferred: tuple[type[BaseException], ...] = ()

    def failure_handler(self, record, exception):
        _, error, _ = exception
        details = {"message_id": getattr(record, "message_id", None),
                   "receive_count": _receive_count(record), "error_type": type(error).__name__}
        if isinstance(error, self.deferred):
            count(RECORDS_DEFERRED)
            logger.warning("record deferred", extra={**details, "reason": str(error)})
        else:
            count(RECORDS_FAILED)
            logger.error("record failed", exc_info=exception, extra=details)
        return super().failure_handler(record, exception)


class ReportingBatchProcessor(_ReportsFailures):
    """Powertools' SQS BatchProcessor, reporting each failed record (_ReportsFailures)."""

    def __init__(self, deferred: tuple[type[BaseException], ...] = ()):
        super().__init__(event_type=EventType.SQS)
        self.deferred = deferred


class ReportingFifoBatchProcessor(_ReportsFailures, SqsFifoPartialProcessor):
    """Powertools' SqsFifoPartialProcessor for a FIFO queue, reporting each failed record.

    A record that fails holds back the later records of its message group (they return with it, in
    order, counted as deferred); the other groups of the batch go on (skip_group_on_error)."""

    def __init__(self, deferred: tuple[type[BaseException], ...] = ()):
        super().__init__(skip_group_on_error=True)
        self.deferred = (*deferred, SQSFifoMessageGroupCircuitBreakerError)


def _receive_count(record) -> int | None:
    try:
        return int(record.attributes.approximate_receive_count)
    except (AttributeError, TypeError, ValueError):
        return None


def require_valid_settings() -> None:
    """Load and check the partner and target settings before the batch: an invalid document (a
    typo in the live store, a broken file) fails the whole invocation, logged at ERROR, and every
    message returns to its queue untouched, rather than each record failing on its own."""
    from synd import settings

    try:
        settings.load_all()
    except settings.ConfigError:
        logger.exception("settings refused: no message is processed until they are corrected")
        raise
