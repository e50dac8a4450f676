"""The delivery state machine as data (synd.aws.deliveries.TRANSITIONS): what it allows, checked without AWS."""
from synd.aws.deliveries import (DELIVERED, FAILED, FINAL_STATES, NEW, OUTCOMES, PENDING, REOPENED_BY, RETRYING, STATES,
                                 TRANSITIONS, WITHDRAWN, WITHHELD, condition)


def test_nothing_leaves_a_final_state_but_a_reconsidered_withholding():
    for name, transition in TRANSITIONS.items():
        reopened = transition.sources & FINAL_STATES
        assert all(REOPENED_BY.get(state) == name for state in reopened), name
    assert REOPENED_BY == {WITHHELD: "reconsider_claim"} and TRANSITIONS["reconsider_claim"].sources == {WITHHELD}
    assert DELIVERED not in REOPENED_BY and WITHDRAWN not in REOPENED_BY


def test_only_the_claim_holder_records_an_outcome():
    for state, name in OUTCOMES.items():
        transition = TRANSITIONS[name]
        assert transition.to == state and transition.fenced and transition.sources == {PENDING}


def test_a_live_claim_is_taken_only_after_its_lease():
    for name in ("claim", "redrive_claim", "withhold", "nothing_to_retract"):
        transition = TRANSITIONS[name]
        assert PENDING not in transition.sources and transition.after_lease


def test_failed_is_claimed_again_only_by_a_redrive():
    assert FAILED not in TRANSITIONS["claim"].sources and FAILED in TRANSITIONS["redrive_claim"].sources


def test_every_state_is_reachable_and_every_non_final_state_can_move_on():
    reachable = {t.to for t in TRANSITIONS.values()}
    assert reachable == set(STATES)
    for state in set(STATES) - FINAL_STATES:
        assert any(state in t.sources or (state == PENDING and t.after_lease) for t in TRANSITIONS.values()), state


def test_conditions_follow_the_table():
    guard, values = condition(TRANSITIONS["claim"], now=10.0, token=None)
    assert guard == "attribute_not_exists(pk) OR #state = :from0 OR (#state = :pending AND lease_until < :now)"
    assert values == {":from0": RETRYING, ":pending": PENDING, ":now": 10.0}
    guard, values = condition(TRANSITIONS["deliver"], now=10.0, token="t1")
    assert guard == "#state = :pending AND claim_token = :token" and values == {":pending": PENDING, ":token": "t1"}
    assert NEW in TRANSITIONS["withhold"].sources and TRANSITIONS["withhold"].to == WITHHELD
    assert TRANSITIONS["deliver"].to == DELIVERED
