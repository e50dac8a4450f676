"""Issue 11.2, keys that spread: the table's GSI holds only what operators query, on sharded keys,
with a small projection; transactions carry a ClientRequestToken; drop records expire; `synd status`
answers with queries (no Scan, no query per article)."""
import json
import time

import pytest

from synd.aws import client
from synd.aws.articles import ArticleStore
from synd.aws.deliveries import DeliveryStore
from synd.aws import index
from synd.cli import build_parser
from synd.commands import status
from tests.integration.publish.publish_stack import SECRET, LambdaContext, receive_as_event
from tests.unit.publish.publish_samples import CC_BY, Receiver, make_record

LABELS = {"partner": "afgazad", "language": "fa"}


def index_items(table):
    """Everything in the GSI (a Scan of the index: only the test looks at it whole)."""
    pages = client("dynamodb").get_paginator("scan").paginate(TableName=table, IndexName=index.INDEX)
    return [item for page in pages for item in page.get("Items", [])]


def ingest(stack, records, rejected=()):
    """What synd.ingest writes for each record: the version (a transaction), enqueued, its drop record."""
    articles = ArticleStore(stack.table)
    for record in records:
        saved = articles.save_version(dict(record))
        articles.mark_enqueued(record["id"], saved.version)
        articles.record_drop("raw", record["source"]["key"], record["content_hash"], state="ingested",
                             partner=record["partner"], article_ids=[record["id"]])
    for key in rejected:
        articles.record_drop("raw", key, "etag:x", state="rejected", partner="afgazad",
                             error={"code": "empty", "message": "no text"})


def publish(stack, app, records):
    for record in records:
        stack.sqs.send_message(QueueUrl=stack.publish_queue, MessageBody=json.dumps(stack.put_version(record)))
    while True:
        event = receive_as_event(stack.sqs, stack.publish_queue)
        if not event["Records"]:
            return
        assert app.lambda_handler(event, LambdaContext("PublishFunction"))["batchItemFailures"] == []


def records(n, partner="afgazad"):
    return [make_record(("fa", "en", "ps")[i % 3], salt=f" [{partner} {i}]", license=CC_BY, partner=partner)
            for i in range(n)]


def test_ingested_and_delivered_articles_leave_only_their_listing_entry_in_the_index(stack, handler):
    """Before: every drop, article and delivery record was in the index (projection ALL)."""
    written = records(6)
    ingest(stack, written, rejected=["incoming/afgazad/empty.md"])
    with Receiver(SECRET) as receiver:
        publish(stack, handler.configure(receiver.url + "/in"), written)
    assert {r["state"] for r in DeliveryStore(stack.table).of_article(written[0]["id"])} == {"delivered"}
    kinds = sorted(item[index.PK]["S"].split("#")[0] for item in index_items(stack.table))
    assert kinds == ["DROP"] + ["LATEST"] * 6  # the rejected drop and one listing entry per article


def test_a_failing_target_indexes_only_its_failed_deliveries(stack, handler):
    written = records(3)
    ingest(stack, written)
    with Receiver(SECRET, {"/in": [400] * 10}) as receiver:
        publish(stack, handler.configure(receiver.url + "/in"), written)
    deliveries = [item for item in index_items(stack.table) if item[index.PK]["S"].startswith("DELIVERY#")]
    assert sorted({item["target"]["S"] for item in deliveries}) == ["hook", "paid"]
    assert {item["state"]["S"] for item in deliveries} == {"failed"}
    assert len(DeliveryStore(stack.table).by_state("failed")) == 6


def test_a_burst_of_one_kind_spreads_over_the_shards(stack):
    store = DeliveryStore(stack.table)
    for n in range(64):
        attempt = store.claim(f"article-{n}", "hook", 1, **LABELS)
        store.finish(f"article-{n}", "hook", 1, "failed", token=attempt.token, last_error="HTTP 400", **LABELS)
    keys = [item[index.PK]["S"] for item in index_items(stack.table)]
    assert len(keys) == 64 and all(k.startswith("DELIVERY#failed#") for k in keys)
    assert len(set(keys)) >= index.SHARDS * 3 // 4  # 64 ids over 16 shards: nearly every shard is used
    assert len(store.by_state("failed", "hook")) == 64


def test_a_delivery_leaves_the_index_when_it_leaves_a_queried_state(stack):
    store = DeliveryStore(stack.table)
    attempt = store.claim("a1", "hook", 1, **LABELS)
    assert [row["article_id"] for row in store.by_state("pending")] == ["a1"]
    store.finish("a1", "hook", 1, "failed", token=attempt.token, last_error="HTTP 400", **LABELS)
    assert store.by_state("pending") == [] and len(store.by_state("failed")) == 1
    again = store.claim("a1", "hook", 1, redrive=True, **LABELS)
    store.finish("a1", "hook", 1, "delivered", token=again.token, **LABELS)
    record = store.get("a1", "hook", 1)
    assert record["state"] == "delivered" and index.PK not in record and index.SK not in record
    assert index_items(stack.table) == []
    for _ in range(3):
        store.note_failure("hook", "HTTP 503", pause_after=3)
    assert [p["target"] for p in store.paused_targets()] == ["hook"]
    store.resume("hook")
    assert index_items(stack.table) == []


def test_delivered_deliveries_are_not_indexed_and_say_so(stack):
    with pytest.raises(ValueError, match="not indexed"):
        DeliveryStore(stack.table).by_state("delivered")


def test_the_version_transaction_carries_a_token_from_the_version_it_writes(stack):
    sent = []
    ddb = client("dynamodb")
    ddb.meta.events.register("provide-client-params.dynamodb.TransactWriteItems",
                             lambda params, **_: sent.append(params.get("ClientRequestToken")))
    record = make_record("en", license=CC_BY)
    store = ArticleStore(stack.table)
    store.save_version(dict(record))
    store.save_version(dict(record, content_hash="another", title="Changed"))
    first, second = sent
    assert first and second and first != second and len(first) <= 36
    assert first == ArticleStore.request_token(record["id"], 1, record["content_hash"])  # the same on a retry
    assert second == ArticleStore.request_token(record["id"], 2, "another")


def test_drop_records_carry_the_ttl_the_template_declares_and_articles_do_not(stack):
    written = records(1)
    ingest(stack, written, rejected=["incoming/afgazad/empty.md"])
    items = [item for page in client("dynamodb").get_paginator("scan").paginate(TableName=stack.table)
             for item in page["Items"]]
    drops = [i for i in items if i["pk"]["S"].startswith("DROP#")]
    assert len(drops) == 2
    year = 365 * 86400
    for drop in drops:
        assert abs(int(drop["expires_at"]["N"]) - (time.time() + year)) < 120
    assert all("expires_at" not in i for i in items if not i["pk"]["S"].startswith("DROP#"))


def test_status_answers_with_queries_not_a_scan_nor_a_query_per_article(stack, handler, capsys, monkeypatch):
    monkeypatch.setenv("SYND_CONFIG_TABLE", stack.table)  # status reads the live targets; undone after the test
    written = records(5) + records(2, partner="tiny-partner")
    ingest(stack, written, rejected=["incoming/afgazad/empty.md"])
    with Receiver(SECRET) as receiver:
        publish(stack, handler.configure(receiver.url + "/in"), written)
    calls = []
    ddb = client("dynamodb")
    ddb.meta.events.register("provide-client-params.dynamodb.*",
                             lambda params, model, **_: calls.append((model.name, params)))
    capsys.readouterr()  # the functions' log lines so far
    args = build_parser([status]).parse_args(["status", "--table", stack.table, "--json"])
    assert args._run(args) == 0
    operations = [name for name, _ in calls]
    assert "Scan" not in operations and set(operations) <= {"Query", "BatchGetItem", "GetItem"}
    assert all(params["Key"]["pk"]["S"].startswith("CONFIG#") for name, params in calls if name == "GetItem")
    assert all(params.get("IndexName") == index.INDEX for name, params in calls if name == "Query")
    assert operations.count("Query") == 2 * index.SHARDS  # the listing shards and the rejected-drop shards
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {line["record"] for line in lines} == {"article", "rejected_drop"}  # each line says what it is
    articles = [line for line in lines if line["record"] == "article"]
    assert sorted(a["id"] for a in articles) == sorted(r["id"] for r in written)
    assert all(a["deliveries"]["site"] == "delivered" and a["deliveries"]["hook"] == "delivered" for a in articles)
    [rejected] = [line for line in lines if line["record"] == "rejected_drop"]
    assert (rejected["key"], rejected["partner"]) == ("incoming/afgazad/empty.md", "afgazad") and rejected["code"]
    args = build_parser([status]).parse_args(["status", "--table", stack.table, "--json", "--partner", "tiny-partner"])
    assert args._run(args) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    # --partner filters both lists: afgazad's rejected drop is not tiny-partner's
    assert [(line["record"], line["partner"]) for line in lines] == [("article", "tiny-partner")] * 2


def test_reindex_gives_items_written_before_the_index_their_keys(stack):
    """docs/deploy.md's migration: items of a queried state written by the old code get gsi2pk once."""
    ddb = client("dynamodb")
    store = DeliveryStore(stack.table)
    attempt = store.claim("old", "hook", 1, **LABELS)
    store.finish("old", "hook", 1, "failed", token=attempt.token, last_error="HTTP 400", **LABELS)
    ddb.update_item(TableName=stack.table, Key={"pk": {"S": "ARTICLE#old"}, "sk": {"S": "DELIVERY#hook#V#000001"}},
                    UpdateExpression=f"REMOVE {index.PK}, {index.SK}")  # as the old code left it
    assert store.by_state("failed") == []
    assert index.reindex(stack.table) == {"scanned": 1, "indexed": 1, "already": 0}
    assert [row["article_id"] for row in store.by_state("failed")] == ["old"]
    assert index.reindex(stack.table)["already"] == 1
