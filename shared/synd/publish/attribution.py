"""The attribution block every published copy carries: who wrote it, who first
published it, where the original is, under which licence.

The licence policy (`synd.policy.decide`) renders the partner's required wording;
its HTML is sanitised here before it reaches a page, and the structured facts
(licence link with rel="license", original URL) are always rendered by us so a
page never depends on a free-text template for them. Only a URL that passes
synd.text.urls.safe_http_url is linked or quoted (anything else is left out: a
`javascript:` URL is neither a link nor a credit), and a `lang` is a valid tag.
"""
from __future__ import annotations

from html import escape
from typing import Any

import nh3

from synd.language.tags import safe_tag
from synd.policy import TEMPLATES
from synd.publish.locale import labels
from synd.text.clean import clean_data, clean_text
from synd.text.urls import safe_http_url

_ATTRIBUTION_TAGS = {"a", "p", "span", "strong", "em", "b", "i", "br", "bdi", "cite", "small"}
_ATTRIBUTION_ATTRIBUTES = {"a": {"href", "hreflang", "title"}, "p": {"lang", "dir"}, "span": {"lang", "dir"}}


def safe_record(record: dict[str, Any]) -> dict[str, Any]:
    """The record as a renderer may use it, even one stored before the core checked its input.

    Every string cleaned (synd.text.clean), the language a valid tag (else `und`), the canonical
    and licence URLs safe http(s) URLs (else None). Language and URLs are checked as stored:
    refused, never repaired (`en\x01` is no tag, `http://exa\u202emple.org` no URL).
    Calling it again on its own result changes nothing."""
    safe = clean_data(record)
    safe["language"] = safe_tag(record.get("language")) or "und"
    safe["canonical_url"] = safe_http_url(record.get("canonical_url"))
    if isinstance(record.get("license"), dict):
        safe["license"] = dict(safe["license"], url=safe_http_url(record["license"].get("url")))
    return safe


def clean_fragment(html_text: str) -> str:
    """Policy- or partner-provided HTML reduced to inline text markup and http(s) links."""
    return nh3.clean(clean_text(html_text), tags=_ATTRIBUTION_TAGS, attributes=_ATTRIBUTION_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")


def license_label(license_: dict[str, Any], lang: str | None = None) -> str:
    """The licence's name; for no licence or all rights reserved, those words in `lang` (English by
    default: feed entries store the English label)."""
    words = labels(lang)
    spdx = license_.get("spdx") or "NOASSERTION"
    if spdx == "NOASSERTION":
        return words.no_licence
    if spdx == "LicenseRef-All-Rights-Reserved":
        return words.all_rights_reserved
    return license_.get("name") or spdx


def credit_text(record: dict[str, Any], lang: str | None = None) -> str:
    """A plain one-line credit: "“Title” by A, B, first published by P (URL), licence.".

    In `lang` when the site has its words (English by default, as feeds carry it): the language's
    quotes, separator and full stop (synd.policy.TEMPLATES) around the site's labels."""
    record = safe_record(record)
    words = labels(lang)
    template = TEMPLATES.get(words.lang, TEMPLATES["en"])
    title = template["quotes"].format(title=record.get("title") or words.untitled)
    if words.lang == "en":
        return _english_credit(record, title)
    parts = [title]
    if record.get("authors"):
        parts.append(f"{words.by} " + template["sep"].join(record["authors"]))
    if record.get("publisher"):
        parts.append(f"{words.first_published_by} {record['publisher']}")
    original = safe_http_url(record.get("canonical_url"))
    if original:
        parts.append(original)
    parts.append(words.label(words.licence) + " " + license_label(record.get("license") or {}, words.lang))
    return template["sep"].join(parts) + template["stop"]


def _english_credit(record: dict[str, Any], title: str) -> str:
    parts = [title]
    if record.get("authors"):
        parts.append("by " + ", ".join(record["authors"]))
    if record.get("publisher"):
        parts.append(f"first published by {record['publisher']}")
    text = " ".join(parts)
    original = safe_http_url(record.get("canonical_url"))
    if original:
        text += f" ({original})"
    return f"{text}, {license_label(record.get('license') or {})}."


def rights_of(record: dict[str, Any], policy_attribution: dict[str, Any] | None) -> dict[str, Any]:
    """The rights an output carries: the licence policy's `rights` block when the delivery has one,
    else the record's licence alone (CC0 and the Public Domain Mark need no credit, so no block):
    `{license: {spdx, name, url}, use, share_alike, obligations, excerpts}`."""
    rights = (policy_attribution or {}).get("rights")
    if isinstance(rights, dict) and isinstance(rights.get("license"), dict):
        return rights
    license_ = record.get("license") or {}
    return {"license": {"spdx": license_.get("spdx") or "NOASSERTION", "name": license_.get("name"),
                        "url": safe_http_url(license_.get("url"))},
            "use": None, "share_alike": None, "obligations": [], "excerpts": True}


def is_web_url(url: str | None) -> bool:
    return safe_http_url(url) is not None


def is_no_derivatives(license_: dict[str, Any]) -> bool:
    return license_.get("derivatives") is False or "-ND" in (license_.get("spdx") or "")


def attribution_html(record: dict[str, Any], policy_attribution: dict[str, Any] | None) -> str:
    """The <aside> block of an article page (also reused in feeds as text). Its labels (Licence,
    Original, Via, the unaltered note) are in the page's language when the site has its words."""
    record, policy_attribution = safe_record(record), clean_data(policy_attribution)
    words = labels(record["language"])
    own = f'lang="{words.lang}" dir="{_direction(words.lang)}"'
    license_ = record.get("license") or {}
    lines = [_credit(record, policy_attribution)]
    lines.append(f'<p class="license" {own}>{escape(words.label(words.licence))} '
                 f"{_license_link(license_, words.lang)}</p>")
    original = safe_http_url(record.get("canonical_url"))  # not a web address (javascript:...): left out
    if original:
        lines.append(f'<p class="original" {own}>{escape(words.label(words.original))} '
                     f'<a href="{escape(original, quote=True)}" rel="noopener noreferrer">'
                     f"<bdi>{escape(original)}</bdi></a></p>")
    if record.get("via"):
        via = " → ".join(f"<bdi>{escape(hop)}</bdi>" for hop in record["via"])
        lines.append(f'<p class="via" {own}>{escape(words.label(words.via))} {via}</p>')
    if is_no_derivatives(license_) and not (policy_attribution or {}).get("unaltered_note"):
        lines.append(f'<p class="unaltered" {own}>{escape(words.unaltered)}</p>')
    # the block follows the page's direction; each line carries its own language and direction
    return '<aside class="attribution">\n' + "\n".join(lines) + "\n</aside>"


_RTL = {"fa", "ps", "ar", "ur"}


def _direction(lang: str) -> str:
    return "rtl" if lang in _RTL else "ltr"


def _credit(record: dict[str, Any], policy_attribution: dict[str, Any] | None) -> str:
    """The credit line, in the language (and direction) the policy wrote it in; without the policy's
    wording, the site's own credit in the page's language."""
    attribution = policy_attribution or {}
    lang = safe_tag(attribution.get("language")) or "en"
    direction = "rtl" if attribution.get("direction") == "rtl" else "ltr"
    if attribution.get("html"):
        inner = clean_fragment(attribution["html"])
    elif attribution.get("text"):
        inner = escape(attribution["text"])
    else:
        lang = labels(record.get("language")).lang
        inner, direction = escape(credit_text(record, lang)), _direction(lang)
    return f'<div class="credit" lang="{lang}" dir="{direction}">{inner}</div>'


def _license_link(license_: dict[str, Any], lang: str | None = None) -> str:
    label = escape(license_label(license_, lang))
    url = safe_http_url(license_.get("url"))
    if url:
        return f'<a href="{escape(url, quote=True)}" rel="license noopener">{label}</a>'
    return label
