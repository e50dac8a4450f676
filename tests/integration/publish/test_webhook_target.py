import json
from dataclasses import replace

import boto3
from standardwebhooks import Webhook

from tests.integration.publish.publish_stack import KEYS, SECRET
from tests.unit.publish.publish_samples import Receiver, make_record, target
from synd.ninjs import to_ninjs
from synd.publish.signing import new_secret
from synd.targets import Delivery, deliver
from synd.targets.webhook import body_bytes, clear_secret_cache, signing_keys


def delivery(url, name="hook", version=1, record=None, **options):
    record = record or make_record("fa", version=version)
    return Delivery(record=record, ninjs=to_ninjs(record), target=target(name, "webhook", url=url, **options),
                    action="deliver_with_attribution")


def test_signed_post_of_the_ninjs_as_standard_webhooks(stack):
    with Receiver(SECRET) as receiver:
        d = delivery(receiver.url + "/in")
        outcome = deliver(d, stack.env)
    assert outcome.state == "delivered" and outcome.status == 200
    (call,) = receiver.calls
    assert call["signed_by"] == "hook" and receiver.bad_signatures == 0  # by the reference verifier
    headers = call["headers"]
    assert headers["webhook-id"] == f"{d.article_id}:v1:hook"
    assert headers["webhook-timestamp"].isdigit() and headers["webhook-signature"].startswith("v1,")
    assert "idempotency-key" not in headers  # an unsigned copy of the id is what let replays pass as new
    assert call["body"] == d.ninjs
    assert headers["content-type"].startswith("application/json")


def test_two_webhook_targets_sign_with_their_own_keys(stack):
    """The defect: one secret for every webhook target, so each partner could forge another's deliveries."""
    record = make_record("en")
    with Receiver(SECRET) as receiver:
        for name in ("hook", "paid"):
            assert deliver(delivery(receiver.url + "/in", name=name, record=record), stack.env).state == "delivered"
    assert [c["signed_by"] for c in receiver.calls] == ["hook", "paid"]
    assert signing_keys(stack.secret_prefix, "hook") != signing_keys(stack.secret_prefix, "paid")
    hook_only = Webhook(KEYS["hook"])
    paid_call = receiver.calls[1]
    try:
        hook_only.verify(paid_call["raw"], paid_call["headers"], json_parse=False)
        raise AssertionError("the hook partner's key verified the paid target's request")
    except Exception as exc:  # noqa: BLE001 - the reference verifier's refusal
        assert type(exc).__name__ == "WebhookVerificationError"
    with Receiver({"hook": KEYS["hook"]}) as hook_partner:  # a receiver with one partner's key refuses the other
        outcome = deliver(delivery(hook_partner.url + "/in", name="paid", record=record), stack.env)
    assert outcome.state == "failed" and outcome.status == 401


def test_a_target_without_its_own_key_fails_and_says_which_secret_to_create(stack):
    missing = deliver(delivery("http://127.0.0.1:9/in", name="not-provisioned"), stack.env)
    assert missing.state == "failed"
    assert missing.error == (f"no signing key for target not-provisioned: create secret "
                             f"{stack.secret_prefix}/not-provisioned with a whsec_ key "
                             "(docs/publishing.md, 'Signing keys')")
    no_prefix = deliver(delivery("http://127.0.0.1:9/in"), replace(stack.env, webhook_secret_prefix=None))
    assert no_prefix.state == "failed" and "WEBHOOK_SECRET_PREFIX" in no_prefix.error
    bad_name = deliver(delivery("http://127.0.0.1:9/in", name="../hook"), stack.env)
    assert bad_name.state == "failed" and "name its secret" in bad_name.error


def test_a_secret_that_is_not_a_whsec_key_fails_without_echoing_it(stack):
    sm = boto3.client("secretsmanager", region_name="us-east-1")
    sm.create_secret(Name=f"{stack.secret_prefix}/plain", SecretString="plain-old-password-1234567890")
    outcome = deliver(delivery("http://127.0.0.1:9/in", name="plain"), stack.env)
    assert outcome.state == "failed" and "is not valid" in outcome.error and "whsec_" in outcome.error
    assert "plain-old-password" not in json.dumps(outcome.__dict__)
    assert not any(key in json.dumps(outcome.__dict__) for key in KEYS.values())


def test_rotation_signs_with_every_key_and_takes_effect_after_the_cache(stack):
    sm = boto3.client("secretsmanager", region_name="us-east-1")
    old, new = KEYS["hook"], new_secret()
    with Receiver({"hook": old}) as old_partner, Receiver({"hook": new}) as new_partner:
        clear_secret_cache()
        assert deliver(delivery(old_partner.url + "/in"), stack.env).state == "delivered"  # reads and caches `old`
        sm.put_secret_value(SecretId=f"{stack.secret_prefix}/hook", SecretString=f"{new} {old}")
        cached = deliver(delivery(new_partner.url + "/in"), stack.env)
        clear_secret_cache()  # as five minutes later
        assert deliver(delivery(old_partner.url + "/in"), stack.env).state == "delivered"
        assert deliver(delivery(new_partner.url + "/in"), stack.env).state == "delivered"
    assert cached.state == "failed" and cached.status == 401  # still signed with the cached old key only
    assert [len(c["headers"]["webhook-signature"].split(" ")) for c in old_partner.calls] == [1, 2]


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
    assert len({c["headers"]["webhook-id"] for c in receiver.calls}) == 1  # retries keep the id


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


def test_body_is_compact_utf8_json():
    body = body_bytes({"headline": "تمام افراد"})
    assert body == '{"headline":"تمام افراد"}'.encode("utf-8")
