"""Render requests: one SQS FIFO message per change, to the queue named by RENDER_QUEUE_URL.

MessageGroupId is the language, so one renderer per language runs at a time and the languages
render in parallel. MessageDeduplicationId names the change (`<lang>-<month>-<revision>` for an
entry write), so a request sent twice (a retried send, a publish retried after it sent) collapses
into one within SQS's five-minute window, and two different changes never do. A burst still
queues one message per change; the renderer skips those that are already covered (synd.render.renderer).

Without RENDER_QUEUE_URL (tests and tools outside a stack) the site target renders in process instead.
"""
from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable

from synd.aws import client

QUEUE_ENV = "RENDER_QUEUE_URL"
MESSAGE_TYPE = "site.render"


def queue_url() -> str | None:
    return os.environ.get(QUEUE_ENV) or None


def request_render(language: str, change: str, options: dict | None = None, url: str | None = None) -> None:
    """Ask for the language to be rendered after `change` (a name unique to it: the dedup id)."""
    body = {"type": MESSAGE_TYPE, "language": language, **(options or {})}
    client("sqs").send_message(QueueUrl=url or queue_url(), MessageBody=json.dumps(body, sort_keys=True),
                               MessageGroupId=language, MessageDeduplicationId=f"{language}-{change}"[:128])


def send_render_requests(languages: Iterable[str] | None = None) -> int:
    """One render request per language (None: every language that has site state), e.g. once a backfill
    that wrote entries without asking for renders is done; returns the number sent. The renderer takes
    the site options from the live settings for these."""
    url = queue_url()
    if not url:
        raise RuntimeError(f"{QUEUE_ENV} is not set: no render queue to send to")
    if languages is None:
        languages = _site_languages()
    sent = 0
    for language in dict.fromkeys(languages):
        request_render(language, f"catch-up-{uuid.uuid4().hex}", url=url)
        sent += 1
    return sent


def _site_languages() -> list[str]:
    from synd.render.entries import EntryStore

    return EntryStore(os.environ["TABLE_NAME"]).languages()
