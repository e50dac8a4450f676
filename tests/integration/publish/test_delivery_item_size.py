"""Delivery records cost 1 write unit: under 1 KB by DynamoDB's sizing rules after every outcome.

The outcome used to store the policy's whole `Decision.to_record()`, its attribution block
(title, credit text and HTML, rights text... 2 bytes a letter in Persian or Pashto) included:
2.6-3.7 KB, 3-4 WRU per write. The record keeps the compact decision (synd.aws.deliveries).
"""
import json

import boto3
from bench.scale import item_size  # DynamoDB's rules: attribute names plus values

from synd.aws.deliveries import DeliveryStore
from synd.cli import build_parser
from synd.commands import deliveries, withheld

from tests.integration.publish.publish_stack import REGION, SECRET, LambdaContext, receive_as_event
from tests.unit.publish.publish_samples import CC_BY, CC_BY_ND, Receiver, make_record

ONE_KB = 1024
TARGETS = {"site", "hook", "aggregator", "translation_desk", "paid"}  # site, two webhooks, SNS, EventBridge


def publish(stack, app, *records):
    for record in records:
        stack.sqs.send_message(QueueUrl=stack.publish_queue, MessageBody=json.dumps(stack.put_version(record)))
    event = receive_as_event(stack.sqs, stack.publish_queue)
    assert app.lambda_handler(event, LambdaContext("PublishFunction"))["batchItemFailures"] == []


def ddb():
    return boto3.client("dynamodb", region_name=REGION)


def stored(stack, article_id):
    """The delivery items as DynamoDB holds them (typed), by target."""
    items = ddb().query(TableName=stack.table, KeyConditionExpression="pk = :p AND begins_with(sk, :s)",
                            ExpressionAttributeValues={":p": {"S": f"ARTICLE#{article_id}"},
                                                       ":s": {"S": "DELIVERY#"}})["Items"]
    return {i["target"]["S"]: i for i in items}


def cli(*argv):
    args = build_parser([deliveries, withheld]).parse_args(list(argv))
    return args._run(args)


def test_every_delivered_item_of_a_persian_and_a_pashto_article_is_under_1_kb(stack, handler):
    with Receiver(SECRET) as receiver:
        app = handler.configure(receiver.url + "/in")
        records = [make_record("fa", license=CC_BY), make_record("ps", license=CC_BY)]
        publish(stack, app, *records)
    for record in records:
        items = stored(stack, record["id"])
        assert set(items) == TARGETS and {i["state"]["S"] for i in items.values()} == {"delivered"}
        sizes = {target: item_size(item) for target, item in items.items()}
        assert all(size < ONE_KB for size in sizes.values()), (record["language"], sizes)
        for row in DeliveryStore(stack.table).of_article(record["id"]):  # what an auditor reads is still there
            decision = row["decision"]
            assert decision["action"] == "deliver_with_attribution" and decision["license"] == "CC-BY-4.0"
            assert "allows target" in decision["reason"] and decision["target"] == row["target"]
            assert decision["obligations"] and decision["terms"] and decision["decided_by"]
            assert "attribution" not in decision  # derived, and carried by what was sent


def test_withheld_item_is_small_and_the_commands_still_show_reason_and_licence(stack, handler, capsys):
    with Receiver(SECRET) as receiver:
        app = handler.configure(receiver.url + "/in")
        record = make_record("ps", license=CC_BY_ND)  # NoDerivatives: the translation desk is refused
        publish(stack, app, record)
    items = stored(stack, record["id"])
    assert items["translation_desk"]["state"]["S"] == "withheld"
    assert all(item_size(item) < ONE_KB for item in items.values()), {t: item_size(i) for t, i in items.items()}
    capsys.readouterr()
    assert cli("withheld", "--table", stack.table, "--json") == 0
    (shown,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert shown["target"] == "translation_desk" and shown["license"] == "CC-BY-ND-4.0"
    assert "translat" in shown["reason"]
    assert cli("withheld", "--table", stack.table) == 0
    assert "translation_desk" in capsys.readouterr().out
    assert cli("deliveries", "--table", stack.table, "--state", "withheld", "--json") == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert row["decision"]["reason"] == shown["reason"] and row["decision"]["license"] == "CC-BY-ND-4.0"
    assert row["decision"]["action"] == "withhold"


def test_a_long_error_and_detail_are_clipped_to_fit(stack):
    """A target's error text (a response excerpt, in any script) and its detail stay bounded."""
    store = DeliveryStore(stack.table)
    claim = store.claim("a1", "hook", 1, partner="afgazad", language="fa")
    error = "HTTP 400: " + "پاسخ نادرست است " * 80
    detail = {"status": 400, "page": "ب" * 2000, "ok": False}
    store.finish("a1", "hook", 1, "failed", token=claim.token, last_error=error, status=400, detail=detail)
    item = ddb().get_item(TableName=stack.table, Key={"pk": {"S": "ARTICLE#a1"},
                                                          "sk": {"S": "DELIVERY#hook#V#000001"}})["Item"]
    assert item_size(item) < ONE_KB
    (row,) = store.by_state("failed", "hook")
    assert row["last_error"].startswith("HTTP 400: پاسخ نادرست است") and len(row["last_error"]) < len(error)
    assert row["detail"]["status"] == 400 and row["detail"]["ok"] is False and row["detail"]["page"].startswith("ببب")
