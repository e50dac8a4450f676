"""Article pages: trafilatura (favor_precision) for the body, readability-lxml
as fallback, metadata from the page's own declarations (JSON-LD, <meta>,
<time>, rel=canonical, og:url, rel=license) before any guessing."""
from __future__ import annotations

import logging
import re
from collections import Counter
from itertools import islice

import lxml.html
import trafilatura
from lxml import etree

from synd.budget import call_with_deadline, checkpoint, remaining
from synd.errors import Rejected
from synd.formats import Decoded, jsondata, text_or_none
from synd.model import Draft, LicenseHint
from synd.text.authors import normalise_authors
from synd.text.body import clean_paragraphs
from synd.text.dates import dateline, find_date, parse_date
from synd.text.header import Meta, licence_line, read_line
from synd.text.labels import byline, labelled
from synd.text.urls import clean_url

NAME = "html"
HTML_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
HTML_FRAGMENT_START = re.compile(r"^\s*<(?:script|meta|noscript|title|link|style|div|p|article|main|section|h[1-6])\b", re.I)
HTML_TAGS = re.compile(r"<(?:p|div|article|section|h[1-6]|br|span|a\s)[\s>/]", re.I)
FEED_ROOT = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.I | re.S)
LICENSE_META = ("dcterms.license", "dc.rights", "dcterms.rights", "copyright", "rights", "license", "dc.license",
                "dcterms.accessrights", "og:license", "article:license")
MIN_BODY_CHARS = 40
# trafilatura runs without its internal fallbacks (fast=True: same F1 on the benchmark pages,
# a third less time); when it finds less than this, readability-lxml gets a say.
SECOND_OPINION_CHARS = 300
READABILITY_SECONDS = 5.0  # the longest readability-lxml may take on one page (see _readability)
# readability logs the failures it raises (`Unparseable`) as ERROR with a traceback; they are handled
# here, and an ERROR line in the ingest logs must mean a failed record.
logging.getLogger("readability.readability").setLevel(logging.CRITICAL)
# A separator starts where a run of spaces starts ((?<!\s)): a long run is scanned once, not from each of its spaces.
TITLE_SEPARATORS = re.compile(r"(?<!\s)\s++(?:[|–—/·•-]|--|::|»)\s+|(?<!\s)\s*+[|｜]\s*|[-_](?=[^\s\-_]{1,8}$)")


def sniff(doc: Decoded) -> float:
    head = doc.text[:4096]
    if FEED_ROOT.match(head) or head.lstrip()[:1] in ("{", "["):
        return 0.0
    if HTML_START.match(head):
        return 0.9
    if HTML_FRAGMENT_START.match(head):
        return 0.7
    tags = len(HTML_TAGS.findall(doc.text[:20000]))
    return 0.6 if tags >= 3 else 0.0


# trafilatura drops every non-printable character, ZWNJ and ZWJ included, which breaks
# Persian, Urdu and Pashto words ("بهره‌مند" -> "بهرهمند"): they travel as rare printable stand-ins.
JOINER_STANDINS = {"\u200c": "\u2b1a", "\u200d": "\u2b19"}


def parse(doc: Decoded) -> list[Draft]:
    source = doc.text
    joiners = [(joiner, standin) for joiner, standin in JOINER_STANDINS.items() if joiner in source]
    for joiner, standin in joiners:
        source = source.replace(joiner, standin)
    tree = parse_tree(source)
    checkpoint("html metadata")
    draft = page_metadata(tree)
    draft.body_text, trailing, found = extract_body(tree, source, draft.title)
    draft.license_hints.extend(LicenseHint(text=line, where="footer") for line in trailing)
    found.fill(draft)
    if not draft.title:
        draft.title = _first_line_title(draft)
    return [_restore_joiners(draft, joiners)] if joiners else [draft]


def _restore_joiners(draft: Draft, joiners: list[tuple[str, str]]) -> Draft:
    def back(value):
        if isinstance(value, str):
            for joiner, standin in joiners:
                value = value.replace(standin, joiner)
        return value

    for name in ("title", "body_text", "publisher", "section", "summary"):
        setattr(draft, name, back(getattr(draft, name)))
    draft.authors = [back(a) for a in draft.authors]
    for hint in draft.license_hints:
        hint.text = back(hint.text)
    return draft


def parse_tree(text: str):
    source = re.sub(r"^\s*<\?xml[^>]*>", "", text, count=1)
    try:
        tree = lxml.html.document_fromstring(source)
    except (etree.ParserError, ValueError) as exc:
        raise Rejected("malformed", f"the HTML could not be parsed: {exc}")
    if tree is None or not len(tree):
        raise Rejected("malformed", "the HTML has no elements")
    return tree


# --- metadata -------------------------------------------------------------------------------

def meta_index(tree) -> dict[str, str]:
    """Every <meta name|property|itemprop=... content=...> of the page, first one of each key wins."""
    metas: dict[str, str] = {}
    for element in tree.iter("meta"):
        content = (element.get("content") or "").strip()
        if not content:
            continue
        for attribute in ("name", "property", "itemprop", "http-equiv"):
            key = (element.get(attribute) or "").strip().casefold()
            if key and key not in metas:
                metas[key] = content
    return metas


def _meta(metas: dict[str, str], *names: str) -> str | None:
    """The content of the first of `names` that the page declares."""
    for name in names:
        if name.casefold() in metas:
            return metas[name.casefold()]
    return None


def json_ld(tree) -> list[dict]:
    """Every JSON-LD object on the page, @graph flattened."""
    objects: list[dict] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = jsondata.loads(script.text_content() or "")
        except ValueError:  # invalid, or nested past jsondata.MAX_DEPTH: the page's other metadata stays
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                objects.append(item)
                graph = item.get("@graph")
                stack.extend(graph if isinstance(graph, list) else [graph] if isinstance(graph, dict) else [])
            elif isinstance(item, list):
                stack.extend(item)
    return objects


ARTICLE_TYPES = ("BlogPosting", "Report", "NewsArticle", "LiveBlogPosting", "ScholarlyArticle")


def _article_ld(objects: list[dict]) -> dict:
    """The JSON-LD object that describes the article: an *Article or BlogPosting before a WebPage
    or CreativeWork; `{"@id": ...}` references to other nodes of the page (a Yoast graph names its
    authors in separate Person nodes) are replaced by those nodes."""
    def rank(item: dict) -> int:
        kind = item.get("@type")
        kinds = [k for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str)]
        if any(k.endswith("Article") or k in ARTICLE_TYPES for k in kinds):
            return 0
        return 1 if any(k in ("WebPage", "CreativeWork") for k in kinds) else 2

    ranked = sorted((item for item in objects if rank(item) < 2), key=rank)
    if not ranked:
        return {}
    nodes = {item["@id"]: item for item in objects if isinstance(item.get("@id"), str) and len(item) > 1}
    article = dict(ranked[0])
    for key in ("author", "creator", "publisher"):
        article[key] = _resolve(article.get(key), nodes)
    return article


def _resolve(value, nodes: dict[str, dict]):
    if isinstance(value, list):
        return [_resolve(item, nodes) for item in value]
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in nodes:
        return nodes[value["@id"]]
    return value


def _name(value) -> str | None:
    """The name a JSON-LD value gives: a string, a node's `name`, the first of a list; never a non-string."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return text_or_none(value) or None


def _url(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    return text_or_none(value) or None


def page_metadata(tree) -> Draft:
    """What the page declares about itself."""
    ld = _article_ld(json_ld(tree))
    metas = meta_index(tree)
    draft = Draft()
    draft.language_hint = _language(tree, metas)
    draft.title = _title(tree, metas, ld)
    draft.authors = _authors(tree, metas, ld)
    draft.published = _date(ld.get("datePublished")) or _date(_meta(
        metas, "article:published_time", "og:article:published_time", "datePublished", "dcterms.issued",
        "dcterms.date", "dc.date", "dc.date.issued", "date", "pubdate", "publish-date", "publication_date",
        "sailthru.date", "parsely-pub-date")) or _time_element(tree) or _shown_date(tree) \
        or _guessed_date(tree)
    draft.modified = _date(ld.get("dateModified")) or _date(_meta(metas, "article:modified_time", "og:updated_time",
                                                                 "dcterms.modified", "last-modified"))
    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    draft.canonical_url = clean_url((canonical[0].strip() if canonical else None) or _meta(metas, "og:url")
                                    or _url(ld.get("mainEntityOfPage")) or _url(ld.get("url")))
    draft.publisher = _name(ld.get("publisher")) or _meta(metas, "og:site_name", "application-name", "dc.publisher",
                                                           "dcterms.publisher")
    draft.section = _name(ld.get("articleSection")) or _meta(metas, "article:section")
    draft.summary = _meta(metas, "description", "og:description", "dcterms.abstract") or _name(ld.get("description"))
    image = _meta(metas, "og:image", "twitter:image")
    draft.images = [{"url": image}] if image else []
    checkpoint("html licence hints")
    draft.license_hints = license_hints(tree, ld)
    return draft


def _language(tree, metas: dict[str, str]) -> str | None:
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not lang:
        lang = _meta(metas, "content-language", "dc.language", "dcterms.language", "og:locale", "language")
    return lang.strip().replace("_", "-").split(",")[0] if lang else None


def _title(tree, metas: dict[str, str], ld: dict) -> str:
    """The article's headline.

    The social title (og:title) when the page shows it as its visible <h1> or when the <title>
    is that title plus a site suffix; else the <title> less the site's name; else JSON-LD
    headline or the page's one <h1>.
    """
    title_tag = tree.find(".//title")
    page_title = " ".join(title_tag.text_content().split()) if title_tag is not None else ""
    site = _meta(metas, "og:site_name", "application-name") or _name(ld.get("publisher")) or ""
    h1 = [t for t in (" ".join(h.text_content().split()) for h in tree.iter("h1")) if t]
    social = _meta(metas, "og:title", "twitter:title", "dc.title", "dcterms.title")
    if social:
        social = strip_site_name(" ".join(social.split()), site)
        if any(_same(social, h) for h in h1) or (len(social.split()) > 3 and _fold(page_title).startswith(_fold(social))) \
                or (social and _fold(page_title).startswith(_fold(social)) and len(social) >= 12):
            return social
    for candidate in (page_title, social, _name(ld.get("headline")), h1[0] if len(h1) == 1 else None):
        if candidate and candidate.strip():
            return strip_site_name(" ".join(candidate.split()), site)
    return h1[0] if h1 else ""


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').split()).casefold()


def _same(a: str, b: str) -> bool:
    return _fold(a) == _fold(b)


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


AUTHOR_META = ("author", "dc.creator", "dcterms.creator", "byl", "sailthru.author", "parsely-author",
               "article:author", "citation_author", "twitter:creator")


def _authors(tree, metas: dict[str, str], ld: dict) -> list[str]:
    """JSON-LD author (Person or Organization objects, names, lists), else the author <meta>
    (every one of them: some pages repeat the tag once per author), else rel=author links,
    else the byline the page shows."""
    author = ld.get("author") or ld.get("creator")
    if author:
        items = author if isinstance(author, list) else [author]
        names = normalise_authors([_name(a) or "" for a in items])
        if names:
            return names
    for key in AUTHOR_META:
        values = [v for v in _meta_all(tree, key) if "://" not in v and not v.startswith("@")]
        names = normalise_authors(values)
        if names:
            return names
    rel = [a.text_content() for a in tree.xpath('//a[contains(concat(" ", normalize-space(@rel), " "), " author ")]')]
    rel = [r for r in rel if r.strip()][:3]
    return (normalise_authors(rel) if rel else []) or visible_byline(tree)


def _meta_all(tree, key: str) -> list[str]:
    """The contents of every <meta> named `key` (name or property), in page order, once each."""
    values: list[str] = []
    for element in tree.iter("meta"):
        name = (element.get("name") or element.get("property") or "").strip().casefold()
        content = " ".join((element.get("content") or "").split())
        if name == key and content and content not in values:
            values.append(content)
    return values


BYLINE_XPATH = ('//*[contains(@class, "byline") or contains(@class, "author") or contains(@itemprop, "author")'
                ' or contains(@class, "info") or contains(@class, "meta") or contains(@class, "writer")]')
VISIBLE_TEXT = ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
# An element that holds nothing but a name: `<span class="author vcard"><a>Jane Doe</a></span>`.
NAME_HOLDER = re.compile(r"(?:^|[\s_-])(?:author|byline|writer|fn)(?:[\s_-]|name|$)", re.I)
NAME_WORD = re.compile(r"^(?:[^\W\d_][\w'’.-]*|[A-Z]\.)$")


def visible_byline(tree) -> list[str]:
    """A byline the page shows without declaring it: a labelled line (`<p class="byline">بقلم: ...`,
    `作者：...`), a `By ...` line, or an author element holding just a name."""
    for element in tree.xpath(BYLINE_XPATH)[:20]:
        text = " ".join(" ".join(element.xpath(VISIBLE_TEXT)).split())  # `<br>` and tags part words too
        if not text or len(text) > 150:
            continue
        found = labelled(text)
        if found and found[0] == "authors":
            return normalise_authors(found[1])
        names = byline(text)
        if names:
            return normalise_authors(names)
        marks = f'{element.get("class", "")} {element.get("itemprop", "")}'
        if NAME_HOLDER.search(marks) and _looks_like_a_name(text):
            return normalise_authors(text)
    return []


def _looks_like_a_name(text: str) -> bool:
    """One to five words, each a capitalised word or an initial (Latin), no digits or sentence."""
    words = text.split()
    if not 1 <= len(words) <= 5 or text.endswith((".", "!", "?", ":")) and not text.endswith(" Jr."):
        return False
    if not all(NAME_WORD.match(w) for w in words):
        return False
    latin = [w for w in words if w[0].isascii()]
    return all(w[0].isupper() or w in ("de", "del", "van", "von", "da", "di", "la", "le", "bin", "al") for w in latin)


def _date(value) -> str | None:
    if not value:
        return None
    return parse_date(str(value)) or find_date(str(value))


def _time_element(tree) -> str | None:
    for element in tree.xpath("//article//time[@datetime] | //time[@pubdate] | //time[@datetime]"):
        found = _date(element.get("datetime"))
        if found:
            return found
    return None


PUBLISHED_CLASS = re.compile(r"publi|posted|submitted|pubdate|created|entry-date", re.I)
DATE_CLASS = re.compile(r"date|time|fecha|datum", re.I)
NOT_PUBLISHED_CLASS = re.compile(r"updat|modif|edit|comment|reply|expir|timeline|runtime", re.I)
UPDATED_LINE = re.compile(r"^\W*+(?:last\s++)?(?:updated|modified|edited|actualizado|mis à jour|aktualisiert)\b", re.I)


def _shown_date(tree) -> str | None:
    """The date an element shows when its class or id says that is what it holds and its text
    is little more than that date (`<dd class="publish">2018/6/19 5:50</dd>`), with its time.

    Marks that say "published" come before the ones that only say "date" (a masthead shows
    today's date above the article's own), marks inside <article> before the others, and a
    mark the page repeats more than twice is a list of other stories, not this one."""
    candidates = []
    for element in tree.xpath("//body//*[@class or @id]"):
        if element.tag in ("script", "style") or not isinstance(element.tag, str):
            continue
        marks = f'{element.get("class", "")} {element.get("id", "")}'
        if NOT_PUBLISHED_CLASS.search(marks):
            continue
        strong = bool(PUBLISHED_CLASS.search(marks))
        if strong or DATE_CLASS.search(marks):
            candidates.append((marks, strong, element))
    repeats = Counter(marks for marks, _, _ in candidates)
    in_article = set(tree.xpath("//article//*[@class or @id]"))
    ranked = sorted((c for c in candidates if repeats[c[0]] <= 2),
                    key=lambda c: (not c[1], c[2] not in in_article))  # stable: page order within a rank
    for _, _, element in ranked:
        checkpoint("html shown date")
        text = _short_text(element, 60)
        if text and 6 <= len(text) and not UPDATED_LINE.match(text):
            found = dateline(text, max_other_words=3)
            if found:
                return found
    return None


def _short_text(element, limit: int, max_nodes: int = 200) -> str | None:
    """The visible text of an element when it is at most `limit` characters, else None.

    An element above a big subtree (255 nested `<span class="date">` over a whole page) is not
    a date: it is refused after `max_nodes` steps instead of having all its text joined."""
    if next(islice(element.iter(), max_nodes, None), None) is not None:
        return None
    text = " ".join(" ".join(element.xpath(VISIBLE_TEXT)).split())
    return text if len(text) <= limit else None


def _guessed_date(tree) -> str | None:
    """No declared or shown date: htmldate's reading of the page (URL, visible dates), original
    date first, to the day (its fast search: the extensive one falls back on the copyright year)."""
    from htmldate import find_date as htmldate_find

    checkpoint("html htmldate")
    try:
        found = htmldate_find(tree, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except Exception:  # htmldate is best effort; a page it cannot read has no guessed date
        return None
    return parse_date(found) if found else None


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
            url = _url(value) if isinstance(value, dict) else (value if str(value).startswith("http") else None)
            text = _name(value) if isinstance(value, dict) else ("" if url else str(value))
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


# --- body ---------------------------------------------------------------------------------

def extract_body(tree, html: str, title: str) -> tuple[str, list[str], Meta]:
    """The article text, the licence lines that closed it, and what a byline or dateline
    above the text said (the extractor keeps those as the first paragraphs).

    trafilatura with precision first, readability-lxml when that finds too little."""
    checkpoint("html trafilatura")
    try:
        text = trafilatura.extract(tree, favor_precision=True, include_comments=False, include_tables=False,
                                   fast=True, with_metadata=False, deduplicate=False) or ""
    except Exception:  # odd markup can trip any extractor: readability gets its turn
        text = ""
    if len(text) < SECOND_OPINION_CHARS:  # little or nothing: ask readability, keep the longer text
        checkpoint("html readability")
        text = max(text, _readability(html), key=len)
    checkpoint("html body cleaning")
    paragraphs = [line for line in text.split("\n") if line.strip()]
    if paragraphs and title and _is_title_echo(paragraphs[0], title):
        paragraphs = paragraphs[1:]
    found = Meta()
    while len(paragraphs) > 1 and len(paragraphs[0]) < 200 and read_line(paragraphs[0], found, where="header"):
        paragraphs = paragraphs[1:]
    trailing: list[str] = []
    while paragraphs and licence_line(paragraphs[-1]) and len(paragraphs) > 1:
        trailing.insert(0, " ".join(paragraphs.pop().split()))
    body = "\n\n".join(clean_paragraphs(paragraphs))
    if len(body) < MIN_BODY_CHARS:
        raise Rejected("no_article_text", "the page has no article text (neither trafilatura nor readability found any)")
    return body, trailing, found


def _is_title_echo(paragraph: str, title: str) -> bool:
    """The extractor's first line repeats the headline (possibly the fuller <title> form)."""
    first, head = _fold(paragraph), _fold(title)
    return bool(first) and (first == head or (len(first) < 300 and (head.startswith(first) or first.startswith(head))))


def _readability(html: str) -> str:
    """readability-lxml's reading of the page, as lines.

    It runs in a forked child killed after READABILITY_SECONDS (or what the drop's budget has
    left): readability-lxml is quadratic or worse on some pages (67 KB of unclosed `<div>`s took
    138 s; a multi-line `<meta http-equiv=refresh>` makes lxml's link regex backtrack), and it
    cannot be interrupted in this process. Out of time, the page simply has no second opinion."""
    seconds = min(READABILITY_SECONDS, remaining(READABILITY_SECONDS))
    summary = call_with_deadline(_readability_summary, html, seconds, default="")
    if not summary:
        return ""
    try:
        tree = lxml.html.fragment_fromstring(summary, create_parent="div")
    except (etree.ParserError, ValueError, AssertionError):  # an empty page gives `<html><head/></html>`
        return ""
    blocks = tree.xpath("//p | //h2 | //h3 | //h4 | //li | //blockquote | //pre")
    lines = [" ".join(b.text_content().split()) for b in blocks]
    if not lines:
        lines = [" ".join(tree.text_content().split())]
    return "\n".join(line for line in lines if line)


def _readability_summary(html: str) -> str:
    from readability import Document

    try:
        return Document(html).summary(html_partial=True)
    except Exception:  # readability raises bare Unparseable/ValueError on odd markup
        return ""


def _first_line_title(draft: Draft) -> str:
    first = draft.body_text.split("\n", 1)[0]
    return first if len(first) <= 200 else first[:200].rsplit(" ", 1)[0] + "…"
