"""synd.text.clean: control characters, noncharacters and bidi overrides out of every text field."""
from dataclasses import fields

import pytest

from synd.model import Draft, LicenseHint
from synd.text.clean import clean_draft, clean_text

PERSIAN = "می\u200cخواهم به\u200cروز شوم"  # ZWNJ is part of Persian spelling


@pytest.mark.parametrize("dirty, clean", [
    ("a\x00b\x01c\x08d\x1fe\x7ff", "abcdef"),
    ("C1\x80\x84\x86\x9b\x9f controls", "C1 controls"),
    ("lone \ud800surrogate\udfff", "lone surrogate"),
    ("non\ufdd0char\ufffe\uffff\U0001fffe\U0010ffff", "nonchar"),
    ("over\u202aride\u202b\u202c\u202d\u202e", "override"),
    ("iso\u2066la\u2067te\u2068s\u2069", "isolates"),
    ("keep\ttabs\nand lines", "keep\ttabs\nand lines"),
    ("windows\r\nand old mac\rlines", "windows\nand old mac\nlines"),
    ("page\x0cbreak\x0bvertical\x85next line", "page\nbreak\nvertical\nnext line"),
    (PERSIAN, PERSIAN),
    ("marks \u200e\u200f\u061c and joiners \u200d stay", "marks \u200e\u200f\u061c and joiners \u200d stay"),
    ("", ""),
])
def test_clean_text(dirty, clean):
    assert clean_text(dirty) == clean


def test_clean_text_is_linear_in_the_input():
    """One character class, no backtracking: a megabyte of mixed junk is one pass."""
    text = ("a\u202e\x01\u200c" * 250_000)
    assert clean_text(text) == "a\u200c" * 250_000


def test_clean_draft_cleans_every_text_field_urls_and_the_declared_language():
    rlo = "\u202e"
    draft = Draft(
        title=f"T{rlo}itle\x01", body_text=f"Bo\x00dy{rlo}", authors=[f"A{rlo}", "\x02", "B"], published="2021\x01-01",
        modified="2021-02", canonical_url="javascript:alert(1)", guid=f"g{rlo}", publisher=f"P{rlo}",
        via=[f"V{rlo}", "\x03"], section=f"S\x04", summary=f"Su{rlo}m", language_hint="fa-af", chrome=f"C{rlo}",
        license_hints=[LicenseHint(text=f"CC BY{rlo} 4.0\x05", url=f"https://creativecommons.org/licenses/by/4.0/{rlo}",
                                   where="meta")],
        images=[{"url": "javascript:alert(2)", "caption": f"Ca{rlo}p"}, {"url": "https://img.example/a.jpg"}, "junk"])
    clean = clean_draft(draft)
    assert (clean.title, clean.body_text, clean.authors) == ("Title", "Body", ["A", "B"])
    assert (clean.published, clean.guid, clean.publisher, clean.via) == ("2021-01", "g", "P", ["V"])
    assert (clean.section, clean.summary, clean.chrome) == ("S", "Sum", "C")
    assert clean.canonical_url is None
    assert clean.language_hint == "fa-AF"
    assert (clean.license_hints[0].text, clean.license_hints[0].url) == (
        "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
    assert clean.images == [{"url": "https://img.example/a.jpg"}]  # an image without a web URL is no image


@pytest.mark.parametrize("declared", ["../../../etc", 'en" onmouseover="x', "javascript:", "english", "und", ""])
def test_clean_draft_drops_a_declared_language_that_is_no_valid_tag(declared):
    assert clean_draft(Draft(title="t", body_text="b", language_hint=declared)).language_hint is None


def test_every_text_field_of_a_draft_is_cleaned_even_one_added_later():
    """A new Draft field of text must be added to clean_draft: this test fails until it is."""
    rlo = "\u202e"
    dirty = {"str": f"x{rlo}\x01", "str | None": f"x{rlo}\x01", "list[str]": [f"x{rlo}\x01"]}
    text_fields = [f.name for f in fields(Draft) if f.type in dirty]
    assert {"title", "body_text", "authors", "via", "summary", "section", "publisher", "chrome"} <= set(text_fields)
    draft = Draft(**{f.name: dirty[f.type] for f in fields(Draft) if f.type in dirty})
    clean = clean_draft(draft)
    for name in text_fields:
        value = getattr(clean, name)
        assert rlo not in repr(value) and "\\x01" not in repr(value), name
