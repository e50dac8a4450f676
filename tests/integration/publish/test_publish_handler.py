import json
import time

from tests.integration.publish.publish_stack import SECRET, LambdaContext, receive_as_event
from tests.unit.publish.publish_samples import CC_BY, Receiver, make_record
from synd.aws.deliveries import DeliveryStore
from synd.license.catalog import NOASSERTION


def send(stack, message):
    stack.sqs.send_message(QueueUrl=stack.publish_queue, MessageBody=json.dumps(message))


def test_batch_with_good_bad_and_retrying_records(stack, handler):
    with Receiver(SECRET, {"/in": [503]}) as receiver:
        # the paid webhook on its own path: the targets are delivered in parallel, and the one 503 is the hook's
        app = handler.configure(receiver.url + "/in", paid_url=receiver.url + "/paid")
        retried = stack.put_version(make_record("fa", license=CC_BY))
        broken = {**stack.put_version(make_record("en", license=CC_BY)), "version": 9}  # no such version stored
        fine = stack.put_version(make_record("ps", license=CC_BY))
        for message in (retried, broken, fine):
            send(stack, message)
        event = receive_as_event(stack.sqs, stack.publish_queue)
        response = app.lambda_handler(event, LambdaContext("PublishFunction"))
        ids = {json.loads(r["body"])["article_id"]: r["messageId"] for r in event["Records"]}
        failed = {f["itemIdentifier"] for f in response["batchItemFailures"]}
        assert failed == {ids[retried["article_id"]], ids[broken["article_id"]]}  # 503 -> retry; missing -> error
        # the retried message comes back after its backoff (1 s here); the broken one after the queue's 30 s
        time.sleep(1.5)
        again = receive_as_event(stack.sqs, stack.publish_queue)
        assert [json.loads(r["body"])["article_id"] for r in again["Records"]] == [retried["article_id"]]
        assert app.lambda_handler(again, LambdaContext("PublishFunction"))["batchItemFailures"] == []
    store = DeliveryStore(stack.table)
    for message in (retried, fine):
        rows = {r["target"]: r for r in store.of_article(message["article_id"])}
        assert {t: r["state"] for t, r in rows.items()} == {
            "site": "delivered", "hook": "delivered", "aggregator": "delivered", "translation_desk": "delivered",
            "paid": "delivered"}
    assert {t: r["attempts"] for t, r in {r["target"]: r for r in store.of_article(retried["article_id"])}.items()} \
        == {"site": 1, "hook": 2, "aggregator": 1, "translation_desk": 1, "paid": 1}
    assert sorted(receiver.accepted.values()) == [1, 1, 1, 1]  # hook and paid, two articles, once each
    assert stack.s3.head_object(Bucket=stack.site, Key=f"articles/{retried['article_id']}/index.html")


def test_unlicensed_article_is_withheld_everywhere(stack, handler):
    with Receiver(SECRET) as receiver:
        app = handler.configure(receiver.url + "/in")
        record = make_record("en")
        record["license"] = {"spdx": NOASSERTION, "name": None, "url": None, "derivatives": None, "commercial": None,
                             "share_alike": None, "attribution": None, "source": "none", "evidence": None}
        send(stack, stack.put_version(record))
        response = app.lambda_handler(receive_as_event(stack.sqs, stack.publish_queue), LambdaContext("PublishFunction"))
    assert response["batchItemFailures"] == [] and receiver.calls == []
    rows = DeliveryStore(stack.table).by_state("withheld")
    assert len(rows) == 5 and all("no licence" in r["decision"]["reason"] for r in rows)


def test_other_message_types_are_ignored(stack, handler):
    app = handler.configure("http://127.0.0.1:9/in")
    send(stack, {"type": "something.else"})
    assert app.lambda_handler(receive_as_event(stack.sqs, stack.publish_queue), LambdaContext("PublishFunction")) == \
        {"batchItemFailures": []}


def test_replays_the_sample_event(stack, handler):
    """events/sqs-publish.json, as `sam local generate-event` shapes it, through the real handler."""
    from pathlib import Path

    event = json.loads((Path(__file__).resolve().parents[3] / "events" / "sqs-publish.json").read_text())
    message = json.loads(event["Records"][0]["body"])
    record = {**make_record("en", license=CC_BY), "id": message["article_id"], "version": message["version"]}
    stack.put_version(record)
    app = handler.configure(None)
    assert app.lambda_handler(event, LambdaContext("PublishFunction")) == {"batchItemFailures": []}
    page = stack.text(f"articles/{message['article_id']}/index.html")
    assert '<html lang="en" dir="ltr">' in page
    assert {r["state"] for r in DeliveryStore(stack.table).of_article(message["article_id"])} == {"delivered"}
