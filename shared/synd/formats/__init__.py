"""Format registry: every format module answers "are these bytes mine?" and
"parse them". A new format is one module plus one line in FORMATS.

Each module exposes:
    NAME: str
    sniff(doc: Decoded) -> float      # 0.0 (not mine) .. 1.0 (certainly mine)
    parse(doc: Decoded) -> list[Draft]  # raise synd.errors.Rejected for bad input

The order of FORMATS breaks ties between equal sniff scores.
"""
from __future__ import annotations

from dataclasses import dataclass

from synd.errors import Rejected
from synd.model import Draft


@dataclass(frozen=True)
class Decoded:
    """A drop's text, with the bytes it came from and how they were decoded."""

    raw: bytes
    text: str
    encoding: str
    partner: str = ""


def _registry():
    # Imported here so that a format module can import helpers from this package.
    from synd.formats import feed, gopher, html, markdown, ninjs, text

    return [ninjs, feed, html, gopher, markdown, text]


FORMATS: list = []


def formats() -> list:
    if not FORMATS:
        FORMATS.extend(_registry())
    return FORMATS


def sniff(doc: Decoded):
    """The format module that claims these bytes most surely."""
    best, best_score = None, 0.0
    for module in formats():
        score = module.sniff(doc)
        if score > best_score:
            best, best_score = module, score
    if best is None:
        raise Rejected("unknown_format", "the content is not HTML, Markdown, plain text, a feed or ninjs JSON")
    return best


def parse(doc: Decoded) -> tuple[str, list[Draft]]:
    module = sniff(doc)
    return module.NAME, [nfc_draft(draft) for draft in module.parse(doc)]


def nfc_draft(draft: Draft) -> Draft:
    """Every text field of a draft in NFC (decode_bytes skips whole-document NFC on large markup)."""
    from synd.decode import to_nfc

    for name in ("title", "body_text", "published", "modified", "canonical_url", "guid", "publisher", "section",
                 "summary", "language_hint"):
        value = getattr(draft, name)
        if isinstance(value, str):
            setattr(draft, name, to_nfc(value))
    draft.authors = [to_nfc(a) for a in draft.authors]
    draft.via = [to_nfc(v) for v in draft.via]
    for hint in draft.license_hints:
        hint.text = to_nfc(hint.text or "")
    return draft
