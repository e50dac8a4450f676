"""Static HTML pages of the site: one page per article, one index per language, archive pages per
month, a root index of languages.

Article text is plain text in the record; it is escaped, split into paragraphs
and the whole article fragment passes nh3 as a second line of defence. The
pages carry a Content-Security-Policy that forbids every script, so even a
sanitiser bug could not run code from a partner's article; it allows fonts from
the site itself only (`font-src 'self'`: the bundled Arabic-script font of
synd.publish.webfont). Layout uses CSS logical properties (margin-inline,
text-align: start) so `dir="rtl"` pages read right to left without a separate
stylesheet. The attribution block carries the language and direction of its
credit, so its border, padding and alignment follow the text it holds.
Arabic-script languages get the bundled font first, then fonts readers may have
that cover the letters of Pashto, Urdu and Persian (ۍ ړ ښ ے ی), ahead of Latin
fonts whose basic Arabic would win otherwise.

Every label, date and number is in the page's language (synd.publish.locale):
dates are written for people, the machine form only in `<time datetime>`, each
date isolated in `<bdi>`. Every page links home, to its language's index and
(article and archive pages) to its month's archive; article pages carry a pager
to the newer and older article of their language (`render_pager`, kept up to
date by the renderer with `replace_pager`), archive pages link the previous and
next month; every page announces its language's feeds (`<link rel="alternate">`).

Nothing a record holds is trusted here either (a record may predate the core's
checks): its strings are cleaned of control characters and bidi overrides
(synd.text.clean), every `lang` passes synd.language.tags.safe_tag (else `und`),
and only URLs that pass synd.text.urls.safe_http_url become links.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Any

import nh3

from synd.language.tags import is_safe_tag, safe_tag
from synd.policy import french_with_article
from synd.publish import feeds, webfont
from synd.publish.attribution import attribution_html, license_label, safe_record
from synd.publish.locale import Labels, human_date, labels, language_name, month_name, time_html
from synd.text.clean import clean_data, clean_text
from synd.text.urls import safe_http_url

CSP = ("default-src 'none'; style-src 'unsafe-inline'; font-src 'self'; img-src https: data:; "
       "base-uri 'none'; form-action 'none'")

ARABIC_SCRIPT_LANGUAGES = ("ar", "fa", "prs", "ps", "pbt", "ur", "ckb", "sd", "ug", "ks")
_SYSTEM_ARABIC_FONTS = '"Noto Naskh Arabic","Noto Sans Arabic",Tahoma,sans-serif'
# the bundled font first (it has every letter of the four languages), then fonts readers may have
ARABIC_SCRIPT_FONTS = (f'"{webfont.FONT_FAMILY}",' if webfont.FONT_FAMILY else "") + _SYSTEM_ARABIC_FONTS
LATIN_FONTS = 'system-ui,"Noto Sans","Segoe UI",Roboto,sans-serif'

_STYLE = """
body{max-width:42rem;margin-block:2rem;margin-inline:auto;padding-inline:1rem;
font-size:1.05rem;color:#1b1b1b}
[lang]{font-family:LATIN_FONTS;line-height:1.6}
ARABIC_SCRIPT{font-family:ARABIC_FONTS;line-height:1.9}
h1{line-height:1.25;text-align:start}
article p{text-align:start;margin-block:0 1em}
.meta{color:#555;font-size:.9rem}
nav.site,nav.pager,nav.months{font-size:.9rem;margin-block:1rem}
nav.site a,nav.pager a,nav.months a{unicode-bidi:isolate}
.attribution{border-inline-start:4px solid #999;padding-inline-start:1rem;margin-block:2rem;
font-size:.9rem;color:#333;text-align:start}
.attribution>*{text-align:-webkit-match-parent;text-align:match-parent}
.attribution a,.attribution bdi{unicode-bidi:isolate}
.correction{border-inline-start:4px solid #c60;padding-inline-start:1rem;margin-block:1rem}
.correction .label{font-weight:bold}
ul.articles,ul.languages{list-style:none;padding-inline-start:0}
ul.articles li,ul.languages li{margin-block:0 1rem}
""".strip().replace("LATIN_FONTS", LATIN_FONTS).replace("ARABIC_FONTS", ARABIC_SCRIPT_FONTS).replace(
    "ARABIC_SCRIPT", ",".join(f"[lang]:lang({code})" for code in ARABIC_SCRIPT_LANGUAGES))

_ASIDE = '<aside class="attribution">'  # how synd.publish.attribution opens the block

_ARTICLE_TAGS = {"article", "header", "h1", "p", "br", "span", "bdi", "time", "div"}
_ARTICLE_ATTRIBUTES = {"*": {"class", "lang", "dir"}, "time": {"datetime"}}
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_FEEDS = (("rss.xml", "application/rss+xml", "RSS"), ("atom.xml", "application/atom+xml", "Atom"),
          ("feed.json", "application/feed+json", "JSON Feed"))


@dataclass(frozen=True)
class NavLink:
    """An article a pager links to: `../<id>/index.html`, shown by its title."""

    id: str
    title: str


@dataclass(frozen=True)
class Pager:
    """An article page's neighbours in its language: the next newer and the next older article."""

    newer: NavLink | None = None
    older: NavLink | None = None


@dataclass(frozen=True)
class LanguageSummary:
    """A language on the root index: its visible article count and its newest entry's date (RFC 3339)."""

    tag: str
    count: int
    newest: str | None = None


def page_direction(record: dict[str, Any]) -> str:
    return "rtl" if record.get("direction") == "rtl" else "ltr"


def paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks; a text without blank lines keeps one paragraph per line."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    if len(blocks) <= 1:
        blocks = [line.strip() for line in text.splitlines() if line.strip()]
    return blocks


def _paragraph_html(block: str) -> str:
    return "<p>" + "<br>".join(escape(line) for line in block.splitlines()) + "</p>"


def _attr(value: str) -> str:
    return escape(value, quote=True)


def feed_links(language: str, up: str) -> str:
    """The `<link rel="alternate">` of a language's three feeds (feed autodiscovery)."""
    return "".join(f'<link rel="alternate" type="{kind}" title="{name} ({_attr(language)})" '
                   f'href="{up}feeds/{_attr(language)}/{file}" hreflang="{_attr(language)}">\n'
                   for file, kind, name in _FEEDS)


def _document(lang: str, direction: str, title: str, body: str, head_extra: str = "", up: str = "") -> str:
    lang = safe_tag(lang) or "und"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_attr(lang)}" dir="{direction}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{escape(title)}</title>\n{head_extra}<style>{webfont.font_face_css(up)}{_STYLE}</style>\n"
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def site_nav(language: str, up: str, month: str | None = None) -> str:
    """Home, the language's index and (when known) the month's archive page, in the page's language."""
    words = labels(language)
    links = [f'<a href="{up}index.html">{escape(words.home)}</a>',
             f'<a href="{up}{_attr(language)}/index.html">{escape(language_name(language))}</a>']
    if month and _MONTH.fullmatch(month):
        links.append(f'<a href="{up}{_attr(language)}/archive/{month}.html">{escape(month_name(month, language))}</a>')
    return f'<nav class="site">{escape(words.separator).join(links)}</nav>'


def archive_month(record: dict[str, Any]) -> str | None:
    """YYYY-MM of the archive page that lists the article: the month its feed entry is filed under
    (the entry's UTC published date, synd.render.entries.entry_month), None without a published date
    (the entry is then filed under its delivery month, which the page does not know)."""
    value = record.get("published")
    published = feeds.to_datetime(value) if isinstance(value, str) else None
    return feeds.rfc3339(published)[:7] if published else None


def _pager_link(link: NavLink | None, rel: str, word: str) -> str:
    if link is None or not isinstance(link.id, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,128}", link.id):
        return ""
    title = " ".join(clean_text(link.title).split()) if isinstance(link.title, str) else ""  # one line
    return (f'<a href="../{link.id}/index.html" rel="{rel}"><span class="label">{escape(word)}</span> '
            f"<bdi>{escape(title)}</bdi></a>")


def render_pager(lang: str, pager: Pager) -> str:
    """The `<nav class="pager">` of an article page, one line: the newer and the older article of the
    language (each may be missing; the block is there even when both are)."""
    words = labels(lang)
    links = [link for link in (_pager_link(pager.newer, "prev", words.newer),
                               _pager_link(pager.older, "next", words.older)) if link]
    return f'<nav class="pager">{escape(words.separator).join(links)}</nav>'


_PAGER = re.compile(r'<nav class="pager"[^\n]*?</nav>')


def replace_pager(page_html: str, lang: str, pager: Pager) -> str | None:
    """The page with its pager block replaced; None when it has none (a withdrawn or an older page).

    Partner text is always escaped, so a literal `<nav class="pager"` in a page can only be ours."""
    match = _PAGER.search(page_html)
    if match is None:
        return None
    return page_html[:match.start()] + render_pager(lang, pager) + page_html[match.end():]


def _byline_names(authors: list[str], lang: str) -> list[str]:
    """Authors as the language writes them after "by": French gives an institution its article
    (« Par l’Assemblée générale des Nations unies »)."""
    return [french_with_article(name) for name in authors] if lang == "fr" else list(authors)


def _meta(record: dict[str, Any], words: Labels, lang: str) -> str:
    """"By A, B · 10 December 2023 · Updated 3 January 2024" in the page's language."""
    meta = []
    if record.get("authors"):
        authors = escape(", ".join(_byline_names(record["authors"], words.lang)))
        meta.append(f'<span class="by">{escape(words.by)} <bdi>{authors}</bdi></span>')
    published = time_html(record.get("published"), lang)
    if published:
        meta.append(f'<span class="published">{escape(words.label(words.published))} {published}</span>')
    updated = time_html(record.get("modified") or record.get("updated"), lang)
    if updated and human_date(record.get("modified") or record.get("updated"), lang) != \
            human_date(record.get("published"), lang):
        meta.append(f'<span class="updated">{escape(words.label(words.updated))} {updated}</span>')
    return f'<p class="meta">{escape(words.separator).join(meta)}</p>\n' if meta else ""


def render_article_page(record: dict[str, Any], policy_attribution: dict[str, Any] | None = None,
                        pager: Pager | None = None) -> str:
    """The article's own page: `<html lang dir>`, navigation, sanitised text, attribution block, pager."""
    record, policy_attribution = safe_record(record), clean_data(policy_attribution)
    lang = record["language"]
    words = labels(lang)
    direction = page_direction(record)
    title = record.get("title") or words.untitled
    article = (
        f'<article>\n<header>\n<h1>{escape(title)}</h1>\n'
        + _meta(record, words, lang)
        + "</header>\n"
        + correction_notice(record)
        + "\n".join(_paragraph_html(b) for b in paragraphs(record.get("body_text") or ""))
        + "\n</article>"
    )
    article = nh3.clean(article, tags=_ARTICLE_TAGS, attributes=_ARTICLE_ATTRIBUTES)
    head = ""
    license_url = safe_http_url((record.get("license") or {}).get("url"))
    if license_url:
        head += f'<link rel="license" href="{_attr(license_url)}">\n'
    canonical_url = safe_http_url(record.get("canonical_url"))
    if canonical_url:
        head += f'<link rel="canonical" href="{_attr(canonical_url)}">\n'
    head += '<link rel="alternate" type="application/json" href="ninjs.json">\n' + feed_links(lang, "../../")
    body = (site_nav(lang, "../../", archive_month(record)) + "\n" + article + "\n"
            + attribution_block(record, policy_attribution) + "\n" + render_pager(lang, pager or Pager()))
    return _document(lang, direction, title, body, head, "../../")


def correction_notice(record: dict[str, Any]) -> str:
    """The partner's correction note, shown at the top of a corrected version, labelled in the page's
    language (the note itself is the partner's)."""
    note = (record.get("correction") or {}).get("note")
    if not note:
        return ""
    words = labels(record.get("language"))
    return (f'<div class="correction" lang="{words.lang}"><p><span class="label">'
            f"{escape(words.label(words.correction))}</span> {escape(str(note))}</p></div>\n")


def render_withdrawn_page(record: dict[str, Any]) -> str:
    """What replaces the page of a withdrawn article: its title, that it was withdrawn, and why.
    It links home and to its language's index; it has no pager (it is no longer in the listings)."""
    record = safe_record(record)
    lang = record["language"]
    words = labels(lang)
    title = record.get("title") or words.untitled
    reason = (record.get("withdrawal") or {}).get("reason")
    body = (f'<article class="withdrawn">\n<header>\n<h1>{escape(title)}</h1>\n</header>\n'
            f'<p lang="{words.lang}"><strong>{escape(words.withdrawn)}</strong></p>\n'
            + (f"<p>{escape(str(reason))}</p>\n" if reason else "") + "</article>")
    body = nh3.clean(body, tags=_ARTICLE_TAGS | {"strong"}, attributes=_ARTICLE_ATTRIBUTES)
    head = '<meta name="robots" content="noindex">\n' + feed_links(lang, "../../")
    return _document(lang, page_direction(record), title, site_nav(lang, "../../") + "\n" + body, head, "../../")


def attribution_language(policy_attribution: dict[str, Any] | None, page_lang: str | None = None) -> tuple[str, str]:
    """(lang, dir) of the credit: the policy's wording when it wrote one, else the fallback credit's,
    which is in the page's language when the site has its words (English otherwise)."""
    attribution = policy_attribution or {}
    if not (attribution.get("html") or attribution.get("text")):
        lang = labels(page_lang).lang
        return lang, language_direction(lang)
    lang = safe_tag(attribution.get("language")) or "en"
    return lang, "rtl" if attribution.get("direction") == "rtl" else "ltr"


def attribution_block(record: dict[str, Any], policy_attribution: dict[str, Any] | None = None) -> str:
    """The attribution <aside>, carrying the lang and dir of its credit rather than the page's."""
    lang, direction = attribution_language(policy_attribution, safe_record(record)["language"])
    block = attribution_html(record, policy_attribution)
    own = f'<aside class="attribution" lang="{_attr(lang)}" dir="{direction}">'
    if block.startswith(_ASIDE):
        return own + block[len(_ASIDE):]
    return f'<div class="attribution-block" lang="{_attr(lang)}" dir="{direction}">{block}</div>'


def _entry_items(entries: list[dict[str, Any]], up: str, language: str) -> str:
    """The `<li>` of each entry: its page (`up` leads from the listing's folder to the site's root), date
    and licence, the date in the listing's language."""
    words = labels(language)
    items = []
    for entry in clean_data(entries):
        date = time_html(feeds.display_date(entry), language)
        meta = [part for part in (date, escape(_entry_licence(entry, language))) if part]
        title = entry.get("title") or words.untitled
        items.append(
            f'<li><a href="{up}articles/{_attr(entry["id"])}/index.html">{escape(title)}</a>'
            f'<br><span class="meta">{escape(words.separator).join(meta)}</span></li>')
    return '<ul class="articles">\n' + "\n".join(items) + "\n</ul>"


def _entry_licence(entry: dict[str, Any], language: str) -> str:
    """The entry's licence in the listing's language (the stored label is English)."""
    if entry.get("license_spdx"):
        return license_label({"spdx": entry["license_spdx"], "name": entry.get("license_name")}, language)
    return entry.get("license_label") or ""


def _feed_paragraph(language: str, up: str) -> str:
    words = labels(language)
    links = " · ".join(f'<a href="{up}feeds/{_attr(language)}/{file}" type="{kind}">{name}</a>'
                       for file, kind, name in _FEEDS)
    return f'<p class="meta">{escape(words.label(words.feeds))} {links}</p>\n'


def render_language_index(language: str, direction: str, entries: list[dict[str, Any]],
                          months: list[str] | None = None) -> str:
    """`<lang>/index.html`: headed by the language's own name, the newest articles, newest first, with
    feed links, and a link to each month's archive page (`archive/YYYY-MM.html`), newest month first, so
    every article stays reachable past the newest ones."""
    language = safe_tag(language) or "und"
    words = labels(language)
    name = language_name(language)
    archive = sorted({m for m in months or [] if _MONTH.fullmatch(m)}, reverse=True)
    links = escape(words.separator).join(f'<a href="archive/{m}.html">{escape(month_name(m, language))}</a>'
                                         for m in archive)
    body = (site_nav(language, "../") + "\n"
            + f"<h1>{escape(name)}</h1>\n<h2>{escape(words.latest)}</h2>\n" + _feed_paragraph(language, "../")
            + _entry_items(entries, "../", language)
            + (f'\n<nav class="archive"><h2>{escape(words.archive)}</h2>\n<p>{links}</p></nav>' if links else ""))
    return _document(language, direction, f"{name} · {words.site_title}", body, feed_links(language, "../"), "../")


def _month_links(language: str, month: str, months: list[str] | None) -> str:
    """The previous and next month that have articles, from the language's months."""
    words = labels(language)
    known = sorted({m for m in months or [] if _MONTH.fullmatch(m)} | {month})
    at = known.index(month)
    links = []
    if at > 0:
        links.append(f'<a href="{known[at - 1]}.html" rel="prev">{escape(words.previous_month)}: '
                     f"{escape(month_name(known[at - 1], language))}</a>")
    if at + 1 < len(known):
        links.append(f'<a href="{known[at + 1]}.html" rel="next">{escape(words.next_month)}: '
                     f"{escape(month_name(known[at + 1], language))}</a>")
    return f'<nav class="months">{escape(words.separator).join(links)}</nav>\n' if links else ""


def render_archive_page(language: str, direction: str, month: str, entries: list[dict[str, Any]],
                        months: list[str] | None = None) -> str:
    """`<lang>/archive/YYYY-MM.html`: every article of the language published that month, newest first,
    with links to the previous and next month of `months` (the language's months) that exist."""
    language = safe_tag(language) or "und"
    words = labels(language)
    month = month if _MONTH.fullmatch(month) else "0000-00"
    name, when = language_name(language), month_name(month, language)
    body = (site_nav(language, "../../") + "\n"
            + f"<h1>{escape(name)} · {escape(words.archive)} · {escape(when)}</h1>\n"
            + (_month_links(language, month, months) if month != "0000-00" else "")
            + _entry_items(entries, "../../", language))
    return _document(language, direction, f"{name} · {when} · {words.site_title}", body,
                     feed_links(language, "../../"), "../../")


RTL_LANGUAGES = frozenset(ARABIC_SCRIPT_LANGUAGES) | {"he", "yi", "dv"}


def language_direction(tag: str) -> str:
    return "rtl" if tag.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def _language_item(tag: str, count: int | None, newest: str | None) -> str:
    """A language on the root index, in its own language, script and direction: name, count, newest date."""
    words = labels(tag)
    facts = ([escape(words.count(count))] if count is not None else []) + \
        ([f"{escape(words.label(words.newest))} {time_html(newest, tag)}"] if time_html(newest, tag) else [])
    meta = f'<br><span class="meta">{escape(words.separator).join(facts)}</span>' if facts else ""
    return (f'<li lang="{_attr(tag)}" dir="{language_direction(tag)}"><a href="{_attr(tag)}/index.html" '
            f'hreflang="{_attr(tag)}">{escape(language_name(tag))}</a>{meta}</li>')


def render_root_index(languages: list[LanguageSummary]) -> str:
    """`index.html`: every language by its own name in its own script, with its article count and newest
    date; a folder name that is not a canonical tag is no language. (A bare tag, as older callers pass,
    is listed without count and date.)"""
    summaries: dict[str, tuple[int | None, str | None]] = {}
    for item in languages:
        if isinstance(item, LanguageSummary):
            summaries[item.tag] = (item.count, item.newest)
        elif isinstance(item, str):
            summaries[item] = (None, None)
    tags = sorted(tag for tag in summaries if is_safe_tag(tag))
    words = labels("en")
    items = "\n".join(_language_item(tag, *summaries[tag]) for tag in tags)
    head = "".join(feed_links(tag, "") for tag in tags)
    body = f'<h1>{escape(words.site_title)}</h1>\n<ul class="languages">\n{items}\n</ul>'
    return _document("en", "ltr", words.site_title, body, head, "")
