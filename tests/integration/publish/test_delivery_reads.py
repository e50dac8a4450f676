"""What the publisher reads before it writes a delivery (issue 11: calls per article).

A delivery claims its record straight away: the claim is a conditional write that is refused when the
record is final, failed or under another worker's lease, and the refusal carries the record
(ReturnValuesOnConditionCheckFailure), so a read before it is one call per target and article for
nothing. Withholding, withdrawing and reconsidering act on what is recorded and still read it first.
The targets' health items (is a target paused?) are read in one BatchGetItem per article, not a
GetItem per target.
"""
from collections import Counter

from synd.aws import client
from synd.aws.deliveries import DeliveryStore
from synd.publish.publisher import publish_message

from tests.integration.publish.publish_stack import SECRET
from tests.unit.publish.publish_samples import Receiver, decide_by_target, make_record, target


def count_delivery_calls() -> Counter:
    """(operation, target) of each DynamoDB call on a delivery record from now on, and
    (operation, "health", n keys) of each on target health items."""
    calls: Counter = Counter()

    def note(model, params, **_):
        sk = (params.get("Key") or params.get("Item") or {}).get("sk", {}).get("S", "")
        if sk.startswith("DELIVERY#"):
            calls.update([(model.name, sk.split("#")[1])])
        keys = [key for request in (params.get("RequestItems") or {}).values() for key in request.get("Keys", [])]
        if sk == "HEALTH" or keys:
            calls.update([(model.name, "health", len(keys) or 1)])

    client("dynamodb").meta.events.register("before-parameter-build.dynamodb.*", note,
                                            unique_id="delivery-record-calls")
    return calls


def targets(receiver_url):
    return [target("site", "site", base_url="https://site.example"),
            target("hook", "webhook", url=receiver_url + "/in"),
            target("translator", "webhook", url=receiver_url + "/never")]


DECIDE = decide_by_target({"translator": "withhold"})


def test_a_delivery_claims_without_reading_its_record_first(stack):
    message = stack.put_version(make_record("fa"))
    with Receiver(SECRET, {}) as receiver:
        calls = count_delivery_calls()
        results = publish_message(message, stack.config, decide=DECIDE, targets=targets(receiver.url))
    assert {r.target: r.state for r in results} == {"site": "delivered", "hook": "delivered",
                                                    "translator": "withheld"}
    for delivered in ("site", "hook"):  # the claim, then the outcome: two writes and no read
        assert calls[("GetItem", delivered)] == 0
        assert calls[("UpdateItem", delivered)] == 2
    assert calls[("GetItem", "translator")] == 1 and calls[("UpdateItem", "translator")] == 1
    # the health of the article's three targets, read once, together
    health_reads = {key: count for key, count in calls.items() if key[1] == "health"}
    assert health_reads == {("BatchGetItem", "health", 3): 1}


def test_a_paused_target_is_seen_through_the_batched_health_read(stack):
    message = stack.put_version(make_record("fa"))
    store = DeliveryStore(stack.table)
    for _ in range(2):
        store.note_failure("hook", "HTTP 503", pause_after=2)
    assert store.healths(["hook", "site", "never-failed"]) == {
        "hook": store.health("hook"), "site": store.health("site"), "never-failed": store.health("never-failed")}
    assert store.health("hook")["paused"] is True
    with Receiver(SECRET, {}) as receiver:
        results = publish_message(message, stack.config, decide=DECIDE, targets=targets(receiver.url))
    assert {r.target: r.state for r in results} == {"site": "delivered", "hook": "failed", "translator": "withheld"}
    assert receiver.calls == []  # the paused hook was not called


def test_a_duplicate_message_is_still_skipped_by_the_refused_claim(stack):
    message = stack.put_version(make_record("fa"))
    with Receiver(SECRET, {}) as receiver:
        publish_message(message, stack.config, decide=DECIDE, targets=targets(receiver.url))
        calls = count_delivery_calls()
        again = publish_message(message, stack.config, decide=DECIDE, targets=targets(receiver.url))
    assert {r.target: (r.state, r.reason) for r in again} == {
        "site": ("skipped", "already delivered"), "hook": ("skipped", "already delivered"),
        "translator": ("skipped", "already withheld")}
    assert calls[("GetItem", "hook")] == 0 and calls[("UpdateItem", "hook")] == 1  # the refused claim
    assert len(receiver.accepted) == 1  # the hook was called once, by the first message
    rows = {r["target"]: r for r in DeliveryStore(stack.table).of_article(message["article_id"])}
    assert rows["hook"]["attempts"] == 1  # a refused claim counts no attempt


class Throttled:
    """moto never leaves keys unprocessed; DynamoDB does under throttling: this client answers each
    BatchGetItem with the last key unprocessed (the AWS shape), and passes every other call on."""

    def __init__(self, ddb):
        self.ddb, self.batches = ddb, []

    def batch_get_item(self, RequestItems):  # noqa: N803 - boto3's keyword
        ((table, request),) = RequestItems.items()
        keys = request["Keys"]
        self.batches.append(len(keys))
        answer = self.ddb.batch_get_item(RequestItems={table: {**request, "Keys": keys[:-1]}}) if keys[:-1] else {}
        return {"Responses": answer.get("Responses", {table: []}),
                "UnprocessedKeys": {table: {"Keys": keys[-1:], "ConsistentRead": True}}}

    def __getattr__(self, name):
        return getattr(self.ddb, name)


def test_health_keys_left_unprocessed_are_asked_again_then_read_alone(stack):
    store = DeliveryStore(stack.table)
    for name in ("a", "b", "c", "d"):
        store.note_failure(name, "HTTP 503", pause_after=9)
    store.ddb = throttled = Throttled(store.ddb)
    healths = store.healths(["d", "c", "b", "a"])
    assert throttled.batches == [4, 1, 1]  # the unprocessed key asked again twice, then read with a GetItem
    assert {name: h["consecutive_failures"] for name, h in healths.items()} == {"a": 1, "b": 1, "c": 1, "d": 1}
