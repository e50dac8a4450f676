"""Issue 11: ingest keeps one processed object per version (the ninjs copy), not the record JSON beside it;
the publisher rebuilds the record from the version's table item and the ninjs body, with one S3 GET."""
from __future__ import annotations

import boto3

from synd.aws.articles import ArticleStore
from synd.aws.versions import read_version
from synd.ingest import IngestConfig, store_version
from synd.model import content_hash
from synd.publish.publisher import load_article

from tests.unit.publish.publish_samples import make_record


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
    from synd.aws import client
    client("s3").meta.events.register("provide-client-params.s3.GetObject",
                                      lambda params, **kw: gets.append(params["Key"]))
    old = load_article({"article_id": first["id"], "version": 1}, stack.config)
    assert old.record["title"] == first["title"] and old.record["body_text"] == first["body_text"]
    assert old.latest["version"] == 2 and gets == [f"ninjs/{first['id']}/v1.json"]
