"""Static HTML pages of the site: one page per article, one index per language, a root index.

Article text is plain text in the record; it is escaped, split into paragraphs
and the whole article fragment passes nh3 as a second line of defence. The
pages carry a Content-Security-Policy that forbids every script, so even a
sanitiser bug could not run code from a partner's article. Layout uses CSS
logical properties (margin-inline, text-align: start) so `dir="rtl"` pages
read right to left without a separate stylesheet. The attribution block carries
the language and direction of its credit (often English on a Persian or Pashto
page), so its border, padding and alignment follow the text it holds. Fonts are
chosen by language from fonts readers already have (no web font is fetched):
Arabic-script languages get fonts that cover the letters of Pashto, Urdu and
Persian (ۍ ړ ښ ے ی), ahead of Latin fonts whose basic Arabic would win otherwise.

Nothing a record holds is trusted here either (a record may predate the core's
checks): its strings are cleaned of control characters and bidi overrides
(synd.text.clean), every `lang` passes synd.language.tags.safe_tag (else `und`),
and only URLs that pass synd.text.urls.safe_http_url become links.
"""
from __future__ import annotations

import re
from html import escape
from typing import Any

import nh3

from synd.language.tags import is_safe_tag, safe_tag
from synd.publish.attribution import attribution_html, safe_record
from synd.text.clean import clean_data
from synd.text.urls import safe_http_url

CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; "
       "base-uri 'none'; form-action 'none'")

ARABIC_SCRIPT_LANGUAGES = ("ar", "fa", "prs", "ps", "pbt", "ur", "ckb", "sd", "ug", "ks")
ARABIC_SCRIPT_FONTS = '"Noto Naskh Arabic","Noto Sans Arabic","Vazirmatn",Tahoma,sans-serif'
LATIN_FONTS = 'system-ui,"Noto Sans","Segoe UI",Roboto,sans-serif'

_STYLE = """
body{max-width:42rem;margin-block:2rem;margin-inline:auto;padding-inline:1rem;
font-size:1.05rem;color:#1b1b1b}
[lang]{font-family:LATIN_FONTS;line-height:1.6}
ARABIC_SCRIPT{font-family:ARABIC_FONTS;line-height:1.9}
h1{line-height:1.25;text-align:start}
article p{text-align:start;margin-block:0 1em}
.meta{color:#555;font-size:.9rem}
.attribution{border-inline-start:4px solid #999;padding-inline-start:1rem;margin-block:2rem;
font-size:.9rem;color:#333;text-align:start}
.attribution>*{text-align:-webkit-match-parent;text-align:match-parent}
.attribution a,.attribution bdi{unicode-bidi:isolate}
.correction{border-inline-start:4px solid #c60;padding-inline-start:1rem;margin-block:1rem}
.correction .label{font-weight:bold}
ul.articles{list-style:none;padding-inline-start:0}
ul.articles li{margin-block:0 1rem}
""".strip().replace("LATIN_FONTS", LATIN_FONTS).replace("ARABIC_FONTS", ARABIC_SCRIPT_FONTS).replace(
    "ARABIC_SCRIPT", ",".join(f"[lang]:lang({code})" for code in ARABIC_SCRIPT_LANGUAGES))

_ASIDE = '<aside class="attribution">'  # how synd.publish.attribution opens the block

_ARTICLE_TAGS = {"article", "header", "h1", "p", "br", "span", "bdi", "time", "div"}
_ARTICLE_ATTRIBUTES = {"*": {"class", "lang", "dir"}, "time": {"datetime"}}


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


def _document(lang: str, direction: str, title: str, body: str, head_extra: str = "") -> str:
    lang = safe_tag(lang) or "und"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(lang, quote=True)}" dir="{direction}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{escape(title)}</title>\n{head_extra}<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def render_article_page(record: dict[str, Any], policy_attribution: dict[str, Any] | None = None) -> str:
    """The article's own page: `<html lang dir>`, sanitised text, attribution block."""
    record, policy_attribution = safe_record(record), clean_data(policy_attribution)
    lang = record["language"]
    direction = page_direction(record)
    title = record.get("title") or "Untitled"
    meta = []
    if record.get("authors"):
        meta.append("<span class=\"by\">" + escape(", ".join(record["authors"])) + "</span>")
    if record.get("published"):
        meta.append(f'<time datetime="{escape(record["published"], quote=True)}">'
                    f'{escape(record["published"])}</time>')
    article = (
        f'<article>\n<header>\n<h1>{escape(title)}</h1>\n'
        + (f'<p class="meta">{" · ".join(meta)}</p>\n' if meta else "")
        + "</header>\n"
        + correction_notice(record)
        + "\n".join(_paragraph_html(b) for b in paragraphs(record.get("body_text") or ""))
        + "\n</article>"
    )
    article = nh3.clean(article, tags=_ARTICLE_TAGS, attributes=_ARTICLE_ATTRIBUTES)
    head = ""
    license_url = safe_http_url((record.get("license") or {}).get("url"))
    if license_url:
        head += f'<link rel="license" href="{escape(license_url, quote=True)}">\n'
    canonical_url = safe_http_url(record.get("canonical_url"))
    if canonical_url:
        head += f'<link rel="canonical" href="{escape(canonical_url, quote=True)}">\n'
    head += '<link rel="alternate" type="application/json" href="ninjs.json">\n'
    body = article + "\n" + attribution_block(record, policy_attribution)
    return _document(lang, direction, title, body, head)


# "Correction" and "this article has been withdrawn", in the article's language (English otherwise).
NOTICES: dict[str, tuple[str, str]] = {
    "en": ("Correction", "This article has been withdrawn."),
    "fr": ("Correction", "Cet article a été retiré."),
    "de": ("Korrektur", "Dieser Artikel wurde zurückgezogen."),
    "es": ("Corrección", "Este artículo ha sido retirado."),
    "ru": ("Исправление", "Эта статья отозвана."),
    "tr": ("Düzeltme", "Bu makale yayından kaldırıldı."),
    "zh": ("更正", "本文已撤回。"),
    "fa": ("اصلاحیه", "این مقاله پس گرفته شده است."),
    "ar": ("تصحيح", "سُحب هذا المقال."),
    "ps": ("سمون", "دا لیکنه بېرته اخیستل شوې ده."),
    "ur": ("تصحیح", "یہ مضمون واپس لے لیا گیا ہے۔"),
}


def _notices(record: dict[str, Any]) -> tuple[str, str, str]:
    """(lang, "Correction", "withdrawn") in the article's language when we have its words."""
    lang = (safe_tag(record.get("language")) or "en").split("-")[0].lower()
    lang = lang if lang in NOTICES else "en"
    return (lang, *NOTICES[lang])


def correction_notice(record: dict[str, Any]) -> str:
    """The partner's correction note, shown at the top of a corrected version."""
    note = (record.get("correction") or {}).get("note")
    if not note:
        return ""
    lang, label, _ = _notices(record)
    return (f'<div class="correction" lang="{lang}"><p><span class="label">{escape(label)}:</span> '
            f"{escape(str(note))}</p></div>\n")


def render_withdrawn_page(record: dict[str, Any]) -> str:
    """What replaces the page of a withdrawn article: its title, that it was withdrawn, and why."""
    record = safe_record(record)
    lang, _, withdrawn = _notices(record)
    title = record.get("title") or "Untitled"
    reason = (record.get("withdrawal") or {}).get("reason")
    body = (f'<article class="withdrawn">\n<header>\n<h1>{escape(title)}</h1>\n</header>\n'
            f'<p lang="{lang}"><strong>{escape(withdrawn)}</strong></p>\n'
            + (f"<p>{escape(str(reason))}</p>\n" if reason else "") + "</article>")
    body = nh3.clean(body, tags=_ARTICLE_TAGS | {"strong"}, attributes=_ARTICLE_ATTRIBUTES)
    return _document(record["language"], page_direction(record), title, body,
                     '<meta name="robots" content="noindex">\n')


def attribution_language(policy_attribution: dict[str, Any] | None) -> tuple[str, str]:
    """(lang, dir) of the credit: the policy's wording when it wrote one, the English fallback otherwise."""
    attribution = policy_attribution or {}
    if not (attribution.get("html") or attribution.get("text")):
        return "en", "ltr"
    lang = safe_tag(attribution.get("language")) or "en"
    return lang, "rtl" if attribution.get("direction") == "rtl" else "ltr"


def attribution_block(record: dict[str, Any], policy_attribution: dict[str, Any] | None = None) -> str:
    """The attribution <aside>, carrying the lang and dir of its credit rather than the page's."""
    lang, direction = attribution_language(policy_attribution)
    block = attribution_html(record, policy_attribution)
    own = f'<aside class="attribution" lang="{escape(lang, quote=True)}" dir="{direction}">'
    if block.startswith(_ASIDE):
        return own + block[len(_ASIDE):]
    return f'<div class="attribution-block" lang="{escape(lang, quote=True)}" dir="{direction}">{block}</div>'


def _entry_items(entries: list[dict[str, Any]], up: str) -> str:
    """The `<li>` of each entry: its page (`up` leads from the listing's folder to the site's root), date
    and licence."""
    items = []
    for entry in clean_data(entries):
        date = escape(entry.get("published") or entry.get("updated") or "")
        items.append(
            f'<li><a href="{up}articles/{escape(entry["id"], quote=True)}/index.html">{escape(entry["title"])}</a>'
            f'<br><span class="meta">{date} · {escape(entry.get("license_label") or "")}</span></li>')
    return '<ul class="articles">\n' + "\n".join(items) + "\n</ul>"


_MONTH = re.compile(r"\d{4}-\d{2}")


def render_language_index(language: str, direction: str, entries: list[dict[str, Any]],
                          months: list[str] | None = None) -> str:
    """`<lang>/index.html`: the newest articles in one language, newest first, with feed links, and a
    link to each month's archive page (`archive/YYYY-MM.html`), newest month first, so every article
    stays reachable past the newest ones."""
    language = safe_tag(language) or "und"
    head = (f'<link rel="alternate" type="application/rss+xml" href="../feeds/{escape(language)}/rss.xml">\n'
            f'<link rel="alternate" type="application/atom+xml" href="../feeds/{escape(language)}/atom.xml">\n'
            f'<link rel="alternate" type="application/feed+json" href="../feeds/{escape(language)}/feed.json">\n')
    archive = sorted({m for m in months or [] if _MONTH.fullmatch(m)}, reverse=True)
    links = " · ".join(f'<a href="archive/{m}.html">{m}</a>' for m in archive)
    body = (f"<h1>{escape(language)}</h1>\n"
            f'<p class="meta"><a href="../feeds/{escape(language)}/rss.xml">RSS</a> · '
            f'<a href="../feeds/{escape(language)}/atom.xml">Atom</a> · '
            f'<a href="../feeds/{escape(language)}/feed.json">JSON Feed</a></p>\n'
            + _entry_items(entries, "../")
            + (f'\n<nav class="archive"><h2>Archive</h2>\n<p>{links}</p></nav>' if links else ""))
    return _document(language, direction, f"Articles ({language})", body, head)


def render_archive_page(language: str, direction: str, month: str, entries: list[dict[str, Any]]) -> str:
    """`<lang>/archive/YYYY-MM.html`: every article of the language published that month, newest first."""
    language = safe_tag(language) or "und"
    month = month if _MONTH.fullmatch(month) else "0000-00"
    body = (f'<h1>{escape(language)} · {month}</h1>\n<p class="meta"><a href="../index.html">{escape(language)}</a></p>\n'
            + _entry_items(entries, "../../"))
    return _document(language, direction, f"Articles ({language}, {month})", body)


def render_root_index(languages: list[str]) -> str:
    """`index.html`: a link per language; a folder name that is not a canonical tag is no language."""
    languages = {lang for lang in languages if is_safe_tag(lang)}
    items = "\n".join(f'<li><a href="{escape(lang, quote=True)}/index.html" lang="{escape(lang, quote=True)}">'
                      f"{escape(lang)}</a></li>" for lang in sorted(languages))
    return _document("en", "ltr", "Syndicated articles", f'<h1>Syndicated articles</h1>\n<ul>\n{items}\n</ul>')

