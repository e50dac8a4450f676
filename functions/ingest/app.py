"""Ingest Lambda: an SQS batch of S3 notifications -> articles stored and queued for publishing.

Thin on purpose: decode the event, call synd.ingest for each object, report.
The batch processor reports failed records one by one (ReportBatchItemFailures),
so one bad message never fails its batch; each failure is logged at ERROR and
counted (RecordsFailed); the message returns to the queue and reaches the DLQ
after the template's maxReceiveCount. A drop left with too little of the
invocation to parse in its budget is deferred (RecordsDeferred), not refused.
"""
from functools import lru_cache

from aws_lambda_powertools.utilities.batch import process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from synd.aws.queues import return_later
from synd.aws.s3_events import objects_in_message
from synd.budget import invocation_clock
from synd.ingest import IngestConfig, OutOfTime, ingest_object
from synd.observability import ReportingBatchProcessor, logger, metrics, require_valid_settings, tracer

processor = ReportingBatchProcessor(deferred=(OutOfTime,))


@lru_cache(maxsize=1)
def config() -> IngestConfig:
    return IngestConfig.from_env()


@tracer.capture_method
def record_handler(record: SQSRecord, lambda_context=None) -> None:
    logger.set_correlation_id(record.message_id)  # until the message names its objects
    for ref in objects_in_message(record.body):
        logger.set_correlation_id(f"s3://{ref.bucket}/{ref.key}")
        logger.append_keys(s3_key=ref.key, partner=ref.partner)
        try:
            ingest_object(ref, config(), remaining=invocation_clock(lambda_context))
        except OutOfTime as exc:  # a fresh invocation takes it, with the drop's whole budget
            return_later(record.event_source_arn, record.receipt_handle, exc.delay)
            raise


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event, context):
    require_valid_settings()
    return process_partial_response(event=event, record_handler=record_handler, processor=processor,
                                    context=context)
