"""Page metadata: title, language, canonical URL, publisher, section, summary, image and licence
hints, from the page's own declarations (JSON-LD, <meta>, rel=canonical, og:url, rel=license)
before any guessing; dates and authors have modules of their own."""
from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from synd.budget import checkpoint
from synd.formats.html import authors, dates
from synd.formats.html.declared import article_ld, json_ld, meta, meta_index, name_of, url_of
from synd.license.detect import MAX_LINE
from synd.model import Draft, LicenseHint
from synd.text.header import licence_line
from synd.text.urls import clean_url

LICENSE_META = ("dcterms.license", "dc.rights", "dcterms.rights", "copyright", "rights", "license", "dc.license",
                "dcterms.accessrights", "og:license", "article:license")
# A separator starts where a run of spaces starts ((?<!\s)): a long run is scanned once, not from each of its spaces.
TITLE_SEPARATORS = re.compile(r"(?<!\s)\s++(?:[|–—/·•-]|--|::|»)\s+|(?<!\s)\s*+[|｜]\s*|[-_](?=[^\s\-_]{1,8}$)")


def page_metadata(tree) -> Draft:
    """What the page declares about itself."""
    ld = article_ld(json_ld(tree))
    metas = meta_index(tree)
    draft = Draft()
    draft.language_hint = _language(tree, metas)
    draft.title = _title(tree, metas, ld)
    draft.authors = authors.page_authors(tree, metas, ld)
    draft.published = dates.published(tree, metas, ld)
    draft.modified = dates.modified(metas, ld)
    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    draft.canonical_url = clean_url((canonical[0].strip() if canonical else None) or meta(metas, "og:url")
                                    or url_of(ld.get("mainEntityOfPage")) or url_of(ld.get("url")))
    draft.publisher = name_of(ld.get("publisher")) or meta(metas, "og:site_name", "application-name", "dc.publisher",
                                                           "dcterms.publisher")
    draft.section = name_of(ld.get("articleSection")) or meta(metas, "article:section")
    draft.summary = meta(metas, "description", "og:description", "dcterms.abstract") or name_of(ld.get("description"))
    image = meta(metas, "og:image", "twitter:image")
    draft.images = [{"url": image}] if image else []
    checkpoint("html licence hints")
    draft.license_hints = license_hints(tree, ld)
    return draft


def _language(tree, metas: dict[str, str]) -> str | None:
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not lang:
        lang = meta(metas, "content-language", "dc.language", "dcterms.language", "og:locale", "language")
    return lang.strip().replace("_", "-").split(",")[0] if lang else None


def _title(tree, metas: dict[str, str], ld: dict) -> str:
    """The article's headline.

    The social title (og:title) when the page shows it as its visible <h1> or when the <title>
    is that title plus a site suffix; else the <title> less the site's name; else JSON-LD
    headline or the page's one <h1>.
    """
    title_tag = tree.find(".//title")
    page_title = " ".join(title_tag.text_content().split()) if title_tag is not None else ""
    site = meta(metas, "og:site_name", "application-name") or name_of(ld.get("publisher")) or ""
    h1 = [t for t in (" ".join(h.text_content().split()) for h in tree.iter("h1")) if t]
    social = meta(metas, "og:title", "twitter:title", "dc.title", "dcterms.title")
    if social:
        social = strip_site_name(" ".join(social.split()), site)
        starts_title = fold(page_title).startswith(fold(social))
        if any(_same(social, h) for h in h1) or (len(social.split()) > 3 and starts_title) \
                or (social and fold(page_title).startswith(fold(social)) and len(social) >= 12):
            return social
    for candidate in (page_title, social, name_of(ld.get("headline")), h1[0] if len(h1) == 1 else None):
        if candidate and candidate.strip():
            return strip_site_name(" ".join(candidate.split()), site)
    return h1[0] if h1 else ""


def fold(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').split()).casefold()


def _same(a: str, b: str) -> bool:
    return fold(a) == fold(b)


def strip_site_name(title: str, site: str = "") -> str:
    """`Story | Section | Site` -> `Story`: drop trailing (or leading) short parts after a separator."""
    parts = TITLE_SEPARATORS.split(title)
    seps = TITLE_SEPARATORS.findall(title)
    site_fold = site.casefold()
    while len(parts) > 1 and (len(parts[-1].split()) <= 4 or (site_fold and site_fold in parts[-1].casefold())):
        parts.pop()
        seps.pop()
    if len(parts) > 1 and site_fold and parts[0].casefold() == site_fold:
        parts.pop(0)
        seps.pop(0)
    out = parts[0]
    for sep, part in zip(seps, parts[1:], strict=True):  # one separator before each part after the first
        out += sep + part
    return out.strip()



# <a>/<link> whose rel names "license"; the test is on the rel attributes, not on every element (see FOOTER_TEXTS).
REL_LICENSE = etree.XPath('//@rel[contains(concat(" ", normalize-space(.), " "), " license ")]'
                          "/parent::*[self::a or self::link]")


def license_hints(tree, ld: dict) -> list[LicenseHint]:
    """Every place on the page that may state the licence of the article."""
    hints: list[LicenseHint] = []
    seen = set()
    for element in REL_LICENSE(tree):
        href = element.get("href")
        text = " ".join((element.text_content() or element.get("title") or "").split())
        if (text, href) not in seen:
            seen.add((text, href))
            hints.append(LicenseHint(text=text, url=href, where="rel-license"))
    for element in tree.iter("meta"):
        key = (element.get("name") or element.get("property") or "").strip().casefold()
        content = (element.get("content") or "").strip()
        if key in LICENSE_META and content:
            url = content if re.match(r"https?://", content) else None
            hints.append(LicenseHint(text="" if url else content, url=url, where="meta"))
    for key in ("license", "copyrightNotice", "usageInfo"):
        value = ld.get(key)
        if value:
            url = url_of(value) if isinstance(value, dict) else (value if str(value).startswith("http") else None)
            named = name_of(value) if isinstance(value, dict) else ("" if url else str(value))
            hints.append(LicenseHint(text=named or "", url=url, where="json-ld"))
    hints.extend(LicenseHint(text=line, where="footer") for line in _footer_licence_lines(tree))
    return hints


FOOTER_MARKS = ("footer", "copyright", "licen", "rights", "legal")
_MARKED = " or ".join(f'contains(., "{word}")' for word in FOOTER_MARKS)
# The text that opens each element (its .text; tails belong to the parent) in the page's footers and in
# the elements whose class or id names a footer, copyright, licence, rights or legal block, scripts and
# styles left out. One expression: the union reads each element once however deep footers nest, in
# page order, without a Python object made for every element; the marks are looked for in the class
# and id attributes themselves (`//@class[...]/..`), which libxml2 walks about twice as fast as it
# tests every element's attributes (`//*[contains(@class, ...)]`).
FOOTER_TEXTS = etree.XPath(
    f"(//footer | //@class[{_MARKED}]/.. | //@id[{_MARKED}]/..)"
    "/descendant-or-self::*[not(self::script or self::style)]/text()[normalize-space()]")


def _footer_licence_lines(tree, limit: int = 3) -> list[str]:
    """Short licence/copyright statements in the page footer (innermost text, no duplicates)."""
    lines: list[str] = []
    tested: set[str] = set()
    for found in FOOTER_TEXTS(tree):
        if not found.is_text:
            continue  # a child's tail: the text after an element, not one that opens it
        text = " ".join(found.split())
        if not text or text in tested:
            continue
        tested.add(text)
        if _is_licence_line(text):
            lines.append(text)
            if len(lines) == limit:
                break
    return lines


@lru_cache(maxsize=4096)
def _remembered_licence_line(text: str) -> bool:
    return licence_line(text)


def _is_licence_line(text: str) -> bool:
    """`licence_line`, remembered for short lines: a site's footer repeats its links ("Privacy Policy",
    "Contact", "Facebook") on every page, and a warm process parses many pages of the same sites.
    Lines too long to be licence lines are answered at once and not kept."""
    return _remembered_licence_line(text) if len(text) <= MAX_LINE else licence_line(text)
