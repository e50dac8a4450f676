"""Feeds: RSS 2.0 / RSS 1.0 / Atom through feedparser (after defusedxml has
checked the XML), JSON Feed through json. Each item is one Draft; the
channel's language, rights and licence links are every item's defaults.

An unusable item (no text) still becomes a Draft with an empty body, so that
the pipeline records it as a per-item failure instead of losing it silently.
"""
from __future__ import annotations

import re
from xml.etree.ElementTree import ParseError

import feedparser
from defusedxml import DefusedXmlException, ElementTree as SafeElementTree

from synd.budget import checkpoint
from synd.errors import Rejected
from synd.formats import Decoded, jsondata
from synd.model import Draft, LicenseHint
from synd.text.authors import normalise_authors
from synd.text.body import clean_paragraphs
from synd.text.dates import find_date, parse_date
from synd.text.header import licence_line
from synd.text.htmltext import html_paragraphs, html_to_text
from synd.text.urls import clean_url

NAME = "feed"
XML_FEED_ROOT = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*(?:\[.*?\])?\s*>\s*|<\?[^>]*>\s*)*"
                           r"<(?:rss|feed|rdf:RDF)\b", re.I | re.S)
JSON_FEED_VERSION = re.compile(r'"version"\s*:\s*"https?:\\?/\\?/jsonfeed\.org\\?/version', re.I)
XML_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])[^"']+""")
TRUNCATED = ("no element found", "unclosed token")
# A numeric character reference; the digits are matched possessively (a run of digits is read once).
CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]++)|([0-9]++));")
MAX_REF_DIGITS = 7  # U+10FFFF is 1114111: more digits than this name no character


def sniff(doc: Decoded) -> float:
    head = doc.text[:4096]
    if XML_FEED_ROOT.match(head):
        return 0.95
    if head.lstrip().startswith("{") and JSON_FEED_VERSION.search(doc.text[:20000]):
        return 0.95
    return 0.0


def parse(doc: Decoded) -> list[Draft]:
    if doc.text.lstrip().startswith("{"):
        return parse_json_feed(doc.text)
    return parse_xml_feed(doc)


# --- RSS / Atom ----------------------------------------------------------------------------

def check_xml(text: str) -> None:
    """Refuse entity tricks (billion laughs, external entities) before any parser expands them,
    and a truncated document. Other well-formedness slips are left to feedparser's leniency."""
    try:
        SafeElementTree.fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1))
    except DefusedXmlException as exc:
        raise Rejected("unsafe_xml", f"the feed declares entities or external references ({type(exc).__name__}); "
                                     "refused before parsing") from exc
    except ParseError as exc:
        if any(word in str(exc) for word in TRUNCATED):
            raise Rejected("malformed", f"the feed XML is truncated or broken: {exc}") from exc


def xml_char_refs(text: str) -> str:
    """Every numeric character reference to a code point XML 1.0 forbids becomes `&#xFFFD;`.

    feedparser's lenient parser (the one it falls back on when the feed is not well-formed)
    calls `chr()` on each reference and raises ValueError, OverflowError or UnicodeEncodeError
    for `&#x110000;`, `&#9999999999;` or a surrogate `&#xD800;`."""
    def replace(match: re.Match) -> str:
        hex_digits, digits = match.groups()
        number = hex_digits or digits
        if len(number.lstrip("0")) <= MAX_REF_DIGITS and _xml_char(int(number, 16 if hex_digits else 10)):
            return match.group(0)
        return "&#xFFFD;"

    return CHAR_REF.sub(replace, text) if "&#" in text else text


def _xml_char(code: int) -> bool:
    """The XML 1.0 `Char` production: tab, line feed, carriage return, and the rest less surrogates and FFFE/FFFF."""
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF


def parse_xml_feed(doc: Decoded) -> list[Draft]:
    text = xml_char_refs(doc.text)
    check_xml(text)
    checkpoint("feedparser")
    # feedparser re-reads a declared encoding: hand it the already-decoded text as UTF-8
    utf8 = XML_ENCODING.sub(r"\1utf-8", text, count=1).encode("utf-8")
    parsed = feedparser.parse(utf8, sanitize_html=False, resolve_relative_uris=False)
    if parsed.get("bozo") and not parsed.entries and not parsed.feed:
        raise Rejected("malformed", f"the feed could not be read: {parsed.get('bozo_exception')}")
    if not parsed.entries:
        raise Rejected("feed_empty", f"the feed {parsed.feed.get('title', '')!r} has no items")
    channel = parsed.feed
    defaults = _channel_defaults(channel)
    drafts = []
    for index, entry in enumerate(parsed.entries):
        checkpoint(f"feed item {index + 1}")
        draft = _guarded(_entry_draft, entry, defaults, index)
        if draft is not None:
            drafts.append(draft)
    if not drafts:
        raise Rejected("feed_empty", "no item of the feed has a title, a link or any text")
    return drafts


def _guarded(read, item, defaults: dict, index: int) -> Draft | None:
    """One item that cannot be read must not lose the others: it becomes a Draft without
    text, which the pipeline records as that item's failure."""
    try:
        return read(item, defaults)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        title = item.get("title") if isinstance(item, dict) else None
        return Draft(title=str(title or f"item {index + 1}")[:200], body_text="",
                     summary=f"unreadable item: {type(exc).__name__}: {exc}"[:300])


def _channel_defaults(channel) -> dict:
    hints = []
    if channel.get("rights"):
        hints.append(LicenseHint(text=html_to_text(channel["rights"]), where="feed"))
    hints.extend(LicenseHint(text="", url=link["href"], where="feed") for link in channel.get("links", [])
                 if link.get("rel") == "license" and link.get("href"))
    return {
        "language": channel.get("language") or None,
        "publisher": channel.get("publisher") or channel.get("title") or None,
        "license_hints": hints,
    }


def _entry_draft(entry, defaults: dict) -> Draft | None:
    title = html_to_text(entry.get("title", ""))
    body_html = _best_content(entry)
    paragraphs = html_paragraphs(body_html)
    trailing: list[str] = []
    while len(paragraphs) > 1 and licence_line(paragraphs[-1]):
        trailing.insert(0, paragraphs.pop())
    body = "\n\n".join(clean_paragraphs(paragraphs))
    link = clean_url(entry.get("feedburner_origlink") or entry.get("link"))
    if not (title or body or link):
        return None
    draft = Draft(title=title or _first_words(body), body_text=body)
    draft.authors = _entry_authors(entry)
    # dict.get: feedparser's own get() maps `updated` to `published` (and warns)
    published, updated = dict.get(entry, "published"), dict.get(entry, "updated")
    draft.published = _date(published or dict.get(entry, "created") or updated)
    draft.modified = _date(updated) if published else None
    draft.canonical_url = link or None
    draft.guid = entry.get("id") or None
    draft.publisher = defaults["publisher"]
    draft.language_hint = _entry_language(entry) or defaults["language"]
    if entry.get("tags"):
        draft.section = entry["tags"][0].get("term") or None
    summary = entry.get("summary")
    if summary and entry.get("content"):
        draft.summary = html_to_text(summary)[:500] or None
    # the channel's rights are defaults: an item that states its own replaces them
    draft.license_hints = _entry_hints(entry, trailing) or list(defaults["license_hints"])
    return draft


def _entry_authors(entry) -> list[str]:
    """The raw `author` string when it is RSS's `email (Name)` (feedparser splits right-to-left
    names badly), else feedparser's author list."""
    raw = entry.get("author") or ""
    if "@" in raw and "(" in raw:
        return normalise_authors(raw)
    names = [a.get("name", "") for a in entry.get("authors", []) if a.get("name")]
    return normalise_authors(names or raw)


def _best_content(entry) -> str:
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    if contents:
        return max(contents, key=len)
    return entry.get("summary", "") or entry.get("description", "")


def _entry_language(entry) -> str | None:
    for detail in [*entry.get("content", []), entry.get("summary_detail") or {}, entry.get("title_detail") or {}]:
        if detail.get("language"):
            return detail["language"]
    return entry.get("language") or entry.get("dc_language") or None


def _entry_hints(entry, trailing: list[str]) -> list[LicenseHint]:
    hints = []
    if entry.get("rights"):
        hints.append(LicenseHint(text=html_to_text(entry["rights"]), where="feed"))
    hints.extend(LicenseHint(text=link.get("title", ""), url=link["href"], where="feed")
                 for link in entry.get("links", []) if link.get("rel") == "license" and link.get("href"))
    hints.extend(LicenseHint(text=line, where="footer") for line in trailing)
    return hints


def _date(value) -> str | None:
    if not value:
        return None
    return parse_date(str(value)) or find_date(str(value))


def _first_words(body: str, words: int = 12) -> str:
    head = body.split()
    return " ".join(head[:words]) + ("…" if len(head) > words else "")


# --- JSON Feed ----------------------------------------------------------------------------

def parse_json_feed(text: str) -> list[Draft]:
    try:
        feed = jsondata.loads(text)
    except ValueError as exc:
        raise Rejected("malformed", f"the JSON Feed is not valid JSON: {exc}") from exc
    if not isinstance(feed, dict):
        raise Rejected("malformed", "the JSON Feed is not an object")
    items = feed.get("items")
    if not isinstance(items, list) or not items:
        raise Rejected("feed_empty", f"the JSON Feed {feed.get('title', '')!r} has no items")
    defaults = {
        "language": feed.get("language"),
        "publisher": feed.get("title"),
        "license_hints": _json_hints(feed, "feed"),
        "authors": feed.get("authors") or ([feed["author"]] if feed.get("author") else []),
    }
    drafts = []
    for index, item in enumerate(items):
        checkpoint(f"JSON Feed item {index + 1}")
        if isinstance(item, dict):
            draft = _guarded(_json_item, item, defaults, index)
            if draft is not None:
                drafts.append(draft)
    if not drafts:
        raise Rejected("feed_empty", "no item of the JSON Feed has a title, a URL or any text")
    return drafts


def _json_hints(obj: dict, where: str) -> list[LicenseHint]:
    hints = []
    for key in ("license", "_license", "rights", "copyright"):
        value = obj.get(key)
        if isinstance(value, str) and value:
            url = value if value.startswith("http") else None
            hints.append(LicenseHint(text="" if url else value, url=url, where=where))
        elif isinstance(value, dict):
            hints.append(LicenseHint(text=str(value.get("name") or ""), url=value.get("url"), where=where))
    return hints


def _json_item(item: dict, defaults: dict) -> Draft | None:
    if item.get("content_html"):
        paragraphs = html_paragraphs(str(item["content_html"]))
    else:
        paragraphs = html_paragraphs(str(item.get("content_text") or item.get("summary") or ""))
    trailing: list[str] = []
    while len(paragraphs) > 1 and licence_line(paragraphs[-1]):
        trailing.insert(0, paragraphs.pop())
    body = "\n\n".join(clean_paragraphs(paragraphs))
    title = html_to_text(str(item.get("title") or ""))
    url = clean_url(item.get("url") or item.get("external_url"))
    if not (title or body or url):
        return None
    authors = item.get("authors") or ([item["author"]] if item.get("author") else defaults["authors"])
    return Draft(
        title=title or _first_words(body),
        body_text=body,
        authors=normalise_authors(authors),
        published=_date(item.get("date_published")),
        modified=_date(item.get("date_modified")),
        canonical_url=url,
        guid=str(item["id"]) if item.get("id") is not None else None,
        publisher=defaults["publisher"],
        language_hint=item.get("language") or defaults["language"],
        summary=item.get("summary"),
        section=(item.get("tags") or [None])[0],
        images=[{"url": item["image"]}] if item.get("image") else [],
        license_hints=(_json_hints(item, "feed") + [LicenseHint(text=t, where="footer") for t in trailing])
        or list(defaults["license_hints"]),
    )
