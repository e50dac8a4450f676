import pytest

from synd import observability as obs

from tests.integration.publish.publish_stack import SECRET
from tests.unit.publish.publish_samples import Receiver, decide_by_target, make_record, target
from synd.aws.deliveries import DeliveryStore
from synd.publish.publisher import RetryLater, publish_message


def targets(receiver_url, path="/in", **hook_options):
    return [target("site", "site", base_url="https://site.example"),
            target("hook", "webhook", url=receiver_url + path, backoff_base=1, backoff_cap=4, **hook_options),
            target("translator", "webhook", url=receiver_url + "/never")]


DECIDE = decide_by_target({"translator": "withhold"})


def test_transient_failure_retries_only_what_is_left(stack):
    message = stack.put_version(make_record("fa"))
    store = DeliveryStore(stack.table)
    with Receiver(SECRET, {"/in": [503]}) as receiver:
        with pytest.raises(RetryLater) as raised:
            publish_message(message, stack.config, decide=DECIDE, targets=targets(receiver.url))
        assert raised.value.targets == ["hook"] and 0 <= raised.value.delay <= 1
        results = publish_message(message, stack.config, decide=DECIDE, targets=targets(receiver.url))
        again = publish_message(message, stack.config, decide=DECIDE, targets=targets(receiver.url))  # a duplicate
    assert {r.target: r.state for r in results} == {"site": "skipped", "hook": "delivered", "translator": "skipped"}
    assert {r.state for r in again} == {"skipped"}
    assert list(receiver.accepted.values()) == [1]
    assert not [c for c in receiver.calls if c["path"] == "/never"]
    rows = {r["target"]: r for r in store.of_article(message["article_id"])}
    assert rows["hook"]["state"] == "delivered" and rows["hook"]["attempts"] == 2
    assert rows["site"]["state"] == "delivered" and rows["site"]["attempts"] == 1
    assert rows["translator"]["state"] == "withheld" and rows["translator"]["decision"]["action"] == "withhold"
    assert rows["hook"]["decision"]["action"] == "deliver_with_attribution"


def test_4xx_fails_once_and_is_not_retried(stack):
    message = stack.put_version(make_record("en"))
    with Receiver(SECRET) as receiver:
        results = publish_message(message, stack.config, decide=DECIDE, targets=targets(receiver.url, "/always400"))
        assert {r.target: r.state for r in results}["hook"] == "failed"
        publish_message(message, stack.config, decide=DECIDE, targets=targets(receiver.url, "/always400"))
    assert len([c for c in receiver.calls if c["path"] == "/always400"]) == 1
    (row,) = DeliveryStore(stack.table).by_state("failed", "hook")
    assert row["status_code"] == 400 and "refuses the document" in row["last_error"]


def test_gives_up_after_max_attempts(stack):
    message = stack.put_version(make_record("en"))
    with Receiver(SECRET, {"/in": [503, 503, 503]}) as receiver:
        for _ in range(2):
            with pytest.raises(RetryLater):
                publish_message(message, stack.config, decide=DECIDE, targets=targets(receiver.url, max_attempts=3))
        results = publish_message(message, stack.config, decide=DECIDE, targets=targets(receiver.url, max_attempts=3))
    hook = next(r for r in results if r.target == "hook")
    assert hook.state == "failed" and "gave up after 3 attempts" in hook.reason


def test_paused_target_is_not_called(stack):
    store = DeliveryStore(stack.table)
    with Receiver(SECRET, {"/in": [503] * 10}) as receiver:
        first = stack.put_version(make_record("en", salt=" 1"))
        with pytest.raises(RetryLater):
            publish_message(first, stack.config, decide=DECIDE, targets=targets(receiver.url, pause_after=2))
        second = stack.put_version(make_record("en", salt=" 2"))
        results = publish_message(second, stack.config, decide=DECIDE, targets=targets(receiver.url, pause_after=2))
        assert {r.target: r.state for r in results}["hook"] == "failed"  # the second failure in a row pauses it
        calls_before = len(receiver.calls)
        obs.metrics.clear_metrics()
        third = stack.put_version(make_record("en", salt=" 3"))
        results = publish_message(third, stack.config, decide=DECIDE, targets=targets(receiver.url, pause_after=2))
    assert len(receiver.calls) == calls_before
    assert {r.target: (r.state, r.reason) for r in results}["hook"] == ("failed", "target paused")
    assert store.paused_targets()[0]["target"] == "hook"
    assert obs.metrics.metric_set["DeliveriesPaused"]["Value"] == [1.0]  # what PausedTargetAlarm watches


def test_redrive_message_retries_a_failed_delivery(stack):
    message = stack.put_version(make_record("en"))
    with Receiver(SECRET, {"/in": [410]}) as receiver:
        publish_message(message, stack.config, decide=DECIDE, targets=targets(receiver.url))
        results = publish_message({**message, "redrive": ["hook"]}, stack.config, decide=DECIDE,
                                  targets=targets(receiver.url))
    assert {r.target: r.state for r in results}["hook"] == "delivered"
    assert list(receiver.accepted.values()) == [1]


def test_a_delivery_leased_by_another_worker_brings_its_message_back(stack):
    """Issue 9.3: a message that came back while its claim was leased was answered "skipped" and deleted;
    if that other worker then died, the delivery stayed pending forever."""
    message = stack.put_version(make_record("en"))
    store = DeliveryStore(stack.table)
    held = store.claim(message["article_id"], "hook", 1, partner="afgazad", language="en", lease_seconds=30)
    with Receiver(SECRET) as receiver:
        with pytest.raises(RetryLater) as raised:
            publish_message(message, stack.config, decide=DECIDE, targets=targets(receiver.url))
    assert raised.value.targets == ["hook"] and 29 <= raised.value.delay <= 32  # back when the lease is over
    assert receiver.calls == []
    assert store.get(message["article_id"], "hook", 1)["claim_token"] == held.token


def test_a_paused_target_never_overwrites_a_live_claim(stack):
    """Issue 9.3: the paused-target path wrote `failed` over another worker's live claim."""
    message = stack.put_version(make_record("en"))
    store = DeliveryStore(stack.table)
    for _ in range(3):
        store.note_failure("hook", "HTTP 503", pause_after=3)
    held = store.claim(message["article_id"], "hook", 1, partner="afgazad", language="en", lease_seconds=30)
    with Receiver(SECRET) as receiver:
        with pytest.raises(RetryLater):
            publish_message(message, stack.config, decide=DECIDE, targets=targets(receiver.url))
    row = store.get(message["article_id"], "hook", 1)
    assert row["state"] == "pending" and row["claim_token"] == held.token


def test_the_lease_is_the_invocations_remaining_time_plus_a_margin(stack):
    """Issue 9.3: the lease was a fixed 120 s, unrelated to the function timeout: a slow worker could
    outlive it (two deliveries), or a dead one hold it far too long."""
    from synd.publish.publisher import LEASE_MARGIN_SECONDS

    class RecordingStore(DeliveryStore):
        leases: list = []

        def claim(self, *args, lease_seconds, **kwargs):
            attempt = super().claim(*args, lease_seconds=lease_seconds, **kwargs)
            self.leases.append((lease_seconds, float(attempt.record["lease_until"]) - lease_seconds))
            return attempt

    message = stack.put_version(make_record("en"))
    store = RecordingStore(stack.table)
    with Receiver(SECRET) as receiver:
        publish_message(message, stack.config, decide=DECIDE, targets=targets(receiver.url), store=store,
                        remaining=lambda: 42.0)
    assert [lease for lease, _ in store.leases] == [42.0 + LEASE_MARGIN_SECONDS] * 2  # site and hook


def test_no_target_is_claimed_when_the_invocation_has_too_little_time_left(stack):
    message = stack.put_version(make_record("en"))
    with Receiver(SECRET) as receiver:
        with pytest.raises(RetryLater) as raised:
            publish_message(message, stack.config, decide=DECIDE, targets=targets(receiver.url, timeout=10),
                            remaining=lambda: 5.0)
    assert "hook" in raised.value.targets and receiver.calls == []
    assert DeliveryStore(stack.table).get(message["article_id"], "hook", 1) is None  # nothing claimed, nothing stuck
