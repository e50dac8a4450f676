"""Webhooks end to end: a real HTTP server on 127.0.0.1 receives what the publish Lambda sends
through SQS (with duplicates), verifies every signature with the reference Standard Webhooks verifier
and each target's own key, fails the first calls with 503."""
from __future__ import annotations

import json
from collections import Counter

import pytest
import yaml


from tests.unit.publish.publish_samples import CC_BY, CC_BY_ND, Receiver, make_record
from tests.integration.publish.publish_stack import SECRET, drain, mocked_stack, publish_app, write_config

from synd.aws.deliveries import DeliveryStore


@pytest.fixture()
def world():
    with mocked_stack() as stack:
        yield stack


def test_retried_until_accepted_exactly_once_per_version_and_400_not_retried(world, monkeypatch, tmp_path):
    articles = [make_record("fa", license=CC_BY_ND), make_record("en", license=CC_BY), make_record("ps", license=CC_BY)]
    articles.append(dict(articles[1], version=2, title=articles[1]["title"] + " (corrected)"))
    with Receiver(SECRET, {"/in": [503, 503]}) as receiver:
        # the paid webhook on its own path: targets are delivered in parallel, and the 503s are the hook's
        config = write_config(tmp_path / "config", receiver.url + "/in", paid_url=receiver.url + "/paid",
                              backoff_base=0.5, backoff_cap=1)
        targets = yaml.safe_load((config / "targets.yaml").read_text())
        targets["targets"]["bad-hook"] = {"kind": "webhook", "options": {"url": receiver.url + "/always400"}}
        (config / "targets.yaml").write_text(yaml.safe_dump(targets))
        app = publish_app(world, config, monkeypatch)
        for record in articles:
            message = world.put_version(record)
            for _ in range(2):  # at-least-once: every message arrives twice
                world.sqs.send_message(QueueUrl=world.publish_queue, MessageBody=json.dumps(message))
        drain(world, app)
    assert receiver.bad_signatures == 0 and all(c["signed"] for c in receiver.calls)
    assert all(c["signed_by"] == c["headers"]["webhook-id"].split(":")[2] for c in receiver.calls)  # own keys
    expected = {f"{r['id']}:v{r['version']}:{name}" for r in articles for name in ("hook", "paid")}
    assert set(receiver.accepted) == expected
    assert set(receiver.accepted.values()) == {1}  # exactly one accepted delivery per version and target
    assert [c["status"] for c in receiver.calls if c["path"] == "/in"][:2] == [503, 503]
    bad_calls = Counter(c["headers"]["webhook-id"] for c in receiver.calls if c["path"] == "/always400")
    assert len(bad_calls) == len(articles) and set(bad_calls.values()) == {1}  # a 400 is never retried
    failed = DeliveryStore(world.table).by_state("failed", "bad-hook")
    assert len(failed) == len(articles) and all(r["status_code"] == 400 for r in failed)
    # nothing went to the dead-letter queue: transient failures were absorbed by retries
    dlq = world.sqs.get_queue_attributes(QueueUrl=world.publish_dlq, AttributeNames=["ApproximateNumberOfMessages"])
    assert dlq["Attributes"]["ApproximateNumberOfMessages"] == "0"
    # each body is the article version's ninjs
    for call in receiver.calls:
        article_id, version, _ = call["headers"]["webhook-id"].split(":")
        assert call["body"]["uri"].endswith(article_id) and call["body"]["version"] == version[1:]
