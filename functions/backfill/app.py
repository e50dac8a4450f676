"""Backfill Lambda: one batch of the backfill state machine's Distributed Map -> each object through ingest.

Thin on purpose: decode the ItemBatcher event {"Items": [...], "BatchInput": {...}}, call
synd.backfill.core, report. A bad object (rejected, or a key refused) is counted in the result and
never fails the batch; an item that failed (an AWS error, a bug, no time left) fails the batch
after the others were done, with `BatchIncomplete`, which the state machine retries (the keys
done are duplicates then) and, past its retries, counts against ToleratedFailurePercentage.
The state machine's last step invokes it with {"CatchUp": true, "Waits": n}: once the publish queue
is empty (the backfilled articles' pages and feed entries are written), one render request per
language; before, {"waiting": true} and the state machine waits and asks again (at most
CATCH_UP_MAX_WAITS times, then it asks the renderer anyway).
"""
import json
from functools import lru_cache

from synd.backfill.core import BatchIncomplete, process_batch, publish_backlog, ready_to_catch_up
from synd.budget import invocation_clock
from synd.ingest import IngestConfig
from synd.observability import logger, metrics, require_valid_settings, tracer


@lru_cache(maxsize=1)
def config() -> IngestConfig:
    return IngestConfig.from_env()


def catch_up() -> int:
    """The renderer's catch-up once the map is done (contract 3: synd.render.requests)."""
    from synd.render.requests import send_render_requests

    return send_render_requests()


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event, context):
    require_valid_settings()
    if event.get("CatchUp"):
        backlog = publish_backlog(config().publish_queue_url)
        if not ready_to_catch_up(backlog, int(event.get("Waits") or 0)):
            return {"waiting": True, "publish_backlog": backlog, "render_requests": 0}
        sent = catch_up()
        logger.info("backfill finished: render requests sent", extra={"render_requests": sent,
                                                                       "publish_backlog": backlog})
        return {"waiting": False, "publish_backlog": backlog, "render_requests": sent}
    summary = process_batch(event, config(), remaining=invocation_clock(context)).as_dict()
    logger.info("backfill batch", extra={k: v for k, v in summary.items() if k != "problems"})
    if summary["failed"]:
        raise BatchIncomplete(json.dumps(summary)[:4000])
    return summary
