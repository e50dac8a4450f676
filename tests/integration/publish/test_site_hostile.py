"""Issue 9, item 5, end to end on moto: hostile drops through the core, then through the site target.

The site bucket must hold only its layout (no key from a declared language that is a
path), the root index no link or attribute from a declared language, every feed must be
well-formed XML that feedparser reads, and no output may carry a right-to-left override.
`export_site` (what `synd run` writes to out/site) must never write outside its folder.
"""
import json
import re

import feedparser
import pytest
from defusedxml.ElementTree import fromstring

from synd.language.tags import safe_tag
from synd.ninjs import to_ninjs
from synd.pipeline import make_source, parse_drop
from synd.publish import webfont
from synd.settings import PartnerSettings
from synd.targets import Delivery, deliver
from synd.targets.site import export_site

from tests.unit.hostile_drops import DROPS, RLO
from tests.unit.publish.publish_samples import make_record, target

SITE = target("site", "site", base_url="https://site.example", feed_size=20)
LAYOUT = re.compile(r"index\.html|articles/[0-9a-f]{24}/(index\.html|ninjs\.json)|(?P<lang>[A-Za-z0-9-]+)/index\.html"
                    r"|(?P<archive_lang>[A-Za-z0-9-]+)/archive/\d{4}-\d{2}\.html"
                    r"|feeds/(?P<feed_lang>[A-Za-z0-9-]+)/(rss\.xml|atom\.xml|feed\.json)"
                    r"|" + "|".join(re.escape(key) for key in webfont.site_assets()))
FEED_TYPES = {"rss.xml": "application/rss+xml", "atom.xml": "application/atom+xml"}


def publish(stack, record):
    return deliver(Delivery(record=record, ninjs=to_ninjs(record), target=SITE, action="deliver_with_attribution"),
                   stack.env)


def core_records():
    records = []
    for name, data in DROPS.items():
        result = parse_drop(data, make_source(data, bucket="raw", key=f"incoming/hostile/{name}"),
                            PartnerSettings("hostile"))
        records += [dict(article.to_record(), version=1) for article in result.articles]
    return records


def keys(stack):
    return [o["Key"] for page in stack.s3.get_paginator("list_objects_v2").paginate(Bucket=stack.site)
            for o in page.get("Contents", [])]


def assert_layout(all_keys):
    for key in all_keys:
        match = LAYOUT.fullmatch(key)
        assert match, f"key outside the site layout: {key!r}"
        language = match.group("lang") or match.group("archive_lang") or match.group("feed_lang")
        assert language is None or safe_tag(language) == language, key


def test_hostile_drops_through_the_core_and_the_site_target(stack, tmp_path):
    records = core_records()
    assert len(records) == len(DROPS)
    for record in records:
        assert publish(stack, record).state == "delivered"
    all_keys = keys(stack)
    assert_layout(all_keys)
    root = stack.text("index.html")
    assert "javascript:" not in root and "onmouseover" not in root and "../" not in root
    for key in set(all_keys) - set(webfont.site_assets()):  # the font is no text
        text = stack.text(key)
        assert RLO not in text and "\x01" not in text, key
        assert "javascript:" not in text, key
        name = key.rsplit("/", 1)[-1]
        if key.startswith("feeds/") and name == "feed.json":  # feedparser 6.0 reads no JSON Feed
            assert json.loads(text)["items"]
        elif key.startswith("feeds/") and name in FEED_TYPES:
            fromstring(text.encode("utf-8"))  # defusedxml: raises on ill-formed XML
            parsed = feedparser.parse(text, response_headers={"content-type": FEED_TYPES[name] + "; charset=utf-8"})
            assert not parsed.bozo, (key, parsed.get("bozo_exception"))
            assert parsed.entries
    out = tmp_path / "out" / "site"
    assert export_site(stack.site, out) == len(all_keys)
    assert [p for p in tmp_path.rglob("*") if p.is_file() and out not in p.parents] == []


@pytest.mark.parametrize("language", ["../../../../tmp/synd-escape", 'en" onmouseover="alert(1)', "javascript:"])
def test_a_record_stored_before_the_fix_still_lands_in_the_layout(stack, language):
    """Defence in depth: the site target checks the language itself before it becomes a key or markup."""
    record = dict(make_record("en"), language=language)
    assert publish(stack, record).state == "delivered"
    assert_layout(keys(stack))
    assert "und/index.html" in stack.text("index.html")
    assert "onmouseover" not in stack.text("und/index.html")


@pytest.mark.parametrize("key", ["../escape.txt", "../../escape.txt", "feeds/../../escape.txt", "{tmp}/escape.txt",
                                 "a\\..\\..\\escape.txt", "feeds/./x/../../../escape.txt", "C:/escape.txt", "a/../b",
                                 "en/\x00.html", "./index.html", "feeds//en/rss.xml"])
def test_export_site_never_writes_outside_its_folder(stack, tmp_path, key):
    """An absolute key points into tmp_path, so even a regression writes nowhere else."""
    key = key.replace("{tmp}", str(tmp_path))
    stack.s3.put_object(Bucket=stack.site, Key="index.html", Body=b"<html></html>")
    stack.s3.put_object(Bucket=stack.site, Key=key, Body=b"escaped")
    out = tmp_path / "deep" / "out" / "site"
    assert export_site(stack.site, out) == 1  # the unsafe key is refused, the rest exported
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written == [out / "index.html"]


def test_export_site_refuses_a_symlink_out_of_its_folder(stack, tmp_path):
    """A folder left over in out/site that links elsewhere does not carry a write outside."""
    out, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "feeds").symlink_to(elsewhere, target_is_directory=True)
    stack.s3.put_object(Bucket=stack.site, Key="feeds/en/rss.xml", Body=b"<rss/>")
    assert export_site(stack.site, out) == 0
    assert list(elsewhere.rglob("*")) == []


def test_an_article_id_that_is_no_key_part_is_refused(stack):
    record = dict(make_record("en"), id="../../../../tmp/synd-escape")
    outcome = publish(stack, record)
    assert outcome.state == "failed" and "cannot be part of a key" in outcome.error
    assert keys(stack) == []
