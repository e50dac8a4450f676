"""Licence policy: may this article go to this target, and with what credit?

`decide(article, target, partner)` is a pure function of the article record
(`Article.to_record()`), the target's settings and the partner's settings.
The rules, in the order they are checked (the first that refuses wins):

1. NOASSERTION: withheld unless the partner's agreement has `allow_noassertion`.
2. All rights reserved: withheld unless `allow_all_rights_reserved`.
3. A licence the policy cannot read (no flags known): withheld unless `allow_noassertion`.
4. `non_profit_only` in the agreement: no commercial target, whatever the licence.
5. NC: no commercial target, unless the agreement has `allow_commercial`.
6. ND: no target that translates (unless `allow_translations` or
   `allow_derivatives`), excerpts or edits (unless `allow_derivatives`).
7. Otherwise delivered; with an attribution block whenever the licence asks
   for attribution (every CC licence but CC0 and the Public Domain Mark), the
   partner requires wording, or the article goes out on the strength of the
   agreement (NOASSERTION, all rights reserved).

SA never refuses: a target that derives (excerpts, edits, translates) must keep
the same licence on what it makes; the decision says so in `obligations` and in
the attribution.
"""
from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field
from typing import Any

from synd.license.catalog import ALL_RIGHTS_RESERVED, NOASSERTION, from_spdx
from synd.settings import PartnerSettings, TargetSettings

DELIVER = "deliver"
DELIVER_WITH_ATTRIBUTION = "deliver_with_attribution"
WITHHOLD = "withhold"


@dataclass
class Decision:
    action: str  # deliver | deliver_with_attribution | withhold
    reason: str
    attribution: dict[str, Any] | None = None
    obligations: list[str] = field(default_factory=list)
    target: str | None = None
    license: str | None = None

    def to_record(self) -> dict[str, Any]:
        return asdict(self)


def decide(article: dict[str, Any], target: TargetSettings, partner: PartnerSettings) -> Decision:
    """The policy decision for one article and one target (see the module docstring for the rules)."""
    lic = _complete(article.get("license") or {})
    article = {**article, "license": lic}
    spdx = lic.get("spdx") or NOASSERTION
    label = lic.get("name") or spdx
    refusal, allowed_by = _refusal(lic, spdx, label, target, partner)
    if refusal:
        return Decision(WITHHOLD, refusal, None, [], target.name, spdx)
    obligations = _obligations(lic, label, target, allowed_by)
    needs_credit = bool(lic.get("attribution")) or bool(partner.attribution) or bool(allowed_by)
    reason = _delivery_reason(label, target, allowed_by, obligations)
    if not needs_credit:
        return Decision(DELIVER, reason, None, obligations, target.name, spdx)
    language = target.options.get("language") if target.translates else None
    block = attribution(article, partner, unaltered=lic.get("derivatives") is False, language=language)
    return Decision(DELIVER_WITH_ATTRIBUTION, reason, block, obligations, target.name, spdx)


def _complete(lic: dict[str, Any]) -> dict[str, Any]:
    """Fill the flags of a record that carries only an SPDX id (an old record, a hand-made event)."""
    if lic.get("spdx") and (lic.get("commercial") is None or lic.get("derivatives") is None):
        known = asdict(from_spdx(lic["spdx"], source=lic.get("source") or "document"))
        if known["commercial"] is not None:
            return {**known, **{k: v for k, v in lic.items() if v is not None}}
    return lic


def _refusal(lic: dict, spdx: str, label: str, target: TargetSettings,
             partner: PartnerSettings) -> tuple[str | None, list[str]]:
    """Why the article may not go to this target (None if it may), and the agreement terms relied on."""
    agreement, used = partner.agreement, []
    derives = [word for word, flag in (("excerpts", target.excerpts), ("edits", target.edits),
                                       ("translates", target.translates)) if flag]
    if spdx == NOASSERTION:
        if not agreement.allow_noassertion:
            return (f"no licence was found for this article and partner {partner.id!r} does not allow "
                    f"unlicensed articles (agreement.allow_noassertion)"), used
        used.append("allow_noassertion")
    elif spdx == ALL_RIGHTS_RESERVED:
        if not agreement.allow_all_rights_reserved:
            evidence = f" ({lic.get('evidence')!r})" if lic.get("evidence") else ""
            return (f"the article is all rights reserved{evidence} and partner {partner.id!r} grants no "
                    f"rights beyond that (agreement.allow_all_rights_reserved)"), used
        used.append("allow_all_rights_reserved")
    elif lic.get("commercial") is None or lic.get("derivatives") is None:
        if not agreement.allow_noassertion:
            return f"the policy cannot read what licence {spdx} allows; it is treated as no licence", used
        used.append("allow_noassertion")
    if target.commercial and agreement.non_profit_only:
        return (f"partner {partner.id!r} allows non-profit use only (agreement.non_profit_only) and "
                f"target {target.name!r} is commercial"), used
    if target.commercial and lic.get("commercial") is False:
        if not agreement.allow_commercial:
            return f"{label} forbids commercial use and target {target.name!r} is commercial", used
        used.append("allow_commercial")
    if lic.get("derivatives") is False and derives:
        translation_ok = agreement.allow_translations or agreement.allow_derivatives
        blocked = [w for w in derives if not (agreement.allow_derivatives or (w == "translates" and translation_ok))]
        if blocked:
            what = " and ".join(blocked)
            if spdx == ALL_RIGHTS_RESERVED or spdx == NOASSERTION:
                return (f"the agreement allows republishing as is, but target {target.name!r} {what} "
                        f"the text (agreement.allow_derivatives)"), used
            return f"{label} forbids derivatives and target {target.name!r} {what} the text", used
        used.append("allow_derivatives" if agreement.allow_derivatives else "allow_translations")
    return None, used


def _obligations(lic: dict, label: str, target: TargetSettings, allowed_by: list[str]) -> list[str]:
    out = []
    derives = target.excerpts or target.edits or target.translates
    if lic.get("share_alike") and derives:
        out.append(f"share-alike: excerpts, edits and translations must be published under {label}")
    if lic.get("derivatives") is False and not derives:
        out.append("no derivatives: publish the text unaltered")
    if lic.get("attribution"):
        out.append("credit the author, the original publisher, the source link and the licence")
    out += [f"relies on the partner agreement: {term}" for term in allowed_by]
    return out


def _delivery_reason(label: str, target: TargetSettings, allowed_by: list[str], obligations: list[str]) -> str:
    does = [w for w, f in (("commercial", target.commercial), ("excerpts", target.excerpts),
                           ("edits", target.edits), ("translates", target.translates)) if f]
    what = f"target {target.name!r} ({', '.join(does) if does else 'republishes unaltered, non-commercial'})"
    reason = f"{label} allows {what}"
    if allowed_by:
        reason = f"the partner agreement ({', '.join(allowed_by)}) allows {what} under {label}"
    share_alike = [o for o in obligations if o.startswith("share-alike")]
    return f"{reason}; {share_alike[0]}" if share_alike else reason


# --- attribution -------------------------------------------------------------------------------

# The credit line, per language of the article; English for any other language.
# Placeholders: {title} {authors} {publisher} {url} {license}.
TEMPLATES: dict[str, dict[str, str]] = {
    "en": {"quotes": "“{title}”", "credit": "“{title}” by {authors}, first published by {publisher}, is licensed under {license}.",
           "no_authors": "“{title}”, first published by {publisher}, is licensed under {license}.",
           "unaltered": "Republished unaltered.", "reserved": "All rights reserved; republished by agreement.",
           "none": "Republished by agreement with the publisher.", "original": "Original"},
    "fr": {"quotes": "« {title} »", "credit": "« {title} » de {authors}, publié d’abord par {publisher}, est sous licence {license}.",
           "no_authors": "« {title} », publié d’abord par {publisher}, est sous licence {license}.",
           "unaltered": "Republié sans modification.", "reserved": "Tous droits réservés ; republié avec accord.",
           "none": "Republié avec l’accord de l’éditeur.", "original": "Original"},
    "de": {"quotes": "„{title}“", "credit": "„{title}“ von {authors}, zuerst veröffentlicht von {publisher}, steht unter {license}.",
           "no_authors": "„{title}“, zuerst veröffentlicht von {publisher}, steht unter {license}.",
           "unaltered": "Unverändert wiederveröffentlicht.",
           "reserved": "Alle Rechte vorbehalten; mit Genehmigung wiederveröffentlicht.",
           "none": "Mit Genehmigung des Verlags wiederveröffentlicht.", "original": "Original"},
    "es": {"quotes": "«{title}»", "credit": "«{title}», de {authors}, publicado originalmente por {publisher}, está bajo {license}.",
           "no_authors": "«{title}», publicado originalmente por {publisher}, está bajo {license}.",
           "unaltered": "Republicado sin modificaciones.",
           "reserved": "Todos los derechos reservados; republicado con permiso.",
           "none": "Republicado con permiso del editor.", "original": "Original"},
    "ru": {"quotes": "«{title}»", "credit": "«{title}», автор: {authors}, впервые опубликовано: {publisher}, лицензия: {license}.",
           "no_authors": "«{title}», впервые опубликовано: {publisher}, лицензия: {license}.",
           "unaltered": "Перепечатано без изменений.", "reserved": "Все права защищены; перепечатано по соглашению.",
           "none": "Перепечатано по соглашению с издателем.", "original": "Оригинал"},
    "fa": {"quotes": "«{title}»", "credit": "«{title}» نوشتهٔ {authors}، نخستین بار در {publisher} منتشر شد و تحت مجوز {license} است.",
           "no_authors": "«{title}»، نخستین بار در {publisher} منتشر شد و تحت مجوز {license} است.",
           "unaltered": "بدون تغییر بازنشر شده است.", "reserved": "کلیه حقوق محفوظ است؛ با موافقت بازنشر شده است.",
           "none": "با موافقت ناشر بازنشر شده است.", "original": "اصل"},
    "ar": {"quotes": "«{title}»", "credit": "«{title}» بقلم {authors}، نُشر أولاً في {publisher}، مرخّص بموجب {license}.",
           "no_authors": "«{title}»، نُشر أولاً في {publisher}، مرخّص بموجب {license}.",
           "unaltered": "أعيد نشره دون تعديل.", "reserved": "جميع الحقوق محفوظة؛ أعيد نشره بموافقة.",
           "none": "أعيد نشره بموافقة الناشر.", "original": "الأصل"},
    "zh": {"quotes": "《{title}》", "credit": "《{title}》，作者：{authors}，首发于{publisher}，采用{license}许可。",
           "no_authors": "《{title}》，首发于{publisher}，采用{license}许可。",
           "unaltered": "原文转载，未作修改。", "reserved": "版权所有；经授权转载。",
           "none": "经出版方授权转载。", "original": "原文"},
}
RTL = {"fa", "ar", "ur", "ps", "he"}


def attribution(article: dict[str, Any], partner: PartnerSettings, *, unaltered: bool = False,
                language: str | None = None) -> dict[str, Any]:
    """The attribution block: title, authors, publisher, link, licence, and the credit as text and HTML.

    The credit is written in `language` (a translating target's language) or else the article's
    language when a template exists for it, in English otherwise.
    """
    lic = article.get("license") or {}
    spdx = lic.get("spdx") or NOASSERTION
    lang = (language or article.get("language") or "en").split("-")[0].lower()
    words = TEMPLATES.get(lang, TEMPLATES["en"])
    used_lang = lang if lang in TEMPLATES else "en"
    authors = [a for a in (article.get("authors") or []) if a]
    publisher = article.get("publisher") or partner.publisher or partner.name or partner.id
    url = article.get("canonical_url")
    title = article.get("title") or ""
    license_name = lic.get("name") or spdx
    values = {"title": title, "authors": ", ".join(authors), "publisher": publisher, "url": url or "",
              "license": license_name}
    if spdx in (ALL_RIGHTS_RESERVED, NOASSERTION):
        work = words["quotes"].format(**values) + " — " + ", ".join([*authors, publisher]) + "."
        text = f"{work} {words['reserved' if spdx == ALL_RIGHTS_RESERVED else 'none']}"
    else:
        text = _sentence(words, values, authors)
    if partner.attribution:
        text = partner.attribution.format(**values)
    note = words["unaltered"] if unaltered else None
    if note:
        text = f"{text} {note}"
    return {
        "title": title, "authors": authors, "publisher": publisher, "url": url,
        "license": license_name, "license_spdx": spdx, "license_url": lic.get("url"),
        "unaltered_note": note, "language": used_lang, "direction": "rtl" if used_lang in RTL else "ltr",
        "text": text, "html": _html(text, values, lic.get("url"), words, used_lang),
    }


def _sentence(words: dict[str, str], values: dict[str, str], authors: list[str]) -> str:
    return (words["credit"] if authors else words["no_authors"]).format(**values)


def _html(text: str, values: dict[str, str], license_url: str | None, words: dict[str, str], lang: str) -> str:
    """The credit as HTML: the title links to the original, the licence name to the licence (escaped)."""
    out = html.escape(text)
    title = html.escape(values["title"])
    if title:  # <bdi>: a title in another direction must not reorder the sentence around it
        if values["url"].lower().startswith(("https://", "http://")):
            title_html = f'<a href="{html.escape(values["url"], quote=True)}">{title}</a>'
        else:
            title_html = title
        out = out.replace(title, f"<bdi>{title_html}</bdi>", 1)
    if license_url and license_url.startswith("https://creativecommons.org/") and values["license"]:
        link = f'<a rel="license" href="{html.escape(license_url, quote=True)}">{html.escape(values["license"])}</a>'
        out = out.replace(html.escape(values["license"]), link, 1)
    direction = "rtl" if lang in RTL else "ltr"
    return f'<p class="attribution" lang="{lang}" dir="{direction}">{out}</p>'
