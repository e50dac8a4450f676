"""Licence policy: may this article go to this target, and with what credit?

`decide(article, target, partner)` is a pure function of the article record
(`Article.to_record()`), the target's settings and the partner's settings. It asks
the questions the target raises, in this order, and the first "no" withholds:

1. share: may the article be republished at all? A Creative Commons licence, CC0 or
   the Public Domain Mark says yes. No licence (`NOASSERTION`), or one the policy
   cannot read (it *is* NOASSERTION here), says yes only with the agreement's
   `allow_noassertion`; all rights reserved only with `allow_all_rights_reserved`.
   Either of those permits republication unaltered and credited, nothing more.
2. commercial (the target is commercial), 3. excerpts, 4. edits, 5. translations
   (the target does that), 6. relicensing (the target puts its own `license` on the
   adaptations it makes). The agreement's flag for the use decides when it is set
   (`allow_excerpts: false` refuses even a CC BY excerpt, `allow_edits: true` lets an
   ND article be edited); otherwise the licence does, version by version: CC 4.0 ND
   lets anyone share the material "in whole or in part" (§2(a)(1)(A)) so a verbatim
   excerpt may go out, credited as an excerpt, while 2.x/3.0 ND grant the work whole
   (conservative: no excerpts); no ND licence allows edits or translations (Adapted
   Material); NC refuses commercial targets; ShareAlike adaptations go only under a
   compatible licence (4.0 §3(b)(1), 3.0/2.x §4(b)). No licence and all rights
   reserved allow none of these: each needs its own flag.

Every answer records the term that gave it (`Decision.terms`: a section of the legal
code or an agreement flag; `decided_by` is the one that withheld, or those relied on).
A delivery carries a credit that says what was done to the text (unaltered, excerpt,
translation, adaptation: CC 4.0 §3(a)(1)(B), 3.0 §3(b)), in the article's language
(a translating target's language for a translation), and a `rights` block (licence id,
URL, use, ShareAlike obligation, obligations) that every output carries.
docs/licensing.md gives each rule with its legal-code reference; the table
tests/unit/policy/policy_matrix.csv is the specification the tests hold it to.
"""
from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field
from typing import Any

from synd.license.catalog import ALL_RIGHTS_RESERVED, CC0, NOASSERTION, PDM, PUBLIC_DOMAIN, from_spdx, parse_spdx_cc
from synd.settings import Agreement, PartnerSettings, TargetSettings
from synd.text.urls import safe_http_url

DELIVER = "deliver"
DELIVER_WITH_ATTRIBUTION = "deliver_with_attribution"
WITHHOLD = "withhold"

# what the target does to the text, as the credit says it (the target's own kind decides)
UNALTERED, EXCERPT, TRANSLATION, ADAPTATION = "unaltered", "excerpt", "translation", "adaptation"

DEDICATIONS = {CC0: "CC0 §2 (waiver), §3 (fallback licence)",
               PDM: "Public Domain Mark 1.0 (no known copyright)",
               PUBLIC_DOMAIN: "public domain statement",
               "CC-PDDC": "CC Public Domain Dedication and Certification"}
# BY-SA Compatible Licenses (creativecommons.org/compatiblelicenses) for BY-SA 4.0 adaptations
BY_SA_4_COMPATIBLE = ("LAL-1.3", "GPL-3.0-only", "GPL-3.0-or-later")  # Free Art 1.3 (two-way), GPLv3 (one-way)
CC_VERSIONS = ("1.0", "2.0", "2.5", "3.0", "4.0")


@dataclass
class Decision:
    action: str  # deliver | deliver_with_attribution | withhold
    reason: str
    attribution: dict[str, Any] | None = None
    obligations: list[str] = field(default_factory=list)
    target: str | None = None
    license: str | None = None
    use: str | None = None  # unaltered | excerpt | translation | adaptation
    terms: dict[str, str] = field(default_factory=dict)  # each question asked -> the term that answered it
    decided_by: str | None = None  # the term that withheld; on delivery, the agreement terms relied on or the licence

    def to_record(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Reading:
    """What the policy reads in a licence record."""

    spdx: str  # NOASSERTION for a licence the policy cannot read
    label: str
    kind: str  # cc | dedication | other | none | reserved
    elements: frozenset[str] = frozenset()  # by, nc, nd, sa (CC licences)
    version: str | None = None
    port: str | None = None
    commercial: bool = False
    derivatives: bool = False
    share_alike: bool = False
    attribution: bool = True
    unreadable: str | None = None  # the id the policy could not read

    @property
    def family(self) -> str | None:
        """4.0 | 3.0 (ports and IGO alike) | 2.x | early (1.0, or no version: read as the strictest)."""
        if self.kind != "cc":
            return None
        return {"4.0": "4.0", "3.0": "3.0", "2.0": "2.x", "2.1": "2.x", "2.5": "2.x"}.get(self.version or "", "early")

    @property
    def granted(self) -> bool:
        return self.kind in ("cc", "dedication", "other")


def read_license(lic: dict[str, Any]) -> Reading:
    """The licence record as the policy reads it; one it cannot read is NOASSERTION."""
    spdx = lic.get("spdx") or NOASSERTION
    label = lic.get("name") or spdx
    if spdx == NOASSERTION:
        return Reading(NOASSERTION, NOASSERTION, "none", attribution=True)
    if spdx == ALL_RIGHTS_RESERVED:
        return Reading(spdx, label, "reserved")
    cc = _cc(spdx)
    if cc is not None:
        return Reading(spdx, label, "cc", cc.elements, cc.version, cc.port, commercial="nc" not in cc.elements,
                       derivatives="nd" not in cc.elements, share_alike="sa" in cc.elements)
    if lic.get("commercial") is None or lic.get("derivatives") is None:
        return Reading(NOASSERTION, NOASSERTION, "none", unreadable=spdx)
    kind = "dedication" if spdx in DEDICATIONS else "other"
    return Reading(spdx, label, kind, commercial=bool(lic["commercial"]), derivatives=bool(lic["derivatives"]),
                   share_alike=bool(lic.get("share_alike")), attribution=bool(lic.get("attribution")))


def _cc(spdx: str):
    key = spdx.strip().upper()
    return parse_spdx_cc(key[len("LICENSEREF-"):] if key.startswith("LICENSEREF-") else key)


def decide(article: dict[str, Any], target: TargetSettings, partner: PartnerSettings) -> Decision:
    """The policy decision for one article and one target (see the module docstring for the rules)."""
    lic = _complete(article.get("license") or {})
    article = {**article, "license": lic}
    reading = read_license(lic)
    use = use_of(target)
    terms, relied = {}, []
    for question in questions(target, reading):
        allowed, term, relied_on = answer(question, reading, target, partner.agreement)
        terms[question] = term
        if relied_on:
            relied.append(term.removeprefix("agreement."))
        if not allowed:
            reason = refusal_reason(question, reading, target, partner, term)
            return Decision(WITHHOLD, reason, None, [], target.name, reading.spdx, use, terms, term)
    obligations = _obligations(reading, target, use, relied)
    decided_by = ", ".join(f"agreement.{t}" for t in relied) or f"licence {reading.spdx}"
    reason = _delivery_reason(reading, target, relied, obligations)
    needs_credit = reading.attribution or bool(partner.attribution or partner.attribution_by_language) or bool(relied)
    if not needs_credit:
        return Decision(DELIVER, reason, None, obligations, target.name, reading.spdx, use, terms, decided_by)
    rights = rights_block(reading, lic, use, obligations, excerpts_allowed(reading, target, partner.agreement),
                          decided_by)
    language = target.options.get("language") if target.translates else None
    block = attribution(article, partner, use=use, language=language, rights=rights)
    return Decision(DELIVER_WITH_ATTRIBUTION, reason, block, obligations, target.name, reading.spdx, use, terms,
                    decided_by)


def _complete(lic: dict[str, Any]) -> dict[str, Any]:
    """Fill the flags of a record that carries only an SPDX id (an old record, a hand-made event)."""
    if lic.get("spdx") and (lic.get("commercial") is None or lic.get("derivatives") is None):
        known = asdict(from_spdx(lic["spdx"], source=lic.get("source") or "document"))
        if known["commercial"] is not None:
            return {**known, **{k: v for k, v in lic.items() if v is not None}}
    return lic


def use_of(target: TargetSettings) -> str:
    """What the credit says was done: a translation, else an adaptation (edits), else an excerpt, else unaltered."""
    if target.translates:
        return TRANSLATION
    if target.edits:
        return ADAPTATION
    return EXCERPT if target.excerpts else UNALTERED


def questions(target: TargetSettings, reading: Reading) -> list[str]:
    """The questions this target raises about this article, in the order they are asked."""
    asked = ["share"]
    asked += [q for q, flag in (("commercial", target.commercial), ("excerpts", target.excerpts),
                                ("edits", target.edits), ("translations", target.translates)) if flag]
    if target.license and makes_adapted_material(target, reading):
        asked.append("relicensing")
    return asked


def makes_adapted_material(target: TargetSettings, reading: Reading) -> bool:
    """Edits and translations always; an excerpt too, except where the licence calls it sharing the
    material "in part" (CC 4.0 §2(a)(1)(A); a dedication has no conditions to escape)."""
    if target.edits or target.translates:
        return True
    return target.excerpts and reading.family != "4.0" and reading.kind != "dedication"


def answer(question: str, reading: Reading, target: TargetSettings, agreement: Agreement) -> tuple[bool, str, bool]:
    """(allowed, the term that decided, whether the delivery relies on the agreement for it)."""
    if question == "share":
        return _share(reading, agreement)
    by_licence, ref = licence_answer(question, reading, target)
    flagged = agreement_flag(question, agreement)
    if flagged is None:
        return by_licence, ref, False
    allowed, term = flagged
    return allowed, term, allowed and not by_licence


def _share(reading: Reading, agreement: Agreement) -> tuple[bool, str, bool]:
    if reading.kind == "none":
        return agreement.allow_noassertion, "agreement.allow_noassertion", agreement.allow_noassertion
    if reading.kind == "reserved":
        allowed = agreement.allow_all_rights_reserved
        return allowed, "agreement.allow_all_rights_reserved", allowed
    return True, f"{reading.spdx} {_section(reading, 'share')}", False


def agreement_flag(question: str, agreement: Agreement) -> tuple[bool, str] | None:
    """The agreement's own answer (a flag that is set), or None: the licence decides."""
    if question == "commercial" and agreement.non_profit_only:
        return False, "agreement.non_profit_only"
    own = getattr(agreement, f"allow_{question}", None) if question != "share" else None
    if own is not None:
        return bool(own), f"agreement.allow_{question}"
    if question in ("excerpts", "edits", "translations") and agreement.allow_derivatives is not None:
        return bool(agreement.allow_derivatives), "agreement.allow_derivatives"
    return None


def licence_answer(question: str, reading: Reading, target: TargetSettings) -> tuple[bool, str]:
    """What the licence alone says about one use, and the section of its legal code that says it."""
    if reading.kind in ("none", "reserved"):
        what = "no licence" if reading.kind == "none" else "all rights reserved"
        return False, f"{reading.spdx}: {what}, so no licence grants this use"
    if question == "relicensing":
        allowed = adapter_licence_allowed(reading, target.license or "")
    else:
        allowed = {"commercial": reading.commercial, "excerpts": _excerpt_allowed(reading),
                   "edits": reading.derivatives, "translations": reading.derivatives}[question]
    return allowed, f"{reading.spdx} {_section(reading, question, allowed)}"


def _excerpt_allowed(reading: Reading) -> bool:
    """A verbatim excerpt: shared "in part" under CC 4.0; under an older ND licence, conservatively not."""
    return reading.derivatives or reading.family == "4.0"


def excerpts_allowed(reading: Reading, target: TargetSettings, agreement: Agreement) -> bool:
    """Whether a verbatim excerpt of this article may go out at all (a feed teaser, for instance)."""
    excerpting = TargetSettings(name=target.name, kind=target.kind, excerpts=True)
    return answer("excerpts", reading, excerpting, agreement)[0]


# --- ShareAlike and the licence a target puts on what it makes ----------------------------------

def adapter_licence_allowed(reading: Reading, target_license: str) -> bool:
    """May adaptations of this article go out under `target_license` (the Adapter's License)?

    ShareAlike: only a compatible licence. NC: only a licence that keeps NC (CC's adapter's licence
    chart; the original stays under NC, 4.0 §2(a)(5)(A), 3.0 §8(b)). ND, no licence, all rights
    reserved: the licence grants no adaptation to license. BY and the public domain: any licence.
    """
    if reading.share_alike:
        return share_alike_compatible(reading, target_license)
    if reading.kind == "dedication":
        return True
    if not reading.derivatives:
        return False
    if not reading.commercial:
        theirs = read_license(asdict(from_spdx(target_license)))
        return theirs.kind in ("cc", "other", "reserved") and not theirs.commercial
    return True


def share_alike_compatible(reading: Reading, target_license: str) -> bool:
    """4.0 §3(b)(1): a CC licence with the same elements, this version or later, or a BY-SA Compatible
    License; 3.0 §4(b): this licence, a later version, a ported (jurisdiction) licence of this or a
    later version with the same elements, or a CC Compatible License (none was declared for 3.0);
    2.x §4(b): the same, iCommons (ported) licences included; 1.0 and versionless: only the same licence."""
    if target_license.strip().upper() == reading.spdx.upper():
        return True
    if reading.kind != "cc":
        return False
    if reading.family == "4.0" and reading.elements == {"by", "sa"} and target_license in BY_SA_4_COMPATIBLE:
        return True
    theirs = _cc(target_license)
    if theirs is None or theirs.version is None or reading.family == "early":
        return False
    return theirs.elements == reading.elements and float(theirs.version) >= float(reading.version or "99")


def compatible_licences(reading: Reading) -> list[str]:
    """The licences adaptations of a ShareAlike article may go out under, as SPDX ids (ports aside)."""
    if reading.kind != "cc" or reading.family == "early":
        return [reading.spdx]
    code = "-".join(e.upper() for e in ("by", "nc", "nd", "sa") if e in reading.elements)
    later = [f"CC-{code}-{v}" for v in CC_VERSIONS if float(v) >= float(reading.version or "99")]
    extra = list(BY_SA_4_COMPATIBLE) if reading.family == "4.0" and code == "BY-SA" else []
    return list(dict.fromkeys([reading.spdx, *later, *extra]))


# --- the legal code, section by section ---------------------------------------------------------

def _section(reading: Reading, question: str, allowed: bool = True) -> str:
    """The section of the legal code that answers `question` for this licence (docs/licensing.md)."""
    if reading.kind == "dedication":
        return DEDICATIONS.get(reading.spdx, "public domain")
    if reading.kind == "other":
        return "(its terms as catalogued: " + ", ".join(
            f"{k} {'yes' if v else 'no'}" for k, v in (("commercial", reading.commercial),
                                                      ("derivatives", reading.derivatives),
                                                      ("share-alike", reading.share_alike))) + ")"
    return _CC_SECTIONS[question](reading, allowed)


def _cc_share(r: Reading, _allowed: bool) -> str:
    return "§2(a)(1)(A)" if r.family == "4.0" else "§3 (licence grant)"


def _cc_commercial(r: Reading, allowed: bool) -> str:
    if allowed:
        return "§2(a)(1) (no NonCommercial restriction)" if r.family == "4.0" else "§3 (no NonCommercial restriction)"
    if r.family == "4.0":
        return "§2(a)(1)(A)-(B) 'for NonCommercial purposes only' (§1, NonCommercial)"
    return "§4(c) (NonCommercial)" if r.share_alike else "§4(b) (NonCommercial)"


def _cc_excerpts(r: Reading, allowed: bool) -> str:
    if r.family == "4.0":
        what = "a verbatim excerpt is not Adapted Material (§1(a))" if not r.derivatives else "'in whole or in part'"
        return f"§2(a)(1)(A) ({what})"
    if allowed:
        return "§3(b) (adaptations allowed, changes labelled)"
    return ("§3 (grants the Work whole, in a Collection 'in its entirety in unmodified form'; all rights not "
            "expressly granted are reserved: no excerpts, conservatively)")


def _cc_adapt(r: Reading, allowed: bool) -> str:
    if allowed:
        return "§2(a)(1)(B) (Adapted Material)" if r.family == "4.0" else "§3(b) (adaptations, changes labelled)"
    if r.family == "4.0":
        return "§2(a)(1)(B), §3(a)(2) (Adapted Material, translated or altered §1(a), may not be Shared)"
    if r.family == "3.0":
        return "§3 ('no rights to make Adaptations'; a translation is an Adaptation, §1)"
    return "§3 (no right to make Derivative Works, translations included, §1(b); all rights not granted reserved)"


def _cc_relicensing(r: Reading, allowed: bool) -> str:
    if r.share_alike:
        return "§3(b)(1) (ShareAlike: Adapter's License)" if r.family == "4.0" else "§4(b) (ShareAlike)"
    if not r.derivatives:
        return "§3(a)(2) (no Adapted Material to license)" if r.family == "4.0" else "§3 (no Adaptations to license)"
    if not r.commercial:
        return ("adapter's licence must keep NonCommercial (CC FAQ adapter's licence chart; the original stays "
                + ("NC, §2(a)(5)(A))" if r.family == "4.0" else "NC, §8(b))"))
    if r.family == "4.0":
        return "§3(a)(4) (any Adapter's License)"
    return "§4 (conditions bind the Work, not the Adaptation's licence)"


_CC_SECTIONS = {"share": _cc_share, "commercial": _cc_commercial, "excerpts": _cc_excerpts, "edits": _cc_adapt,
                "translations": _cc_adapt, "relicensing": _cc_relicensing}


# --- reasons and obligations --------------------------------------------------------------------

_VERBS = {"excerpts": "excerpts", "edits": "edits", "translations": "translates"}
_NOUNS = {"commercial": "commercial use", "excerpts": "excerpts", "edits": "edits", "translations": "translations",
          "relicensing": "relicensing"}


def refusal_reason(question: str, reading: Reading, target: TargetSettings, partner: PartnerSettings,
                   term: str) -> str:
    """Why the article may not go to this target, naming the licence, the target and the term."""
    name, pid, label = target.name, partner.id, reading.label
    if question == "share":
        return _share_refusal(reading, pid)
    by_agreement = term.startswith("agreement.")
    if by_agreement:
        if term == "agreement.non_profit_only":
            return (f"partner {pid!r} allows non-profit use only (agreement.non_profit_only) and target {name!r} "
                    f"is commercial")
        if reading.kind in ("none", "reserved"):
            return (f"the agreement allows republishing as is, but target {name!r} {_doing(question, target)} "
                    f"and partner {pid!r}'s agreement does not allow {_NOUNS[question]} ({term})")
        return (f"partner {pid!r}'s agreement does not allow {_NOUNS[question]} ({term}), though {label} would, "
                f"and target {name!r} {_doing(question, target)}")
    if reading.kind in ("none", "reserved"):
        return (f"the agreement allows republishing as is, but target {name!r} {_doing(question, target)} "
                f"(agreement.allow_{question} is not set; {term})")
    if question == "commercial":
        return f"{label} forbids commercial use and target {name!r} is commercial ({term})"
    if question == "relicensing":
        return (f"target {name!r} publishes what it makes under {target.license}, which {label} does not allow "
                f"for adaptations ({term})")
    what = "forbids derivatives" if question != "excerpts" else "does not allow excerpts"
    return f"{label} {what} and target {name!r} {_doing(question, target)} ({term})"


def _doing(question: str, target: TargetSettings) -> str:
    if question == "commercial":
        return "is commercial"
    if question == "relicensing":
        return f"puts its own licence ({target.license}) on what it makes"
    return f"{_VERBS[question]} the text"


def _share_refusal(reading: Reading, pid: str) -> str:
    if reading.kind == "reserved":
        return (f"the article is all rights reserved and partner {pid!r} grants no rights beyond that "
                f"(agreement.allow_all_rights_reserved)")
    if reading.unreadable:
        return (f"the policy cannot read what licence {reading.unreadable} allows; it is treated as no licence "
                f"(NOASSERTION) and partner {pid!r} does not allow unlicensed articles (agreement.allow_noassertion)")
    return (f"no licence was found for this article and partner {pid!r} does not allow unlicensed articles "
            f"(agreement.allow_noassertion)")


def _obligations(reading: Reading, target: TargetSettings, use: str, relied: list[str]) -> list[str]:
    out = []
    if reading.attribution or reading.kind in ("none", "reserved"):
        out.append("credit the author, the original publisher, the source link and the licence")
    if use != UNALTERED:
        out.append(f"say what was done: the credit marks this as {'an' if use[0] in 'aeiou' else 'a'} {use} "
                   "(CC 4.0 §3(a)(1)(B); 3.0 §3(b))")
    if reading.share_alike:
        out.append(share_alike_obligation(reading))
    if not reading.derivatives and reading.kind == "cc" and use in (UNALTERED, EXCERPT):
        out.append("no derivatives: publish the text unaltered" if use == UNALTERED else
                   "no derivatives: excerpts verbatim and marked as excerpts; no edits, no translations")
    if not reading.commercial and reading.kind == "cc":
        out.append("non-commercial: no use primarily intended for commercial advantage or monetary compensation")
    if reading.kind in ("none", "reserved"):
        out.append("no licence: only the uses the partner agreement allows; what is made of it may not be relicensed")
    if target.license and not makes_adapted_material(target, reading) and target.license != reading.spdx:
        out.append(f"keeps its licence: this copy stays under {reading.label}, not under the target's "
                   f"{target.license} (CC 4.0 §2(a)(1) non-sublicensable; 3.0 §4(a))")
    out += [f"relies on the partner agreement: {term}" for term in relied]
    return out


def share_alike_obligation(reading: Reading) -> str:
    others = [s for s in compatible_licences(reading) if s != reading.spdx]
    also = f" or a compatible licence ({', '.join(others)})" if others else ""
    section = "CC 4.0 §3(b)" if reading.family == "4.0" else "§4(b)"
    return (f"share-alike: the text and any excerpt stay under {reading.label}; adaptations (edits, translations) "
            f"must be published under {reading.label}{also} ({section})")


def share_alike_facts(reading: Reading) -> dict[str, Any] | None:
    if not reading.share_alike:
        return None
    return {"licenses": compatible_licences(reading), "obligation": share_alike_obligation(reading)}


def rights_block(reading: Reading, lic: dict[str, Any], use: str, obligations: list[str], excerpts_ok: bool,
                 decided_by: str) -> dict[str, Any]:
    """What every output carries: licence id, name and URL, what was done, ShareAlike, obligations."""
    name = reading.label if reading.kind != "none" else None
    url = safe_http_url(lic.get("url")) if reading.granted else None
    return {"license": {"spdx": reading.spdx, "name": name, "url": url},
            "use": use, "share_alike": share_alike_facts(reading), "obligations": list(obligations),
            "excerpts": excerpts_ok, "decided_by": decided_by}


def _delivery_reason(reading: Reading, target: TargetSettings, relied: list[str], obligations: list[str]) -> str:
    does = [w for w, f in (("commercial", target.commercial), ("excerpts", target.excerpts),
                           ("edits", target.edits), ("translates", target.translates)) if f]
    if target.license:
        does.append(f"licence {target.license}")
    what = f"target {target.name!r} ({', '.join(does) if does else 'republishes unaltered, non-commercial'})"
    reason = f"{reading.label} allows {what}"
    if relied:
        reason = f"the partner agreement ({', '.join(relied)}) allows {what} under {reading.label}"
    share_alike = [o for o in obligations if o.startswith("share-alike")]
    return f"{reason}; {share_alike[0]}" if share_alike else reason


# --- attribution -------------------------------------------------------------------------------

# The credit, per language of the article; English for any other language.
# Placeholders: {title} {authors} {publisher} {url} {license}. The use notes say what was done to
# the text (CC 4.0 §3(a)(1)(B)); `share_alike` is the ShareAlike obligation in words.
# The Pashto and Urdu wording names each part ("author:", "licence:") rather than building a sentence.
TEMPLATES: dict[str, dict[str, str]] = {
    "en": {"quotes": "“{title}”",
           "credit": "“{title}” by {authors}, first published by {publisher}, is licensed under {license}.",
           "no_authors": "“{title}”, first published by {publisher}, is licensed under {license}.",
           "unaltered": "Republished unaltered.", "excerpt": "This is an excerpt, otherwise unaltered.",
           "translation": "This is a translation of the original.",
           "adaptation": "This is an edited version of the original.",
           "share_alike": "Adaptations must be shared under {license} or a compatible licence.",
           "reserved": "All rights reserved; republished by agreement.",
           "none": "Republished by agreement with the publisher.", "original": "Original", "sep": ", ", "stop": "."},
    "fr": {"quotes": "« {title} »",
           "credit": "« {title} » {de_authors}, publié d’abord par {publisher}, est sous licence {license}.",
           "no_authors": "« {title} », publié d’abord par {publisher}, est sous licence {license}.",
           "unaltered": "Republié sans modification.", "excerpt": "Ceci est un extrait, sans autre modification.",
           "translation": "Ceci est une traduction de l’original.",
           "adaptation": "Ceci est une version modifiée de l’original.",
           "share_alike": "Les adaptations doivent être partagées sous {license} ou une licence compatible.",
           "reserved": "Tous droits réservés ; republié avec accord.",
           "none": "Republié avec l’accord de l’éditeur.", "original": "Original", "sep": ", ", "stop": "."},
    "de": {"quotes": "„{title}“",
           "credit": "„{title}“ von {authors}, zuerst veröffentlicht von {publisher}, steht unter {license}.",
           "no_authors": "„{title}“, zuerst veröffentlicht von {publisher}, steht unter {license}.",
           "unaltered": "Unverändert wiederveröffentlicht.", "excerpt": "Dies ist ein Auszug, sonst unverändert.",
           "translation": "Dies ist eine Übersetzung des Originals.",
           "adaptation": "Dies ist eine bearbeitete Fassung des Originals.",
           "share_alike": ("Bearbeitungen dürfen nur unter {license} oder einer kompatiblen"
                           " Lizenz weitergegeben werden."),
           "reserved": "Alle Rechte vorbehalten; mit Genehmigung wiederveröffentlicht.",
           "none": "Mit Genehmigung des Verlags wiederveröffentlicht.", "original": "Original", "sep": ", ",
           "stop": "."},
    "es": {"quotes": "«{title}»",
           "credit": "«{title}», de {authors}, publicado originalmente por {publisher}, está bajo {license}.",
           "no_authors": "«{title}», publicado originalmente por {publisher}, está bajo {license}.",
           "unaltered": "Republicado sin modificaciones.", "excerpt": "Esto es un fragmento, sin otras modificaciones.",
           "translation": "Esto es una traducción del original.",
           "adaptation": "Esta es una versión editada del original.",
           "share_alike": "Las adaptaciones deben compartirse bajo {license} o una licencia compatible.",
           "reserved": "Todos los derechos reservados; republicado con permiso.",
           "none": "Republicado con permiso del editor.", "original": "Original", "sep": ", ", "stop": "."},
    "ru": {"quotes": "«{title}»",
           "credit": "«{title}», автор: {authors}, впервые опубликовано: {publisher}, лицензия: {license}.",
           "no_authors": "«{title}», впервые опубликовано: {publisher}, лицензия: {license}.",
           "unaltered": "Перепечатано без изменений.", "excerpt": "Это фрагмент, в остальном без изменений.",
           "translation": "Это перевод оригинала.", "adaptation": "Это отредактированная версия оригинала.",
           "share_alike": ("Производные материалы распространяются только на условиях {license}"
                           " или совместимой лицензии."),
           "reserved": "Все права защищены; перепечатано по соглашению.",
           "none": "Перепечатано по соглашению с издателем.", "original": "Оригинал", "sep": ", ", "stop": "."},
    "fa": {"quotes": "«{title}»",
           "credit": "«{title}» نوشتهٔ {authors}، نخستین بار در {publisher} منتشر شد و تحت مجوز {license} است.",
           "no_authors": "«{title}»، نخستین بار در {publisher} منتشر شد و تحت مجوز {license} است.",
           "unaltered": "بدون تغییر بازنشر شده است.",
           "excerpt": "این گزیده‌ای از متن اصلی است و تغییر دیگری در آن داده نشده است.",
           "translation": "این ترجمهٔ متن اصلی است.", "adaptation": "این نسخهٔ ویرایش‌شدهٔ متن اصلی است.",
           "share_alike": "اقتباس‌ها باید تحت مجوز {license} یا مجوزی سازگار با آن منتشر شوند.",
           "reserved": "کلیه حقوق محفوظ است؛ با موافقت بازنشر شده است.",
           "none": "با موافقت ناشر بازنشر شده است.", "original": "اصل", "sep": "، ", "stop": "."},
    "ar": {"quotes": "«{title}»",
           "credit": "«{title}» بقلم {authors}، نُشر أولاً في {publisher}، مرخّص بموجب {license}.",
           "no_authors": "«{title}»، نُشر أولاً في {publisher}، مرخّص بموجب {license}.",
           "unaltered": "أعيد نشره دون تعديل.", "excerpt": "هذا مقتطف من النص الأصلي دون أي تعديل آخر.",
           "translation": "هذه ترجمة للنص الأصلي.", "adaptation": "هذه نسخة معدّلة من النص الأصلي.",
           "share_alike": "يجب نشر الأعمال المقتبسة بموجب {license} أو ترخيص متوافق معه.",
           "reserved": "جميع الحقوق محفوظة؛ أعيد نشره بموافقة.",
           "none": "أعيد نشره بموافقة الناشر.", "original": "الأصل", "sep": "، ", "stop": "."},
    "zh": {"quotes": "《{title}》", "credit": "《{title}》，作者：{authors}，首发于{publisher}，采用{license}许可。",
           "no_authors": "《{title}》，首发于{publisher}，采用{license}许可。",
           "unaltered": "原文转载，未作修改。", "excerpt": "本文为原文节选，未作其他修改。",
           "translation": "本文为原文译文。", "adaptation": "本文为原文的编辑版本。",
           "share_alike": "演绎作品须以{license}或与其兼容的许可协议分享。",
           "reserved": "版权所有；经授权转载。",
           "none": "经出版方授权转载。", "original": "原文", "sep": "、", "stop": "。"},
    "ps": {"quotes": "«{title}»",
           "credit": "«{title}»، لیکوال: {authors}، لومړنی خپرونکی: {publisher}، جواز: {license}.",
           "no_authors": "«{title}»، لومړنی خپرونکی: {publisher}، جواز: {license}.",
           "unaltered": "دا متن پرته له بدلون بیا خپور شوی دی.",
           "excerpt": "دا د اصلي متن یوه برخه ده، نور بدلون پکې نه دی راغلی.",
           "translation": "دا د اصلي متن ژباړه ده.", "adaptation": "دا د اصلي متن سمول شوې بڼه ده.",
           "share_alike": "بدل شوې بڼې باید د {license} یا کوم مطابق جواز لاندې خپرې شي.",
           "reserved": "ټول حقونه خوندي دي؛ د تړون له مخې بیا خپور شوی.",
           "none": "د خپرونکي په اجازه بیا خپور شوی.", "original": "اصلي متن", "sep": "، ", "stop": "."},
    "ur": {"quotes": "’{title}‘", "credit": "’{title}‘، مصنف: {authors}، اولین ناشر: {publisher}، لائسنس: {license}۔",
           "no_authors": "’{title}‘، اولین ناشر: {publisher}، لائسنس: {license}۔",
           "unaltered": "بغیر کسی تبدیلی کے دوبارہ شائع کیا گیا۔",
           "excerpt": "یہ اصل تحریر کا اقتباس ہے، اس میں کوئی اور تبدیلی نہیں کی گئی۔",
           "translation": "یہ اصل تحریر کا ترجمہ ہے۔", "adaptation": "یہ اصل تحریر کا ترمیم شدہ نسخہ ہے۔",
           "share_alike": "ماخوذ تخلیقات صرف {license} یا اس سے مطابقت رکھنے والے لائسنس کے تحت شائع کی جا سکتی ہیں۔",
           "reserved": "جملہ حقوق محفوظ ہیں؛ معاہدے کے تحت دوبارہ شائع کیا گیا۔",
           "none": "ناشر کی اجازت سے دوبارہ شائع کیا گیا۔", "original": "اصل", "sep": "، ", "stop": "۔"},
}
RTL = {"fa", "ar", "ur", "ps", "he"}
USES = (UNALTERED, EXCERPT, TRANSLATION, ADAPTATION)


def attribution(article: dict[str, Any], partner: PartnerSettings, *, use: str = UNALTERED,
                language: str | None = None, rights: dict[str, Any] | None = None) -> dict[str, Any]:
    """The attribution block: title, authors, publisher, link, licence, the credit as text and HTML
    with a note of what was done to the text (`use`), and the `rights` every output carries.

    The credit is written in `language` (a translating target's language) or else the article's
    language when a template exists for it, in English otherwise. The partner's required wording
    (`attribution_by_language` for that language, else `attribution`) replaces the credit sentence;
    the note of what was done is always added (CC 4.0 §3(a)(1)(B)).
    """
    lic = article.get("license") or {}
    reading = read_license(lic)
    tag = (language or article.get("language") or "en").lower()
    lang = tag.split("-")[0]
    used_lang = lang if lang in TEMPLATES else "en"
    words = TEMPLATES[used_lang]
    authors = [a for a in (article.get("authors") or []) if a]
    publisher = article.get("publisher") or partner.publisher or partner.name or display_name(partner.id)
    url = article.get("canonical_url")
    title = article.get("title") or ""
    license_name = (lic.get("name") or reading.spdx) if reading.kind != "none" else NOASSERTION
    values = {"title": title, "authors": words["sep"].join(authors), "publisher": publisher, "url": url or "",
              "license": license_name, "de_authors": _french_of(words["sep"].join(authors))}
    credit = _credit_sentence(used_lang, values, authors, publisher, reading)
    wording = partner.attribution_by_language.get(tag) or partner.attribution_by_language.get(lang)
    required = wording or partner.attribution
    if required:
        credit = required.format(**values)
        used_lang = lang if wording else used_lang
    note = words[use]
    share_alike = words["share_alike"].format(**values) if reading.share_alike else None
    text = _sentences(used_lang, credit, note)
    return {
        "title": title, "authors": authors, "publisher": publisher, "url": url,
        "license": license_name, "license_spdx": reading.spdx,
        "license_url": lic.get("url") if reading.granted else None,
        "use": use, "use_note": note, "unaltered_note": note if use == UNALTERED else None,
        "share_alike_note": share_alike, "language": used_lang,
        "direction": "rtl" if used_lang in RTL else "ltr", "credit": credit, "text": text,
        "html": _html(text, values, lic.get("url"), used_lang),
        "rights_text": _sentences(used_lang, text, share_alike),
        "excerpt_rights_text": _sentences(used_lang, credit, words[EXCERPT], share_alike),
        "rights": rights,
    }


def _credit_sentence(lang: str, values: dict[str, str], authors: list[str], publisher: str,
                     reading: Reading) -> str:
    words = TEMPLATES[lang]
    if reading.kind in ("none", "reserved"):
        work = words["quotes"].format(**values) + " — " + words["sep"].join([*authors, publisher]) + words["stop"]
        return _sentences(lang, work, words["reserved" if reading.kind == "reserved" else "none"])
    return (words["credit"] if authors else words["no_authors"]).format(**values)


def display_name(partner_id: str) -> str:
    """A partner without a `name` in its settings, as a reader can take it: "kandahar-text-wire" ->
    "Kandahar Text Wire". A credit never shows a folder slug; the settings' `name` is the real fix."""
    return " ".join(word[:1].upper() + word[1:] for word in partner_id.replace("_", "-").split("-") if word)


# Institutions take an article in French: « de l’Assemblée générale », « du Conseil de sécurité »,
# « des Nations unies »; people do not: « de Paul Rogers », « d’Eleanor Roosevelt ».
_FRENCH_FEMININE = {"assemblée", "organisation", "union", "agence", "association", "fondation", "commission",
                    "cour", "banque", "fédération", "confédération", "ligue", "rédaction", "université",
                    "académie", "société", "direction", "délégation", "mission", "haute", "chambre", "mairie",
                    "préfecture", "région", "ville", "coalition", "communauté", "conférence", "assemblee"}
_FRENCH_MASCULINE = {"conseil", "comité", "bureau", "parlement", "ministère", "secrétariat", "gouvernement",
                     "haut-commissariat", "haut", "centre", "institut", "office", "fonds", "programme", "syndicat",
                     "collectif", "observatoire", "réseau", "groupe", "département", "service", "tribunal",
                     "sénat", "journal", "conseil-général", "front", "mouvement", "parti"}
_FRENCH_PLURAL = {"nations", "éditions", "amis", "médecins", "reporters", "états", "editions"}
_FRENCH_VOWELS = "AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒ"
_FRENCH_CONTRACTED = {"le ": "du ", "les ": "des "}  # « de La Croix », « de L’Express » keep their article


def french_with_article(names: str) -> str:
    """A name as French writes it after a preposition that does not contract (« par »): an institution
    with its article (« l’Assemblée générale », « le Conseil de sécurité », « les Nations unies »), a
    person or a name that has its own article as it is (« Paul Rogers », « Le Monde »)."""
    first = (names.lower().split() or [""])[0].strip(",;")
    if first in _FRENCH_PLURAL:
        return "les " + names
    if first in _FRENCH_FEMININE or first in _FRENCH_MASCULINE:
        if names[:1].upper() in _FRENCH_VOWELS and not first.startswith("h"):  # « le Haut-Commissariat »
            return "l’" + names
        return ("la " if first in _FRENCH_FEMININE else "le ") + names
    return names


def _french_of(names: str) -> str:
    """« de » before a name as French writes it: « d’Eleanor Roosevelt », « de Paul Rogers », an
    institution with its article (« de l’Assemblée générale des Nations unies », « du Conseil »,
    « des Nations unies »), a name that starts with its own article contracted (« du Monde »)."""
    if not names:
        return "de "
    named = french_with_article(names)
    for article, contracted in _FRENCH_CONTRACTED.items():
        if named.lower().startswith(article):
            return contracted + named[len(article):]
    if named != names:  # « la », « l’ » stay after « de »
        return "de " + named
    return ("d’" if names[:1].upper() in _FRENCH_VOWELS else "de ") + names


def _sentences(lang: str, *parts: str | None) -> str:
    """Sentences joined as the language writes them (Chinese puts no space after its full stop)."""
    return ("" if lang == "zh" else " ").join(p for p in parts if p)


def _html(text: str, values: dict[str, str], license_url: str | None, lang: str) -> str:
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
