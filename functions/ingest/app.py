"""Ingest Lambda: an SQS batch of S3 notifications -> articles stored and queued for publishing.

Thin on purpose: decode the event, call synd.ingest for each object, report.
BatchProcessor reports failed records one by one (ReportBatchItemFailures),
so one bad message never fails its batch; a failing message returns to the
queue and reaches the DLQ after the template's maxReceiveCount.
"""
from functools import lru_cache

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from synd.aws.s3_events import objects_in_message
from synd.ingest import IngestConfig, ingest_object
from synd.observability import logger, metrics, tracer

processor = BatchProcessor(event_type=EventType.SQS)


@lru_cache(maxsize=1)
def config() -> IngestConfig:
    return IngestConfig.from_env()


@tracer.capture_method
def record_handler(record: SQSRecord) -> None:
    for ref in objects_in_message(record.body):
        logger.set_correlation_id(f"s3://{ref.bucket}/{ref.key}")
        logger.append_keys(s3_key=ref.key, partner=ref.partner)
        ingest_object(ref, config())


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event, context):
    return process_partial_response(event=event, record_handler=record_handler, processor=processor,
                                    context=context)
