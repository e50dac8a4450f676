from synd.aws.deliveries import DeliveryStore


def claim(store, **kwargs):
    return store.claim("a1", "hook", 1, partner="afgazad", language="fa", **kwargs)


def test_claim_once_then_nobody_else_until_released(stack):
    store = DeliveryStore(stack.table)
    first = claim(store)
    assert first["state"] == "pending" and first["attempts"] == 1
    assert claim(store) is None  # a duplicate message while the first worker holds the lease
    store.finish("a1", "hook", 1, "retrying", last_error="HTTP 503")
    second = claim(store)
    assert second["attempts"] == 2
    store.finish("a1", "hook", 1, "delivered", detail={"status": 200})
    assert claim(store) is None and claim(store, redrive=True) is None
    assert store.get("a1", "hook", 1)["state"] == "delivered"


def test_expired_lease_can_be_taken_over(stack):
    store = DeliveryStore(stack.table)
    assert claim(store, lease_seconds=-1)  # a worker that died: its lease is already over
    assert claim(store)["attempts"] == 2


def test_failed_only_with_redrive(stack):
    store = DeliveryStore(stack.table)
    claim(store)
    store.finish("a1", "hook", 1, "failed", last_error="HTTP 400: bad")
    assert claim(store) is None
    assert claim(store, redrive=True)["attempts"] == 2


def test_withheld_recorded_once_and_queryable(stack):
    store = DeliveryStore(stack.table)
    decision = {"action": "withhold", "reason": "ND forbids translation"}
    assert store.record_withheld("a1", "translator", 1, decision=decision, partner="p", language="fa")
    assert not store.record_withheld("a1", "translator", 1, decision=decision, partner="p", language="fa")
    (row,) = store.by_state("withheld")
    assert row["decision"]["reason"] == "ND forbids translation" and row["gsi1sk"].startswith("translator#")
    assert store.by_state("withheld", target="other") == []


def test_list_by_state_and_target(stack):
    store = DeliveryStore(stack.table)
    for n, (target, state) in enumerate([("site", "delivered"), ("hook", "failed"), ("hook", "delivered")]):
        store.claim(f"a{n}", target, 1, partner="p", language="en")
        store.finish(f"a{n}", target, 1, state)
    assert {(r["article_id"], r["state"]) for r in store.list(target="hook")} == {("a1", "failed"), ("a2", "delivered")}
    assert [r["article_id"] for r in store.list(state="failed")] == ["a1"]
    assert len(store.list()) == 3
    assert {r["target"] for r in store.of_article("a0")} == {"site"}


def test_pause_after_consecutive_failures_and_resume(stack):
    store = DeliveryStore(stack.table)
    assert not store.note_failure("hook", "HTTP 503", pause_after=3)
    store.note_success("hook")  # a success resets the count
    assert [store.note_failure("hook", "HTTP 503", pause_after=3) for _ in range(3)] == [False, False, True]
    assert [p["target"] for p in store.paused_targets()] == ["hook"]
    store.resume("hook")
    assert store.paused_targets() == [] and store.health("hook")["consecutive_failures"] == 0
