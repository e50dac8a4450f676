import json
import time
from datetime import datetime

import feedparser
import pytest

from tests.unit.publish.publish_samples import CC_BY, CC_BY_ND, make_record
from synd.publish import feeds

SITE = "https://site.example"


def entry_of(record, updated="2026-01-01T00:00:00Z"):
    return feeds.make_entry(record, page_url=f"{SITE}/articles/{record['id']}/index.html", updated=updated)


def parse(name, text):
    """feedparser, told the media type as a web server would (it recognises JSON Feed by it)."""
    types = {"rss.xml": "application/rss+xml", "atom.xml": "application/atom+xml", "feed.json": "application/feed+json"}
    return feedparser.parse(text, response_headers={"content-type": types[name] + "; charset=utf-8"})


def build(entries):
    return {name: render("fa", entries, site_url=SITE, title="Test (fa)") for name, render in feeds.RENDERERS.items()}


@pytest.fixture()
def three_entries():
    records = [make_record("fa", salt=f" {n}", published=f"2018-03-2{n}", license=CC_BY if n % 2 else CC_BY_ND)
               for n in range(1, 4)]
    entries = []
    for record in records:
        entries = feeds.merge_entry(entries, entry_of(record))
    return records, entries


def test_merge_orders_newest_first_and_caps(three_entries):
    records, entries = three_entries
    assert [e["id"] for e in entries] == [r["id"] for r in reversed(records)]
    newest = make_record("fa", salt=" 9", published="2018-03-29")
    assert [e["id"] for e in feeds.merge_entry(entries, entry_of(newest), size=2)] == [newest["id"], records[2]["id"]]


def test_new_version_replaces_entry_and_old_version_is_ignored(three_entries):
    records, entries = three_entries
    v2 = dict(records[0], version=2, title="changed title")
    merged = feeds.merge_entry(entries, entry_of(v2, updated="2026-02-01T00:00:00Z"))
    assert len(merged) == 3
    assert next(e for e in merged if e["id"] == v2["id"])["title"] == "changed title"
    stale = feeds.merge_entry(merged, entry_of(dict(records[0], version=1)))
    assert next(e for e in stale if e["id"] == v2["id"])["title"] == "changed title"


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_feedparser_reads_every_format_with_stable_guids_dates_and_licence(three_entries, name):
    records, entries = three_entries
    parsed = parse(name, build(entries)[name])
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert [e.title for e in parsed.entries] == [r["title"] for r in reversed(records)]
    ids = [e.id for e in parsed.entries]
    assert all(r["id"] in i for r, i in zip(reversed(records), ids))
    assert parsed.entries[0].published_parsed[:3] == (2018, 3, 23)
    for entry, record in zip(parsed.entries, reversed(records)):
        licence = entry.get("license") or entry.get("rights") or ""
        assert record["license"]["url"] in licence or record["license"]["name"] in licence
    assert parsed.feed.get("language", "fa") == "fa"


def test_json_feed_1_1(three_entries):
    """feedparser 6.0 does not read JSON Feed: check the spec's required members and ours directly."""
    records, entries = three_entries
    feed = json.loads(build(entries)["feed.json"])
    assert feed["version"] == "https://jsonfeed.org/version/1.1" and feed["title"] and feed["language"] == "fa"
    assert [i["id"] for i in feed["items"]] == [r["id"] for r in reversed(records)]
    for item, record in zip(feed["items"], reversed(records)):
        assert item["url"].startswith(SITE) and item["content_text"]
        assert item["_synd"]["license"]["url"] == record["license"]["url"]
        assert item["date_published"].startswith(record["published"])
        datetime.fromisoformat(item["date_modified"].replace("Z", "+00:00"))


def test_rss_entry_carries_creative_commons_and_rights(three_entries):
    _, entries = three_entries
    rss = build(entries)["rss.xml"]
    assert rss.count("<creativeCommons:license>") == 3
    assert rss.count("<dc:rights>") == 3
    assert '<guid isPermaLink="false">' in rss


def test_atom_has_rights_and_license_link(three_entries):
    _, entries = three_entries
    parsed = parse("atom.xml", build(entries)["atom.xml"])
    entry = parsed.entries[0]
    assert "Creative Commons" in entry.rights
    assert any(link.rel == "license" for link in entry.links)


def test_dates_of_truncated_and_full_values():
    assert feeds.rfc3339(feeds.to_datetime("2021-12")) == "2021-12-01T00:00:00Z"
    assert feeds.rfc3339(feeds.to_datetime("2018-03-28T10:00:00+04:30")) == "2018-03-28T05:30:00Z"
    assert feeds.to_datetime(None) is None and feeds.to_datetime("soon") is None


def test_entry_without_publication_date_uses_update_time():
    entry = entry_of(make_record("en", published=None), updated="2026-05-05T05:05:05Z")
    parsed = feedparser.parse(feeds.render_rss("en", [entry], site_url=SITE, title="t"))
    assert time.strftime("%Y-%m-%d", parsed.entries[0].published_parsed) == "2026-05-05"
