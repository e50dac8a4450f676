"""Webhook signatures as Standard Webhooks (https://www.standardwebhooks.com/) defines them.

    webhook-id:        the message id (stable across retries: the receiver's idempotency key)
    webhook-timestamp: integer Unix seconds of this attempt
    webhook-signature: v1,<base64 HMAC-SHA256(key, f"{id}.{timestamp}.{body}")> [v1,<...> ...]

The id and the timestamp are inside what is signed, so a captured request
replayed with another id (to pass as a new delivery) or later than the
tolerance fails verification. Keys are `whsec_<base64 of 24-64 random bytes>`;
a secret value may hold several keys separated by spaces (the current one
first): each signs, so a partner can switch keys with no downtime.

Why our own twenty lines and not the `standardwebhooks` package for signing:
its `Webhook` decodes a key leniently (junk characters are skipped, so a
mangled key silently signs with other bytes) and its `verify` raises
ValueError/binascii.Error/UnicodeDecodeError on malformed headers or bodies
instead of its own error, which a receiver must then guard. The scheme is a
single stdlib HMAC; the package is the independent verifier in the tests,
proving that partners' ready verifiers accept what we send.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from collections.abc import Iterable, Mapping

ID_HEADER = "webhook-id"
TIMESTAMP_HEADER = "webhook-timestamp"
SIGNATURE_HEADER = "webhook-signature"
SECRET_PREFIX = "whsec_"  # noqa: S105 - the key format's marker, not a secret
VERSION = "v1"
TOLERANCE = 300  # seconds either side of now (the spec's five minutes)
MIN_KEY_BYTES, MAX_KEY_BYTES = 24, 64
MAX_SIGNATURES = 10  # a header with more is refused before any HMAC is computed
_ID_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_:-")
MAX_ID_CHARS = 256


class BadSecret(ValueError):
    """A secret value that is not one or more `whsec_` keys (the message never contains the value)."""


class Unverified(ValueError):
    """Why a request is not authentic (safe to answer: it names the problem, not the key)."""


def new_secret(size: int = 32) -> str:
    """A fresh `whsec_` key of `size` random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(size)).decode("ascii")


def parse_key(text: str) -> bytes:
    """The key bytes of one `whsec_<base64>` (strict base64, 24-64 bytes)."""
    if not text.startswith(SECRET_PREFIX):
        raise BadSecret("a key must start with whsec_")
    try:
        key = base64.b64decode(text[len(SECRET_PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        raise BadSecret("a key must be whsec_ followed by standard base64") from None
    if not MIN_KEY_BYTES <= len(key) <= MAX_KEY_BYTES:
        raise BadSecret(f"a key must hold {MIN_KEY_BYTES}-{MAX_KEY_BYTES} bytes, not {len(key)}")
    return key


def parse_secret(value: str) -> list[bytes]:
    """The keys of a secret value: one or more `whsec_` keys separated by whitespace, the current one first."""
    keys = [parse_key(part) for part in value.split()]
    if not keys:
        raise BadSecret("the secret is empty")
    return keys


def message_id(key: str) -> str:
    """A webhook-id for an idempotency key: the key itself when it is made of [A-Za-z0-9_:-],
    otherwise each other byte %XX-escaped. Stable, one-to-one, and never contains the `.` that
    would let id, timestamp and body be split another way in the signed string."""
    text = "".join(c if c in _ID_SAFE else "".join(f"%{b:02X}" for b in c.encode("utf-8")) for c in key)
    if not text or len(text) > MAX_ID_CHARS:
        raise ValueError(f"a message id must have 1-{MAX_ID_CHARS} characters")
    return text


def signature(key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    """`v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return f"{VERSION}," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode("ascii")


def sign(keys: Iterable[bytes], msg_id: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """The three Standard Webhooks headers for `body`, signed now (or at `timestamp`) with every key."""
    ts = int(time.time()) if timestamp is None else int(timestamp)
    signatures = " ".join(signature(key, msg_id, ts, body) for key in keys)
    if not signatures:
        raise BadSecret("no key to sign with")
    return {ID_HEADER: msg_id, TIMESTAMP_HEADER: str(ts), SIGNATURE_HEADER: signatures}


def verify(keys: Iterable[bytes], headers: Mapping[str, str], body: bytes, *, tolerance: int = TOLERANCE,
           now: float | None = None) -> str:
    """The webhook-id of an authentic request; raises Unverified with the reason otherwise.

    Never raises anything else, whatever the headers hold (non-ASCII, garbage, too many signatures)."""
    lowered = {str(k).lower(): str(v) for k, v in headers.items()}
    msg_id, stamp, header = (lowered.get(h, "") for h in (ID_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER))
    if not (msg_id and stamp and header):
        raise Unverified("missing webhook-id, webhook-timestamp or webhook-signature")
    if "." in msg_id or not msg_id.isascii() or not msg_id.isprintable() or len(msg_id) > MAX_ID_CHARS:
        raise Unverified("webhook-id must be up to 256 printable ASCII characters without '.'")
    timestamp = _timestamp(stamp)
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise Unverified("webhook-timestamp is outside the tolerance")
    offered = _offered_signatures(header)
    expected = [base64.b64decode(signature(key, msg_id, timestamp, body)[len(VERSION) + 1:]) for key in keys]
    # compare every pair (no early exit on the first match): the time taken says nothing about which one matched
    matched = [hmac.compare_digest(mine, theirs) for mine in expected for theirs in offered]
    if not any(matched):
        raise Unverified("no matching signature")
    return msg_id


def _timestamp(stamp: str) -> int:
    if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= 12):
        raise Unverified("webhook-timestamp must be integer Unix seconds")
    return int(stamp)


def _offered_signatures(header: str) -> list[bytes]:
    """The v1 signatures of the header, decoded; other versions (v1a...) are skipped, as the spec says."""
    parts = header.split()
    if len(parts) > MAX_SIGNATURES:
        raise Unverified(f"more than {MAX_SIGNATURES} signatures")
    offered = []
    for part in parts:
        version, _, value = part.partition(",")
        if version != VERSION:
            continue
        try:
            offered.append(base64.b64decode(value.encode("ascii"), validate=True))
        except (binascii.Error, ValueError, UnicodeEncodeError):
            continue
    return offered
