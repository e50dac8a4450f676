"""Read one licence statement: a URL, a short code, or wording in any language.

`read_statement` answers what a piece of text (and its URL, if any) says about
licensing, as a `Finding`: a grant (a CC licence or a public-domain tool), an
explicit reservation ("All rights reserved"), a bare copyright notice, or nothing.
Whether the statement is about *this* work is decided by the caller
(`synd.license.tag_license`), which knows where the text was found.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from synd.license import catalog, wording
from synd.license.catalog import CCLicense
from synd.model import License

# Kinds of finding, strongest first: a licence grant beats a reservation, which beats a bare "©".
GRANT, RESERVED, COPYRIGHT = "grant", "reserved", "copyright"
STRENGTH = {GRANT: 3, RESERVED: 2, COPYRIGHT: 1}

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
    folded = wording.fold(text)
    if wording.WAIVER.search(folded):
        return Finding(GRANT, catalog.cc0(evidence=evidence), len(folded))
    if (m := wording.RESERVED.search(folded) or wording.RESERVED_SPREAD.search(folded)):
        return Finding(RESERVED, catalog.all_rights_reserved(evidence=evidence), len(m.group(0)))
    if (m := wording.COPYRIGHT.search(folded)) or wording.COPYRIGHT.search(text.casefold()):
        return Finding(COPYRIGHT, catalog.all_rights_reserved(evidence=evidence), len(m.group(0)) if m else 1)
    if wording.PUBLIC_DOMAIN.search(folded):
        return Finding(GRANT, catalog.public_domain(evidence=evidence), len(folded))
    return None
