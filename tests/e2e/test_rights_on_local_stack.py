"""Issue 10 on the local stack, as an operator drives it: `synd withdraw`, `synd reconsider` and
`synd replay` from the command line against the moto server, the real handlers, a webhook partner on
127.0.0.1 that verifies every signature.

- withdraw: the article is gone from the site's page, feeds and language index, and the partner's
  receiver gets exactly one signed withdrawal (`pubStatus: canceled`);
- an agreement change plus `synd reconsider`: what the policy now allows is delivered, once;
- a parser change plus `synd replay`: the same drop gives version 2.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from synd import settings
from synd.aws import reports
from synd.aws.articles import ArticleStore
from synd.aws.deliveries import DeliveryStore
from synd.aws.versions import read_version
from synd.local.runner import LocalStack

from tests.conftest import SAMPLES
from tests.e2e.conftest import aws_cp
from tests.e2e.test_webhooks_on_local_stack import FAST_RETRIES, TARGET_FLAGS, signing_secret
from tests.unit.publish.publish_samples import Receiver

SYND = str(Path(sys.executable).with_name("synd"))
HOOK = "partner_webhook"
WIRE, WIRE_KEY = SAMPLES / "kandahar-text-wire" / "lekana.txt", "incoming/kandahar-text-wire/lekana.txt"
UNLICENSED, UNLICENSED_KEY = SAMPLES / "afgazad" / "000_afb5d5d29ecc6f79.txt", "incoming/afgazad/isis.md"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """(stack, receiver, config dir): a local stack whose partner webhook posts to a receiver."""
    import shutil

    from tests.conftest import REPO

    with Receiver(secret="") as receiver:
        config = tmp_path_factory.mktemp("rights") / "config"
        shutil.copytree(REPO / "config", config)
        targets = yaml.safe_load((config / "targets.yaml").read_text(encoding="utf-8"))
        targets["targets"][HOOK] = {**TARGET_FLAGS, "options": {**FAST_RETRIES, "url": receiver.url + "/in"}}
        (config / "targets.yaml").write_text(yaml.safe_dump(targets, allow_unicode=True), encoding="utf-8")
        with LocalStack.running(out_dir=tmp_path_factory.mktemp("out"), config_dir=config, fresh=True) as stack:
            receiver.secret = {HOOK: signing_secret(stack, HOOK)}
            yield stack, receiver, config


def run_synd(stack: LocalStack, config: Path, *argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **stack.describe()["environment"], "SYND_CONFIG_DIR": str(config)}
    proc = subprocess.run([SYND, *argv], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc


def site_text(stack: LocalStack, key: str) -> str:
    return stack.client("s3").get_object(Bucket=os.environ["SITE_BUCKET"], Key=key)["Body"].read().decode("utf-8")


def article_of(key: str) -> dict:
    return next(a for a in reports.articles(os.environ["TABLE_NAME"]) if a["source"]["key"] == key)


def test_a_withdrawn_article_leaves_the_site_and_the_partner_gets_one_signed_withdrawal(world):
    stack, receiver, config = world
    aws_cp(stack, WIRE, WIRE_KEY)
    stack.drain(timeout=60)
    article = article_of(WIRE_KEY)
    language = article["language"]
    assert article["id"] in site_text(stack, f"feeds/{language}/rss.xml")
    assert f"{article['id']}:v1:{HOOK}" in receiver.accepted

    out = run_synd(stack, config, "withdraw", article["id"], "--reason", "the author asked to withdraw it", "--json")
    assert json.loads(out.stdout) == {"article_id": article["id"], "state": "withdrawn", "version": 2}
    stack.drain(timeout=60)

    page = site_text(stack, f"articles/{article['id']}/index.html")
    assert "the author asked to withdraw it" in page and 'class="withdrawn"' in page
    for name in ("rss.xml", "atom.xml", "feed.json"):
        assert article["id"] not in site_text(stack, f"feeds/{language}/{name}")
    assert article["id"] not in site_text(stack, f"{language}/index.html")
    withdrawals = [c for c in receiver.calls if c["headers"].get("webhook-id") == f"{article['id']}:v2:{HOOK}"]
    assert len(withdrawals) == 1 and withdrawals[0]["signed_by"] == HOOK and withdrawals[0]["status"] == 200
    assert withdrawals[0]["body"]["pubStatus"] == "canceled"
    states = {(d["target"], int(d["version"])): d["state"]
              for d in DeliveryStore(os.environ["TABLE_NAME"]).of_article(article["id"])}
    assert {s for (t, v), s in states.items() if v == 2} == {"withdrawn"}
    assert stack.client("s3").head_object(Bucket=os.environ["RAW_BUCKET"], Key=WIRE_KEY)  # the raw drop stays


def test_an_agreement_change_and_reconsider_deliver_the_newly_allowed_once(world):
    stack, receiver, config = world
    aws_cp(stack, UNLICENSED, UNLICENSED_KEY)  # no licence: withheld everywhere
    stack.drain(timeout=60)
    article = article_of(UNLICENSED_KEY)
    store = DeliveryStore(os.environ["TABLE_NAME"])
    assert {d["state"] for d in store.of_article(article["id"])} == {"withheld"}

    partners = yaml.safe_load((config / "partners.yaml").read_text(encoding="utf-8"))
    partners["partners"].setdefault("afgazad", {}).setdefault("agreement", {})["allow_noassertion"] = True
    (config / "partners.yaml").write_text(yaml.safe_dump(partners, allow_unicode=True), encoding="utf-8")
    settings.reload()  # the functions read the new agreement
    first = run_synd(stack, config, "reconsider", "--partner", "afgazad", "--json")
    counts = json.loads(first.stdout.splitlines()[-1])
    assert counts["now_allowed"] >= 2 and counts["sent"] == 1
    run_synd(stack, config, "reconsider", "--partner", "afgazad")  # an operator runs it twice
    stack.drain(timeout=60)
    states = {d["target"]: d["state"] for d in store.of_article(article["id"])}
    assert states["site"] == "delivered" and states[HOOK] == "delivered"
    assert receiver.accepted[f"{article['id']}:v1:{HOOK}"] == 1
    assert "ISIS" in site_text(stack, f"articles/{article['id']}/index.html")  # the page is published


def test_a_parser_change_and_replay_give_version_2(world, monkeypatch):
    import synd.pipeline

    stack, receiver, config = world
    key = "incoming/cairo-iso-wire/2026/khabar.txt"
    aws_cp(stack, SAMPLES / "cairo-iso-wire" / "khabar.txt", key)
    stack.drain(timeout=60)
    assert article_of(key)["version"] == 1

    original = synd.pipeline.clean_draft

    def fixed_parser(draft):  # the handlers run in this process: a parser fix, as a new deploy would bring
        cleaned = original(draft)
        cleaned.body_text += "\n\nA closing paragraph the old parser lost."
        return cleaned

    monkeypatch.setattr(synd.pipeline, "clean_draft", fixed_parser)
    run_synd(stack, config, "replay", "--prefix", "incoming/cairo-iso-wire/2026/")
    stack.drain(timeout=60)
    replayed = article_of(key)
    assert replayed["version"] == 2
    record = read_version(ArticleStore(os.environ["TABLE_NAME"]), os.environ["PROCESSED_BUCKET"],
                          replayed["id"], 2).record
    assert record["body_text"].endswith("A closing paragraph the old parser lost.")
