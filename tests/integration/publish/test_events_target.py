import json

import boto3

from tests.unit.publish.publish_samples import make_record, target
from synd.ninjs import to_ninjs
from synd.targets import Delivery, deliver


def queue(name):
    sqs = boto3.client("sqs", region_name="us-east-1")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return sqs, url, arn


def received(sqs, url):
    return sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]).get("Messages", [])


def delivery(kind):
    record = make_record("fa", version=2, canonical_url="https://example.org/udhr")
    return Delivery(record=record, ninjs=to_ninjs(record), target=target(kind, kind), action="deliver_with_attribution",
                    attribution={"text": "UDHR, United Nations"})


def test_sns_article_published(stack):
    sqs, url, arn = queue("sns-sub")
    boto3.client("sns", region_name="us-east-1").subscribe(TopicArn=stack.topic_arn, Protocol="sqs", Endpoint=arn,
                                                           Attributes={"RawMessageDelivery": "true"})
    d = delivery("sns")
    outcome = deliver(d, stack.env)
    assert outcome.state == "delivered" and outcome.detail["message_id"]
    (message,) = received(sqs, url)
    event = json.loads(message["Body"])
    assert event["type"] == "article.published" and event["article_id"] == d.article_id and event["version"] == 2
    assert event["license"]["spdx"] == "CC-BY-4.0" and event["language"] == "fa" and event["direction"] == "rtl"
    assert event["ninjs"] == {"bucket": stack.processed, "key": f"ninjs/{d.article_id}/v2.json"}
    assert "body_text" not in event
    assert message["MessageAttributes"]["language"]["StringValue"] == "fa"


def test_eventbridge_article_published(stack):
    sqs, url, arn = queue("eb-target")
    events = boto3.client("events", region_name="us-east-1")
    events.put_rule(Name="published", EventBusName=stack.bus,
                    EventPattern=json.dumps({"source": ["synd.publish"], "detail-type": ["article.published"],
                                             "detail": {"language": ["fa"]}}))
    events.put_targets(Rule="published", EventBusName=stack.bus, Targets=[{"Id": "q", "Arn": arn}])
    d = delivery("eventbridge")
    assert deliver(d, stack.env).state == "delivered"
    (message,) = received(sqs, url)
    envelope = json.loads(message["Body"])
    assert envelope["detail-type"] == "article.published" and envelope["source"] == "synd.publish"
    assert envelope["detail"]["article_id"] == d.article_id
    assert envelope["detail"]["attribution"] == "UDHR, United Nations"


def test_missing_topic_is_a_permanent_failure(stack):
    from dataclasses import replace

    outcome = deliver(delivery("sns"), replace(stack.env, articles_topic_arn=None))
    assert outcome.state == "failed"
    gone = deliver(delivery("sns"), replace(stack.env, articles_topic_arn=stack.topic_arn + "-gone"))
    assert gone.state == "failed"
