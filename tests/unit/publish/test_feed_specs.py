"""The feeds as their specs and their readers expect (issue 13): Atom in the default namespace, RSS
`<source>` naming the channel the item came from, the whole text where the licence and the target
allow it, RFC 3339 / RFC 822 dates, languages; feedparser reads every RSS and Atom feed without a
bozo flag (Persian, Pashto, English, hostile titles) and the JSON Feed validates against JSON Feed 1.1."""
from __future__ import annotations

import json
import re
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from defusedxml.ElementTree import fromstring
from jsonschema import Draft202012Validator, FormatChecker

from synd.policy import decide
from synd.publish import feeds
from synd.settings import PartnerSettings, TargetSettings

from tests.unit.publish.publish_samples import CC_BY, XSS_PAYLOADS, make_record

SITE = "https://site.example"
ATOM = "{http://www.w3.org/2005/Atom}"
SCHEMA = json.loads((Path(__file__).parents[2] / "data" / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))
JSON_FEED = Draft202012Validator(SCHEMA, format_checker=FormatChecker())
SITE_TARGET = TargetSettings(name="site", kind="site")
EXCERPTING_SITE = TargetSettings(name="site", kind="site", excerpts=True)
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
TYPES = {"rss.xml": "application/rss+xml", "atom.xml": "application/atom+xml"}


def record_of(lang, **changes):
    record = make_record(lang, canonical_url=f"https://news.example.org/{lang}/2018/03/article-1",
                         published="2018-03-28T09:30:00+04:30", **changes)
    return record


def entry_of(record, target=SITE_TARGET, partner=None):
    decision = decide(record, target, partner or PartnerSettings(id="p", name="Kabul Text Wire"))
    return feeds.make_entry(record, page_url=f"{SITE}/articles/{record['id']}/index.html",
                            updated="2026-01-01T00:00:00Z", attribution=decision.attribution)


def rendered(lang, entries):
    return {name: render(lang, entries, site_url=SITE, title=f"Articles ({lang})")
            for name, render in feeds.RENDERERS.items()}


def schema_errors(doc):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in JSON_FEED.iter_errors(doc)]


HOSTILE = [record_of("en", title=payload, salt=f" {n}") for n, payload in enumerate(XSS_PAYLOADS)]
CASES = {"en": [record_of("en")], "fa": [record_of("fa")], "ps": [record_of("ps")], "hostile": HOSTILE}


def case_feeds(case):
    lang = "en" if case == "hostile" else case
    return lang, rendered(lang, [entry_of(r) for r in CASES[case]])


def test_atom_is_in_the_default_namespace():
    # the defect: ElementTree wrote <atom:feed xmlns:atom=...> and an atom: prefix on every element
    atom = rendered("fa", [entry_of(record_of("fa"))])["atom.xml"]
    assert "<atom:" not in atom and "xmlns:atom" not in atom
    assert re.search(r'<feed xmlns="http://www.w3.org/2005/Atom"[^>]* xml:lang="fa"', atom)
    assert '<rights xml:lang="fa">' in atom


def test_rss_source_names_the_channel_the_item_came_from():
    # the defect: <source url="ARTICLE URL">ARTICLE URL</source>
    record = record_of("en")
    rss = rendered("en", [entry_of(record)])["rss.xml"]
    source = fromstring(rss).find("channel/item/source")
    assert source is not None
    assert source.get("url") == "https://news.example.org/" and source.text == "United Nations"
    assert record["canonical_url"] not in (source.get("url"), source.text)


def test_rss_source_falls_back_to_the_partners_display_name():
    record = dict(record_of("en"), publisher=None)
    entry = entry_of(record, partner=PartnerSettings(id="kabul-text-wire", name="Kabul Text Wire"))
    assert entry["source"] == {"name": "Kabul Text Wire", "url": "https://news.example.org/"}
    source = fromstring(rendered("en", [entry])["rss.xml"]).find("channel/item/source")
    assert source.text == "Kabul Text Wire"


def test_an_item_without_a_web_original_has_no_source_element():
    entry = entry_of(dict(record_of("en"), canonical_url=None))
    assert "<source" not in rendered("en", [entry])["rss.xml"]


def test_json_feed_content_text_is_the_whole_text_where_the_licence_and_target_allow():
    # the defect: content_text was the 300-character excerpt even for CC BY republished unaltered
    record = record_of("fa")
    item = json.loads(rendered("fa", [entry_of(record)])["feed.json"])["items"][0]
    assert item["content_text"] == record["body_text"]
    assert len(item["summary"]) < len(record["body_text"])
    assert "This is an excerpt" not in item["_synd"]["credit"]


def test_full_text_reaches_rss_and_atom_as_escaped_paragraphs():
    record = record_of("en", body="First <b>paragraph</b>.\n\nSecond paragraph.")
    out = rendered("en", [entry_of(record)])
    rss_item = feedparser.parse(out["rss.xml"]).entries[0]
    atom_entry = feedparser.parse(out["atom.xml"]).entries[0]
    for entry in (rss_item, atom_entry):
        assert entry.content[0].value == "<p>First &lt;b&gt;paragraph&lt;/b&gt;.</p>\n<p>Second paragraph.</p>"


def test_an_excerpting_target_gets_the_excerpt_credited_as_one():
    record = record_of("en")
    entry = entry_of(record, target=EXCERPTING_SITE)
    item = json.loads(rendered("en", [entry])["feed.json"])["items"][0]
    assert item["content_text"] == entry["summary"] and entry["content_full"] is False
    assert len(item["content_text"]) < len(record["body_text"]) and "This is an excerpt" in entry["credit"]
    assert "<content" not in rendered("en", [entry])["atom.xml"]


def test_nothing_of_the_body_where_neither_the_text_nor_an_excerpt_is_allowed():
    record = record_of("en")
    attribution = decide(record, EXCERPTING_SITE, PartnerSettings(id="p")).attribution
    attribution["rights"] = dict(attribution["rights"], excerpts=False)
    entry = feeds.make_entry(record, page_url=f"{SITE}/a", updated="2026-01-01T00:00:00Z", attribution=attribution)
    item = json.loads(rendered("en", [entry])["feed.json"])["items"][0]
    assert item["content_text"] == "" and item["summary"] == ""
    assert schema_errors(json.loads(rendered("en", [entry])["feed.json"])) == []


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_feedparser_reads_every_feed_without_bozo(case, name):
    lang, out = case_feeds(case)
    parsed = feedparser.parse(out[name], response_headers={"content-type": TYPES[name] + "; charset=utf-8"})
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == ("rss20" if name == "rss.xml" else "atom10")
    if not (case == "hostile" and name == "rss.xml"):  # feedparser sanitises what looks like HTML in RSS titles
        assert [e.title for e in parsed.entries] == [r["title"] for r in CASES[case]]
    assert parsed.feed.language == lang
    for entry in parsed.entries:
        assert entry.published_parsed[:4] == (2018, 3, 28, 5)
        assert entry.source.title == "United Nations"


@pytest.mark.parametrize("case", list(CASES))
def test_json_feed_validates_against_json_feed_1_1(case):
    lang, out = case_feeds(case)
    feed = json.loads(out["feed.json"])
    assert schema_errors(feed) == []
    assert feed["language"] == lang
    for item in feed["items"]:
        assert all(urlsplit(item[k]).scheme == "https" for k in ("url", "external_url"))
        assert item["language"] == lang and item["authors"] == [{"name": "United Nations"}]
        assert RFC3339.match(item["date_published"]) and RFC3339.match(item["date_modified"])


def test_hostile_titles_stay_text():
    _, out = case_feeds("hostile")
    for name, path in (("rss.xml", "channel/item/title"), ("atom.xml", f"{ATOM}entry/{ATOM}title")):
        assert "<script" not in out[name] and "<img" not in out[name] and "<svg" not in out[name], name
        assert [t.text for t in fromstring(out[name]).findall(path)] == [r["title"] for r in HOSTILE]


def test_dates_are_rfc_822_in_rss_and_rfc_3339_in_atom():
    out = rendered("en", [entry_of(record_of("en"))])
    item = fromstring(out["rss.xml"]).find("channel/item")
    assert parsedate_to_datetime(item.findtext("pubDate")).isoformat() == "2018-03-28T05:00:00+00:00"
    assert parsedate_to_datetime(fromstring(out["rss.xml"]).findtext("channel/lastBuildDate"))
    atom = fromstring(out["atom.xml"])
    for node in [atom.find(f"{ATOM}updated"), *atom.iter(f"{ATOM}published"), *atom.iter(f"{ATOM}updated")]:
        assert RFC3339.match(node.text), node.text


def test_rendering_is_deterministic():
    """The renderer writes a feed only when its bytes change: nothing may depend on the clock."""
    entries = [entry_of(record_of("fa"))]
    assert rendered("fa", entries) == rendered("fa", entries)
    assert rendered("fa", []) == rendered("fa", [])


def test_the_entry_text_is_capped_for_its_table_item():
    body = "\n\n".join(["یک بند فارسی که تکرار می‌شود تا متن بسیار بلند شود." * 20] * 800)  # ~1.6 MB of UTF-8
    entry = entry_of(record_of("fa", body=body, license=CC_BY))
    size = len(json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    assert size < 200_000 and entry["content_truncated"] is True and entry["content_full"] is True
    assert len(entry["content_text"]) > 40_000 and body.startswith(entry["content_text"].removesuffix(" …"))
    item = json.loads(rendered("fa", [entry])["feed.json"])["items"][0]
    assert item["_synd"]["content_truncated"] is True


def test_atom_entry_links_keep_their_relations():
    """feedgen 1.0.0 drops the rel of an entry's links: the via link must not become a second alternate."""
    record = record_of("en")
    entry = fromstring(rendered("en", [entry_of(record)])["atom.xml"]).find(f"{ATOM}entry")
    links = {(link.get("rel") or "alternate"): link.get("href") for link in entry.findall(f"{ATOM}link")}
    assert len(entry.findall(f"{ATOM}link")) == 3
    assert links == {"alternate": f"{SITE}/articles/{record['id']}/index.html", "via": record["canonical_url"],
                     "license": CC_BY.url}
