"""The ingest Lambda handler on moto in-process: the events it gets, what it stores, what it refuses."""
from __future__ import annotations

import copy
import json
import os

import boto3
import pytest
from ingest import app

from synd.aws import reports
from synd.aws.articles import ArticleStore
from synd.aws.versions import read_version
from synd.local.runner import LambdaContext

from tests.conftest import SAMPLES, load_event
from tests.integration.publish.publish_stack import receive_as_event

OD_SAMPLE = SAMPLES / "opendemocracy" / "003_8c237974b6d2240c.txt"
OD_KEY = "incoming/opendemocracy/feeds/While the West, ISIS (2021).txt"  # what events/sqs-s3-put.json names


def invoke(event):
    app.config.cache_clear()
    return app.lambda_handler(event, LambdaContext("IngestFunction"))


def notifications(queue_url):
    """The messages moto's S3 notifications put on the ingest queue, as a Lambda SQS event."""
    return receive_as_event(boto3.client("sqs"), queue_url)


def publish_messages(stack):
    sqs = boto3.client("sqs")
    got = sqs.receive_message(QueueUrl=stack.url("PublishQueue"), MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in got]


def put(key, body):
    boto3.client("s3").put_object(Bucket=os.environ["RAW_BUCKET"], Key=key, Body=body)


def test_the_sample_event_with_an_encoded_key_is_ingested(aws_stack):
    put(OD_KEY, OD_SAMPLE.read_bytes())
    event = load_event("sqs-s3-put.json")
    event["Records"][0]["body"] = event["Records"][0]["body"].replace("synd-local-raw-123456789012",
                                                                      os.environ["RAW_BUCKET"])
    assert invoke(event) == {"batchItemFailures": []}
    [article] = reports.articles(os.environ["TABLE_NAME"])
    assert article["source"]["key"] == OD_KEY
    assert article["license"]["spdx"] == "CC-BY-ND-4.0" and article["version"] == 1
    [message] = publish_messages(aws_stack)
    assert message["type"] == "article.version" and message["article_id"] == article["id"]
    stored = read_version(ArticleStore(os.environ["TABLE_NAME"]), os.environ["PROCESSED_BUCKET"], article["id"], 1)
    assert stored.record["version"] == 1 and stored.record["body_text"].endswith("with 258 troops killed so far.")


def test_moto_notifications_at_least_once_give_one_version_and_one_publish_message(aws_stack):
    put("incoming/afgazad/isis.md", (SAMPLES / "afgazad" / "000_afb5d5d29ecc6f79.txt").read_bytes())
    event = notifications(aws_stack.url("IngestQueue"))
    assert len(event["Records"]) >= 1
    assert invoke(event)["batchItemFailures"] == []
    assert invoke(copy.deepcopy(event))["batchItemFailures"] == []  # delivered again
    [article] = reports.articles(os.environ["TABLE_NAME"])
    assert article["version"] == 1
    assert len(publish_messages(aws_stack)) == 1
    [drop] = reports.drops(os.environ["TABLE_NAME"], "ingested")
    assert drop["article_ids"] == [article["id"]]


def test_test_event_is_dropped_quietly(aws_stack):
    assert invoke(load_event("sqs-s3-test-event.json")) == {"batchItemFailures": []}
    assert reports.articles(os.environ["TABLE_NAME"]) == []


def test_one_bad_record_does_not_fail_its_batch(aws_stack):
    put("incoming/afgazad/isis.md", (SAMPLES / "afgazad" / "000_afb5d5d29ecc6f79.txt").read_bytes())
    event = notifications(aws_stack.url("IngestQueue"))
    event["Records"].append({**event["Records"][0], "messageId": "poison", "body": "{not json"})
    response = invoke(event)
    assert response == {"batchItemFailures": [{"itemIdentifier": "poison"}]}
    assert len(reports.articles(os.environ["TABLE_NAME"])) == 1


@pytest.mark.parametrize("body, code", [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary"),
    (b"\x1f\x8b\x08\x00\x00\x00\x00\x00" + bytes(300), "compressed"),
])
def test_bad_drops_get_a_rejected_record_and_a_metric(aws_stack, capsys, body, code):
    put("incoming/afgazad/bad-file", body)
    assert invoke(notifications(aws_stack.url("IngestQueue")))["batchItemFailures"] == []
    [drop] = reports.drops(os.environ["TABLE_NAME"], "rejected")
    assert drop["error"]["code"] == code and drop["error"]["message"]
    emf = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    rejections = [m for m in emf if "DropsRejected" in m]
    assert rejections and rejections[0]["reason"] == code


def test_an_oversize_drop_is_refused_before_it_is_read(aws_stack):
    event = load_event("sqs-s3-put.json")
    body = json.loads(event["Records"][0]["body"])
    body["Records"][0]["s3"]["bucket"]["name"] = os.environ["RAW_BUCKET"]
    body["Records"][0]["s3"]["object"]["size"] = 50 * 1024 * 1024
    event["Records"][0]["body"] = json.dumps(body)
    assert invoke(event)["batchItemFailures"] == []  # nothing was even fetched: the object does not exist
    [drop] = reports.drops(os.environ["TABLE_NAME"], "rejected")
    assert drop["error"]["code"] == "too_large" and "52,428,800" in drop["error"]["message"]


def test_a_vanished_object_is_recorded_not_retried(aws_stack):
    event = load_event("sqs-s3-put.json")
    event["Records"][0]["body"] = event["Records"][0]["body"].replace("synd-local-raw-123456789012",
                                                                      os.environ["RAW_BUCKET"])
    assert invoke(event)["batchItemFailures"] == []
    [drop] = reports.drops(os.environ["TABLE_NAME"], "rejected")
    assert drop["error"]["code"] == "not_found"


def test_a_failed_record_logs_one_error_with_its_correlation_id_and_counts_a_metric(aws_stack, capsys):
    """Issue 9.7: 166 injected faults gave 0 ERROR lines from ingest, and no metric an alarm could watch."""
    import io

    from botocore.exceptions import EndpointConnectionError

    from synd import observability
    from synd.aws import client

    log = io.StringIO()
    previous = observability.logger.registered_handler.setStream(log)  # the Logger keeps the stream it was made with

    put("incoming/afgazad/isis.md", (SAMPLES / "afgazad" / "000_afb5d5d29ecc6f79.txt").read_bytes())
    event = notifications(aws_stack.url("IngestQueue"))
    [drop_message] = [r["messageId"] for r in event["Records"] if '"Records"' in r["body"]]  # not the TestEvent

    def unreachable(**_):
        raise EndpointConnectionError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com")

    client("dynamodb").meta.events.register("before-call.dynamodb.TransactWriteItems", unreachable,
                                            unique_id="test-unreachable")
    try:
        response = invoke(event)
    finally:
        client("dynamodb").meta.events.unregister("before-call.dynamodb.TransactWriteItems",
                                                  unique_id="test-unreachable")
        observability.logger.registered_handler.setStream(previous)
    assert response["batchItemFailures"] == [{"itemIdentifier": drop_message}]
    lines = [json.loads(line) for line in (log.getvalue() + capsys.readouterr().out).splitlines()
             if line.startswith("{")]
    errors = [line for line in lines if line.get("level") == "ERROR"]
    assert len(errors) == 1
    [error] = errors
    assert error["message"] == "record failed" and error["correlation_id"] == \
        f"s3://{os.environ['RAW_BUCKET']}/incoming/afgazad/isis.md"
    assert "EndpointConnectionError" in error["exception"] and error["message_id"] == drop_message
    emf = [line for line in lines if "_aws" in line and "RecordsFailed" in line]
    assert emf and emf[0]["RecordsFailed"] in (1, [1.0], 1.0) and emf[0]["service"]


def _capture_logs():
    import io

    from synd import observability

    log = io.StringIO()
    previous = observability.logger.registered_handler.setStream(log)
    return log, lambda: observability.logger.registered_handler.setStream(previous)


def test_a_drop_that_would_outrun_the_invocation_is_deferred_not_refused(aws_stack):
    """Issue 9.4: the parse budget is cut to what the invocation has left; a drop that runs out of a
    cut budget comes back to a fresh invocation (it did nothing wrong), with no rejection recorded."""
    from synd.local.runner import LambdaContext as Context

    put("incoming/afgazad/isis.md", (SAMPLES / "afgazad" / "000_afb5d5d29ecc6f79.txt").read_bytes())
    event = notifications(aws_stack.url("IngestQueue"))
    [drop_message] = [r["messageId"] for r in event["Records"] if '"Records"' in r["body"]]
    log, restore = _capture_logs()
    try:
        app.config.cache_clear()
        response = app.lambda_handler(event, Context("IngestFunction", timeout_seconds=3))  # < the reserve
    finally:
        restore()
    assert response["batchItemFailures"] == [{"itemIdentifier": drop_message}]
    assert reports.drops(os.environ["TABLE_NAME"], "rejected") == []
    lines = [json.loads(line) for line in log.getvalue().splitlines()]
    assert [line["message"] for line in lines if line["level"] in ("WARNING", "ERROR")] == ["record deferred"]
    assert invoke(event)["batchItemFailures"] == []  # a fresh invocation has the whole budget
    assert len(reports.articles(os.environ["TABLE_NAME"])) == 1


def test_a_drop_that_outruns_its_own_budget_is_refused_as_too_slow(aws_stack, monkeypatch):
    from synd import ingest
    from synd.settings import PartnerSettings

    monkeypatch.setattr(ingest, "partner_settings", lambda pid: PartnerSettings(id=pid, parse_budget_seconds=1e-9))
    put("incoming/afgazad/isis.md", (SAMPLES / "afgazad" / "000_afb5d5d29ecc6f79.txt").read_bytes())
    assert invoke(notifications(aws_stack.url("IngestQueue")))["batchItemFailures"] == []
    [drop] = reports.drops(os.environ["TABLE_NAME"], "rejected")
    assert drop["error"]["code"] == "too_slow" and "budget" in drop["error"]["message"]
