"""Standard Webhooks signing (synd.publish.signing), checked against the spec's formula and against the
reference implementation (the `standardwebhooks` package partners verify with), both ways."""
import base64
import hashlib
import hmac
import random
import time

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from synd.publish.retry import backoff_seconds, is_retryable
from synd.publish.signing import (BadSecret, Unverified, message_id, new_secret, parse_key, parse_secret, sign,
                                  verify)

BODY = '{"uri":"urn:synd:article:1","headline":"تمام افراد"}'.encode()
KEY_TEXT = "whsec_" + base64.b64encode(bytes(range(32))).decode()
KEY = parse_key(KEY_TEXT)
MSG = "579896b5d51dccd8998d354b:v2:partner_webhook"


def signed(timestamp: int | None = None, keys=(KEY,), msg_id: str = MSG) -> dict[str, str]:
    return sign(list(keys), msg_id, BODY, timestamp=timestamp)


def test_headers_and_signature_follow_the_spec_formula():
    headers = signed(timestamp=1700000000)
    mac = hmac.new(bytes(range(32)), f"{MSG}.1700000000.".encode() + BODY, hashlib.sha256).digest()
    assert headers == {"webhook-id": MSG, "webhook-timestamp": "1700000000",
                       "webhook-signature": "v1," + base64.b64encode(mac).decode()}


def test_the_reference_verifier_accepts_our_signature_and_we_accept_its():
    headers = signed()
    assert Webhook(KEY_TEXT).verify(BODY, headers, json_parse=False) is None  # raises when it refuses
    theirs = Webhook(KEY_TEXT).sign(MSG, __import__("datetime").datetime.now(), BODY.decode())
    now = str(int(time.time()))
    assert verify([KEY], {"webhook-id": MSG, "webhook-timestamp": now, "webhook-signature": theirs}, BODY) == MSG


def test_a_captured_request_replayed_with_another_id_or_time_is_refused():
    """The defect: the id a receiver dedupes on was outside the signature, so a replay passed as new."""
    headers = signed()
    for changed in ({"webhook-id": MSG.replace("v2", "v3")}, {"webhook-id": "another-delivery"},
                    {"webhook-timestamp": str(int(headers["webhook-timestamp"]) + 1)}):
        tampered = {**headers, **changed}
        with pytest.raises(Unverified):
            verify([KEY], tampered, BODY)
        with pytest.raises(WebhookVerificationError):  # partners' ready verifiers refuse it too
            Webhook(KEY_TEXT).verify(BODY, tampered, json_parse=False)


def test_verify_refuses_tampering_other_keys_and_stale_or_future_timestamps():
    headers = signed(timestamp=1700000000)
    assert verify([KEY], headers, BODY, now=1700000010) == MSG
    assert verify([KEY], headers, BODY, now=1700000000 + 300) == MSG  # five minutes either side
    with pytest.raises(Unverified, match="no matching"):
        verify([parse_key(new_secret())], headers, BODY, now=1700000010)
    with pytest.raises(Unverified, match="no matching"):
        verify([KEY], headers, BODY + b" ", now=1700000010)
    for now in (1700000000 + 301, 1700000000 - 301):
        with pytest.raises(Unverified, match="tolerance"):
            verify([KEY], headers, BODY, now=now)


def test_several_signatures_rotation_any_one_matching_is_enough_and_v1a_is_skipped():
    old, new = parse_key(new_secret()), parse_key(new_secret())
    headers = signed(keys=(new, old))
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert verify([old], headers, BODY) == verify([new], headers, BODY) == MSG
    with_v1a = {**headers, "webhook-signature": "v1a,AAAA " + headers["webhook-signature"]}
    assert verify([old], with_v1a, BODY) == MSG


@pytest.mark.parametrize("signature", ["t=1,v1=\xe9\xe9", "v1,\xe9\xe9\xe9\xe9", "garbage", "v1,", "v1,!!!!",
                                       "v1,AAA", "v2,abc", " ", "v1," + "A" * 10000, "v1,AAAA " * 11])
def test_malformed_signatures_are_refused_with_unverified_never_another_error(signature):
    headers = {**signed(), "webhook-signature": signature}
    with pytest.raises(Unverified):
        verify([KEY], headers, BODY)


@pytest.mark.parametrize("changed", [{"webhook-id": ""}, {"webhook-timestamp": ""}, {"webhook-signature": ""},
                                     {"webhook-timestamp": "abc"}, {"webhook-timestamp": "1e9"},
                                     {"webhook-timestamp": "-5"}, {"webhook-timestamp": "99999999999999999999"},
                                     {"webhook-timestamp": "１７００"}, {"webhook-id": "a.b"},
                                     {"webhook-id": "x" * 257}, {"webhook-id": "caf\xe9"}])
def test_missing_or_malformed_id_and_timestamp_are_refused(changed):
    with pytest.raises(Unverified):
        verify([KEY], {**signed(), **changed}, BODY)


def test_verify_raises_nothing_but_unverified_on_random_headers():
    rng = random.Random(9)
    alphabet = "v1a,. =/+AZaz09\x00\xe9\u202e\U0001F600"
    for _ in range(2000):
        headers = {name: "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
                   for name in ("webhook-id", "webhook-timestamp", "webhook-signature")}
        try:
            verify([KEY], headers, BODY)
        except Unverified:
            pass


def test_message_id_keeps_our_idempotency_keys_and_escapes_everything_else():
    assert message_id(MSG) == MSG
    assert message_id("a.b") == "a%2Eb" and message_id("a/é") == "a%2F%C3%A9" and message_id("%") == "%25"
    samples = ["a.b", "a%2Eb", "a:b", "a b", "é", "%C3%A9", "a..b", "x" * 80]
    ids = [message_id(s) for s in samples]
    assert len(set(ids)) == len(samples)  # one-to-one
    assert not any("." in i for i in ids)  # nothing that could split id.timestamp.body another way
    with pytest.raises(ValueError):
        message_id("")


def test_keys_are_whsec_base64_of_24_to_64_bytes_and_never_echoed():
    assert len(parse_key(new_secret())) == 32
    assert parse_secret(f"{KEY_TEXT}  {new_secret(24)}\n")[0] == KEY
    bad = ["", "   ", base64.b64encode(bytes(32)).decode(), "whsec_" + base64.b64encode(bytes(23)).decode(),
           "whsec_" + base64.b64encode(bytes(65)).decode(), "whsec_!!" + KEY_TEXT[6:], "whsec_" + KEY_TEXT[6:-1]]
    for value in bad:
        with pytest.raises(BadSecret) as error:
            parse_secret(value)
        assert not value.strip() or value.strip() not in str(error.value)


@pytest.mark.parametrize("status,retry", [(None, True), (500, True), (502, True), (503, True), (429, True),
                                          (408, True), (400, False), (401, False), (404, False), (410, False)])
def test_which_statuses_are_retried(status, retry):
    assert is_retryable(status) is retry


def test_backoff_is_full_jitter_under_an_exponential_cap():
    rng = random.Random(7)
    for attempt, ceiling in [(1, 2), (2, 4), (3, 8), (4, 16), (10, 60)]:
        draws = [backoff_seconds(attempt, base=2, cap=60, rng=rng) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in draws)
        assert max(draws) > ceiling * 0.8  # spread over the whole range, not fixed
        assert min(draws) < ceiling * 0.2


def test_the_ten_line_verifier_in_docs_publishing_accepts_our_requests_and_refuses_replays():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "publishing.md").read_text(encoding="utf-8")
    snippet = doc.split("Or in ten lines of Python", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(compile(snippet, "docs/publishing.md", "exec"), namespace)  # noqa: S102 - our own documentation
    partner_verify = namespace["verify"]
    old, new = new_secret(), new_secret()
    headers = sign([parse_key(new), parse_key(old)], MSG, BODY)
    assert partner_verify(old, headers, BODY) == partner_verify(new, headers, BODY) == MSG
    for tampered in ({**headers, "webhook-id": "another"}, {**headers, "webhook-signature": "v1,\xe9"},
                     {**headers, "webhook-timestamp": "1700000000"}):
        with pytest.raises(ValueError):
            partner_verify(old, tampered, BODY)
