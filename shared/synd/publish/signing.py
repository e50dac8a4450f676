"""Webhook signatures, Stripe-style: `X-Synd-Signature: t=<unix ts>,v1=<hex HMAC-SHA256(secret, f"{t}.{body}")>`.

The timestamp is signed with the body so a captured request cannot be replayed
later than the receiver's tolerance. Receivers use `verify` (or its few lines).
"""
from __future__ import annotations

import hashlib
import hmac
import time

HEADER = "X-Synd-Signature"
DEFAULT_TOLERANCE = 300  # seconds


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The header value for `body` signed now (or at `timestamp`)."""
    ts = int(time.time()) if timestamp is None else int(timestamp)
    return f"t={ts},v1={signature(secret, ts, body)}"


def verify(secret: str, header: str, body: bytes, *, tolerance: int = DEFAULT_TOLERANCE,
           now: float | None = None) -> bool:
    """Whether `header` is a valid signature of `body` made within `tolerance` seconds."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        ts = int(fields["t"])
    except (ValueError, KeyError):
        return False
    current = time.time() if now is None else now
    if abs(current - ts) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, ts, body), fields.get("v1", ""))
