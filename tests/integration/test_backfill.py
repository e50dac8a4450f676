"""A backfill on moto in-process: the local form (the AWS form's batches through BackfillFunction's
handler) over a prefix with good, bad and duplicate objects, run twice; and `synd backfill`'s
JSON output and exit codes.

`synd.render.requests` (the renderer's, contract 3) is stubbed at the module boundary: the test
counts the calls the backfill makes to it."""
from __future__ import annotations

import json
import os
import sys
import types

import boto3
import pytest

from synd.aws import reports
from synd.backfill import core, local
from synd.backfill.items import Location
from synd.cli import main

ENGLISH = ("The harbour reopened on Friday morning after three days of closure, the port authority said. "
           "Fishing boats returned to the water before dawn, and the ferry to the islands resumed its usual "
           "timetable by noon. Engineers inspected the breakwater and found only minor damage to the outer wall. "
           "Repairs will take about two weeks and will not interrupt traffic, according to the statement. {n}")


def article(n: int) -> bytes:
    return (f"---\ntitle: \"Harbour reopens after the storm, part {n}\"\nauthor: Backfill Desk\n"
            f"date: 2024-03-{1 + n % 28:02d}T10:00:00Z\nlang: en\nlicense: CC-BY-4.0\n"
            f"canonical_url: https://backfill.example/en/{n:06d}\n---\n\n" + ENGLISH.format(n=n) + "\n").encode()


GOOD = {f"backfill/afgazad/2019/{n:03d}.md": article(n) for n in range(4)}
GOOD["backfill/opendemocracy/old/004.md"] = article(4)
DUPLICATE = {"backfill/afgazad/copies/000.md": article(0)}  # the same drop again under another key
BAD_OBJECT = {"backfill/afgazad/2019/broken.bin": b"\x00\x01\x02\x03garbage\xff" * 10}
BAD_KEYS = {"backfill/loose.md": article(90), "backfill/Afgazad/x.md": article(91),
            "backfill/afgazad/../opendemocracy/y.md": article(92)}
FOLDER = {"backfill/afgazad/": b""}


@pytest.fixture
def render_requests(monkeypatch):
    """The renderer's module, stubbed: each call is recorded."""
    calls = []
    stub = types.ModuleType("synd.render.requests")
    stub.send_render_requests = lambda languages=None: calls.append(languages) or 2
    import synd.render  # noqa: F401 - the parent package the stub goes under

    monkeypatch.setitem(sys.modules, "synd.render.requests", stub)
    monkeypatch.setattr(local, "CATCH_UP_POLL_SECONDS", 0)  # nothing drains the publish queue here: no wait
    return calls


def put_all(objects: dict[str, bytes]) -> None:
    s3 = boto3.client("s3")
    for key, body in objects.items():
        s3.put_object(Bucket=os.environ["RAW_BUCKET"], Key=key, Body=body)


def raw_versions() -> list[tuple[str, str, str]]:
    listed = boto3.client("s3").list_object_versions(Bucket=os.environ["RAW_BUCKET"])
    return sorted((v["Key"], v["VersionId"], v["ETag"]) for v in listed.get("Versions", []))


def publish_messages(stack) -> list[dict]:
    sqs, found = boto3.client("sqs"), []
    while True:
        got = sqs.receive_message(QueueUrl=stack.url("PublishQueue"), MaxNumberOfMessages=10).get("Messages", [])
        if not got:
            return found
        for message in got:
            found.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=stack.url("PublishQueue"), ReceiptHandle=message["ReceiptHandle"])


def test_a_prefix_is_backfilled_once_bad_objects_reported_and_the_renderer_asked_once(aws_stack, render_requests):
    put_all({**GOOD, **DUPLICATE, **BAD_OBJECT, **BAD_KEYS, **FOLDER})
    before = raw_versions()
    location = Location(os.environ["RAW_BUCKET"], "backfill/")

    first = local.run_backfill(location, concurrency=2, batch_size=4)

    assert first["objects"] == 11 and first["batches"] == 3
    assert (first["ingested"], first["rejected"], first["bad_key"], first["skipped"], first["failed"]) == (6, 1, 3, 1, 0)
    assert first["articles"] == 6 and first["render_requests"] == 2
    assert {p["kind"] for p in first["problems"]} == {"rejected", "bad_key"}
    assert [p["reason"] for p in first["problems"] if p["kind"] == "rejected"] == ["binary"]
    articles = reports.articles(os.environ["TABLE_NAME"], limit=100)
    assert len(articles) == 5 and all(a["version"] == 1 for a in articles)  # the copy is the same article
    assert {a["partner"] for a in articles} == {"afgazad", "opendemocracy"}
    messages = publish_messages(aws_stack)
    # the copy and its original, in two batches at once, may both queue version 1 (the delivery claims make
    # a repeated message harmless, as for any SQS duplicate); one version per article, all marked backfill
    assert all(m["backfill"] is True for m in messages)
    assert sorted({(m["article_id"], m["version"]) for m in messages}) == sorted((a["id"], 1) for a in articles)
    assert render_requests == [None]  # once, for every language
    [rejected] = reports.drops(os.environ["TABLE_NAME"], "rejected")
    assert rejected["key"] == "backfill/afgazad/2019/broken.bin" and rejected["partner"] == "afgazad"

    again = local.run_backfill(location, concurrency=2, batch_size=4)  # idempotent

    assert (again["duplicate"], again["ingested"], again["articles"]) == (6, 0, 0)
    assert publish_messages(aws_stack) == []
    assert len(reports.articles(os.environ["TABLE_NAME"], limit=100)) == 5
    assert raw_versions() == before  # the raw objects are only read
    assert render_requests == [None, None]


def test_a_failing_object_never_stops_the_others_and_its_batch_is_retried_then_reported(aws_stack, render_requests,
                                                                                         monkeypatch):
    put_all(GOOD)
    real = core.ingest_object
    tries = []

    def flaky(ref, *args, **kwargs):
        if ref.key.endswith("001.md"):
            tries.append(ref.key)
            raise RuntimeError("throttled")
        return real(ref, *args, **kwargs)

    monkeypatch.setattr(core, "ingest_object", flaky)
    monkeypatch.setattr(local, "RETRY_SECONDS", 0)
    report = local.run_backfill(Location(os.environ["RAW_BUCKET"], "backfill/"), concurrency=1, batch_size=10)

    assert report["failed"] == 1 and report["failed_batches"] == 1 and len(tries) == local.ATTEMPTS
    assert report["duplicate"] == 4  # the retries found the others done
    assert [p["key"] for p in report["problems"] if p["kind"] == "failed"] == ["backfill/afgazad/2019/001.md"]
    assert len(reports.articles(os.environ["TABLE_NAME"], limit=100)) == 4
    assert render_requests == [None]


def test_the_handler_fails_the_batch_only_after_every_item_was_tried(aws_stack, render_requests, monkeypatch):
    put_all(GOOD)
    monkeypatch.setattr(core, "ingest_object", lambda ref, *a, **k: (_ for _ in ()).throw(RuntimeError("down")))
    handler = local.load_handler()
    event = {"Items": [{"Key": k, "Size": len(v)} for k, v in GOOD.items()],
             "BatchInput": {"Bucket": os.environ["RAW_BUCKET"], "Prefix": "backfill/", "Partner": ""}}
    with pytest.raises(core.BatchIncomplete) as caught:
        handler(event, local.context())
    assert json.loads(str(caught.value))["failed"] == len(GOOD)


def test_an_object_gone_since_the_listing_is_a_rejected_drop(aws_stack, render_requests):
    event = {"Items": [{"Key": "backfill/afgazad/gone.md", "Size": 10, "Etag": '"abc"'}],
             "BatchInput": {"Bucket": os.environ["RAW_BUCKET"], "Prefix": "backfill/", "Partner": ""}}
    result = local.load_handler()(event, local.context())
    assert (result["rejected"], result["failed"]) == (1, 0)
    assert result["problems"] == [{"kind": "rejected", "key": "backfill/afgazad/gone.md", "reason": "not_found"}]


def test_a_given_partner_takes_every_object_under_the_prefix(aws_stack, render_requests):
    put_all({"archive/2019/a.md": article(7), "archive/b.md": article(8)})
    report = local.run_backfill(Location(os.environ["RAW_BUCKET"], "archive/"), partner="opendemocracy")
    assert report["ingested"] == 2
    assert {a["partner"] for a in reports.articles(os.environ["TABLE_NAME"], limit=100)} == {"opendemocracy"}


def run_cli(capsys, *args) -> tuple[int, dict | str]:
    code = main(["backfill", *args])
    out = capsys.readouterr().out
    try:
        return code, json.loads(out)
    except ValueError:
        return code, out


def test_the_cli_prints_one_json_object_and_says_rejected_with_exit_code_3(aws_stack, render_requests, capsys,
                                                                          monkeypatch, tmp_path):
    monkeypatch.setenv("SYND_LOG_FILE", str(tmp_path / "functions.jsonl"))  # the handler's log lines, not stdout
    bucket = os.environ["RAW_BUCKET"]
    put_all({**GOOD, **BAD_OBJECT})
    code, dry = run_cli(capsys, f"s3://{bucket}/backfill", "--dry-run", "--json")
    assert code == 0 and dry["partners"] == {"afgazad": 5, "opendemocracy": 1} and dry["bad_key"] == 0
    assert reports.articles(os.environ["TABLE_NAME"]) == []  # a dry run ingests nothing

    code, report = run_cli(capsys, f"s3://{bucket}/backfill", "--json", "--concurrency", "2")
    assert code == 3 and report["form"] == "local"
    assert (report["objects"], report["ingested"], report["rejected"], report["failed"]) == (6, 5, 1, 0)
    assert report["render_requests"] == 2 and render_requests == [None]

    code, report = run_cli(capsys, f"s3://{bucket}/backfill/afgazad/2019", "--json", "--partner", "afgazad")
    assert code == 3 and report["duplicate"] == 4 and report["rejected"] == 1  # a rejected drop is tried again

    code, text = run_cli(capsys, f"s3://{bucket}/backfill/opendemocracy")
    assert code == 0 and "1 duplicate" in text
    assert '"backfill batch"' in (tmp_path / "functions.jsonl").read_text()


def test_the_cli_refuses_what_it_cannot_use_with_exit_code_2(aws_stack, capsys, monkeypatch):
    assert main(["backfill", "not-a-url"]) == 2
    assert main(["backfill", f"s3://{os.environ['RAW_BUCKET']}/x", "--partner", "Bad Partner"]) == 2
    assert main(["backfill", f"s3://{os.environ['RAW_BUCKET']}/x", "--concurrency", "0"]) == 2
    monkeypatch.delenv("PUBLISH_QUEUE_URL")
    assert main(["backfill", f"s3://{os.environ['RAW_BUCKET']}/x"]) == 2
    assert "--publish-queue-url" in capsys.readouterr().err


def test_backfilled_articles_are_published_without_render_requests_and_the_renderer_catches_up_once(aws_stack):
    """The whole way, with the real renderer's requests: the publish function delivers the backfilled
    versions (page and feed entry, no render request), and the catch-up waits for it, then asks once."""
    import threading

    from publish import app as publish_app

    from synd.local.runner import LambdaContext
    from tests.integration.publish.publish_stack import receive_as_event

    sqs, render_queue = boto3.client("sqs"), aws_stack.url("RenderQueue")
    sqs.set_queue_attributes(QueueUrl=render_queue, Attributes={"DelaySeconds": "0"})  # as the local stack
    put_all(dict(list(GOOD.items())[:3]))
    publish_app.config.cache_clear()
    report: dict = {}
    backfill = threading.Thread(target=lambda: report.update(
        local.run_backfill(Location(os.environ["RAW_BUCKET"], "backfill/"), concurrency=1)))
    backfill.start()
    published = 0
    while backfill.is_alive() or published < 3:  # the local stack's runner, draining the publish queue
        event = receive_as_event(sqs, aws_stack.url("PublishQueue"))
        if not event["Records"]:
            backfill.join(0.2)
            continue
        assert publish_app.lambda_handler(event, LambdaContext("PublishFunction"))["batchItemFailures"] == []
        for record in event["Records"]:
            sqs.delete_message(QueueUrl=aws_stack.url("PublishQueue"), ReceiptHandle=record["receiptHandle"])
        published += len(event["Records"])
    backfill.join()
    assert report["ingested"] == 3 and published == 3
    requests = sqs.receive_message(QueueUrl=render_queue, MaxNumberOfMessages=10).get("Messages", [])
    assert [json.loads(m["Body"])["language"] for m in requests] == ["en"] and report["render_requests"] == 1
