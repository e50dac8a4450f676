"""The attribution block every published copy carries: who wrote it, who first
published it, where the original is, under which licence.

The licence policy (`synd.policy.decide`) renders the partner's required wording;
its HTML is sanitised here before it reaches a page, and the structured facts
(licence link with rel="license", original URL) are always rendered by us so a
page never depends on a free-text template for them.
"""
from __future__ import annotations

from html import escape
from typing import Any

import nh3

_ATTRIBUTION_TAGS = {"a", "p", "span", "strong", "em", "b", "i", "br", "bdi", "cite", "small"}
_ATTRIBUTION_ATTRIBUTES = {"a": {"href", "hreflang", "title"}, "p": {"lang", "dir"}, "span": {"lang", "dir"}}


def clean_fragment(html_text: str) -> str:
    """Policy- or partner-provided HTML reduced to inline text markup and http(s) links."""
    return nh3.clean(html_text, tags=_ATTRIBUTION_TAGS, attributes=_ATTRIBUTION_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")


def license_label(license_: dict[str, Any]) -> str:
    spdx = license_.get("spdx") or "NOASSERTION"
    if spdx == "NOASSERTION":
        return "no licence stated"
    if spdx == "LicenseRef-All-Rights-Reserved":
        return "all rights reserved (used under the partner's agreement)"
    return license_.get("name") or spdx


def credit_text(record: dict[str, Any]) -> str:
    """A plain one-line credit: "“Title” by A, B, first published by P (URL), licence."."""
    parts = [f"\u201c{record.get('title') or 'Untitled'}\u201d"]
    if record.get("authors"):
        parts.append("by " + ", ".join(record["authors"]))
    if record.get("publisher"):
        parts.append(f"first published by {record['publisher']}")
    text = " ".join(parts)
    if record.get("canonical_url"):
        text += f" ({record['canonical_url']})"
    return f"{text}, {license_label(record.get('license') or {})}."


def is_web_url(url: str) -> bool:
    return url.strip().lower().startswith(("http://", "https://"))


def is_no_derivatives(license_: dict[str, Any]) -> bool:
    return license_.get("derivatives") is False or "-ND" in (license_.get("spdx") or "")


def attribution_html(record: dict[str, Any], policy_attribution: dict[str, Any] | None) -> str:
    """The <aside> block of an article page (also reused in feeds as text)."""
    license_ = record.get("license") or {}
    lines = [_credit(record, policy_attribution)]
    lines.append(f'<p class="license" lang="en" dir="ltr">Licence: {_license_link(license_)}</p>')
    original = record.get("canonical_url")
    if original and is_web_url(original):
        lines.append(f'<p class="original" lang="en" dir="ltr">Original: <a href="{escape(original, quote=True)}" '
                     f'rel="noopener noreferrer"><bdi>{escape(original)}</bdi></a></p>')
    elif original:  # not a web address: shown, never linked (a javascript: URL must not become a link)
        lines.append(f'<p class="original" lang="en" dir="ltr">Original: <bdi>{escape(original)}</bdi></p>')
    if record.get("via"):
        lines.append(f'<p class="via" lang="en" dir="ltr">Via: {escape(" → ".join(record["via"]))}</p>')
    if is_no_derivatives(license_) and not (policy_attribution or {}).get("unaltered_note"):
        lines.append('<p class="unaltered" lang="en" dir="ltr">This article is reproduced unaltered, '
                     'as its licence does not allow derivative works.</p>')
    # the block follows the page's direction; each line carries its own language and direction
    return '<aside class="attribution">\n' + "\n".join(lines) + "\n</aside>"


def _credit(record: dict[str, Any], policy_attribution: dict[str, Any] | None) -> str:
    """The credit line, in the language (and direction) the policy wrote it in."""
    attribution = policy_attribution or {}
    lang = escape(str(attribution.get("language") or "en"), quote=True)
    direction = "rtl" if attribution.get("direction") == "rtl" else "ltr"
    if attribution.get("html"):
        inner = clean_fragment(attribution["html"])
    elif attribution.get("text"):
        inner = escape(attribution["text"])
    else:
        inner, lang, direction = escape(credit_text(record)), "en", "ltr"
    return f'<div class="credit" lang="{lang}" dir="{direction}">{inner}</div>'


def _license_link(license_: dict[str, Any]) -> str:
    label = escape(license_label(license_))
    url = license_.get("url")
    if url and is_web_url(url):
        return f'<a href="{escape(url, quote=True)}" rel="license noopener">{label}</a>'
    return label
