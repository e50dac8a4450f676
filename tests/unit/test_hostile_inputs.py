"""Issue 9, item 4: drops that crashed or hung the core. Each input goes through `parse_drop`
(what `synd parse` and the ingest Lambda call) and must end in articles or a rejection code.

The slow ones run in a forked child with a deadline (tests/unit/hostile_timing.py): before
the fix they hit it in seconds instead of hanging the suite; after it, the time at 4n must
stay within a generous multiple of the time at n (linear, not quadratic or cubic).
"""
from __future__ import annotations

import json

import pytest

from tests.conftest import REPO, SAMPLES
from tests.unit.hostile_timing import grows_linearly, timed
from synd.errors import Rejected
from synd.license.detect import read_statement
from synd.pipeline import make_source, parse_drop
from synd.settings import PartnerSettings

PARTNER = PartnerSettings(id="hostile")
GOPHER_ITEM = (SAMPLES / "opendemocracy" / "003_8c237974b6d2240c.txt").read_text(encoding="utf-8")
RSS_FEED = (SAMPLES / "persian-rss-feed" / "feed.xml").read_text(encoding="utf-8")
PROSE = "<p>" + "The council met on Tuesday and agreed the budget for the coming year. " * 8 + "</p>"


def outcome(data: bytes | str, **options) -> tuple[str, object]:
    """("articles", count) or ("rejected", code): any other exception fails the test."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        result = parse_drop(raw, make_source(raw), PARTNER, **options)
    except Rejected as exc:
        return "rejected", exc.code
    return "articles", len(result.articles)


def parsing(drop: str):
    return lambda: outcome(drop)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.fixture(scope="module", autouse=True)
def warm_model():
    """Load the language model before any child is forked, so no child times the loading."""
    outcome("Warm up\n\nThe language model is loaded once, here, before the timed children fork.")


# --- exceptions -----------------------------------------------------------------------------

def test_a_licence_url_that_is_not_a_string_is_no_licence():
    """read_statement joined a number into its evidence: TypeError in license/detect.py."""
    assert read_statement("Creative Commons", 5) is None
    assert read_statement(["CC BY 4.0"], None) is None
    assert read_statement("CC BY 4.0", ["https://creativecommons.org/licenses/by/4.0/"]).license.spdx == "CC-BY-4.0"


@pytest.mark.parametrize("licence", [{"name": 5}, {"name": ["CC BY"]}, {"@id": 7}, [None], 12])
def test_json_ld_values_that_are_not_strings_are_ignored(licence):
    page = (f'<html><head><title>Budget agreed</title><script type="application/ld+json">'
            f'{json.dumps({"@type": "NewsArticle", "license": licence, "author": {"name": 3}})}</script>'
            f"</head><body><article>{PROSE}</article></body></html>")
    assert outcome(page) == ("articles", 1)


def test_numbers_lists_and_objects_in_json_feed_and_ninjs_fields():
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": ["x"], "language": 5,
            "items": [{"id": {"a": 1}, "title": 7, "content_text": "The council agreed the budget for next year.",
                       "summary": ["s"], "tags": [{"x": 1}], "image": 3, "license": {"name": 1, "url": 5}}]}
    assert outcome(json.dumps(feed)) == ("articles", 1)
    ninjs = {"uri": "http://example.org/a", "headline": "Budget", "guid": 5, "language": ["en"],
             "body_text": "The council agreed the budget for next year.", "infoSources": [{"name": 3}],
             "subjects": [{"name": {"x": 1}}], "rightsInfo": {"linkedRights": 5, "encodedRights": ["a"]}}
    assert outcome(json.dumps(ninjs)) == ("articles", 1)


@pytest.mark.parametrize("reference", ["&#9999999999;", "&#x110000;", "&#xD800;", "&#00000000000000000065;"])
def test_feed_character_references_to_no_character(reference):
    """feedparser's lenient parser called chr() on them: ValueError, OverflowError, UnicodeEncodeError."""
    at = RSS_FEED.index("<description>") + len("<description>")
    assert outcome(RSS_FEED[:at] + reference + RSS_FEED[at:]) == ("articles", 3)


def test_json_feed_nested_2000_deep_is_malformed():
    feed = ('{"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": '
            f'[{{"id": "1", "content_text": "The council agreed the budget.", "extra": {nested(2000)}}}]}}')
    assert outcome(feed) == ("rejected", "malformed")


def test_ninjs_nested_2000_deep_is_malformed():
    item = f'{{"uri": "http://example.org/a", "headline": "x", "body_text": "Budget agreed.", "x": {nested(2000)}}}'
    assert outcome(item) == ("rejected", "malformed")
    with pytest.raises(Rejected, match="nests"):
        parse_drop(item.encode(), make_source(item.encode()), PARTNER)


def test_json_nested_just_under_the_recursion_limit_is_refused_too():
    """900 levels still load; they are refused too: no ninjs item or feed nests past 64 levels, and
    data near the recursion limit would crash any later function that walks it recursively."""
    item = f'{{"uri": "http://example.org/a", "headline": "x", "body_text": "Budget agreed.", "x": {nested(900)}}}'
    assert outcome(item) == ("rejected", "malformed")


@pytest.mark.parametrize("depth", [70, 900, 2000])
def test_json_ld_nested_deep_is_skipped_and_the_page_still_read(depth):
    page = (f'<html><head><title>Budget agreed</title><script type="application/ld+json">{nested(depth)}</script>'
            f"</head><body><article>{PROSE}</article></body></html>")
    assert outcome(page) == ("articles", 1)


def test_front_matter_nested_deep_or_aliased_is_not_front_matter():
    deep = f"---\ntitle: x\ntags: {nested(3000)}\n---\n\n# Budget\n\nThe council agreed the budget for next year, at last.\n"
    assert outcome(deep) == ("articles", 1)
    laughs = "---\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    bomb = laughs + "author: *i\n---\n\n# Budget\n\nThe council agreed the budget for next year, at last.\n"
    assert timed(parsing(bomb)) < 5


# --- regexes that backtracked -----------------------------------------------------------------

def test_addresses_in_text_are_linear():
    """language/detect.py `_NOISE` (`\\S+@\\S+\\.\\w+`): `a@` x 2,500 took 35 s."""
    grows_linearly(lambda n: parsing("Title\n\n" + "a@" * n + "\n"), 600)


def test_markdown_emphasis_is_linear():
    """`**a ` x 8,000 (32 KB) in Markdown took 16.6 s."""
    grows_linearly(lambda n: parsing("# Title\n\n" + "**a " * n + "\n"), 2000)


def test_markdown_heading_with_a_long_run_of_spaces_is_linear():
    grows_linearly(lambda n: parsing("# Budget" + " " * n + "x\n\nThe council agreed the budget for the year.\n"), 500)


def test_gopher_footer_line_of_spaces_is_linear():
    """VIA_LINE `^\\s*(.+?)\\s+via\\s+(.+?)\\s*:?\\s*$`: a footer line of 3,000 spaces took 44.8 s."""
    footer = GOPHER_ITEM.index("OpenDemocracy via")
    grows_linearly(lambda n: parsing(GOPHER_ITEM[:footer] + " " * n + "\n" + GOPHER_ITEM[footer:]), 600)


def test_gopher_header_and_footer_with_long_runs_are_linear():
    rule = GOPHER_ITEM.index("------------------------")
    grows_linearly(lambda n: parsing("published" + " " * n + "on\n" + GOPHER_ITEM[rule:]), 2000)
    footer = GOPHER_ITEM.index("OpenDemocracy via")
    grows_linearly(lambda n: parsing(GOPHER_ITEM[:footer] + "x" + " " * n + "via" + " " * n + "y  \n"), 2000)


def test_a_10_megabyte_line_of_emphasis_ends_in_time():
    """A 9.6 MB line of `**a ` never finished; now it is read, or refused as too_slow, within its budget."""
    line = "# Title\n\n" + "**a " * 2_400_000 + "\n"
    seconds = timed(lambda: outcome(line, budget_seconds=3), deadline=30)
    assert seconds < 15


# --- type confusion: any JSON value where a partner's document should hold a string or a list ---

ODD_VALUES = [{}, "x", 5, 1.5, [1], None, True, {"value": 1, "name": 5},
              [{"name": [1], "role": {}, "value": [2], "url": 5, "@id": [3], "rel": 7}]]
BODY = "The council agreed the budget for next year."


def _ninjs(key, value):
    return json.dumps({"uri": "http://example.org/a", "headline": "Budget agreed", "body_text": BODY, key: value})


def _json_feed_item(key, value):
    item = {"id": "1", "title": "Budget agreed", "content_text": BODY, key: value}
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "F", "items": [item]})


def _json_feed(key, value):
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "F", key: value,
                       "items": [{"id": "1", "title": "Budget agreed", "content_text": BODY}]})


def _json_ld(key, value):
    return (f'<html><head><title>Budget agreed</title><script type="application/ld+json">'
            f'{json.dumps({"@type": "NewsArticle", "headline": "Budget", key: value})}</script>'
            f"</head><body><article>{PROSE}</article></body></html>")


def _front_matter(key, value):
    return f"---\ntitle: Budget\n{key}: {json.dumps(value)}\n---\n\n# Budget\n\n{BODY} At last, after a long night.\n"


SHAPES = {
    "ninjs": (_ninjs, "infoSources infosources subjects subject altids altIds headlines bodies descriptions people "
                      "rightsInfo byline by usageTerms copyrightNotice copyrightHolder versionCreated firstCreated "
                      "body_html body_text headline description_text uri guid language"),
    "JSON Feed item": (_json_feed_item, "id title content_text content_html summary url external_url authors author "
                                        "date_published date_modified language tags image license rights"),
    "JSON Feed": (_json_feed, "title language authors author license rights copyright items"),
    "JSON-LD": (_json_ld, "@type @id @graph headline author creator publisher datePublished dateModified "
                          "mainEntityOfPage url articleSection description license copyrightNotice usageInfo"),
    "front matter": (_front_matter, "title authors author date published updated canonical_url url publisher "
                                    "lang section categories summary license licence rights license_url"),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_any_json_value_in_any_field_gives_articles_or_a_code(shape):
    """`"infoSources": {}` made `{} + []` a TypeError in the ninjs reader, `"@graph": 5` one in JSON-LD."""
    make, keys = SHAPES[shape]
    broken = []
    for key in keys.split():
        for value in ODD_VALUES:
            raw = make(key, value).encode()
            try:
                result = parse_drop(raw, make_source(raw), PARTNER)
            except Rejected as exc:
                messages = [exc.message] if exc.code == "parser_error" else []
            except Exception as exc:  # noqa: collected, so that one run names every case
                messages = [f"{type(exc).__name__}: {exc}"]
            else:
                messages = [e.message for e in result.errors if e.code == "parser_error"]
            broken += [f"{key}={json.dumps(value)}: {message}" for message in messages]
    assert not broken, "\n".join(broken)


# --- library code that cannot be made linear: readability-lxml ---------------------------------

HERAT_PAGE = (REPO / "tests" / "corpus" / "drops" / "herat-weekly-web" / "udhr-remedy.html").read_bytes()
META_REFRESH_PAGE = (REPO / "tests" / "unit" / "formats" / "data" / "html" / "google_meta_refresh.html").read_bytes()


@pytest.mark.parametrize("page", [
    HERAT_PAGE[:322] + HERAT_PAGE[322:790] * 137 + HERAT_PAGE[322:],  # 137 unclosed <div>s: 138 s in readability
    META_REFRESH_PAGE[:550] + b"[1] Url: http://a\n" * 4000 + META_REFRESH_PAGE[550:],  # a multi-line meta refresh
], ids=["nested unclosed divs", "multi-line meta refresh"])
def test_pages_that_make_readability_superlinear_end_within_the_budget(page):
    """Found by bench/fuzz.py (seed 1, drops 83240 and 84477): readability-lxml, the fallback extractor,
    ran for minutes on 67-82 KB pages. It now runs in a child killed when the budget runs out."""
    seconds = timed(lambda: outcome(page, budget_seconds=2), deadline=15)
    assert seconds < 6
