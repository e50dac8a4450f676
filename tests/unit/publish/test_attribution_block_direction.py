"""The attribution block reads right on RTL and LTR pages: it carries the language and direction
of its credit (an English fallback on a Pashto page is an LTR block), its layout uses logical
properties, and Arabic-script languages get fonts that have Pashto/Urdu/Persian letters."""
from html.parser import HTMLParser

import pytest

from synd import policy
from synd.publish import html, webfont
from synd.publish.html import ARABIC_SCRIPT_FONTS, attribution_block, attribution_language, render_article_page
from synd.settings import PartnerSettings

from tests.unit.publish.publish_samples import CC_BY, make_record


class Blocks(HTMLParser):
    """The attributes of <html> and of the attribution block (the aside, or its wrapper)."""

    def __init__(self):
        super().__init__()
        self.found: dict[str, dict[str, str]] = {}
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "html" or "attribution" in attrs.get("class", "").split() or \
                "attribution-block" in attrs.get("class", "").split():
            self.found.setdefault(tag, attrs)
        self._in_style = tag == "style"

    def handle_data(self, data):
        if self._in_style:
            self.style += data

    def handle_endtag(self, tag):
        self._in_style = False


def parse(page: str) -> Blocks:
    parser = Blocks()
    parser.feed(page)
    return parser


def test_english_fallback_on_a_uyghur_page_is_an_ltr_block_in_an_rtl_page():
    record = {**make_record("ps", license=CC_BY, canonical_url="https://example.org/udhr/ug"), "language": "ug"}
    credit = policy.attribution(record, PartnerSettings(id="kashgar-wire"))
    assert credit["language"] == "en"  # no Uyghur wording: the policy falls back to English
    doc = parse(render_article_page(record, credit))
    assert doc.found["html"] == {"lang": "ug", "dir": "rtl"}
    assert doc.found["aside"]["lang"] == "en" and doc.found["aside"]["dir"] == "ltr"


def test_pashto_credit_on_a_pashto_page_is_an_rtl_block():
    record = make_record("ps", license=CC_BY, canonical_url="https://example.org/udhr/ps")
    credit = policy.attribution(record, PartnerSettings(id="kandahar-text-wire"))
    assert credit["language"] == "ps"
    aside = parse(render_article_page(record, credit)).found["aside"]
    assert (aside["lang"], aside["dir"]) == ("ps", "rtl")


def test_persian_credit_on_a_persian_page_is_an_rtl_block():
    record = make_record("fa", license=CC_BY)
    credit = policy.attribution(record, PartnerSettings(id="persian-rss-feed"))
    assert credit["language"] == "fa"
    aside = parse(render_article_page(record, credit)).found["aside"]
    assert (aside["lang"], aside["dir"]) == ("fa", "rtl")


def test_persian_credit_for_an_english_page_is_an_rtl_block_in_an_ltr_page():
    record = make_record("en", license=CC_BY)
    credit = policy.attribution(record, PartnerSettings(id="desk"), language="fa")  # a translating target
    doc = parse(render_article_page(record, credit))
    assert doc.found["html"] == {"lang": "en", "dir": "ltr"}
    assert (doc.found["aside"]["lang"], doc.found["aside"]["dir"]) == ("fa", "rtl")


@pytest.mark.parametrize("credit, expected", [
    (None, ("en", "ltr")),
    ({}, ("en", "ltr")),
    ({"language": "fa", "direction": "rtl"}, ("en", "ltr")),  # no wording: the English credit_text is used
    ({"text": "متن", "language": "ps", "direction": "rtl"}, ("ps", "rtl")),
    ({"html": "<p>credit</p>", "language": "de", "direction": "ltr"}, ("de", "ltr")),
])
def test_the_block_language_is_the_credit_language(credit, expected):
    assert attribution_language(credit) == expected


def test_a_block_language_that_is_no_tag_falls_back_to_english():
    block = attribution_block(make_record("en"), {"text": "x", "language": 'en"><script>', "direction": "ltr"})
    assert "<script>" not in block and parse(block).found["aside"]["lang"] == "en"


def test_an_unexpected_aside_is_wrapped_rather_than_left_without_direction(monkeypatch):
    monkeypatch.setattr(html, "attribution_html", lambda record, credit: '<aside class="attribution new">x</aside>')
    block = attribution_block(make_record("ps"), None)  # the site's own credit: in Pashto on a Pashto page
    assert parse(block).found["div"] == {"class": "attribution-block", "lang": "ps", "dir": "rtl"}


def test_layout_uses_logical_properties_and_arabic_script_fonts():
    style = parse(render_article_page(make_record("ps"))).style
    attribution_rule = style[style.index(".attribution{"):style.index("}", style.index(".attribution{"))]
    assert "border-inline-start:" in attribution_rule and "padding-inline-start:" in attribution_rule
    assert "text-align:start" in attribution_rule
    assert not any(word in style for word in ("border-left", "border-right", "padding-left", "padding-right",
                                              "text-align:left", "text-align:right"))
    arabic_rule = next(rule for rule in style.split("}") if ":lang(ps)" in rule)
    assert ":lang(fa)" in arabic_rule and ":lang(ur)" in arabic_rule and ":lang(ar)" in arabic_rule
    assert ARABIC_SCRIPT_FONTS in arabic_rule
    fonts = [f.strip().strip('"') for f in ARABIC_SCRIPT_FONTS.split(",")]
    # the bundled font first, then fonts readers may have that cover Pashto, Urdu and Persian
    assert fonts[:3] == [webfont.FONT_FAMILY, "Noto Naskh Arabic", "Noto Sans Arabic"] and fonts[-1] == "sans-serif"
    assert webfont.font_face_css("../../") in style  # served by the site itself (CSP font-src 'self')
