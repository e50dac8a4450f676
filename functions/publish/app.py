"""Publish Lambda: an SQS batch of `article.version` messages -> deliveries to every target.

Thin on purpose: parse the message, call synd.publish.publisher, report. A
message that must come back (RetryLater: a transient target failure, or a
delivery leased by another worker) fails its record in the batch response
after moving its visibility timeout to the delay, so SQS brings it back then;
after the template's maxReceiveCount it goes to the DLQ. Unexpected errors are
logged at ERROR and counted (RecordsFailed).
"""
import json
from functools import lru_cache

from aws_lambda_powertools.utilities.batch import process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from synd.aws.queues import return_later
from synd.budget import invocation_clock
from synd.observability import ReportingBatchProcessor, logger, metrics, require_valid_settings, tracer
from synd.publish.publisher import PublishConfig, RetryLater, no_deadline, publish_message

processor = ReportingBatchProcessor(deferred=(RetryLater,))


@lru_cache(maxsize=1)
def config() -> PublishConfig:
    return PublishConfig.from_environ()


@tracer.capture_method
def record_handler(record: SQSRecord, lambda_context=None) -> None:
    logger.set_correlation_id(record.message_id)  # until the message names its article version
    message = json.loads(record.body)
    if message.get("type") != "article.version":
        logger.warning("ignored message", extra={"type": message.get("type")})
        return
    logger.set_correlation_id(f"{message['article_id']}:v{message['version']}")
    logger.append_keys(article_id=message["article_id"], version=message["version"], partner=message.get("partner"))
    remaining = invocation_clock(lambda_context) or no_deadline
    try:  # publish_message logs the one INFO line of the article version ("published")
        publish_message(message, config(), remaining=remaining)
    except RetryLater as exc:
        delay_message(record, exc.delay)
        raise


def delay_message(record: SQSRecord, delay: float) -> None:
    """Let the message come back after `delay` seconds instead of the queue's visibility timeout."""
    if not return_later(record.event_source_arn, record.receipt_handle, delay):
        logger.warning("could not set the retry delay; the queue's visibility timeout applies")


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event, context):
    require_valid_settings()
    return process_partial_response(event=event, record_handler=record_handler, processor=processor,
                                    context=context)
