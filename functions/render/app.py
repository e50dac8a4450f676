"""Render Lambda: an SQS FIFO batch of `site.render` requests -> the language's feeds, index, archive
pages, its article pages' previous/next links, the root index and the site's assets (synd.render.renderer).

Thin on purpose. The queue's message group is the language, so one invocation at a time renders a
language; a batch holds up to 10 requests, and the first that finds something new renders it all,
the others find it covered and return at once (counted RendersSkipped). A request that fails is
reported in the batch response with the later requests of its language (SqsFifoPartialProcessor,
skip_group_on_error: they keep their order; other languages go on) and comes back (then the DLQ,
with an alarm); rendering again is harmless, since every output is a function of the stored entries.

A render is a pass of bounded work (synd.render.renderer.PassLimit: ENTRIES_PER_PASS entries, and no
new page relinked once less than RESERVE_SHARE of the invocation's time is left: 20 s of the 60 s
Timeout). A pass that leaves work (a catch-up after a large backfill) asks for the next pass of its
language with a render request of its own, once per invocation and language; a later request of the
batch that finds less than START_SHARE of the time left does the same and returns. The first request
of an invocation always has the time to start, so every invocation renders.

A render reads each changed month whole (its archive page lists every entry), so its time and memory
grow with the month: `LargestMonthRead` reports the largest month each render read, and
RenderMonthSizeAlarm fires well before a month is too large for the function (docs/scale.md).
"""
import json
import uuid

from aws_lambda_powertools.utilities.batch import process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from synd.language.tags import is_safe_tag
from synd.observability import ReportingFifoBatchProcessor, count, logger, metrics, require_valid_settings, tracer
from synd.render import renderer
from synd.render.entries import EntryStore
from synd.render.outputs import SiteOutputs
from synd.render.renderer import PassLimit, RenderOptions, render_language
from synd.render.requests import MESSAGE_TYPE, queue_url, request_render
from synd.targets import TargetEnv
from synd.targets.site import render_options_from_settings

RENDERS, RENDERS_SKIPPED = "Renders", "RendersSkipped"
LARGEST_MONTH = "LargestMonthRead"  # entries of the largest month a render read (RenderMonthSizeAlarm)
RESERVE_SHARE = 1 / 3  # of the invocation's time, left by a pass: mark the months, the root index, reply
START_SHARE = 1 / 2  # less than this share left: a request asks for a pass instead of starting one
processor = ReportingFifoBatchProcessor()  # a failed render holds back its language's later requests
_invocation: dict = {"milliseconds": None, "continued": set()}  # its time at the start; languages asked for


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
    if _time_left_below(lambda_context, START_SHARE):
        continue_later(language, options)
        return
    done = render_language(language, EntryStore(env.table_name), SiteOutputs(env.site_bucket), options,
                           pass_limit(lambda_context))
    if done.skipped:
        count(RENDERS_SKIPPED)
        logger.debug("render request already covered", extra={"language": language})
        return
    count(RENDERS)
    count(LARGEST_MONTH, done.largest_month)  # its Maximum: how near a month is to the function's limits
    logger.info("rendered", extra={"language": language, "months": done.months, "written": done.written,
                                   "relinked": done.relinked, "more": done.more,
                                   "largest_month": done.largest_month})
    if done.more:
        continue_later(language, options)


def pass_limit(lambda_context) -> PassLimit:
    return PassLimit(entries=renderer.ENTRIES_PER_PASS,
                     out_of_time=lambda: _time_left_below(lambda_context, RESERVE_SHARE))


def _time_left_below(lambda_context, share: float) -> bool:
    """Whether less than `share` of the invocation's time (as it was when the invocation started) is left."""
    total = _invocation["milliseconds"]
    if lambda_context is None or not total:
        return False
    return lambda_context.get_remaining_time_in_millis() < total * share


def continue_later(language: str, options: RenderOptions) -> None:
    """Ask for another pass of the language (the next message of its group), once per invocation."""
    if language in _invocation["continued"]:
        return
    if not queue_url():
        raise RuntimeError("RENDER_QUEUE_URL must be set: the render queue, for the language's next pass")
    request_render(language, f"pass-{uuid.uuid4().hex}", options.as_message())
    _invocation["continued"].add(language)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event, context):
    _invocation.update(milliseconds=context.get_remaining_time_in_millis() if context else None, continued=set())
    require_valid_settings()
    return process_partial_response(event=event, record_handler=record_handler, processor=processor,
                                    context=context)
