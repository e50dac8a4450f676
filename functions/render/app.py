"""Render Lambda: an SQS FIFO batch of `site.render` requests -> the language's feeds, index, archive
pages, its article pages' previous/next links, the root index and the site's assets (synd.render.renderer).

Thin on purpose. The queue's message group is the language, so one invocation at a time renders a
language; a batch holds up to 10 requests, and the first that finds something new renders it all,
the others find it covered and return at once (counted RendersSkipped). A request that fails is
reported in the batch response with the later requests of its language (SqsFifoPartialProcessor,
skip_group_on_error: they keep their order; other languages go on) and comes back (then the DLQ,
with an alarm); rendering again is harmless, since every output is a function of the stored entries.
"""
import json

from aws_lambda_powertools.utilities.batch import process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from synd.language.tags import is_safe_tag
from synd.observability import ReportingFifoBatchProcessor, count, logger, metrics, require_valid_settings, tracer
from synd.render.entries import EntryStore
from synd.render.outputs import SiteOutputs
from synd.render.renderer import RenderOptions, render_language
from synd.render.requests import MESSAGE_TYPE
from synd.targets import TargetEnv
from synd.targets.site import render_options_from_settings

RENDERS, RENDERS_SKIPPED = "Renders", "RendersSkipped"
processor = ReportingFifoBatchProcessor()  # a failed render holds back its language's later requests


def environment() -> TargetEnv:
    return TargetEnv.from_environ()  # SITE_BUCKET, TABLE_NAME: cheap to read, and tests change them


@tracer.capture_method
def record_handler(record: SQSRecord, lambda_context=None) -> None:
    message = json.loads(record.body)
    language = message.get("language")
    if message.get("type") != MESSAGE_TYPE or not isinstance(language, str) or not is_safe_tag(language):
        logger.warning("ignored message", extra={"type": message.get("type")})
        return
    logger.set_correlation_id(f"render:{language}")
    env = environment()
    if not (env.table_name and env.site_bucket):
        raise RuntimeError("TABLE_NAME and SITE_BUCKET must be set: the entries and the site bucket")
    options = RenderOptions.from_message(message) or render_options_from_settings()
    done = render_language(language, EntryStore(env.table_name), SiteOutputs(env.site_bucket), options)
    if done.skipped:
        count(RENDERS_SKIPPED)
        logger.debug("render request already covered", extra={"language": language})
        return
    count(RENDERS)
    logger.info("rendered", extra={"language": language, "months": done.months, "written": done.written,
                                   "relinked": done.relinked})


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event, context):
    require_valid_settings()
    return process_partial_response(event=event, record_handler=record_handler, processor=processor,
                                    context=context)
