"""Issue 9, item 5: what a hostile partner sends never becomes a key, a path, a link or markup.

Each drop of tests/unit/hostile_drops.py goes through the whole core (`parse_drop`):
the declared language must be a valid BCP 47 tag or be ignored, no URL that is not
http(s) may leave the core, and no control character or bidi override stays in a text field.
"""
import re

import pytest

from tests.unit.hostile_drops import DROPS, RLO
from synd.pipeline import make_source, parse_drop
from synd.settings import PartnerSettings

_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*|und")


def _articles(name):
    data = DROPS[name]
    return parse_drop(data, make_source(data, path=name), PartnerSettings("hostile")).articles


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


@pytest.mark.parametrize("name", sorted(DROPS))
def test_declared_language_is_a_valid_tag_or_ignored(name):
    for article in _articles(name):
        language = article.language.language
        assert _TAG.fullmatch(language), language
        assert all(_TAG.fullmatch(share.tag) for share in article.language.languages)


@pytest.mark.parametrize("name", sorted(DROPS))
def test_no_url_but_http_leaves_the_core(name):
    for article in _articles(name):
        record = article.to_record()
        urls = [record["canonical_url"], record["license"]["url"]] + [i.get("url") for i in record["images"]]
        assert all(u is None or u.startswith(("http://", "https://")) for u in urls), urls
        assert "javascript:" not in repr(record).lower()


@pytest.mark.parametrize("name", sorted(DROPS))
def test_no_control_character_or_bidi_override_in_any_text_field(name):
    for article in _articles(name):
        record = article.to_record()
        dirty = [s for s in _strings(record) if _FORBIDDEN.search(s)]
        assert not dirty, dirty
        assert RLO not in repr(record)


def test_the_text_around_removed_characters_is_kept():
    (article,) = _articles("page.html")
    assert article.title == "BreakinggnikaerB"
    assert article.authors == ["MalloryyrollaM"]
