"""Per-language feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1) built from a small list of entries.

RSS and Atom are written by feedgen (Atom in its default namespace, no `atom:` prefixes; RSS with
the Dublin Core, Creative Commons and content modules), JSON Feed by hand (feedgen has none).
The entries are the feed's state (one table item per article, synd.render.entries): publishing an
article merges one entry in, replacing any entry with the same id (a new version updates its
entry, never duplicates it), and the renderer renders the newest N. Guids are the article id,
stable across versions; the output depends on the entries alone (no clock), so an unchanged feed
renders to the same bytes and is not written again.

Each entry carries its rights: RSS `dc:rights` + `creativeCommons:license`, Atom `<rights
xml:lang>` + `link rel="license"`, JSON Feed a `_synd` extension object (licence id, name and URL,
what was done, ShareAlike, obligations). The rights text is the licence policy's credit, so the
partner's required wording and the article's language (synd.policy.attribution), followed by the
ShareAlike obligation and the SPDX id.

What of the text an entry carries (`content_text`):
- the whole text where the licence and the target allow it (the delivery republishes the work
  unaltered: every delivered licence allows that, and the target is not an excerpting one), as
  RSS `content:encoded` and Atom `<content type="html">` (escaped paragraphs) and JSON Feed
  `content_text`; capped at MAX_CONTENT_BYTES so the entry's table item stays far below
  DynamoDB's 400 KB (the page has the rest: `content_truncated`);
- where the target only excerpts, the excerpt (or the partner's own summary), credited as an excerpt;
- nothing where neither is allowed.
The summary is the partner's own summary, else an excerpt of the body only where the licence and
agreement allow excerpts (not 2.x/3.0 ND, not an article with no licence unless the agreement says so).

RSS `<source url>` names the channel the item came from: the original's site (scheme and host of
its canonical URL: the record keeps no feed URL) and the publisher's name (for a feed drop the
channel's publisher or title), else the partner's display name from its settings.

The renderers trust nothing they are given, not even the stored entries (an entry may predate the
core's checks): every string is cleaned of the characters XML 1.0 forbids (one `\\x01` in one title
made a whole feed ill-formed), the language must be a valid BCP 47 tag (else `und`), and a URL that
is not a safe http(s) URL is left out (no `javascript:` in a `<source>`, an Atom `rel="via"` link or
a JSON Feed `external_url`).
"""
from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from synd.language.tags import safe_tag
from synd.ninjs import body_html
from synd.publish.attribution import credit_text, license_label, rights_of, safe_record
from synd.text.clean import clean_data, clean_text
from synd.text.urls import safe_http_url

DEFAULT_SIZE = 50
# UTF-8 bytes of text one entry carries: with its other fields the table item stays near 100 KB,
# a quarter of DynamoDB's 400 KB item limit (and a 50-entry feed at most ~5 MB)
MAX_CONTENT_BYTES = 100_000

NS_CC = "http://backend.userland.com/creativeCommonsRssModule"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EXCERPT_USE = "excerpt"
GENERATOR = "synd"

_TRUNCATED = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_URL_FIELDS = ("url", "canonical_url", "license_url")


def to_datetime(value: str | None) -> datetime | None:
    """A truncated or full ISO 8601 date as an aware datetime ("2021-12" -> 2021-12-01T00:00Z)."""
    if not value:
        return None
    match = _TRUNCATED.match(value)
    try:
        if match:
            year, month, day = match.groups()
            return datetime(int(year), int(month or 1), int(day or 1), tzinfo=UTC)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:  # no such date ("2023-13", "2023-02-30") or no date at all
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def make_entry(record: dict[str, Any], *, page_url: str, updated: str, summary_chars: int = 300,
               attribution: dict[str, Any] | None = None) -> dict[str, Any]:
    """The feed entry of an article version (JSON-serialisable; one table item per article).

    `attribution` is the licence policy's block for the delivery (None for CC0 and the Public
    Domain Mark, which need no credit): its credit and rights are the entry's. The text it carries
    is capped at MAX_CONTENT_BYTES of UTF-8, so the item stays well under DynamoDB's 400 KB."""
    record, attribution = safe_record(record), clean_data(attribution)
    rights = rights_of(record, attribution)
    may_excerpt = rights.get("excerpts", True) is not False
    summary, excerpted = _summary(record, summary_chars, may_excerpt=may_excerpt)
    full = rights.get("use") != EXCERPT_USE
    content, truncated = capped_text(record.get("body_text") or "") if full else ("", False)
    as_excerpt = excerpted and not full  # a teaser beside the whole text is no excerpt use of the work
    published = to_datetime(record.get("published"))
    return {
        "id": record["id"],
        "version": int(record.get("version") or 1),
        "title": record.get("title") or "Untitled",
        "url": page_url,
        "summary": summary,
        "content_text": content if full else (summary if may_excerpt else ""),
        "content_full": full and bool(content),
        "content_truncated": truncated,
        "published": rfc3339(published) if published else None,
        "published_as": record.get("published") if published else None,  # offset and precision, for pages
        "updated": updated,
        "authors": list(record.get("authors") or []),
        "language": record["language"],
        "direction": "rtl" if record.get("direction") == "rtl" else "ltr",
        "canonical_url": record["canonical_url"],
        "source": source_channel(record, attribution),
        "license_spdx": rights["license"]["spdx"],
        "license_name": rights["license"]["name"],
        "license_url": rights["license"]["url"],
        "license_label": license_label(record.get("license") or {}),
        **_credit(record, attribution, as_excerpt),
        "use": EXCERPT_USE if as_excerpt else rights.get("use"),
        "share_alike": rights.get("share_alike"),
        "obligations": list(rights.get("obligations") or []),
    }


def capped_text(text: str, limit: int = MAX_CONTENT_BYTES) -> tuple[str, bool]:
    """The text, or its opening paragraphs (else words) within `limit` UTF-8 bytes and an ellipsis;
    the second value says whether it was cut."""
    if len(text.encode("utf-8")) <= limit:
        return text, False
    head = text.encode("utf-8")[:limit].decode("utf-8", "ignore")
    cut = max(head.rfind("\n\n"), head.rfind(" "))
    return (head[:cut] if cut > limit // 2 else head).rstrip() + " …", True


def source_channel(record: dict[str, Any], attribution: dict[str, Any] | None) -> dict[str, str] | None:
    """The channel the item came from (RSS `<source>`): the original's site and the publisher's name
    (the partner's display name when the record names none); None without a web original."""
    original = safe_http_url(record.get("canonical_url"))
    if not original:
        return None
    parts = urlsplit(original)
    name = record.get("publisher") or (attribution or {}).get("publisher") or record.get("partner")
    return {"name": str(name or parts.hostname), "url": f"{parts.scheme}://{parts.netloc}/"}


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
    has one), marked as an excerpt when the entry carries only one, with the ShareAlike obligation; an
    English one-line credit when the delivery has no block (CC0, PDM)."""
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


def display_date(entry: dict[str, Any]) -> str | None:
    """The date a page shows for an entry: the partner's published date as written (its own offset, a
    month-precision "2023-12" stays a month), else the UTC form, else when it was delivered. Feeds and
    ordering use the UTC form (`published`)."""
    return entry.get("published_as") or entry.get("published") or entry.get("updated")


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
    source = safe.get("source") if isinstance(safe.get("source"), dict) else {}
    source_url = safe_http_url(source.get("url"))
    safe["source"] = {"name": str(source.get("name") or ""), "url": source_url} if source_url else None
    return safe


def _safe_args(language: str, entries: list[dict[str, Any]], site_url: str,
               title: str) -> tuple[str, list[dict[str, Any]], str, str]:
    return (safe_tag(language) or "und", [safe_entry(e) for e in entries], site_url.rstrip("/"),
            clean_text(title))


def _feed_updated(entries: list[dict[str, Any]]) -> datetime:
    latest = max((e["updated"] for e in entries), default="1970-01-01T00:00:00Z")
    return to_datetime(latest) or datetime(1970, 1, 1, tzinfo=UTC)


def _entry_time(entry: dict[str, Any], name: str) -> datetime | None:
    return to_datetime(entry.get(name))


def _full_text_html(entry: dict[str, Any]) -> str:
    """The whole text as escaped HTML paragraphs, or "" when the entry does not carry it (an old
    entry has no `content_full`: it carried only its summary)."""
    return body_html(entry.get("content_text") or "") if entry.get("content_full") else ""


class _RightsEntry(BaseEntryExtension):
    """What feedgen does not write: `creativeCommons:license` (RSS), the credit's `xml:lang` on
    `<rights>` and the links other than the alternate one (Atom: feedgen 1.0.0 drops the `rel` of an
    entry's links, so a `rel="via"` link would come out as a second alternate)."""

    def __init__(self) -> None:
        self.license_url: str | None = None
        self.via_url: str | None = None
        self.rights_language: str | None = None

    def extend_rss(self, item: Any) -> Any:
        if self.license_url:
            xml_elem(f"{{{NS_CC}}}license", item).text = self.license_url
        return item

    def extend_atom(self, entry: Any) -> Any:
        for rel, href in (("license", self.license_url), ("via", self.via_url)):
            if href:
                xml_elem("link", entry, rel=rel, href=href)
        rights = entry.find("rights")
        if rights is not None and self.rights_language:
            rights.set(XML_LANG, self.rights_language)
        return entry


class _RssRights(BaseExtension):
    def extend_ns(self) -> dict[str, str]:
        return {"creativeCommons": NS_CC}


class _AtomRights(BaseExtension):
    pass


def _generator(language: str, title: str, rss: bool) -> FeedGenerator:
    feed = FeedGenerator()
    feed.title(title or "Articles")
    feed.language(language)
    feed.generator(GENERATOR)
    if rss:
        feed.load_extension("dc", atom=False, rss=True)
        feed.register_extension("synd", _RssRights, _RightsEntry, atom=False, rss=True)
    else:
        feed.register_extension("synd", _AtomRights, _RightsEntry, atom=True, rss=False)
    return feed


def _common_item(item: FeedEntry, entry: dict[str, Any]) -> None:
    item.title(entry["title"])
    if entry.get("url"):
        item.link(href=entry["url"], rel="alternate")
    html = _full_text_html(entry)
    if html:
        item.content(html, type="html")
    if entry.get("summary"):
        item.summary(entry["summary"])
    source = entry.get("source")
    if source:
        item.source(url=source["url"], title=source["name"])
    item.synd.license_url = entry.get("license_url")


def render_rss(language: str, entries: list[dict[str, Any]], *, site_url: str, title: str) -> str:
    language, entries, site_url, title = _safe_args(language, entries, site_url, title)
    feed = _generator(language, title, rss=True)
    feed.description(f"Syndicated articles in {language}")
    feed.link(href=f"{site_url}/feeds/{language}/rss.xml", rel="self", type="application/rss+xml")
    feed.link(href=f"{site_url}/{language}/index.html", rel="alternate")  # the last link is the channel's
    feed.lastBuildDate(_feed_updated(entries))
    for entry in entries:
        item = feed.add_entry(order="append")
        _common_item(item, entry)
        item.guid(entry["id"], permalink=False)
        item.pubDate(_entry_time(entry, "published") or _entry_time(entry, "updated"))
        for author in entry.get("authors") or []:
            item.dc.dc_creator(author)
        item.dc.dc_rights(rights_line(entry))
    return _text(feed.rss_str(pretty=True))


def render_atom(language: str, entries: list[dict[str, Any]], *, site_url: str, title: str) -> str:
    language, entries, site_url, title = _safe_args(language, entries, site_url, title)
    feed = _generator(language, title, rss=False)
    feed.id(f"{site_url}/feeds/{language}/atom.xml")
    feed.updated(_feed_updated(entries))
    feed.link(href=f"{site_url}/feeds/{language}/atom.xml", rel="self", type="application/atom+xml")
    feed.link(href=f"{site_url}/{language}/index.html", rel="alternate", type="text/html")
    feed.author(name="Syndication")
    for entry in entries:
        item = feed.add_entry(order="append")
        item.id(f"urn:synd:article:{entry['id']}")
        _common_item(item, entry)
        item.synd.via_url = entry.get("canonical_url")
        item.updated(_entry_time(entry, "updated") or _feed_updated([]))
        published = _entry_time(entry, "published")
        if published:
            item.published(published)
        for author in entry.get("authors") or []:
            item.author(name=author)
        if not (entry.get("url") or _full_text_html(entry)):
            item.content(entry.get("summary") or entry["title"], type="text")  # Atom: content or an alternate link
        item.rights(rights_line(entry))
        item.synd.rights_language = safe_tag(entry.get("credit_language")) or "en"
    return _text(feed.atom_str(pretty=True))


def _text(document: bytes) -> str:
    return document.decode("utf-8")


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
            "content_text": entry.get("content_text", entry["summary"]),  # an old entry: its summary
            "date_modified": entry["updated"], "language": entry["language"],
            "_synd": {"version": entry["version"], "credit": entry["credit"],
                      "credit_language": entry.get("credit_language") or "en",
                      "license": {"spdx": entry["license_spdx"], "name": entry["license_name"],
                                  "url": entry["license_url"]},
                      "use": entry.get("use"), "share_alike": entry.get("share_alike"),
                      "obligations": entry.get("obligations") or [],
                      "content_truncated": bool(entry.get("content_truncated"))}}
    if entry.get("url"):
        item["url"] = entry["url"]
    if entry.get("published"):
        item["date_published"] = entry["published"]
    if entry.get("authors"):
        item["authors"] = [{"name": a} for a in entry["authors"]]
    if entry.get("canonical_url"):
        item["external_url"] = entry["canonical_url"]
    return item


RENDERERS = {"rss.xml": render_rss, "atom.xml": render_atom, "feed.json": render_json_feed}
