"""Issue 9.1 and 9.2 on the ingest handler (moto in-process): an article belongs to its partner, and an
older object version processed late never becomes the latest.

moto's notifications carry neither `versionId` nor `sequencer`; AWS's do, so these tests build
AWS-shaped notifications from the bucket's real object versions (tests/aws_shapes.py).
"""
from __future__ import annotations

import json
import os
import time

import boto3
from ingest import app

from synd.aws import reports
from synd.aws.articles import ArticleStore
from synd.aws.versions import read_version
from synd.ingest import ninjs_key
from synd.local.runner import LambdaContext

from tests.aws_shapes import notifications_for_key, sqs_event

PAGE = """<!doctype html><html lang="en"><head><title>{title}</title>
<link rel="canonical" href="https://news.example.org/2026/story-1">
<meta name="author" content="{author}"></head><body><article><h1>{title}</h1>
<p>{body}</p><p>Second paragraph of the story, told at length so that it is article text and not chrome.
It goes on to say what happened, where and when, and who said what about it afterwards.</p>
<p>This work is licensed under {licence}.</p></article></body></html>"""


def page(title, body, author="Ada Writer", licence="a Creative Commons Attribution 4.0 International License"):
    return PAGE.format(title=title, body=body, author=author, licence=licence).encode()


def invoke(event):
    app.config.cache_clear()
    return app.lambda_handler(event, LambdaContext("IngestFunction"))


def drain_ingest_queue(stack):
    """moto's own notifications of the puts: taken off the queue so the test alone decides what is delivered."""
    sqs = boto3.client("sqs")
    while True:
        got = sqs.receive_message(QueueUrl=stack.url("IngestQueue"), MaxNumberOfMessages=10).get("Messages", [])
        if not got:
            return
        for message in got:
            sqs.delete_message(QueueUrl=stack.url("IngestQueue"), ReceiptHandle=message["ReceiptHandle"])


def put(key, body):
    boto3.client("s3").put_object(Bucket=os.environ["RAW_BUCKET"], Key=key, Body=body)


def stored_text(article):
    """The stored version's text, rebuilt as the publisher reads it (table item + ninjs copy)."""
    store = ArticleStore(os.environ["TABLE_NAME"])
    return read_version(store, os.environ["PROCESSED_BUCKET"], article["id"], article["version"]).record["body_text"]


def test_another_partners_canonical_url_makes_a_related_article_not_a_new_version(aws_stack):
    put("incoming/partner-a/story.html", page("The original story", "Partner A wrote this first paragraph."))
    put("incoming/partner-b/copy.html", page("A hostile copy", "Partner B replaced the text of the story.",
                                             author="Mallory", licence="a CC0 1.0 Universal dedication"))
    bucket = os.environ["RAW_BUCKET"]
    events = [n for key in ("incoming/partner-a/story.html", "incoming/partner-b/copy.html")
              for n in notifications_for_key(boto3.client("s3"), bucket, key)]
    drain_ingest_queue(aws_stack)
    assert invoke(sqs_event(events))["batchItemFailures"] == []

    articles = {a["partner"]: a for a in reports.articles(os.environ["TABLE_NAME"])}
    assert set(articles) == {"partner-a", "partner-b"}
    mine, theirs = articles["partner-a"], articles["partner-b"]
    assert mine["id"] != theirs["id"]
    assert mine["version"] == 1 and mine["title"] == "The original story" and mine["authors"] == ["Ada Writer"]
    assert mine["license"]["spdx"] == "CC-BY-4.0" and theirs["license"]["spdx"] == "CC0-1.0"
    assert "Partner A wrote" in stored_text(mine)
    assert mine["story_id"] == theirs["story_id"]
    related = ArticleStore(os.environ["TABLE_NAME"]).story(mine["story_id"])
    assert {(r["article_id"], r["partner"]) for r in related} == {(mine["id"], "partner-a"),
                                                                  (theirs["id"], "partner-b")}


def test_an_older_version_processed_after_a_newer_one_is_superseded(aws_stack):
    key = "incoming/partner-a/story.html"
    put(key, page("The story", "First draft of the first paragraph."))
    put(key, page("The story", "Corrected text of the first paragraph."))
    first, second = notifications_for_key(boto3.client("s3"), os.environ["RAW_BUCKET"], key)
    drain_ingest_queue(aws_stack)

    assert invoke(sqs_event([second]))["batchItemFailures"] == []
    assert invoke(sqs_event([first]))["batchItemFailures"] == []  # late, and out of order
    assert invoke(sqs_event([second, first]))["batchItemFailures"] == []  # and both once more

    [article] = reports.articles(os.environ["TABLE_NAME"])
    assert article["version"] == 1
    assert "Corrected text" in stored_text(article)
    states = {d["source"]["version_id"]: d["state"]
              for state in ("ingested", "superseded") for d in reports.drops(os.environ["TABLE_NAME"], state)}
    v1, v2 = (json.loads(json.dumps(n))["Records"][0]["s3"]["object"]["versionId"] for n in (first, second))
    assert states == {v2: "ingested", v1: "superseded"}


def test_in_order_versions_still_make_new_versions(aws_stack):
    key = "incoming/partner-a/story.html"
    put(key, page("The story", "First draft of the first paragraph."))
    put(key, page("The story", "Corrected text of the first paragraph."))
    first, second = notifications_for_key(boto3.client("s3"), os.environ["RAW_BUCKET"], key)
    drain_ingest_queue(aws_stack)
    invoke(sqs_event([first]))
    invoke(sqs_event([second]))
    [article] = reports.articles(os.environ["TABLE_NAME"])
    assert article["version"] == 2 and "Corrected text" in stored_text(article)


def test_the_same_article_under_an_older_key_is_superseded_by_last_modified(aws_stack):
    """Two keys of one partner name one article: without a shared sequencer the object's LastModified orders them."""
    put("incoming/partner-a/2026-11-30/story.html", page("The story", "Yesterday's text of the paragraph."))
    time.sleep(1.1)  # S3's LastModified counts whole seconds
    put("incoming/partner-a/2026-12-01/story.html", page("The story", "Today's text of the paragraph."))
    s3, bucket = boto3.client("s3"), os.environ["RAW_BUCKET"]
    [old] = notifications_for_key(s3, bucket, "incoming/partner-a/2026-11-30/story.html")
    [new] = notifications_for_key(s3, bucket, "incoming/partner-a/2026-12-01/story.html")
    drain_ingest_queue(aws_stack)
    invoke(sqs_event([new]))
    invoke(sqs_event([old]))
    [article] = reports.articles(os.environ["TABLE_NAME"])
    assert article["version"] == 1 and "Today's text" in stored_text(article)


def test_a_partners_ninjs_with_pubstatus_canceled_withdraws_its_article(aws_stack):
    """Issue 10: the partner-side withdrawal, as IPTC ninjs says it: the article's uri, pubStatus canceled."""
    put("incoming/partner-a/story.html", page("The original story", "Partner A wrote this first paragraph."))
    s3, bucket = boto3.client("s3"), os.environ["RAW_BUCKET"]
    drain_ingest_queue(aws_stack)
    invoke(sqs_event(notifications_for_key(s3, bucket, "incoming/partner-a/story.html")))
    kill = {"uri": "https://news.example.org/2026/story-1", "pubStatus": "canceled", "type": "text",
            "edNote": "Withdrawn at the author's request.", "headlines": [{"role": "main", "value": "The original story"}],
            "versionCreated": "2026-12-01T10:00:00Z"}
    put("incoming/partner-a/kill.json", json.dumps(kill).encode())
    drain_ingest_queue(aws_stack)
    assert invoke(sqs_event(notifications_for_key(s3, bucket, "incoming/partner-a/kill.json")))["batchItemFailures"] == []
    [article] = reports.articles(os.environ["TABLE_NAME"])
    assert article["version"] == 2 and article["pub_status"] == "canceled"
    assert article["withdrawal"]["reason"] == "Withdrawn at the author's request." and article["withdrawal"]["by"] == "partner"
    assert article["status"]["state"] == "withdrawn"
    assert article["title"] == "The original story" and article["language"] == "en"  # kept from version 1
    assert article["license"]["spdx"] == "CC-BY-4.0"
    assert stored_text(article) == ""
    messages = boto3.client("sqs").receive_message(QueueUrl=aws_stack.url("PublishQueue"), MaxNumberOfMessages=10)
    assert sorted(json.loads(m["Body"])["version"] for m in messages["Messages"]) == [1, 2]


def stored_ninjs(article_id, version):
    key = ninjs_key(article_id, version)
    return json.loads(boto3.client("s3").get_object(Bucket=os.environ["PROCESSED_BUCKET"], Key=key)["Body"].read())


def test_every_version_s_ninjs_says_when_the_article_was_first_created(aws_stack):
    """ninjs 3.1: versionCreated is this version's, firstCreated the first version's; version 2 once had none."""
    key = "incoming/partner-a/story.html"
    put(key, page("The story", "First draft of the first paragraph."))
    put(key, page("The story", "Corrected text of the first paragraph."))
    put(key, page("The story", "Third text of the first paragraph."))
    events = notifications_for_key(boto3.client("s3"), os.environ["RAW_BUCKET"], key)
    drain_ingest_queue(aws_stack)
    for event in events:
        invoke(sqs_event([event]))
    [article] = reports.articles(os.environ["TABLE_NAME"])
    assert article["version"] == 3
    docs = [stored_ninjs(article["id"], version) for version in (1, 2, 3)]
    assert docs[0]["firstCreated"] == docs[0]["versionCreated"]
    assert docs[1]["firstCreated"] == docs[2]["firstCreated"] == docs[0]["versionCreated"]
    assert docs[0]["versionCreated"] <= docs[1]["versionCreated"] <= docs[2]["versionCreated"]
