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
    from synd.budget import checkpoint

    module = sniff(doc)
    checkpoint(f"{module.NAME} parsing")
    drafts = module.parse(doc)
    checkpoint(f"{module.NAME} drafts")
    return module.NAME, [nfc_draft(draft) for draft in drafts]


TEXT_FIELDS = ("title", "body_text", "published", "modified", "canonical_url", "guid", "publisher", "section",
               "summary", "language_hint")


def nfc_draft(draft: Draft) -> Draft:
    """Every text field of a draft a string in NFC (decode_bytes skips whole-document NFC on large markup).

    JSON and YAML hand the format modules whatever a partner typed (`"guid": 5`, `"license": {"url": [1]}`,
    `"name": {"x": 1}`): this is the one place where a draft gets the types synd.model declares, so no
    later stage meets a number or a list where it reads text. A number becomes its digits; a list or
    an object where one string belongs means nothing and is dropped."""
    from synd.decode import to_nfc

    for name in TEXT_FIELDS:
        value = text_or_none(getattr(draft, name))
        setattr(draft, name, to_nfc(value) if value is not None else None)
    draft.title, draft.body_text = draft.title or "", draft.body_text or ""
    draft.chrome = to_nfc(text_or_none(draft.chrome) or "")
    draft.authors = [to_nfc(a) for a in map(text_or_none, _listed(draft.authors)) if a]
    draft.via = [to_nfc(v) for v in map(text_or_none, _listed(draft.via)) if v]
    for hint in draft.license_hints:
        hint.text = to_nfc(text_or_none(hint.text) or "")
        hint.url = text_or_none(hint.url)
        hint.where = text_or_none(hint.where) or "body"
    draft.images = [image for image in _listed(draft.images)
                    if isinstance(image, dict) and isinstance(image.get("url"), str)]
    return draft


def text_or_none(value) -> str | None:
    """A string as it is, a number as its digits, anything else (None, a list, an object, a bool) None."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _listed(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else []
