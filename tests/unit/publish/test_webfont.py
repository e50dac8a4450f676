"""The bundled Arabic-script font: the committed file covers what Persian, Pashto, Urdu and Arabic
partners send, its @font-face serves the same ranges, and the site gets the font with its licence."""
from __future__ import annotations

import io
import json
import unicodedata
from pathlib import Path

from fontTools.ttLib import TTFont

from synd.publish import webfont

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "expected"
# letters Debian's default fonts miss or draw from the wrong font, punctuation, both digit sets, ZWNJ/ZWJ
REQUIRED = ("ۍړښږګڼډټېۀےہھں۔،؛؟" + "".join(map(chr, range(0x0660, 0x066A)))
            + "".join(map(chr, range(0x06F0, 0x06FA))) + "\u200c\u200d")


def cmap() -> dict[int, str]:
    return TTFont(io.BytesIO(webfont.font_bytes())).getBestCmap()


def corpus_arabic_script_text() -> set[str]:
    """Every character of the titles, authors and body excerpts the fa/ps/ur/ar corpus cases expect."""
    chars: set[str] = set()
    for path in CORPUS.glob("*.json"):
        for article in json.loads(path.read_text(encoding="utf-8")).get("articles", []):
            if article.get("language") in ("fa", "ps", "ur", "ar"):
                chars |= set(json.dumps(article, ensure_ascii=False))
    return {c for c in chars if webfont.covered({ord(c)})}


def test_the_font_has_a_glyph_for_every_letter_partners_send():
    arabic = corpus_arabic_script_text()
    assert len(arabic) > 60  # the corpus really has fa, ps, ur and ar text
    missing = sorted(c for c in arabic | set(REQUIRED) if ord(c) not in cmap())
    assert not missing, [f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in missing]


def test_the_font_face_serves_exactly_the_required_ranges():
    assert webfont.covered({ord(c) for c in REQUIRED})
    assert not webfont.covered({ord("a")}) and not webfont.covered({ord("1")})  # Latin keeps the reader's fonts
    css = webfont.font_face_css("../../")
    assert css.startswith("@font-face{") and css.endswith("}")
    assert f'font-family:"{webfont.FONT_FAMILY}"' in css
    assert f'src:url("../../{webfont.FONT_KEY}") format("woff2")' in css
    assert "font-display:swap" in css and "unicode-range:U+0600-06FF," in css
    assert 'url("assets/fonts/' in webfont.font_face_css("")


def test_the_font_is_a_subset_with_every_weight():
    font = TTFont(io.BytesIO(webfont.font_bytes()))
    assert font.flavor == "woff2"
    assert [(a.axisTag, a.minValue, a.maxValue) for a in font["fvar"].axes] == [("wght", 100, 900)]
    assert not any(0x41 <= point <= 0x7A for point in font.getBestCmap())  # no Latin letters shipped
    features = {r.FeatureTag for table in ("GSUB", "GPOS") for r in font[table].table.FeatureList.FeatureRecord}
    assert {"init", "medi", "fina", "rlig", "mark", "mkmk"} <= features  # joining, ligatures, marks kept


def test_site_assets_are_the_font_and_its_licence():
    assets = webfont.site_assets()
    assert set(assets) == {webfont.FONT_KEY, webfont.LICENCE_KEY}
    font, font_type = assets[webfont.FONT_KEY]
    licence, licence_type = assets[webfont.LICENCE_KEY]
    assert font[:4] == b"wOF2" and font_type == "font/woff2"
    assert licence_type.startswith("text/plain")
    text = licence.decode("utf-8")
    assert text.startswith("Copyright 2015 The Vazirmatn Project Authors")
    assert "SIL Open Font License, Version 1.1" in text
