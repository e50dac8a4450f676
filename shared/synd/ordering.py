"""Which of two sources of one article was written later.

S3 notifications arrive at least once and out of order, so the event for an
older object version can be processed after the newer one. The order comes
from the source, never from the order of processing:

- for two versions of one key, S3's `sequencer` (the event with the greater
  hexadecimal value happened later; right-pad the shorter with zeros, then
  compare as strings, as the S3 user guide says);
- otherwise (another key, or no sequencer), the object's `LastModified`;
- when neither tells, the candidate is not older (the later processing wins,
  as before).
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any

_HEX = re.compile(r"[0-9A-Fa-f]{1,64}")


def compare_sequencers(a: str, b: str) -> int:
    """-1, 0 or 1 as sequencer `a` is before, equal to or after `b`."""
    width = max(len(a), len(b))
    left, right = a.upper().ljust(width, "0"), b.upper().ljust(width, "0")
    return (left > right) - (left < right)


def _sequencer(source: dict[str, Any]) -> str | None:
    value = source.get("sequencer")
    return value if isinstance(value, str) and _HEX.fullmatch(value) else None


def _moment(source: dict[str, Any]) -> datetime | None:
    value = source.get("last_modified")
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None
    except ValueError:
        return None


def same_object(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a.get("bucket") == b.get("bucket") and a.get("key") == b.get("key") and a.get("key") is not None


def is_older(candidate: dict[str, Any], current: dict[str, Any]) -> bool:
    """True when the `candidate` source record was written before `current` (it must not replace it)."""
    if same_object(candidate, current):
        if candidate.get("version_id") and candidate.get("version_id") == current.get("version_id"):
            return False
        seq_a, seq_b = _sequencer(candidate), _sequencer(current)
        if seq_a and seq_b:
            return compare_sequencers(seq_a, seq_b) < 0
    moment_a, moment_b = _moment(candidate), _moment(current)
    if moment_a and moment_b and moment_a.tzinfo and moment_b.tzinfo:
        return moment_a < moment_b
    return False
