"""The site's bundled font for the Arabic script: Vazirmatn, served beside the pages.

Debian's default fonts (and many readers' phones) draw Pashto's ۍ and ۔ as boxes,
so the site serves its own font from its own origin (the pages' CSP allows
`font-src 'self'` and nothing else). Vazirmatn covers every letter of Persian,
Pashto, Urdu and Arabic, their punctuation and both sets of Arabic digits, and
is licensed under the SIL Open Font License 1.1; its licence text is served next
to it. The committed file is Vazirmatn's variable font (weights 100-900, so
headings are really bold) subset to the Arabic-script blocks by tools/fonts.py
(`make fonts`), which rebuilds it from the pinned npm tarball. The
`unicode-range` below tells browsers not to fetch the font for a page without
Arabic-script text, and Latin text keeps the reader's own fonts.

Pure: reads package data, no AWS.
"""
from __future__ import annotations

from functools import cache
from importlib import resources

FONT_FAMILY = "Vazirmatn"
FONT_VERSION = "33.0.3"  # the npm package tools/fonts.py subsets
FONT_KEY = "assets/fonts/vazirmatn-arabic.woff2"
LICENCE_KEY = "assets/fonts/OFL.txt"
FONT_CONTENT_TYPE = "font/woff2"
LICENCE_CONTENT_TYPE = "text/plain; charset=utf-8"
FONT_WEIGHTS = "100 900"  # a variable font: one file for every weight

# The code points the subset keeps and the @font-face serves: Arabic, Arabic Supplement, Arabic
# Extended-B and -A, Presentation Forms-A and -B (ligatures such as ﷲ, ﷺ), ZWNJ/ZWJ and the
# directional marks (Persian's half-space is a ZWNJ), and the dotted circle HarfBuzz shows a lone
# mark on. tools/fonts.py subsets with the same list, so CSS and file agree.
UNICODE_RANGES = ("U+0600-06FF", "U+0750-077F", "U+0870-089F", "U+08A0-08FF", "U+FB50-FDFF",
                  "U+FE70-FEFF", "U+200C-200F", "U+25CC")

_ASSETS = "assets/fonts"  # package data under synd/publish/


def font_face_css(up: str) -> str:
    """The `@font-face` rule for a page `up` folders below the site root ("" root, "../", "../../").

    font-display: swap shows the text at once in a fallback font and swaps when the font arrives,
    so a slow font never hides an article.
    """
    ranges = ",".join(UNICODE_RANGES)
    return (f'@font-face{{font-family:"{FONT_FAMILY}";src:url("{up}{FONT_KEY}") format("woff2");'
            f"font-weight:{FONT_WEIGHTS};font-style:normal;font-display:swap;unicode-range:{ranges}}}")


@cache
def _package_file(name: str) -> bytes:
    return resources.files("synd.publish").joinpath(_ASSETS, name).read_bytes()


def font_bytes() -> bytes:
    return _package_file(FONT_KEY.rsplit("/", 1)[1])


def licence_bytes() -> bytes:
    return _package_file(LICENCE_KEY.rsplit("/", 1)[1])


def site_assets() -> dict[str, tuple[bytes, str]]:
    """Bucket key -> (bytes, content type) of the files the site serves beside its pages."""
    return {FONT_KEY: (font_bytes(), FONT_CONTENT_TYPE),
            LICENCE_KEY: (licence_bytes(), LICENCE_CONTENT_TYPE)}


def covered(codepoints: set[int]) -> bool:
    """Whether every code point lies in the font's unicode-range (the tests check the file's cmap)."""
    return all(any(low <= point <= high for low, high in _ranges()) for point in codepoints)


@cache
def _ranges() -> tuple[tuple[int, int], ...]:
    spans = []
    for item in UNICODE_RANGES:
        low, _, high = item.removeprefix("U+").partition("-")
        spans.append((int(low, 16), int(high or low, 16)))
    return tuple(spans)
