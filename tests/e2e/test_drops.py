"""Drops through the whole local stack: S3 -> SQS -> ingest -> DynamoDB/S3 -> publish queue."""
from __future__ import annotations

import hashlib
import json
import os

from synd.aws import reports
from synd.aws.articles import ArticleStore
from synd.aws.versions import read_version

from tests.conftest import SAMPLES
from tests.e2e.conftest import aws_cp

OPENDEMOCRACY = SAMPLES / "opendemocracy" / "003_8c237974b6d2240c.txt"
AFGAZAD = SAMPLES / "afgazad" / "000_afb5d5d29ecc6f79.txt"
OD_TITLE = "While the West focused on Afghanistan, ISIS gained ground in Iraq and beyond"


def articles_by_title(table):
    return {a["title"]: a for a in reports.articles(table)}


def test_samples_become_stored_versioned_articles(stack):
    aws_cp(stack, OPENDEMOCRACY, "incoming/opendemocracy/gopher/While the West (2021).txt")
    aws_cp(stack, AFGAZAD, "incoming/afgazad/2018/03/isis+last gasps.md")
    stack.drain()
    table = os.environ["TABLE_NAME"]
    found = articles_by_title(table)
    assert set(found) >= {OD_TITLE, "ISIS's Last Gasps"}
    od = found[OD_TITLE]
    assert od["version"] == 1 and od["license"]["spdx"] == "CC-BY-ND-4.0" and od["language"] == "en"
    assert od["source"]["key"] == "incoming/opendemocracy/gopher/While the West (2021).txt"
    assert "body_text" not in od  # DynamoDB keeps the metadata; the body lives in the processed bucket
    s3 = stack.client("s3")
    record = read_version(ArticleStore(table), os.environ["PROCESSED_BUCKET"], od["id"], 1).record
    assert "258 troops killed so far" in record["body_text"] and "Sign the petition" not in record["body_text"]
    ninjs = json.loads(s3.get_object(Bucket=os.environ["PROCESSED_BUCKET"], Key=f"ninjs/{od['id']}/v1.json")["Body"].read())
    assert ninjs["headlines"][0]["value"] == OD_TITLE
    # the raw drop is untouched
    raw = s3.get_object(Bucket=os.environ["RAW_BUCKET"], Key="incoming/afgazad/2018/03/isis+last gasps.md")["Body"].read()
    assert raw == AFGAZAD.read_bytes()


def test_the_same_file_twice_gives_one_article_and_one_version(stack):
    table = os.environ["TABLE_NAME"]
    before = articles_by_title(table)[OD_TITLE]
    aws_cp(stack, OPENDEMOCRACY, "incoming/opendemocracy/gopher/While the West (2021).txt")  # same key
    aws_cp(stack, OPENDEMOCRACY, "incoming/opendemocracy/copy-under-another-name.txt")  # same article, new key
    stack.drain()
    after = [a for a in reports.articles(table) if a["title"] == OD_TITLE]
    assert len(after) == 1
    assert after[0]["id"] == before["id"] and after[0]["version"] == 1


def test_changed_content_under_the_same_key_is_a_new_version(stack, tmp_path):
    table = os.environ["TABLE_NAME"]
    before = articles_by_title(table)[OD_TITLE]
    edited = tmp_path / "edited.txt"
    edited.write_text(OPENDEMOCRACY.read_text().replace("with 258 troops killed so far.",
                                                        "with 258 troops killed so far. A correction was added."))
    aws_cp(stack, edited, "incoming/opendemocracy/gopher/While the West (2021).txt")
    stack.drain()
    after = articles_by_title(table)[OD_TITLE]
    assert after["id"] == before["id"]
    assert after["version"] == 2
    versions = stack.client("dynamodb").query(
        TableName=table, KeyConditionExpression="pk = :pk AND begins_with(sk, :v)",
        ExpressionAttributeValues={":pk": {"S": f"ARTICLE#{after['id']}"}, ":v": {"S": "V#"}})["Items"]
    assert len(versions) == 2


def test_a_garbage_file_is_rejected_without_blocking_its_batch(stack, tmp_path):
    garbage = tmp_path / "photo.txt"
    garbage.write_bytes(bytes(range(256)) * 40)
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    aws_cp(stack, garbage, "incoming/afgazad/photo.txt")
    aws_cp(stack, empty, "incoming/afgazad/empty.html")
    aws_cp(stack, AFGAZAD, "incoming/afgazad/again/isis.md")
    aws_cp(stack, AFGAZAD, "incoming/no-partner-folder.md")
    stack.drain()
    table = os.environ["TABLE_NAME"]
    rejected = {d["key"]: d["error"] for d in reports.drops(table, "rejected")}
    assert rejected["incoming/afgazad/photo.txt"]["code"] == "binary"
    assert rejected["incoming/afgazad/empty.html"]["code"] == "empty"
    assert rejected["incoming/no-partner-folder.md"]["code"] == "no_partner"
    assert all(e["message"] for e in rejected.values())
    ingested = {d["key"] for d in reports.drops(table, "ingested")}
    assert "incoming/afgazad/again/isis.md" in ingested


def test_a_message_the_handler_cannot_read_ends_in_the_dlq_and_nothing_else_is_left(stack):
    sqs = stack.client("sqs")
    ingest_queue = stack.functions["IngestFunction"].queue_url
    sqs.send_message(QueueUrl=ingest_queue, MessageBody="this is not an S3 notification")
    aws_cp(stack, AFGAZAD, "incoming/afgazad/third-copy.md")
    stack.drain()
    depths = stack.queue_depths()
    dlq = [name for name, n in depths.items() if n]
    assert len(dlq) == 1 and "Ingest" in dlq[0] and depths[dlq[0]] == 1, depths
    assert "incoming/afgazad/third-copy.md" in {d["key"] for d in reports.drops(os.environ["TABLE_NAME"], "ingested")}
    store = ArticleStore(os.environ["TABLE_NAME"])
    assert store.drop_seen(os.environ["RAW_BUCKET"], "incoming/afgazad/third-copy.md",
                           hashlib.sha256(AFGAZAD.read_bytes()).hexdigest())
