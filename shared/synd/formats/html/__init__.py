"""Article pages: the format module (sniff, parse) over four parts, each testable alone:
`meta` (title, language, URL, publisher, licence hints; `declared` reads <meta> and JSON-LD),
`dates`, `authors`, and `body` (trafilatura, readability-lxml as second opinion, cleaning)."""
from __future__ import annotations

import re

import lxml.html
from lxml import etree

from synd.budget import checkpoint
from synd.errors import Rejected
from synd.formats import Decoded
from synd.formats.html.body import extract_body
from synd.formats.html.meta import page_metadata
from synd.model import Draft, LicenseHint

NAME = "html"
HTML_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
HTML_FRAGMENT_START = re.compile(r"^\s*<(?:script|meta|noscript|title|link|style|div|p|article|main|section|h[1-6])\b",
                                 re.I)
HTML_TAGS = re.compile(r"<(?:p|div|article|section|h[1-6]|br|span|a\s)[\s>/]", re.I)
FEED_ROOT = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.I | re.S)


def sniff(doc: Decoded) -> float:
    head = doc.text[:4096]
    if FEED_ROOT.match(head) or head.lstrip()[:1] in ("{", "["):
        return 0.0
    if HTML_START.match(head):
        return 0.9
    if HTML_FRAGMENT_START.match(head):
        return 0.7
    tags = len(HTML_TAGS.findall(doc.text[:20000]))
    return 0.6 if tags >= 3 else 0.0


# trafilatura drops every non-printable character, ZWNJ and ZWJ included, which breaks
# Persian, Urdu and Pashto words ("بهره‌مند" -> "بهرهمند"): they travel as rare printable stand-ins.
JOINER_STANDINS = {"\u200c": "\u2b1a", "\u200d": "\u2b19"}


def parse(doc: Decoded) -> list[Draft]:
    source = doc.text
    joiners = [(joiner, standin) for joiner, standin in JOINER_STANDINS.items() if joiner in source]
    for joiner, standin in joiners:
        source = source.replace(joiner, standin)
    tree = parse_tree(source)
    checkpoint("html metadata")
    draft = page_metadata(tree)
    draft.body_text, trailing, found = extract_body(tree, source, draft.title)
    draft.license_hints.extend(LicenseHint(text=line, where="footer") for line in trailing)
    found.fill(draft)
    if not draft.title:
        draft.title = _first_line_title(draft)
    return [_restore_joiners(draft, joiners)] if joiners else [draft]


def _restore_joiners(draft: Draft, joiners: list[tuple[str, str]]) -> Draft:
    def back(value):
        if isinstance(value, str):
            for joiner, standin in joiners:
                value = value.replace(standin, joiner)
        return value

    for name in ("title", "body_text", "publisher", "section", "summary"):
        setattr(draft, name, back(getattr(draft, name)))
    draft.authors = [back(a) for a in draft.authors]
    for hint in draft.license_hints:
        hint.text = back(hint.text)
    return draft


def parse_tree(text: str):
    source = re.sub(r"^\s*<\?xml[^>]*>", "", text, count=1)
    try:
        tree = lxml.html.document_fromstring(source)
    except (etree.ParserError, ValueError) as exc:
        raise Rejected("malformed", f"the HTML could not be parsed: {exc}") from exc
    if tree is None or not len(tree):
        raise Rejected("malformed", "the HTML has no elements")
    return tree



def _first_line_title(draft: Draft) -> str:
    first = draft.body_text.split("\n", 1)[0]
    return first if len(first) <= 200 else first[:200].rsplit(" ", 1)[0] + "…"
