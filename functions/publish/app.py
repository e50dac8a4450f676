"""Publish Lambda: an SQS batch of `article.version` messages -> deliveries to every target.

Thin on purpose: parse the message, call synd.publish.publisher, report. A
transient target failure (RetryLater) makes the record fail in the batch
response, after moving its visibility timeout to the backoff delay, so SQS
brings it back then; after the template's maxReceiveCount it goes to the DLQ.
"""
import json
from functools import lru_cache

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from synd.aws import client
from synd.observability import logger, metrics, tracer
from synd.publish.publisher import PublishConfig, RetryLater, publish_message

processor = BatchProcessor(event_type=EventType.SQS)
MAX_VISIBILITY = 12 * 60 * 60  # SQS limit


@lru_cache(maxsize=1)
def config() -> PublishConfig:
    return PublishConfig.from_environ()


@tracer.capture_method
def record_handler(record: SQSRecord) -> None:
    message = json.loads(record.body)
    if message.get("type") != "article.version":
        logger.warning("ignored message", extra={"type": message.get("type")})
        return
    logger.set_correlation_id(f"{message['article_id']}:v{message['version']}")
    logger.append_keys(article_id=message["article_id"], version=message["version"], partner=message.get("partner"))
    try:
        results = publish_message(message, config())
    except RetryLater as exc:
        delay_message(record, exc.delay)
        raise
    logger.info("published", extra={"results": {r.target: r.state for r in results}})


def delay_message(record: SQSRecord, delay: float) -> None:
    """Let the message come back after `delay` seconds instead of the queue's visibility timeout."""
    try:
        _, _, _, region, account, name = record.event_source_arn.split(":", 5)
        url = client("sqs").get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"]
        client("sqs").change_message_visibility(QueueUrl=url, ReceiptHandle=record.receipt_handle,
                                                VisibilityTimeout=int(min(max(delay, 1), MAX_VISIBILITY)))
    except Exception:  # noqa: BLE001 - without it the queue's own visibility timeout applies
        logger.warning("could not set the retry delay", exc_info=True)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event, context):
    return process_partial_response(event=event, record_handler=record_handler, processor=processor,
                                    context=context)
