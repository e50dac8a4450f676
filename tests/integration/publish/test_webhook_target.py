import json

import boto3

from tests.integration.publish.publish_stack import SECRET
from tests.unit.publish.publish_samples import Receiver, make_record, target
from synd.ninjs import to_ninjs
from synd.targets import Delivery, deliver
from synd.targets.webhook import body_bytes


def delivery(url, name="hook", version=1, **options):
    record = make_record("fa", version=version)
    return Delivery(record=record, ninjs=to_ninjs(record), target=target(name, "webhook", url=url, **options),
                    action="deliver_with_attribution")


def test_signed_post_of_the_ninjs(stack):
    with Receiver(SECRET) as receiver:
        d = delivery(receiver.url + "/in")
        outcome = deliver(d, stack.env)
    assert outcome.state == "delivered" and outcome.status == 200
    (call,) = receiver.calls
    assert call["signed"] and receiver.bad_signatures == 0
    assert call["headers"]["Idempotency-Key"] == f"{d.article_id}:v1:hook"
    assert call["body"] == d.ninjs
    assert call["headers"]["Content-Type"].startswith("application/json")


def test_attribution_is_in_the_posted_ninjs(stack):
    record = make_record("en")
    attribution = {"text": "“UDHR” by United Nations, CC BY 4.0.", "html": "<p>“UDHR” by United Nations</p>"}
    with Receiver(SECRET) as receiver:
        d = Delivery(record=record, ninjs=to_ninjs(record), target=target("hook", "webhook", url=receiver.url + "/in"),
                     action="deliver_with_attribution", attribution=attribution)
        assert deliver(d, stack.env).state == "delivered"
    descriptions = receiver.calls[0]["body"]["descriptions"]
    assert {"role": "attribution", "contentType": "text/plain", "value": attribution["text"]} in descriptions


def test_5xx_and_429_ask_for_a_retry(stack):
    with Receiver(SECRET, {"/in": [503, 429, 500]}) as receiver:
        outcomes = [deliver(delivery(receiver.url + "/in"), stack.env) for _ in range(4)]
    assert [o.state for o in outcomes] == ["retry", "retry", "retry", "delivered"]
    assert [o.status for o in outcomes] == [503, 429, 500, 200]


def test_4xx_fails_with_status_and_body_excerpt(stack):
    with Receiver(SECRET) as receiver:
        outcome = deliver(delivery(receiver.url + "/always400"), stack.env)
    assert outcome.state == "failed" and outcome.status == 400
    assert "HTTP 400" in outcome.error and "refuses the document" in outcome.error


def test_connection_refused_is_retried(stack):
    with Receiver(SECRET) as receiver:
        url = receiver.url
    outcome = deliver(delivery(url + "/in", timeout=2), stack.env)
    assert outcome.state == "retry" and "network error" in outcome.error


def test_secret_as_plain_string_and_missing_secret(stack):
    sm = boto3.client("secretsmanager", region_name="us-east-1")
    plain = sm.create_secret(Name="synd/plain", SecretString="plain-secret")["ARN"]
    from dataclasses import replace

    with Receiver("plain-secret") as receiver:
        assert deliver(delivery(receiver.url + "/in", name="anyone"), replace(stack.env, webhook_secret_arn=plain)) \
            .state == "delivered"
    missing = deliver(delivery("http://127.0.0.1:9/in", name="not-in-secret"), stack.env)
    assert missing.state == "failed" and "no webhook secret" in missing.error
    assert SECRET not in json.dumps(missing.__dict__)


def test_body_is_compact_utf8_json():
    body = body_bytes({"headline": "تمام افراد"})
    assert body == '{"headline":"تمام افراد"}'.encode("utf-8")
