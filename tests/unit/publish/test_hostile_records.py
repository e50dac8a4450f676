"""The renderers hold on their own (defence in depth): records stored before the core cleaned its
input may carry a path or markup for a language, `javascript:` URLs, XML-illegal characters and
bidi overrides. Feeds stay well-formed XML, pages and indexes carry no injected attribute or link."""
import json
from xml.etree import ElementTree as ET

import feedparser
import pytest
from defusedxml.ElementTree import fromstring

from tests.unit.publish.publish_samples import make_record
from synd.ninjs import to_ninjs
from synd.publish import feeds
from synd.publish.attribution import attribution_html, credit_text
from synd.publish.html import render_article_page, render_language_index, render_root_index

SITE = "https://site.example"
RLO = "\u202e"
BAD_LANGUAGES = ["../../../../tmp/x", 'en" onmouseover="alert(1)', "javascript:alert(1)", "en\x01", ""]


def hostile_record(**changes):
    record = make_record("en", title=f"Title\x01 with{RLO} override", authors=[f"Eve{RLO}\x02", "Bob\x0b"],
                         canonical_url="javascript:alert(1)")
    record["title"] += "\ud800"  # a lone surrogate (a JSON "\\ud800" escape) cannot even be hashed: set it after
    record["summary"] = f"Sum\x00mary{RLO}"
    record["license"] = dict(record["license"], url="javascript:alert(2)")
    record.update(changes)
    return record


def entry_of(record):
    return feeds.make_entry(record, page_url=f"{SITE}/articles/{record['id']}/index.html",
                            updated="2026-01-01T00:00:00Z")


def render_all(language, entries):
    return {name: render(language, entries, site_url=SITE, title=f"Feed{RLO}\x01")
            for name, render in feeds.RENDERERS.items()}


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_a_control_character_in_one_title_leaves_the_feed_well_formed(name):
    entries = [entry_of(hostile_record()), entry_of(make_record("en", salt=" clean"))]
    text = render_all("en", entries)[name]
    fromstring(text.encode("utf-8"))  # raises on ill-formed XML
    parsed = feedparser.parse(text)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == 2
    assert RLO not in text and "\x01" not in text


def test_stored_entries_are_rendered_safely_too():
    """entries.json written before the fix: the renderer does not trust the stored entry either."""
    stored = dict(entry_of(make_record("en")), title=f"Stored\x01{RLO}", authors=[f"A{RLO}"],
                  canonical_url="javascript:alert(1)", license_url="javascript:alert(2)",
                  language='en" onmouseover="x', url="javascript:alert(3)")
    for name, text in render_all("en", [stored]).items():
        assert "javascript:" not in text and "onmouseover" not in text and RLO not in text, name
        if name != "feed.json":
            ET.fromstring(text)
    json.loads(render_all("en", [stored])["feed.json"])


@pytest.mark.parametrize("name, marker", [("rss.xml", "<source"), ("atom.xml", 'rel="via"'),
                                          ("feed.json", "external_url")])
def test_no_javascript_url_in_feeds(name, marker):
    text = render_all("en", [entry_of(hostile_record())])[name]
    assert "javascript:" not in text
    assert marker not in text  # the unsafe canonical URL is dropped, not linked


def test_a_json_feed_with_a_lone_surrogate_still_encodes_as_utf8():
    render_all("en", [entry_of(hostile_record())])["feed.json"].encode("utf-8")


@pytest.mark.parametrize("language", BAD_LANGUAGES)
def test_a_bad_language_never_reaches_feed_markup(language):
    entry = entry_of(hostile_record(language=language))
    assert entry["language"] == "und"
    for name, text in render_all(language, [entry]).items():
        assert "onmouseover" not in text and "../" not in text and "javascript:" not in text, name


@pytest.mark.parametrize("language", BAD_LANGUAGES)
def test_a_bad_language_never_reaches_a_page(language):
    page = render_article_page(hostile_record(language=language))
    assert '<html lang="und" dir="ltr">' in page
    assert "onmouseover" not in page and "javascript:" not in page and RLO not in page and "\x01" not in page


def test_language_index_and_root_index_list_only_valid_tags():
    root = render_root_index(["fa", "../../../../tmp/x", "javascript:alert(1)", 'en" onmouseover="x', "fa-AF"])
    assert 'href="fa/index.html"' in root and 'href="fa-AF/index.html"' in root
    assert "javascript:" not in root and "onmouseover" not in root and "../" not in root
    index = render_language_index('en" onmouseover="x', "ltr", [entry_of(hostile_record())])
    assert "onmouseover" not in index and "javascript:" not in index


def test_attribution_links_and_credits_only_web_urls():
    record = hostile_record()
    block = attribution_html(record, {"language": 'en" onmouseover="x', "text": "credit"})
    assert "javascript:" not in block and "onmouseover" not in block
    assert "javascript:" not in credit_text(record)


def test_ninjs_carries_no_bad_language_or_url():
    doc = to_ninjs(hostile_record(language="../../x"))
    assert doc["language"] == "und"
    assert "javascript:" not in json.dumps(doc)
