"""Issue 11: ingest keeps one processed object per version (the ninjs copy), not the record JSON beside it;
the publisher rebuilds the record from the version's table item and the ninjs body, with one S3 GET."""
from __future__ import annotations

import json

import boto3
import pytest

from synd.aws import client
from synd.aws.articles import ArticleStore
from synd.aws.versions import VersionMissing, read_version
from synd.ingest import IngestConfig, store_version
from synd.model import content_hash
from synd.publish.publisher import load_article

from tests.integration.publish.publish_stack import LambdaContext, receive_as_event
from tests.unit.publish.publish_samples import CC_BY, make_record


def _ingest(stack, record):
    config = IngestConfig(table=stack.table, processed_bucket=stack.processed, publish_queue_url=stack.publish_queue)
    record = dict(record)
    record.pop("version", None)
    record["content_hash"] = content_hash(record)
    store_version(record, ArticleStore(stack.table), config)
    return record  # store_version adds version, stored_at, first_created and status to it


def test_ingest_writes_only_the_ninjs_copy_and_the_record_reads_back_whole(stack):
    records = [_ingest(stack, make_record(lang)) for lang in ("fa", "ps", "en")]
    keys = [o["Key"] for o in boto3.client("s3", region_name="us-east-1")
            .list_objects_v2(Bucket=stack.processed).get("Contents", [])]
    assert sorted(keys) == sorted(f"ninjs/{r['id']}/v1.json" for r in records)
    for record in records:
        assert read_version(ArticleStore(stack.table), stack.processed, record["id"], 1).record == record


def test_publishing_reads_one_object_and_an_older_version_from_its_own_item(stack):
    first = make_record("en", salt=" same", version=1)
    second = {**first, "title": "A new title", "version": 2}
    stack.put_version(first)
    stack.put_version(second)
    gets = []

    def count_get(params, **_):
        gets.append(params["Key"])

    events = client("s3").meta.events
    events.register("provide-client-params.s3.GetObject", count_get)
    try:
        old = load_article({"article_id": first["id"], "version": 1}, stack.config)
    finally:
        events.unregister("provide-client-params.s3.GetObject", count_get)
    assert old.record["title"] == first["title"] and old.record["body_text"] == first["body_text"]
    assert old.latest["version"] == 2 and gets == [f"ninjs/{first['id']}/v1.json"]


def test_a_version_whose_ninjs_copy_is_gone_fails_naming_the_missing_object(stack, handler):
    """The text of a version lives only in its ninjs copy: if that object is gone (a lifecycle rule, a
    mistaken delete), publishing says which object, and the message goes back to the queue (then the DLQ)."""
    message = stack.put_version(make_record("en", license=CC_BY))
    key = f"ninjs/{message['article_id']}/v{message['version']}.json"
    stack.s3.delete_object(Bucket=stack.processed, Key=key)
    with pytest.raises(VersionMissing, match=f"s3://{stack.processed}/{key} .* is missing"):
        load_article(message, stack.config)

    app = handler.configure(None)
    fine = stack.put_version(make_record("fa", license=CC_BY))
    for sent in (message, fine):
        stack.sqs.send_message(QueueUrl=stack.publish_queue, MessageBody=json.dumps(sent))
    event = receive_as_event(stack.sqs, stack.publish_queue)
    response = app.lambda_handler(event, LambdaContext("PublishFunction"))
    ids = {json.loads(r["body"])["article_id"]: r["messageId"] for r in event["Records"]}
    assert [f["itemIdentifier"] for f in response["batchItemFailures"]] == [ids[message["article_id"]]]
    assert stack.s3.head_object(Bucket=stack.site, Key=f"articles/{fine['article_id']}/index.html")
    assert not stack.s3.list_objects_v2(Bucket=stack.site, Prefix=f"articles/{message['article_id']}/") \
        .get("KeyCount")
