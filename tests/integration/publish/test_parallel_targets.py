"""An article version's targets are delivered in parallel (issue 11.4), with every guarantee of the publisher.

The targets here are stand-ins for `synd.targets.deliver` (the publisher's claims, records, health and
log lines are the real ones, on moto): they meet at a barrier or wait on each other's events, so the
tests count overlap with synchronisation, never with clocks.
"""
import json
import threading

import pytest
from botocore.exceptions import ClientError

from synd import observability as obs
from synd.aws.deliveries import DeliveryStore
from synd.publish import publisher
from synd.publish.publisher import PublishConfig, RetryLater, publish_message
from synd.targets import Outcome
from tests.unit.publish.publish_samples import decide_by_target, make_record, target

DECIDE = decide_by_target()
WAIT = 10  # seconds a stand-in target waits for the others before it gives up (only when they never come)


def fake_targets(*names):
    return [target(name, "sns") for name in names]  # the kind is not called: deliver is replaced


def states(store, message):
    return {row["target"]: row["state"] for row in store.of_article(message["article_id"])}


def published_line(out: str) -> dict:
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    (line,) = [entry for entry in lines if entry.get("message") == "published"]
    return line


def test_the_targets_of_one_article_are_delivered_at_the_same_time(stack, monkeypatch):
    """K targets meet at a barrier of K inside their deliveries: one after the other, the first would wait
    alone until the barrier breaks, and every delivery would come back as a retry."""
    names = ("a", "b", "c", "d")
    barrier, inside, most = threading.Barrier(len(names), timeout=WAIT), [0], [0]
    lock = threading.Lock()

    def deliver(delivery, env):
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        barrier.wait()
        with lock:
            inside[0] -= 1
        return Outcome.delivered(where=delivery.target.name)

    monkeypatch.setattr(publisher, "deliver", deliver)
    obs.metrics.clear_metrics()
    message = stack.put_version(make_record("en"))
    results = publish_message(message, stack.config, decide=DECIDE, targets=fake_targets(*names))
    assert [(r.target, r.state) for r in results] == [(name, "delivered") for name in names]  # the targets' order
    assert most[0] == len(names)
    assert states(DeliveryStore(stack.table), message) == dict.fromkeys(names, "delivered")
    assert obs.metrics.metric_set["ArticlesPublished"]["Value"] == [1.0] * len(names)  # counted from 4 threads


def test_one_target_at_a_time_when_parallel_targets_is_1(stack, monkeypatch):
    running, most = [0], [0]
    lock = threading.Lock()

    def deliver(delivery, env):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        with lock:
            running[0] -= 1
        return Outcome.delivered()

    monkeypatch.setattr(publisher, "deliver", deliver)
    config = PublishConfig(table=stack.table, env=stack.env, parallel_targets=1)
    message = stack.put_version(make_record("en"))
    publish_message(message, config, decide=DECIDE, targets=fake_targets("a", "b", "c"))
    assert most[0] == 1


def test_a_slow_target_and_a_transient_failure_each_keep_their_outcome(stack, monkeypatch, capsys):
    """The slow target is still delivering when the flaky one has failed (it waits for that): both outcomes
    are recorded, RetryLater names only the flaky one, and the next receive calls only the flaky one."""
    flaky_done, calls = threading.Event(), []

    def deliver(delivery, env):
        calls.append(delivery.target.name)
        if delivery.target.name == "flaky":
            flaky_done.set()
            return Outcome.retry("HTTP 503", status=503) if delivery.attempt == 1 else Outcome.delivered()
        assert flaky_done.wait(WAIT), "the slow target was not delivered while the flaky one ran"
        return Outcome.delivered()

    monkeypatch.setattr(publisher, "deliver", deliver)
    store = DeliveryStore(stack.table)
    message = stack.put_version(make_record("fa"))
    with pytest.raises(RetryLater) as raised:
        publish_message(message, stack.config, decide=DECIDE,
                        targets=[target("slow", "sns"), target("flaky", "sns", backoff_base=1, backoff_cap=4)])
    assert raised.value.targets == ["flaky"] and raised.value.delay <= 4
    assert states(store, message) == {"slow": "delivered", "flaky": "retrying"}
    line = published_line(capsys.readouterr().out)
    assert line["deliveries"] == [{"target": "slow", "state": "delivered"},
                                  {"target": "flaky", "state": "retrying", "reason": "HTTP 503"}]
    results = publish_message(message, stack.config, decide=DECIDE,
                              targets=[target("slow", "sns"), target("flaky", "sns")])
    assert {r.target: r.state for r in results} == {"slow": "skipped", "flaky": "delivered"}
    assert sorted(calls) == ["flaky", "flaky", "slow"]


def test_the_log_keys_of_the_message_are_on_the_lines_of_the_target_threads(stack, monkeypatch, capsys):
    monkeypatch.setattr(publisher, "deliver", lambda delivery, env: Outcome.retry("HTTP 503"))
    message = stack.put_version(make_record("en"))
    obs.logger.append_keys(article_id=message["article_id"])
    obs.logger.thread_safe_append_keys(receive="r-1")  # a contextvar: copied into each target's thread
    try:
        with pytest.raises(RetryLater):
            publish_message(message, stack.config, decide=DECIDE, targets=fake_targets("a", "b"))
    finally:
        obs.logger.remove_keys(["article_id"])
        obs.logger.thread_safe_clear_keys()
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    retried = [line for line in lines if line.get("message") == "delivery will be retried"]
    assert sorted(line["target"] for line in retried) == ["a", "b"]
    assert all(line["article_id"] == message["article_id"] and line["receive"] == "r-1" for line in retried)


class FailingStore(DeliveryStore):
    """DynamoDB refuses every claim of one target (throttled past botocore's retries)."""

    def claim(self, article_id, target, *args, **kwargs):
        if target == "broken":
            raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}},
                              "UpdateItem")
        return super().claim(article_id, target, *args, **kwargs)


def test_a_target_that_raises_loses_none_of_the_others_outcomes(stack, monkeypatch, capsys):
    """Before: the loop stopped at the first target whose path raised; the targets after it were not even
    tried, and the message came back only after the queue's visibility timeout."""
    monkeypatch.setattr(publisher, "deliver", lambda delivery, env: Outcome.delivered())
    message = stack.put_version(make_record("en"))
    store = FailingStore(stack.table)
    with pytest.raises(ClientError, match="slow down"):
        publish_message(message, stack.config, decide=DECIDE, store=store, targets=fake_targets("broken", "a", "b"))
    assert states(store, message) == {"a": "delivered", "b": "delivered"}
    line = published_line(capsys.readouterr().out)
    assert [(d["target"], d["state"]) for d in line["deliveries"]] == [("broken", "error"), ("a", "delivered"),
                                                                       ("b", "delivered")]
    assert "ProvisionedThroughputExceededException" in line["deliveries"][0]["reason"]


def test_a_backfilled_article_asks_for_no_render(stack, monkeypatch):
    """Contract 2 of issue 11: a publish message with "backfill": true is delivered with render=False."""
    seen = {}

    def deliver(delivery, env):
        seen[delivery.article_id] = delivery.render
        return Outcome.delivered()

    monkeypatch.setattr(publisher, "deliver", deliver)
    live = stack.put_version(make_record("en", salt=" live"))
    backfilled = {**stack.put_version(make_record("en", salt=" old")), "backfill": True}
    for message in (live, backfilled):
        publish_message(message, stack.config, decide=DECIDE, targets=fake_targets("site"))
    assert seen == {live["article_id"]: True, backfilled["article_id"]: False}
