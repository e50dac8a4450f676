"""Page metadata: title, language, canonical URL, publisher, section, summary, image and licence
hints, from the page's own declarations (JSON-LD, <meta>, rel=canonical, og:url, rel=license)
before any guessing; dates and authors have modules of their own."""
from __future__ import annotations

import re

from synd.budget import checkpoint
from synd.formats.html import authors, dates
from synd.formats.html.declared import article_ld, json_ld, meta, meta_index, name_of, url_of
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
        if any(_same(social, h) for h in h1) or (len(social.split()) > 3 and fold(page_title).startswith(fold(social))) \
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
    for sep, part in zip(seps, parts[1:]):
        out += sep + part
    return out.strip()



def license_hints(tree, ld: dict) -> list[LicenseHint]:
    """Every place on the page that may state the licence of the article."""
    hints: list[LicenseHint] = []
    seen = set()
    for element in tree.xpath('//*[self::a or self::link][contains(concat(" ", normalize-space(@rel), " "), " license ")]'):
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
            text = name_of(value) if isinstance(value, dict) else ("" if url else str(value))
            hints.append(LicenseHint(text=text or "", url=url, where="json-ld"))
    hints.extend(LicenseHint(text=line, where="footer") for line in _footer_licence_lines(tree))
    return hints


FOOTER_XPATH = " | ".join(["//footer"] + [f'//*[contains(@class, "{word}") or contains(@id, "{word}")]'
                                           for word in ("footer", "copyright", "licen", "rights", "legal")])


def _footer_licence_lines(tree, limit: int = 3) -> list[str]:
    """Short licence/copyright statements in the page footer (innermost text, no duplicates)."""
    lines: list[str] = []
    read: set = set()
    for footer in tree.xpath(FOOTER_XPATH):
        if footer in read or any(ancestor in read for ancestor in footer.iterancestors()):
            continue  # inside a footer already read: each element once, however deep footers nest
        read.add(footer)
        for element in footer.iter():
            if not isinstance(element.tag, str) or element.tag in ("script", "style"):
                continue
            text = " ".join((element.text or "").split())
            if text and licence_line(text) and text not in lines:
                lines.append(text)
    return lines[:limit]

