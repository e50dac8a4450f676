"""Webhooks on the local stack, as a user drives it: real sample files dropped with the AWS CLI,
the real ingest and publish handlers on moto's own SQS messages, two webhook targets (enabled in
a copy of config/) posting to a real HTTP server on 127.0.0.1 that verifies every signature with
the reference Standard Webhooks verifier and each target's own key, which the local stack made in
its Secrets Manager. One endpoint answers 503 twice and then 200, the other always 400."""
from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from synd.aws import reports
from synd.aws.deliveries import DeliveryStore
from synd.local.runner import REPO, LocalStack

from tests.conftest import SAMPLES
from tests.e2e.conftest import aws_cp
from tests.unit.publish.publish_samples import Receiver

FEED = SAMPLES / "persian-rss-feed" / "feed.xml"  # CC-BY-4.0, Persian items
WIRE = SAMPLES / "kandahar-text-wire" / "lekana.txt"  # CC-BY-SA-4.0, Pashto
WIRE_KEY = "incoming/kandahar-text-wire/lekana.txt"
ACCEPTING, REFUSING = "partner_webhook", "refusing_hook"
TARGET_FLAGS = {"kind": "webhook", "enabled": True, "commercial": False, "excerpts": False, "edits": False,
                "translates": False, "attribution_format": "html"}
FAST_RETRIES = {"timeout": 5, "max_attempts": 4, "backoff_base": 0.05, "backoff_cap": 0.2, "pause_after": 100}


def webhook_config(folder: Path, receiver_url: str) -> Path:
    """The repo's config/ with the partner webhook on (503, 503, then 200) and a second one that gets 400."""
    shutil.copytree(REPO / "config", folder)
    targets = yaml.safe_load((folder / "targets.yaml").read_text(encoding="utf-8"))
    targets["targets"][ACCEPTING] = {**TARGET_FLAGS, "options": {**FAST_RETRIES, "url": receiver_url + "/in"}}
    targets["targets"][REFUSING] = {**TARGET_FLAGS, "options": {**FAST_RETRIES, "url": receiver_url + "/always400"}}
    (folder / "targets.yaml").write_text(yaml.safe_dump(targets, allow_unicode=True), encoding="utf-8")
    return folder


def signing_secret(stack: LocalStack, target: str) -> str:
    """The target's own key, `$WEBHOOK_SECRET_PREFIX/<target>`, as the partner would be given it."""
    name = f"{os.environ['WEBHOOK_SECRET_PREFIX']}/{target}"
    return stack.client("secretsmanager").get_secret_value(SecretId=name)["SecretString"]


@pytest.fixture(scope="module")
def hooked(tmp_path_factory):
    """(stack, receiver): a local stack whose webhooks post to a receiver on 127.0.0.1."""
    with Receiver(secret="", script={"/in": [503, 503]}) as receiver:
        config = webhook_config(tmp_path_factory.mktemp("hooks") / "config", receiver.url)
        with LocalStack.running(out_dir=tmp_path_factory.mktemp("out"), config_dir=config, fresh=True) as stack:
            # each enabled webhook target got its own whsec_ key when the stack started
            keys = {name: signing_secret(stack, name) for name in (ACCEPTING, REFUSING)}
            assert keys[ACCEPTING] != keys[REFUSING] and all(k.startswith("whsec_") for k in keys.values())
            receiver.secret = keys
            yield stack, receiver


def article_versions() -> set[tuple[str, int]]:
    """(article id, version) of every version of every stored article."""
    latest = reports.articles(os.environ["TABLE_NAME"])
    return {(a["id"], v) for a in latest for v in range(1, int(a["version"]) + 1)}


def keys(versions: set[tuple[str, int]], target: str) -> set[str]:
    return {f"{article_id}:v{version}:{target}" for article_id, version in versions}


def refused_calls(receiver: Receiver) -> Counter:
    return Counter(c["headers"]["webhook-id"] for c in receiver.calls if c["path"] == "/always400")


def stored_wire_id(stack: LocalStack) -> str:
    """The id of the wire article (dropped first if this test runs alone)."""
    def find() -> str | None:
        return next((a["id"] for a in reports.articles(os.environ["TABLE_NAME"]) if a["source"]["key"] == WIRE_KEY),
                    None)

    if find() is None:
        aws_cp(stack, WIRE, WIRE_KEY)
        stack.drain(timeout=60)
    return find()


def test_drops_are_delivered_once_per_version_despite_503_and_a_400_is_never_retried(hooked):
    stack, receiver = hooked
    aws_cp(stack, FEED, "incoming/persian-rss-feed/feed.xml")
    aws_cp(stack, WIRE, WIRE_KEY)
    stack.drain(timeout=60)

    latest = reports.articles(os.environ["TABLE_NAME"])
    assert {a["license"]["spdx"] for a in latest} == {"CC-BY-4.0", "CC-BY-SA-4.0"}
    assert {a["language"] for a in latest} >= {"fa", "ps"}
    versions = article_versions()
    assert len(versions) == len(latest) >= 2 and {v for _, v in versions} == {1}

    assert receiver.bad_signatures == 0 and all(c["signed"] for c in receiver.calls)
    assert all(c["signed_by"] == c["headers"]["webhook-id"].split(":")[2] for c in receiver.calls)  # own keys
    assert [c["status"] for c in receiver.calls if c["path"] == "/in"][:2] == [503, 503]
    assert receiver.accepted == {key: 1 for key in keys(versions, ACCEPTING)}
    assert refused_calls(receiver) == {key: 1 for key in keys(versions, REFUSING)}
    for call in receiver.calls:  # each body is that article version's ninjs, with its attribution
        article_id, version, _ = call["headers"]["webhook-id"].split(":")
        assert call["body"]["uri"].endswith(article_id) and call["body"]["version"] == version[1:]
        assert any(d.get("role") == "attribution" for d in call["body"]["descriptions"])

    store = DeliveryStore(os.environ["TABLE_NAME"])
    rows = [d for article_id in {a for a, _ in versions} for d in store.of_article(article_id)]
    delivered = [d for d in rows if d["target"] == ACCEPTING and d["state"] == "delivered"]  # not indexed: by article
    assert {(d["article_id"], int(d["version"])) for d in delivered} == versions
    assert {int(d["status_code"]) for d in delivered} == {200}
    failed = store.by_state("failed", REFUSING)
    assert {(d["article_id"], int(d["version"])) for d in failed} == versions
    assert all(int(d["status_code"]) == 400 and int(d["attempts"]) == 1 and "400" in d["last_error"]
               for d in failed)
    assert not [d for d in rows if d["target"] == REFUSING and d["state"] == "delivered"]
    assert store.by_state("failed", ACCEPTING) == []


def test_a_changed_file_under_the_same_key_is_delivered_once_more_as_version_2(hooked, tmp_path):
    stack, receiver = hooked
    wire_id = stored_wire_id(stack)
    before = article_versions()
    assert (wire_id, 1) in before and (wire_id, 2) not in before
    accepted_before, refused_before = dict(receiver.accepted), refused_calls(receiver)
    edited = tmp_path / "lekana.txt"
    paragraphs = WIRE.read_text(encoding="utf-8").split("\n\n")
    edited.write_text("\n\n".join(paragraphs[:3] + paragraphs[4:]), encoding="utf-8")  # the editor cut one
    aws_cp(stack, edited, WIRE_KEY)
    stack.drain(timeout=60)

    assert article_versions() == before | {(wire_id, 2)}
    new_accepted = {k: n for k, n in receiver.accepted.items() if k not in accepted_before}
    assert new_accepted == {f"{wire_id}:v2:{ACCEPTING}": 1}
    assert {k: n for k, n in receiver.accepted.items() if k in accepted_before} == accepted_before  # no re-sends
    assert refused_calls(receiver) - refused_before == Counter({f"{wire_id}:v2:{REFUSING}": 1})
    assert receiver.bad_signatures == 0
    record = DeliveryStore(os.environ["TABLE_NAME"]).get(wire_id, REFUSING, 2)
    assert record["state"] == "failed" and int(record["status_code"]) == 400 and int(record["attempts"]) == 1

    depths = stack.queue_depths()
    assert {"IngestQueue", "IngestDLQ", "PublishQueue", "PublishDLQ"} <= set(depths)
    assert depths == {queue: 0 for queue in depths}
