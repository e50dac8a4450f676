"""The render handler on its FIFO queue: a failed render holds back the rest of its message group.

SQS FIFO delivers a group's messages in order; a handler that reports one failed message and
goes on with the group's later ones lets them overtake it (Powertools' SqsFifoPartialProcessor
with skip_group_on_error is the reference). Other groups (languages) go on. The rendering itself is
replaced by a recorder here: what is under test is the batch contract, not the renderer.
"""
from __future__ import annotations

import json

import pytest

from render import app
from synd.local.runner import LambdaContext
from synd.render.renderer import Rendered
from synd.targets import TargetEnv


def fifo_record(message_id: str, language: str) -> dict:
    return {"messageId": message_id, "receiptHandle": f"rh-{message_id}",
            "body": json.dumps({"type": "site.render", "language": language}),
            "attributes": {"ApproximateReceiveCount": "1", "MessageGroupId": language,
                           "MessageDeduplicationId": message_id, "SequenceNumber": "1"},
            "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
            "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:RenderQueue.fifo", "awsRegion": "us-east-1"}


@pytest.fixture
def rendered(monkeypatch):
    seen: list[str] = []

    def render(language, store, outputs, options, limit=None):
        seen.append(language)
        if language == "fa" and seen.count("fa") == 1:
            raise RuntimeError("S3 said 503")
        return Rendered(language)

    monkeypatch.setattr(app, "environment", lambda: TargetEnv(table_name="table", site_bucket="site"))
    monkeypatch.setattr(app, "render_language", render)
    monkeypatch.setattr(app, "EntryStore", lambda table: None)
    monkeypatch.setattr(app, "SiteOutputs", lambda bucket: None)
    return seen


def test_a_failed_render_holds_back_its_language_and_not_the_others(rendered):
    event = {"Records": [fifo_record("1", "fa"), fifo_record("2", "en"), fifo_record("3", "fa"),
                         fifo_record("4", "en")]}
    response = app.lambda_handler(event, LambdaContext("RenderFunction"))
    assert {f["itemIdentifier"] for f in response["batchItemFailures"]} == {"1", "3"}
    assert rendered == ["fa", "en", "en"]  # the held-back fa request was not rendered out of its turn
