"""Per-language feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1) built from a small list of entries.

The list of entries is the feed's state (kept beside the feeds as
`feeds/<lang>/entries.json`): publishing an article merges one entry into it,
replacing any entry with the same id (a new version updates its entry, never
duplicates it), keeps the newest N, and the three feeds are rendered from it.
Guids are the article id, stable across versions. Each entry carries its rights:
RSS `dc:rights` + `creativeCommons:license`, Atom `<rights>` + `link rel="license"`,
JSON Feed a `_synd` extension object (licence id, name and URL, what was done,
ShareAlike, obligations). The rights text is the licence policy's credit, so the
partner's required wording and the article's language (synd.policy.attribution),
followed by the ShareAlike obligation and the SPDX id. The summary is an excerpt of
the body only where the licence and agreement allow excerpts (not 2.x/3.0 ND, not
an article with no licence unless the agreement says so), and is then credited as
an excerpt; otherwise it is the partner's own summary, or nothing.

The renderers trust nothing they are given, not even the stored entries (an
`entries.json` may predate the core's checks): every string is cleaned of the
characters XML 1.0 forbids (one `\x01` in one title made a whole feed ill-formed),
the language must be a valid BCP 47 tag (else `und`), and a URL that is not a
safe http(s) URL is left out (no `javascript:` in a `<source>`, an Atom
`rel="via"` link or a JSON Feed `external_url`).
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Any
from xml.etree import ElementTree as ET

from synd.language.tags import safe_tag
from synd.publish.attribution import credit_text, license_label, rights_of, safe_record
from synd.text.clean import clean_data, clean_text
from synd.text.urls import safe_http_url

DEFAULT_SIZE = 50

NS_ATOM = "http://www.w3.org/2005/Atom"
NS_DC = "http://purl.org/dc/elements/1.1/"
NS_CC = "http://backend.userland.com/creativeCommonsRssModule"

ET.register_namespace("atom", NS_ATOM)
ET.register_namespace("dc", NS_DC)
ET.register_namespace("creativeCommons", NS_CC)

_TRUNCATED = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_URL_FIELDS = ("url", "canonical_url", "license_url")


def to_datetime(value: str | None) -> datetime | None:
    """A truncated or full ISO 8601 date as an aware datetime ("2021-12" -> 2021-12-01T00:00Z)."""
    if not value:
        return None
    match = _TRUNCATED.match(value)
    if match:
        year, month, day = match.groups()
        return datetime(int(year), int(month or 1), int(day or 1), tzinfo=timezone.utc)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def rfc3339(value: datetime) -> str:
    return value.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def make_entry(record: dict[str, Any], *, page_url: str, updated: str, summary_chars: int = 300,
               attribution: dict[str, Any] | None = None) -> dict[str, Any]:
    """The feed entry of an article version (JSON-serialisable; stored in entries.json).

    `attribution` is the licence policy's block for the delivery (None for CC0 and the Public
    Domain Mark, which need no credit): its credit and rights are the entry's."""
    record, attribution = safe_record(record), clean_data(attribution)
    license_ = record.get("license") or {}
    rights = rights_of(record, attribution)
    summary, excerpted = _summary(record, summary_chars, may_excerpt=rights.get("excerpts", True) is not False)
    published = to_datetime(record.get("published"))
    return {
        "id": record["id"],
        "version": int(record.get("version") or 1),
        "title": record.get("title") or "Untitled",
        "url": page_url,
        "summary": summary,
        "published": rfc3339(published) if published else None,
        "updated": updated,
        "authors": list(record.get("authors") or []),
        "language": record["language"],
        "direction": "rtl" if record.get("direction") == "rtl" else "ltr",
        "canonical_url": record["canonical_url"],
        "license_spdx": rights["license"]["spdx"],
        "license_name": rights["license"]["name"],
        "license_url": rights["license"]["url"],
        "license_label": license_label(license_),
        **_credit(record, attribution, excerpted),
        "use": EXCERPT_USE if excerpted else rights.get("use"),
        "share_alike": rights.get("share_alike"),
        "obligations": list(rights.get("obligations") or []),
    }


EXCERPT_USE = "excerpt"


def _summary(record: dict[str, Any], chars: int, *, may_excerpt: bool) -> tuple[str, bool]:
    """The partner's own summary; else the body's opening words where an excerpt is allowed; else nothing.
    The second value says whether the summary is an excerpt of the body."""
    if record.get("summary"):
        return record["summary"], False
    if not may_excerpt:
        return "", False
    body = " ".join((record.get("body_text") or "").split())
    return body[:chars].rstrip() + ("…" if len(body) > chars else ""), bool(body)


def _credit(record: dict[str, Any], attribution: dict[str, Any] | None, excerpted: bool) -> dict[str, Any]:
    """The rights text of the entry: the policy's credit in its language (the partner's wording when it
    has one), marked as an excerpt when the summary is one, with the ShareAlike obligation; an English
    one-line credit when the delivery has no block (CC0, PDM)."""
    if attribution and attribution.get("rights_text"):
        text = attribution["excerpt_rights_text"] if excerpted else attribution["rights_text"]
        language = safe_tag(attribution.get("language")) or "en"
        return {"credit": text, "credit_language": language,
                "credit_direction": "rtl" if attribution.get("direction") == "rtl" else "ltr"}
    return {"credit": credit_text(record), "credit_language": "en", "credit_direction": "ltr"}


def rights_line(entry: dict[str, Any]) -> str:
    """RSS dc:rights and Atom rights: the credit and, unless there is no licence, its SPDX id."""
    spdx = entry.get("license_spdx") or "NOASSERTION"
    credit = entry.get("credit") or f"{entry.get('license_label')}."
    return credit if spdx == "NOASSERTION" or spdx in credit else f"{credit} [{spdx}]"


def sort_key(entry: dict[str, Any]) -> tuple[str, str]:
    return (entry.get("published") or entry["updated"], entry["id"])


def merge_entry(entries: list[dict[str, Any]], entry: dict[str, Any], size: int = DEFAULT_SIZE) -> list[dict[str, Any]]:
    """Entries with `entry` in place of any older version of the same article, newest N first.

    An entry for an older version than the one already listed is ignored (messages
    arrive out of order), so the feed never goes back to stale text.
    """
    current = next((e for e in entries if e["id"] == entry["id"]), None)
    if current and int(current.get("version", 0)) > int(entry.get("version", 0)):
        return sorted(entries, key=sort_key, reverse=True)[:size]
    merged = [e for e in entries if e["id"] != entry["id"]] + [entry]
    return sorted(merged, key=sort_key, reverse=True)[:size]


def safe_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """A (stored) entry as the renderers may use it: clean strings, a valid tag, only safe URLs."""
    safe = clean_data(entry)
    safe.update({name: safe_http_url(entry.get(name)) for name in _URL_FIELDS})
    safe["language"] = safe_tag(entry.get("language")) or "und"
    return safe


def _safe_args(language: str, entries: list[dict[str, Any]], site_url: str,
               title: str) -> tuple[str, list[dict[str, Any]], str, str]:
    return (safe_tag(language) or "und", [safe_entry(e) for e in entries], site_url.rstrip("/"),
            clean_text(title))


def _feed_updated(entries: list[dict[str, Any]]) -> str:
    return max((e["updated"] for e in entries), default="1970-01-01T00:00:00Z")


def render_rss(language: str, entries: list[dict[str, Any]], *, site_url: str, title: str) -> str:
    language, entries, site_url, title = _safe_args(language, entries, site_url, title)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = title
    ET.SubElement(channel, "link").text = f"{site_url}/{language}/index.html"
    ET.SubElement(channel, "description").text = f"Syndicated articles in {language}"
    ET.SubElement(channel, "language").text = language
    ET.SubElement(channel, "lastBuildDate").text = format_datetime(to_datetime(_feed_updated(entries)))
    ET.SubElement(channel, f"{{{NS_ATOM}}}link",
                  {"href": f"{site_url}/feeds/{language}/rss.xml", "rel": "self", "type": "application/rss+xml"})
    for entry in entries:
        item = ET.SubElement(channel, "item")
        ET.SubElement(item, "title").text = entry["title"]
        if entry.get("url"):
            ET.SubElement(item, "link").text = entry["url"]
        ET.SubElement(item, "guid", {"isPermaLink": "false"}).text = entry["id"]
        ET.SubElement(item, "description").text = entry["summary"]
        ET.SubElement(item, "pubDate").text = format_datetime(to_datetime(entry.get("published") or entry["updated"]))
        for author in entry.get("authors") or []:
            ET.SubElement(item, f"{{{NS_DC}}}creator").text = author
        ET.SubElement(item, f"{{{NS_DC}}}rights").text = rights_line(entry)
        if entry.get("license_url"):
            ET.SubElement(item, f"{{{NS_CC}}}license").text = entry["license_url"]
        if entry.get("canonical_url"):
            ET.SubElement(item, "source", {"url": entry["canonical_url"]}).text = entry["canonical_url"]
    return _xml(rss)


def render_atom(language: str, entries: list[dict[str, Any]], *, site_url: str, title: str) -> str:
    language, entries, site_url, title = _safe_args(language, entries, site_url, title)
    feed = ET.Element(f"{{{NS_ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": language})
    ET.SubElement(feed, f"{{{NS_ATOM}}}id").text = f"{site_url}/feeds/{language}/atom.xml"
    ET.SubElement(feed, f"{{{NS_ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{NS_ATOM}}}updated").text = _feed_updated(entries)
    ET.SubElement(feed, f"{{{NS_ATOM}}}link", {"rel": "self", "href": f"{site_url}/feeds/{language}/atom.xml"})
    ET.SubElement(feed, f"{{{NS_ATOM}}}link", {"rel": "alternate", "href": f"{site_url}/{language}/index.html"})
    ET.SubElement(ET.SubElement(feed, f"{{{NS_ATOM}}}author"), f"{{{NS_ATOM}}}name").text = "Syndication"
    for entry in entries:
        node = ET.SubElement(feed, f"{{{NS_ATOM}}}entry")
        ET.SubElement(node, f"{{{NS_ATOM}}}id").text = f"urn:synd:article:{entry['id']}"
        ET.SubElement(node, f"{{{NS_ATOM}}}title").text = entry["title"]
        if entry.get("url"):
            ET.SubElement(node, f"{{{NS_ATOM}}}link", {"rel": "alternate", "href": entry["url"]})
        if entry.get("license_url"):
            ET.SubElement(node, f"{{{NS_ATOM}}}link", {"rel": "license", "href": entry["license_url"]})
        if entry.get("canonical_url"):
            ET.SubElement(node, f"{{{NS_ATOM}}}link", {"rel": "via", "href": entry["canonical_url"]})
        ET.SubElement(node, f"{{{NS_ATOM}}}updated").text = entry["updated"]
        if entry.get("published"):
            ET.SubElement(node, f"{{{NS_ATOM}}}published").text = entry["published"]
        for author in entry.get("authors") or []:
            ET.SubElement(ET.SubElement(node, f"{{{NS_ATOM}}}author"), f"{{{NS_ATOM}}}name").text = author
        ET.SubElement(node, f"{{{NS_ATOM}}}summary").text = entry["summary"]
        rights = ET.SubElement(node, f"{{{NS_ATOM}}}rights")
        rights.text = rights_line(entry)
        rights.set("{http://www.w3.org/XML/1998/namespace}lang", safe_tag(entry.get("credit_language")) or "en")
    return _xml(feed)


def render_json_feed(language: str, entries: list[dict[str, Any]], *, site_url: str, title: str) -> str:
    language, entries, site_url, title = _safe_args(language, entries, site_url, title)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": f"{site_url}/{language}/index.html",
        "feed_url": f"{site_url}/feeds/{language}/feed.json",
        "language": language,
        "items": [_json_item(e) for e in entries],
    }
    return json.dumps(feed, ensure_ascii=False, indent=1)


def _json_item(entry: dict[str, Any]) -> dict[str, Any]:
    item = {"id": entry["id"], "title": entry["title"], "summary": entry["summary"],
            "content_text": entry["summary"], "date_modified": entry["updated"], "language": entry["language"],
            "_synd": {"version": entry["version"], "credit": entry["credit"],
                      "credit_language": entry.get("credit_language") or "en",
                      "license": {"spdx": entry["license_spdx"], "name": entry["license_name"],
                                  "url": entry["license_url"]},
                      "use": entry.get("use"), "share_alike": entry.get("share_alike"),
                      "obligations": entry.get("obligations") or []}}
    if entry.get("url"):
        item["url"] = entry["url"]
    if entry.get("published"):
        item["date_published"] = entry["published"]
    if entry.get("authors"):
        item["authors"] = [{"name": a} for a in entry["authors"]]
    if entry.get("canonical_url"):
        item["external_url"] = entry["canonical_url"]
    return item


def _xml(root: ET.Element) -> str:
    """The document, every text and attribute value legal XML 1.0 whatever reached the tree."""
    for node in root.iter():
        node.text, node.tail = _legal(node.text), _legal(node.tail)
        node.attrib.update({key: _legal(value) for key, value in node.attrib.items()})
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _legal(value: str | None) -> str | None:
    return clean_text(value) if isinstance(value, str) else value


RENDERERS = {"rss.xml": render_rss, "atom.xml": render_atom, "feed.json": render_json_feed}
