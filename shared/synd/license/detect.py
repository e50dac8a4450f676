"""Read one licence statement: a URL, a short code, or wording in any language.

`read_statement` answers what a piece of text (and its URL, if any) says about
licensing, as a `Finding`: a grant (a CC licence, another licence of the family table,
a public-domain tool or statement), an explicit reservation ("All rights reserved"),
a bare copyright notice, or nothing. Whether the statement is about *this* work is
decided by the caller (`synd.license.tag_license`), which knows where the text was found.

`read_licence_line` is the one gate for lines at the edges of an article, used by the
body reader (`synd.license.find_body_license`) and by the format parsers
(`synd.text.header.licence_line`): a line leaves the body only when it returns a
finding, and that finding's evidence is the line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from synd.license import catalog, wording
from synd.license.catalog import CCLicense
from synd.model import License

# Kinds of finding, strongest first: a licence grant beats a reservation, which beats a bare "©", which
# beats a licence line that names a licence we cannot read ("License: proprietary").
GRANT, RESERVED, COPYRIGHT, UNREAD = "grant", "reserved", "copyright", "unread"
STRENGTH = {GRANT: 3, RESERVED: 2, COPYRIGHT: 1, UNREAD: 0}

MAX_LINE = 400  # a CC0 notice runs to about 370 characters
MAX_MENTION = 160  # past this, a line that only mentions "licence" is a sentence, not a licence line

_CC_URL = re.compile(
    r"creativecommons\.org/(?:licen[cs]es|licenses)/([a-z+\-]+)/(\d\.\d)(?:/(?!deed|legalcode|rdf)([a-z]{2,10}))?",
    re.IGNORECASE)
_CC_ZERO_URL = re.compile(r"creativecommons\.org/publicdomain/zero/", re.IGNORECASE)
_CC_MARK_URL = re.compile(r"creativecommons\.org/publicdomain/mark/", re.IGNORECASE)
_CC_PDDC_URL = re.compile(r"creativecommons\.org/licenses/publicdomain", re.IGNORECASE)
# The whole token that holds a creativecommons.org URL; it starts at the token's start ((?<!\S)), so a long
# token is scanned once rather than from each of its characters.
_CC_URL_IN_TEXT = re.compile(r"(?<!\S)\S*creativecommons\.org/\S+", re.IGNORECASE)
_CC_TOKEN = re.compile(r"(?<!\S)\S*creativecommons\.org\S*")


@dataclass
class Finding:
    kind: str  # GRANT | RESERVED | COPYRIGHT
    license: License
    span: int = 0  # how many characters of the folded text the licence wording covers


def read_url(url: str | None, evidence: str | None = None) -> License | None:
    """A creativecommons.org licence or public-domain URL, in any of its forms (deed.xx, legalcode, ports)."""
    if not url or not isinstance(url, str):
        return None
    evidence = evidence or url
    if _CC_ZERO_URL.search(url):
        return catalog.cc0(evidence=evidence)
    if _CC_MARK_URL.search(url):
        return catalog.pdm(evidence=evidence)
    if _CC_PDDC_URL.search(url):
        return catalog.permissive("CC-PDDC", "Creative Commons Public Domain Dedication and Certification",
                                  "https://creativecommons.org/licenses/publicdomain/", evidence=evidence)
    m = _CC_URL.search(url)
    if not m:
        return None
    elements = frozenset(e for e in m.group(1).lower().replace("+", "-").split("-") if e in ("by", "nc", "nd", "sa"))
    if "by" not in elements:
        return None
    port = (m.group(3) or "").lower() or None
    return CCLicense(elements, m.group(2), port).to_license(evidence=evidence)


def read_wording(text: str) -> tuple[License, int] | None:
    """A licence named in words or as a short code; the int is how much of the folded text it covers."""
    folded = wording.fold(text)
    if not folded:
        return None
    for url in _CC_URL_IN_TEXT.findall(text):
        found = read_url(url, evidence=text.strip())
        if found:
            return found, len(url)
    if (m := wording.MARK.search(folded)):
        return catalog.pdm(evidence=text.strip()), len(m.group(0))
    if (m := wording.ZERO.search(folded)):
        return catalog.cc0(evidence=text.strip()), len(m.group(0))
    cc = _read_cc(folded)
    if cc:
        licence, span = cc
        return licence.to_license(evidence=text.strip()), span
    return None


def _read_cc(folded: str) -> tuple[CCLicense, int] | None:
    code = wording.SHORT_CODE.search(folded)
    if code:
        elements = frozenset(code.group(1).split())
        start, end = code.span()
    else:
        found = {name for name, pattern in (("nc", wording.NONCOMMERCIAL), ("nd", wording.NODERIVATIVES),
                                            ("sa", wording.SHAREALIKE), ("by", wording.ATTRIBUTION))
                 if pattern.search(folded)}
        if not found:
            return None  # "Creative Commons" alone names an organisation, not a licence
        named = wording.CREATIVE_COMMONS.search(folded)
        if not named:
            # Without the name, a licence word and two elements must both be there.
            named = wording.LICENSE_WORD.search(folded)
            if not (named and len(found) >= 2):
                return None
        elements = frozenset(found | {"by"})
        start, end = named.span()
        for pattern in (wording.NONCOMMERCIAL, wording.NODERIVATIVES, wording.SHAREALIKE, wording.ATTRIBUTION):
            for m in pattern.finditer(folded):
                start, end = min(start, m.start()), max(end, m.end())
    if "nd" in elements and "sa" in elements:
        elements = elements - {"sa"}  # contradictory; ND is the stricter reading
    version, port = None, None
    v = wording.VERSION.search(folded, max(0, start - 40))
    if v:
        version = f"{v.group(1)}.{v.group(2)}"
        port = wording.port_after(folded, v.end())
        end = max(end, v.end())
    return CCLicense(elements, version, port), end - start


_LICENCE_PARTS = ("SHORT_CODE", "CREATIVE_COMMONS", "ATTRIBUTION", "NONCOMMERCIAL", "NODERIVATIVES", "SHAREALIKE",
                  "ZERO", "MARK", "VERSION", "LICENSE_FILLER")


def coverage(folded: str) -> int:
    """How many characters of the folded text are licence words, codes, versions or URLs."""
    covered = bytearray(len(folded))
    for name in _LICENCE_PARTS:
        for m in getattr(wording, name).finditer(folded):
            covered[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    for m in _CC_TOKEN.finditer(folded):
        covered[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    for m in re.finditer(r"[\s.!*'<>]+", folded):  # spaces and punctuation between the parts count too
        covered[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    return sum(covered)


def read_family(text: str, url: str | None = None) -> tuple[License, int] | None:
    """A licence of the family table (OGL, GFDL, Free Art, Licence Ouverte) linked or named; the int is
    how much of the folded text the name and version cover. The version is the one the URL names, else
    the one written after the name, else the one a versionless URL serves; none gives a LicenseRef- id."""
    folded = wording.fold(text)
    evidence = " ".join(part for part in (text.strip(), url or "") if part) or None
    for family in wording.FAMILIES:
        linked = _linked_version(family, url or "") or _linked_version(family, text)
        named = family.names.search(folded)
        if not (linked or named):
            continue
        written, span = _written_version(folded, named) if named else (None, 0)
        # Only the GFDL has these: "or any later version" (or "1.3+") and its invariant sections.
        later = bool(wording.OR_LATER.search(folded)) or bool(named and "+" in folded[named.end():named.end() + 8])
        invariants = (False if wording.NO_INVARIANTS.search(folded)
                      else True if wording.WITH_INVARIANTS.search(folded) else None)
        licence = catalog.family_license(family.key, _pick_version(linked, written), later=later,
                                         invariants=invariants, evidence=evidence)
        return licence, span or len(folded)
    return None


def _pick_version(linked: tuple[str, bool] | None, written: str | None) -> str | None:
    """The version a URL names, else the written one, else the one a versionless URL serves."""
    if linked and linked[1]:
        return linked[0]
    return written or (linked[0] if linked else None)


def _linked_version(family: wording.Family, text: str) -> tuple[str, bool] | None:
    """(version, whether the URL itself names it) for the first of the family's URLs in the text."""
    for pattern, served in family.urls:
        m = pattern.search(text)
        if m:
            return (_dotted(m.group(1)), True) if served is None else (served, False)
    return None


def _written_version(folded: str, named: re.Match[str]) -> tuple[str | None, int]:
    """The version written in or just after a licence's name ("OGL v3.0", "LAL 1.3", "Version 1.3"), and
    how much of the text the name and version cover."""
    m = wording.FAMILY_VERSION.search(folded, named.start(), min(len(folded), named.end() + 60))
    if not m:
        return None, named.end() - named.start()
    major, minor = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    return f"{major}.{minor or 0}", max(named.end(), m.end()) - named.start()


def _dotted(version: str) -> str:
    """"3" -> "3.0", "12" -> "1.2" (artlibre.org's /licence-art-libre-12/), "1.3" -> "1.3"."""
    if "." in version:
        return version
    return f"{version}.0" if len(version) == 1 else f"{version[0]}.{version[1:]}"


def read_statement(text: str, url: str | None = None) -> Finding | None:
    """What this text (and URL) says about licensing, or None when it says nothing.

    Only strings are read: a partner's JSON can put a number or a list where a licence
    URL belongs (`"linkedRights": 5`), which says nothing about licensing."""
    text = text if isinstance(text, str) else ""
    url = url if isinstance(url, str) else None
    evidence = " ".join(part for part in (text.strip(), url or "") if part) or None
    licence = read_url(url, evidence=evidence)
    if licence:
        return Finding(GRANT, licence, len(wording.fold(text)))
    worded = read_wording(text)
    if worded:
        licence, _ = worded
        licence.evidence = evidence
        return Finding(GRANT, licence, coverage(wording.fold(text)))
    other = read_family(text, url)
    if other:
        return Finding(GRANT, *other)
    folded = wording.fold(text)
    if wording.WAIVER.search(folded):
        return Finding(GRANT, catalog.cc0(evidence=evidence), len(folded))
    if (m := wording.RESERVED.search(folded) or wording.RESERVED_SPREAD.search(folded)):
        return Finding(RESERVED, catalog.all_rights_reserved(evidence=evidence), len(m.group(0)))
    if (m := wording.COPYRIGHT.search(folded)) or wording.COPYRIGHT.search(text.casefold()):
        return Finding(COPYRIGHT, catalog.all_rights_reserved(evidence=evidence), len(m.group(0)) if m else 1)
    if (m := wording.PUBLIC_DOMAIN.search(folded)) and not wording.PUBLIC_DOMAIN_DENIED.search(folded):
        return Finding(GRANT, catalog.public_domain(evidence=evidence), len(m.group(0)))
    return None


def read_licence_line(line: str) -> Finding | None:
    """What a line at the edge of an article says about the article's licence, or None when it is
    not a licence line. The one gate: a parser takes a line out of the body only when this returns
    a finding, and the finding's evidence keeps the line.

    A licence line is short (MAX_LINE), not a picture's credit nor the licence of material taken from
    elsewhere, and a statement about the work: a label ("License:", "©"), a phrase ("licensed under",
    "sous licence", "تحت مجوز"), a reservation, a short line naming a licence, or nothing but the
    licence. A "License: …" line naming a licence the vocabulary cannot read is one too (UNREAD):
    it is metadata, and an editor needs to see it."""
    text = line.strip() if isinstance(line, str) else ""
    if not text or len(text) > MAX_LINE:
        return None
    folded = wording.fold(text)
    if wording.IMAGE_CREDIT.search(folded) or wording.THIRD_PARTY.search(folded):
        return None
    finding = read_statement(text)
    if finding is None:
        return Finding(UNREAD, License(source="document", evidence=text)) if wording.licence_label(text) else None
    if finding.kind == COPYRIGHT:
        return finding if wording.copyright_notice(text) else None
    return finding if _about_the_work(text, folded, finding) else None


def _about_the_work(text: str, folded: str, finding: Finding) -> bool:
    """Is this line a statement about the work it closes or opens, not prose about licences?"""
    if wording.LABEL.search(folded) or wording.LABEL.search(text.casefold()):
        return True
    if finding.kind == RESERVED or wording.RESERVED.search(folded) or wording.STATEMENT.search(folded):
        return True
    if wording.LICENSE_WORD.search(folded) and len(folded) <= MAX_MENTION:
        return True  # a short line naming a licence; in a long sentence the word is prose about licences
    # A line that is nothing but a licence ("CC BY-NC-ND 4.0", "GFDL 1.3", a licence URL).
    return finding.kind == GRANT and finding.span >= 0.6 * len(folded)
