"""A burst of articles in one language through the publish stage and the render function (moto
in-process): a constant number of renders, and a constant number of S3 PUT-class calls per article."""
import importlib
import json
from collections import Counter
from dataclasses import replace

import feedparser
import pytest

from synd import settings
from synd.aws import client
from synd.local.runner import LambdaContext
from synd.publish.publisher import PublishConfig, publish_message
from synd.render.renderer import Rendered

from tests.integration.publish.publish_stack import receive_as_event
from tests.unit.publish.publish_samples import decide_by_target, make_record, target

SITE = target("site", "site", base_url="https://site.example", feed_size=50)
S3_PUT_CLASS = {"PutObject", "CopyObject", "ListObjectsV2", "ListObjects", "CreateMultipartUpload", "UploadPart",
                "CompleteMultipartUpload"}  # PUT, COPY, POST and LIST requests (S3 pricing)


def count_s3_calls():
    """Counts the S3 operations of the synd client (botocore hook, as bench/scale.py counts them)."""
    calls = Counter()
    client("s3").meta.events.register("before-parameter-build.s3.*", lambda model, **_: calls.update([model.name]),
                                      unique_id="burst-s3-calls")
    return calls


@pytest.fixture(autouse=True)
def fresh_settings():
    """The render handler reads the live settings (SYND_CONFIG_TABLE, as in AWS): none cached across tests."""
    settings.reload()
    yield
    settings.reload()


def drain_renders(stack, monkeypatch) -> list[dict]:
    """Run the render function on the FIFO queue, batch after batch, until it is empty; its responses."""
    for name, value in {**stack.environ(), "POWERTOOLS_SERVICE_NAME": "render", "SYND_CONFIG_TABLE": stack.table,
                        "SYND_CONFIG_MAX_AGE": "0"}.items():
        monkeypatch.setenv(name, value)
    app = importlib.import_module("render.app")
    responses = []
    while (event := receive_as_event(stack.sqs, stack.render_queue))["Records"]:
        responses.append(app.lambda_handler(event, LambdaContext("RenderFunction")))
        for record in event["Records"]:
            stack.sqs.delete_message(QueueUrl=stack.render_queue, ReceiptHandle=record["receiptHandle"])
    return responses


def test_a_burst_in_one_language_costs_a_constant_number_of_renders_and_puts(stack, monkeypatch):
    from synd import observability

    articles = 30
    config = PublishConfig(table=stack.table, env=replace(stack.env, render_queue_url=stack.render_queue))
    records = [make_record("fa", salt=f" #{n}", published=f"2018-0{1 + n % 3}-1{n % 10}") for n in range(articles)]
    calls = count_s3_calls()
    page_puts = Counter()
    client("s3").meta.events.register(
        "provide-client-params.s3.PutObject",
        lambda params, **_: page_puts.update([params["Key"]]) if params["Key"].endswith("/index.html") else None,
        unique_id="burst-page-puts")
    for record in records:
        publish_message(stack.put_version(record), config, decide=decide_by_target(), targets=[SITE])
    publishing = sum(n for op, n in calls.items() if op in S3_PUT_CLASS)
    assert not page_puts  # the pages wait in the table for the renderer (synd.render.pages)
    counted = Counter()
    monkeypatch.setattr(observability.metrics, "add_metric",
                        lambda name, unit, value, **_: counted.update({name: value}))
    drain_renders(stack, monkeypatch)
    total = sum(n for op, n in calls.items() if op in S3_PUT_CLASS)
    assert publishing == articles  # the ninjs, nothing else
    assert counted["Renders"] == 1 and counted["RendersSkipped"] == articles - 1
    assert counted["LargestMonthRead"] == 10  # three months of 10, each read whole (RenderMonthSizeAlarm)
    rendering = total - publishing
    assert rendering == articles + 10, calls  # each page once, linked; 3 feeds, index, 3 archives, root, 2 assets
    assert {key: n for key, n in page_puts.items() if key.startswith("articles/")} == \
        {f"articles/{r['id']}/index.html": 1 for r in records}
    ids = {e.id for e in feedparser.parse(stack.text("feeds/fa/rss.xml")).entries}
    assert ids == {r["id"] for r in records}
    archived = "".join(stack.text(f"fa/archive/2018-0{m}.html") for m in (1, 2, 3))
    assert all(f"articles/{r['id']}/index.html" in archived for r in records)


def test_a_catch_up_larger_than_a_pass_goes_on_in_passes_each_asked_for_by_the_last(stack, monkeypatch):
    """A backfill's catch-up (entries written, no render requested) finds every month dirty; the render
    function renders one bounded pass and sends its language's next request, until the language is done."""
    from synd import observability
    from synd.render import renderer
    from synd.render.requests import send_render_requests

    monkeypatch.setattr(renderer, "ENTRIES_PER_PASS", 10)  # each of the 3 months holds 10: a month per pass
    records = [make_record("fa", salt=f" #{n}", published=f"2018-0{1 + n % 3}-1{n % 10}") for n in range(30)]
    config = PublishConfig(table=stack.table, env=replace(stack.env, render_queue_url=stack.render_queue))
    for record in records:
        publish_message(stack.put_version(record), config, decide=decide_by_target(), targets=[SITE])
    stack.sqs.purge_queue(QueueUrl=stack.render_queue)  # as after a backfill: entries and kept pages, no request
    page_puts = Counter()
    client("s3").meta.events.register(
        "provide-client-params.s3.PutObject",
        lambda params, **_: page_puts.update([params["Key"]]) if params["Key"].startswith("articles/") else None,
        unique_id="catch-up-page-puts")
    counted = Counter()
    monkeypatch.setattr(observability.metrics, "add_metric",
                        lambda name, unit, value, **_: counted.update({name: value}))
    monkeypatch.setenv("RENDER_QUEUE_URL", stack.render_queue)
    assert send_render_requests(["fa"]) == 1
    responses = drain_renders(stack, monkeypatch)
    assert len(responses) == 3 and counted["Renders"] == 3  # one pass per month, each asked for by the last
    assert all(response == {"batchItemFailures": []} for response in responses)
    assert page_puts == {f"articles/{r['id']}/index.html": 1 for r in records}  # each page once, linked
    ids = {e.id for e in feedparser.parse(stack.text("feeds/fa/rss.xml")).entries}
    assert ids == {r["id"] for r in records}
    archived = "".join(stack.text(f"fa/archive/2018-0{m}.html") for m in (1, 2, 3))
    assert all(f"articles/{r['id']}/index.html" in archived for r in records)


class CountdownContext(LambdaContext):
    """A Lambda context whose remaining time is read from a list, one value per call: the time as a handler
    sees it at its start, then at each request of the batch."""

    def __init__(self, remaining_ms: list[int]):
        super().__init__("RenderFunction")
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms.pop(0) if len(self.remaining_ms) > 1 else self.remaining_ms[0]


def test_a_request_with_too_little_time_left_asks_for_a_pass_instead_of_starting_one(stack, monkeypatch):
    """With a 10 s Timeout (the fault harness's) the first request renders; the second finds 4 s of 10
    left, under half, and asks for a pass instead. (Fixed shares of the time, not fixed seconds: with
    30 s to start, a 10 s function asked for passes forever and rendered nothing.)"""
    from synd.render.requests import request_render

    for name, value in {**stack.environ(), "POWERTOOLS_SERVICE_NAME": "render", "SYND_CONFIG_TABLE": stack.table,
                        "RENDER_QUEUE_URL": stack.render_queue}.items():
        monkeypatch.setenv(name, value)
    app = importlib.import_module("render.app")
    rendered = []
    monkeypatch.setattr(app, "render_language", lambda *args, **kwargs: rendered.append(args[0]) or Rendered(args[0]))
    request_render("en", "test-late-1", url=stack.render_queue)
    request_render("en", "test-late-2", url=stack.render_queue)
    event = receive_as_event(stack.sqs, stack.render_queue)
    assert len(event["Records"]) == 2
    assert app.lambda_handler(event, CountdownContext([10_000, 9_900, 4_000])) == {"batchItemFailures": []}
    for record in event["Records"]:
        stack.sqs.delete_message(QueueUrl=stack.render_queue, ReceiptHandle=record["receiptHandle"])
    assert rendered == ["en"]
    (asked,) = receive_as_event(stack.sqs, stack.render_queue)["Records"]
    assert json.loads(asked["body"])["language"] == "en"


def test_a_render_request_with_nothing_new_writes_nothing(stack, monkeypatch):
    from synd.render.requests import send_render_requests

    config = PublishConfig(table=stack.table, env=replace(stack.env, render_queue_url=stack.render_queue))
    publish_message(stack.put_version(make_record("en")), config, decide=decide_by_target(), targets=[SITE])
    drain_renders(stack, monkeypatch)
    calls = count_s3_calls()
    monkeypatch.setenv("RENDER_QUEUE_URL", stack.render_queue)
    assert send_render_requests() == 1  # every language with site state: en
    (response,) = drain_renders(stack, monkeypatch)
    assert response == {"batchItemFailures": []} and not calls


def test_a_render_that_fails_is_reported_and_comes_back(stack, monkeypatch):
    """A failing render fails its record (every record here: Powertools raises, and Lambda returns the
    whole batch to the queue, then the DLQ), logged at ERROR and counted RecordsFailed."""
    from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

    from synd import observability
    from synd.render.requests import request_render

    counted = Counter()
    monkeypatch.setattr(observability.metrics, "add_metric",
                        lambda name, unit, value, **_: counted.update({name: value}))
    request_render("en", "test-1", url=stack.render_queue)
    monkeypatch.setenv("SITE_BUCKET", stack.site)
    app = importlib.import_module("render.app")

    def broken_store(language, store, outputs, options, limit=None):  # not a foreign table: the IAM recording sees only the stack's
        raise RuntimeError("the table is unreachable")

    monkeypatch.setattr(app, "render_language", broken_store)
    with pytest.raises(BatchProcessingError):
        app.lambda_handler(receive_as_event(stack.sqs, stack.render_queue), LambdaContext("RenderFunction"))
    assert counted["RecordsFailed"] == 1


def test_the_render_queue_is_provisioned_fifo_with_a_fifo_dead_letter_queue(stack):
    """provision creates the FIFO queue and its DLQ from template.yaml as CloudFormation would (a .fifo name)."""
    attributes = stack.sqs.get_queue_attributes(QueueUrl=stack.render_queue, AttributeNames=["All"])["Attributes"]
    assert stack.render_queue.endswith(".fifo") and attributes["FifoQueue"] == "true"
    dlq_arn = json.loads(attributes["RedrivePolicy"])["deadLetterTargetArn"]
    assert dlq_arn.endswith(".fifo")
    dlq_url = stack.sqs.get_queue_url(QueueName=dlq_arn.rsplit(":", 1)[-1])["QueueUrl"]
    dlq = stack.sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["FifoQueue"])["Attributes"]
    assert dlq["FifoQueue"] == "true"
