import hashlib
import hmac
import random

import pytest

from synd.publish.retry import backoff_seconds, is_retryable
from synd.publish.signing import sign, verify

BODY = '{"uri":"urn:synd:article:1"}'.encode()


def test_signature_format_and_value():
    header = sign("s3cret", BODY, timestamp=1700000000)
    expected = hmac.new(b"s3cret", b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"


def test_verify_accepts_fresh_and_refuses_tampered_or_stale():
    header = sign("s3cret", BODY, timestamp=1700000000)
    assert verify("s3cret", header, BODY, now=1700000010)
    assert not verify("other", header, BODY, now=1700000010)
    assert not verify("s3cret", header, BODY + b" ", now=1700000010)
    assert not verify("s3cret", header, BODY, now=1700009999)
    assert not verify("s3cret", "garbage", BODY)


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
