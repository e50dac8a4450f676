"""Issue 10: withdrawals, corrections and reconsidered decisions, through the publish handler on moto.

An article delivered to the site, a webhook, SNS and EventBridge is withdrawn (`synd withdraw`, or a
partner's ninjs with `pubStatus: canceled`): every target takes it back, once, and the delivery
records say so; a correction is a new version whose note shows on the page and in the ninjs;
`synd reconsider` delivers once what the policy withheld and now allows.
"""
from __future__ import annotations

import json

import boto3
import pytest

from synd.aws.articles import ArticleStore
from synd.aws.deliveries import DeliveryStore
from synd.commands.withdraw import withdraw
from synd.ingest import IngestConfig, store_version
from synd.model import License, content_hash

from tests.integration.publish.publish_stack import SECRET, drain, publish_app, write_config
from tests.unit.publish.publish_samples import CC_BY, Receiver, make_record


def subscribe(stack):
    """An SQS queue on the topic and one on the bus (every synd event): what subscribers would get."""
    sqs = boto3.client("sqs", region_name="us-east-1")
    queues = {}
    for name in ("sns", "bus"):
        url = sqs.create_queue(QueueName=f"sub-{name}")["QueueUrl"]
        queues[name] = (url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"])
    boto3.client("sns", region_name="us-east-1").subscribe(
        TopicArn=stack.topic_arn, Protocol="sqs", Endpoint=queues["sns"][1], Attributes={"RawMessageDelivery": "true"})
    events = boto3.client("events", region_name="us-east-1")
    events.put_rule(Name="all", EventBusName=stack.bus, EventPattern=json.dumps({"source": ["synd.publish"]}))
    events.put_targets(Rule="all", EventBusName=stack.bus, Targets=[{"Id": "q", "Arn": queues["bus"][1]}])

    def types():
        got = {}
        for name, (url, _) in queues.items():
            bodies = [json.loads(m["Body"]) for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
                      .get("Messages", [])]
            got[name] = [b.get("detail-type") or b.get("type") for b in bodies]
        return got

    return types


@pytest.fixture
def world(stack, monkeypatch, tmp_path):
    with Receiver(SECRET) as receiver:
        app = publish_app(stack, write_config(tmp_path / "config", receiver.url + "/in"), monkeypatch)
        config = IngestConfig(table=stack.table, processed_bucket=stack.processed,
                              publish_queue_url=stack.publish_queue)
        yield stack, app, receiver, config


def ingest(config, record):
    record = dict(record)
    record.pop("version", None)
    record["content_hash"] = content_hash(record)
    return store_version(record, ArticleStore(config.table), config)


def test_a_withdrawn_article_is_taken_back_from_every_target_once(world):
    stack, app, receiver, config = world
    events = subscribe(stack)
    record = make_record("fa", license=CC_BY)
    ingest(config, record)
    drain(stack, app)
    article_id = record["id"]
    assert "ماده" in stack.text(f"articles/{article_id}/index.html") or record["title"] in \
        stack.text(f"articles/{article_id}/index.html")
    assert article_id in stack.text("feeds/fa/rss.xml")
    assert events() == {"sns": ["article.published"], "bus": ["article.published"]}

    assert withdraw(article_id, "the partner lost the rights to the photo", config) == {
        "article_id": article_id, "state": "withdrawn", "version": 2}
    assert withdraw(article_id, "again", config)["state"] == "already_withdrawn"
    drain(stack, app)

    page = stack.text(f"articles/{article_id}/index.html")
    assert "این مقاله پس گرفته شده است." in page and "the partner lost the rights" in page
    assert record["body_text"][:40] not in page
    for feed in ("rss.xml", "atom.xml", "feed.json"):
        assert article_id not in stack.text(f"feeds/fa/{feed}"), feed
    assert article_id not in stack.text("fa/index.html")
    ninjs = json.loads(stack.text(f"articles/{article_id}/ninjs.json"))
    assert ninjs["pubStatus"] == "canceled" and "the partner lost the rights" in ninjs["edNote"]

    withdrawals = [c for c in receiver.calls if c["headers"].get("webhook-id", "").endswith(":v2:hook")]
    assert len(withdrawals) == 1 and withdrawals[0]["signed"]
    assert withdrawals[0]["body"]["pubStatus"] == "canceled" and "bodies" not in withdrawals[0]["body"]
    assert withdrawals[0]["headers"]["x-synd-event"] == "article.withdrawn"
    assert events() == {"sns": ["article.withdrawn"], "bus": ["article.withdrawn"]}

    rows = {(r["target"], int(r["version"])): r["state"] for r in DeliveryStore(stack.table).of_article(article_id)}
    assert {t: s for (t, v), s in rows.items() if v == 2} == {
        "site": "withdrawn", "hook": "withdrawn", "aggregator": "withdrawn", "translation_desk": "withdrawn",
        "paid": "withdrawn"}
    latest = ArticleStore(stack.table).latest(article_id)
    assert latest["status"] == {"state": "withdrawn", "reason": "the partner lost the rights to the photo"}


def test_a_withdrawal_where_the_article_never_went_sends_nothing_there(world):
    stack, app, receiver, config = world
    record = make_record("en", license=CC_BY)
    ingest(config, record)
    # the paying client never got it (a non-commercial licence would keep it away; here: it was withheld)
    DeliveryStore(stack.table).withhold(record["id"], "paid", 1, decision={"action": "withhold", "reason": "test"},
                                        partner="afgazad", language="en")
    drain(stack, app)
    calls_before = len(receiver.calls)
    withdraw(record["id"], "retracted", config)
    drain(stack, app)
    paid = DeliveryStore(stack.table).get(record["id"], "paid", 2)
    assert paid["state"] == "withdrawn" and paid["detail"] == {"retracted": False}
    new_calls = receiver.calls[calls_before:]
    assert [c["headers"]["webhook-id"] for c in new_calls] == [f"{record['id']}:v2:hook"]


def test_an_older_version_arriving_after_the_withdrawal_is_never_published(world):
    stack, app, receiver, config = world
    record = make_record("en", license=CC_BY)
    first = ingest(config, record)
    message = json.loads(stack.sqs.receive_message(QueueUrl=stack.publish_queue)["Messages"][0]["Body"])
    stack.sqs.purge_queue(QueueUrl=stack.publish_queue)
    withdraw(record["id"], "retracted", config)
    stack.sqs.send_message(QueueUrl=stack.publish_queue, MessageBody=json.dumps(message))  # v1, late
    drain(stack, app)
    assert first.version == 1
    rows = {(r["target"], int(r["version"])): r for r in DeliveryStore(stack.table).of_article(record["id"])}
    assert {r["state"] for (t, v), r in rows.items() if v == 1} == {"withheld"}
    assert all("withdrawn in version 2" in r["decision"]["reason"] for (t, v), r in rows.items() if v == 1)
    assert receiver.calls == [] or all(":v1:" not in c["headers"]["webhook-id"] for c in receiver.calls)
    with pytest.raises(Exception):
        stack.text(f"articles/{record['id']}/index.html")  # the site never had it


def test_a_later_drop_of_a_withdrawn_article_does_not_bring_it_back(world):
    stack, app, receiver, config = world
    record = make_record("en", license=CC_BY)
    ingest(config, record)
    withdraw(record["id"], "retracted", config)
    again = ingest(config, {**record, "body_text": record["body_text"] + " An update."})
    assert again.superseded and again.version == 2


def test_a_correction_shows_its_note_on_the_page_and_in_the_ninjs(world):
    stack, app, receiver, config = world
    record = make_record("en", license=CC_BY)
    ingest(config, record)
    drain(stack, app)
    corrected = {**record, "correction": {"note": "An earlier version misdated the declaration."}}
    assert ingest(config, corrected).version == 2
    drain(stack, app)
    page = stack.text(f"articles/{record['id']}/index.html")
    assert '<div class="correction" lang="en"><p><span class="label">Correction:</span> An earlier version ' \
           "misdated the declaration.</p></div>" in page
    ninjs = json.loads(stack.text(f"articles/{record['id']}/ninjs.json"))
    assert ninjs["edNote"] == "Correction: An earlier version misdated the declaration."
    assert {"role": "correction", "contentType": "text/plain",
            "value": "An earlier version misdated the declaration."} in ninjs["descriptions"]
    hook = [c for c in receiver.calls if c["headers"]["webhook-id"] == f"{record['id']}:v2:hook"]
    assert len(hook) == 1 and hook[0]["body"]["edNote"].startswith("Correction:")


def test_reconsider_delivers_what_is_now_allowed_once(world, monkeypatch, tmp_path):
    import yaml

    from synd import settings
    from synd.cli import main

    stack, app, receiver, config = world
    record = make_record("en", license=License())  # no licence: NOASSERTION, withheld everywhere
    ingest(config, record)
    drain(stack, app)
    assert {r["state"] for r in DeliveryStore(stack.table).of_article(record["id"])} == {"withheld"}
    assert receiver.calls == []

    folder = tmp_path / "config"  # the partner's new agreement allows republishing unlicensed articles verbatim
    partners = {"partners": {"default": {}, "afgazad": {"agreement": {"allow_noassertion": True}}}}
    (folder / "partners.yaml").write_text(yaml.safe_dump(partners), encoding="utf-8")
    settings.reload()
    argv = ["reconsider", "--table", stack.table, "--processed-bucket", stack.processed,
            "--publish-queue-url", stack.publish_queue, "--json"]
    assert main(argv) == 0
    assert main(argv) == 0  # twice: still delivered once
    drain(stack, app)
    rows = {r["target"]: r["state"] for r in DeliveryStore(stack.table).of_article(record["id"])}
    assert rows["site"] == "delivered" and rows["hook"] == "delivered"
    assert list(receiver.accepted.values()) == [1]
    assert rows["paid"] == "withheld"  # commercial use of an unlicensed article needs its own permission
