"""Feeds end to end: articles in four languages go through the publish Lambda; the exported
site's RSS, Atom and JSON feeds are read back per language (feedparser for RSS and Atom)."""
from __future__ import annotations

import json

import feedparser
import pytest


from tests.unit.publish.publish_samples import CC_BY, CC_BY_ND, make_record
from tests.integration.publish.publish_stack import drain, mocked_stack, publish_app, write_config

from synd.targets.site import export_site


@pytest.fixture()
def world():
    with mocked_stack() as stack:
        yield stack


def test_every_feed_has_the_right_entries_per_language(world, monkeypatch, tmp_path):
    articles = {lang: [make_record(lang, salt=f" ({n})", published=f"2018-03-1{n}",
                                   license=CC_BY_ND if n else CC_BY) for n in range(2)]
                for lang in ("fa", "en", "ps", "ar")}
    corrected = dict(articles["fa"][0], version=2, title=articles["fa"][0]["title"] + " — v2")
    app = publish_app(world, write_config(tmp_path / "config", None), monkeypatch)
    messages = [world.put_version(r) for records in articles.values() for r in records]
    messages.append(world.put_version(corrected))
    for message in messages:
        world.sqs.send_message(QueueUrl=world.publish_queue, MessageBody=json.dumps(message))
    drain(world, app)
    site = tmp_path / "site"
    export_site(world.site, site)
    for lang, records in articles.items():
        expected_titles = [r["title"] for r in reversed(records)]  # newest first
        if lang == "fa":
            expected_titles[-1] = corrected["title"]
        for name in ("rss.xml", "atom.xml"):
            parsed = feedparser.parse((site / "feeds" / lang / name).read_bytes())
            assert not parsed.bozo, (lang, name, parsed.get("bozo_exception"))
            assert [e.title for e in parsed.entries] == expected_titles, (lang, name)
            assert parsed.feed.get("language") == lang or parsed.feed.get("lang") == lang
            for entry, record in zip(parsed.entries, reversed(records)):
                assert record["id"] in entry.id
                assert entry.published_parsed[:3] == tuple(int(x) for x in record["published"].split("-"))
                assert record["license"]["url"] in (entry.get("license") or "") + " ".join(
                    link.href for link in entry.get("links", []) if link.get("rel") == "license")
        feed = json.loads((site / "feeds" / lang / "feed.json").read_text(encoding="utf-8"))
        assert [i["title"] for i in feed["items"]] == expected_titles
        direction = "ltr" if lang == "en" else "rtl"
        assert f'<html lang="{lang}" dir="{direction}">' in (site / lang / "index.html").read_text(encoding="utf-8")
    root = (site / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{lang}/index.html"' in root for lang in articles)

