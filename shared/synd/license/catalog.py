"""Licences as SPDX ids, names, canonical URLs and what they allow.

Creative Commons: the SPDX ids (including the ported versions SPDX lists, like
CC-BY-SA-3.0-DE) come from `spdx_cc.json`, copied from the SPDX data that the PyPI
package `license-expression` ships. A CC licence is described by its elements
(by, nc, nd, sa), a version and an optional port (jurisdiction); every
function here maps between that description and the License record.

The other licences partners use (`OTHER`: the UK Open Government Licence, the GNU
Free Documentation License, the Free Art License, Etalab's Licence Ouverte, public
domain statements) carry their SPDX ids (SPDX License List 3.23: `OGL-UK-3.0`,
`GFDL-1.3-or-later`, `LAL-1.3`, `etalab-2.0`...) or a `LicenseRef-` id where SPDX has
none, and the four flags the policy reads, each read from the licence's own text
(the clause is quoted in `_TERMS` and in docs/licensing.md).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from synd.model import License

NOASSERTION = "NOASSERTION"
ALL_RIGHTS_RESERVED = "LicenseRef-All-Rights-Reserved"
PUBLIC_DOMAIN = "LicenseRef-Public-Domain"
CC0 = "CC0-1.0"
PDM = "CC-PDM-1.0"

CC_BASE = "https://creativecommons.org/"

# Ports SPDX knows, by the code used in creativecommons.org URLs, with the name CC gives them.
PORT_NAMES = {
    "at": "Austria", "au": "Australia", "de": "Germany", "fr": "France", "igo": "IGO",
    "jp": "Japan", "nl": "Netherlands", "uk": "England and Wales", "us": "United States",
}

_ELEMENT_ORDER = ("by", "nc", "nd", "sa")


@lru_cache(maxsize=1)
def spdx_ids() -> frozenset[str]:
    data = json.loads((Path(__file__).with_name("spdx_cc.json")).read_text(encoding="utf-8"))
    return frozenset(data["ids"])


@dataclass(frozen=True)
class CCLicense:
    """A Creative Commons licence described by its parts."""

    elements: frozenset[str]  # subset of {"by", "nc", "nd", "sa"}
    version: str | None = None  # "4.0", "3.0", ... None when the text gives none
    port: str | None = None  # "de", "igo", ... lower case, as in CC URLs

    @property
    def code(self) -> str:
        return "-".join(e for e in _ELEMENT_ORDER if e in self.elements)

    def spdx(self) -> str:
        """The SPDX id; a licence SPDX does not list gets a LicenseRef- id of the same shape."""
        code = self.code.upper()
        if self.version is None:
            return f"LicenseRef-CC-{code}"
        base = f"CC-{code}-{self.version}"
        if self.port:
            ported = f"{base}-{self.port.upper()}"
            return ported if ported in spdx_ids() else f"LicenseRef-{ported}"
        return base if base in spdx_ids() else f"LicenseRef-{base}"

    def url(self) -> str | None:
        if self.version is None:
            return None
        port = f"{self.port}/" if self.port else ""
        return f"{CC_BASE}licenses/{self.code}/{self.version}/{port}"

    def name(self) -> str:
        words = {"by": "Attribution", "nc": "NonCommercial", "sa": "ShareAlike",
                 "nd": "NoDerivatives" if (self.version or "4.0") >= "4.0" else "NoDerivs"}
        parts = "-".join(words[e] for e in _ELEMENT_ORDER if e in self.elements)
        name = f"Creative Commons {parts}"
        if self.version is None:
            return name
        if self.port:
            return f"{name} {self.version} {PORT_NAMES.get(self.port, self.port.upper())}"
        suffix = {"4.0": "International", "3.0": "Unported"}.get(self.version, "Generic")
        return f"{name} {self.version} {suffix}"

    def to_license(self, *, source: str = "document", evidence: str | None = None) -> License:
        return License(
            spdx=self.spdx(), name=self.name(), url=self.url(),
            derivatives="nd" not in self.elements, commercial="nc" not in self.elements,
            share_alike="sa" in self.elements, attribution="by" in self.elements,
            source=source, evidence=evidence,
        )


def permissive(spdx: str, name: str, url: str | None, *, source: str = "document",
               evidence: str | None = None) -> License:
    """A public-domain tool: everything allowed, no attribution required."""
    return License(spdx=spdx, name=name, url=url, derivatives=True, commercial=True, share_alike=False,
                   attribution=False, source=source, evidence=evidence)


def cc0(**kw) -> License:
    return permissive(CC0, "Creative Commons Zero v1.0 Universal", f"{CC_BASE}publicdomain/zero/1.0/", **kw)


def pdm(**kw) -> License:
    return permissive(PDM, "Creative Commons Public Domain Mark 1.0", f"{CC_BASE}publicdomain/mark/1.0/", **kw)


def public_domain(**kw) -> License:
    return permissive(PUBLIC_DOMAIN, "Public domain", None, **kw)


def all_rights_reserved(*, source: str = "document", evidence: str | None = None) -> License:
    """An explicit reservation: no derivatives, no commercial reuse, credit always due."""
    return License(spdx=ALL_RIGHTS_RESERVED, name="All rights reserved", url=None, derivatives=False,
                   commercial=False, share_alike=False, attribution=True, source=source, evidence=evidence)


def noassertion() -> License:
    return License()


@dataclass(frozen=True)
class Terms:
    """What a non-CC licence permits, by its text."""

    name: str
    url: str | None
    derivatives: bool
    commercial: bool
    share_alike: bool
    attribution: bool

    def to_license(self, spdx: str, *, source: str, evidence: str | None) -> License:
        return License(spdx=spdx, name=self.name, url=self.url, derivatives=self.derivatives,
                       commercial=self.commercial, share_alike=self.share_alike, attribution=self.attribution,
                       source=source, evidence=evidence)


_NATIONAL_ARCHIVES = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/"
_GNU = {"1.1": "https://www.gnu.org/licenses/old-licenses/fdl-1.1.html",
        "1.2": "https://www.gnu.org/licenses/old-licenses/fdl-1.2.html",
        "1.3": "https://www.gnu.org/licenses/fdl-1.3.html"}
_ETALAB = "https://www.etalab.gouv.fr/"


def _ogl(version: str | None) -> Terms:
    # OGL v3.0 "You are free to: copy, publish, distribute and transmit the Information; adapt the Information;
    # exploit the Information commercially and non-commercially", on condition that you "acknowledge the source";
    # nothing asks adaptations to carry the same licence. v1.0 and v2.0 grant the same.
    name = f"Open Government Licence v{version}" if version else "Open Government Licence"
    url = f"{_NATIONAL_ARCHIVES}{version[0]}/" if version else None
    return Terms(name, url, derivatives=True, commercial=True, share_alike=False, attribution=True)


def _gfdl(version: str | None, later: bool, invariants: bool | None) -> Terms:
    # GFDL §2 "copy and distribute the Document in any medium, either commercially or noncommercially"; §4
    # modified versions "under precisely this License" (share alike), crediting the authors (4 B, I). §4 L:
    # Invariant Sections must be kept "unaltered in their text and in their titles", so an edit or excerpt of
    # a document that has them can break the licence: such a document allows no derivatives here.
    name = "GNU Free Documentation License" + (f" v{version}" if version else "")
    name += " or later" if later and version else (" only" if version else "")
    name += {True: " - invariants", False: " - no invariants", None: ""}[invariants]
    return Terms(name, _GNU.get(version or ""), derivatives=invariants is not True, commercial=True, share_alike=True,
                 attribution=True)


def _lal(version: str | None) -> Terms:
    # Free Art License 1.3 §2: you may copy, distribute "whether for free or for a fee" and modify; §2.3 a
    # modified work must be under this licence (copyleft) and name the author of the original.
    url = {"1.3": "https://artlibre.org/licence/lal/en/",
           "1.2": "https://artlibre.org/licence/lal/licence-art-libre-12/"}.get(version or "")
    return Terms("Free Art License" + (f" {version}" if version else ""), url, derivatives=True, commercial=True,
                 share_alike=True, attribution=True)


def _etalab(version: str | None) -> Terms:
    # Licence Ouverte 2.0: the re-user may "reproduce, copy, adapt, modify, extract, transform" and
    # "exploit it commercially", provided they "mention the paternity" (source and date of update); no
    # share-alike condition. Version 1.0 (2011) grants the same.
    url = {"2.0": f"{_ETALAB}wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf",
           "1.0": f"{_ETALAB}wp-content/uploads/2014/05/Licence_Ouverte.pdf"}.get(
        version or "", f"{_ETALAB}licence-ouverte-open-licence/")
    name = "Licence Ouverte / Open Licence" + (f" version {version}" if version else "")
    return Terms(name, url, derivatives=True, commercial=True, share_alike=False, attribution=True)


def _other_terms() -> dict[str, Terms]:
    terms = {f"OGL-UK-{v}": _ogl(v) for v in ("1.0", "2.0", "3.0")}
    terms["LicenseRef-OGL-UK"] = _ogl(None)
    for version in ("1.1", "1.2", "1.3"):
        for later in (False, True):
            for invariants, part in ((None, ""), (True, "invariants-"), (False, "no-invariants-")):
                terms[f"GFDL-{version}-{part}{'or-later' if later else 'only'}"] = _gfdl(version, later, invariants)
    terms["LicenseRef-GFDL"] = _gfdl(None, False, None)
    terms.update({"LAL-1.2": _lal("1.2"), "LAL-1.3": _lal("1.3"), "LicenseRef-LAL": _lal(None)})
    terms.update({"etalab-2.0": _etalab("2.0"), "LicenseRef-etalab-1.0": _etalab("1.0"),
                  "LicenseRef-etalab": _etalab(None)})
    return terms


OTHER: dict[str, Terms] = _other_terms()
_OTHER_BY_KEY = {spdx.upper(): spdx for spdx in OTHER}
# Deprecated SPDX ids partners still write in settings: GFDL-1.3 meant -only, GFDL-1.3+ -or-later.
_DEPRECATED = {f"GFDL-{v}": f"GFDL-{v}-only" for v in ("1.1", "1.2", "1.3")} | {
    f"GFDL-{v}+": f"GFDL-{v}-or-later" for v in ("1.1", "1.2", "1.3")}


def family_spdx(family: str, version: str | None, *, later: bool = False, invariants: bool | None = None) -> str:
    """The SPDX id (or LicenseRef-) of a family licence as a statement writes it: a version it names, else none."""
    if family == "GFDL":
        part = {True: "invariants-", False: "no-invariants-", None: ""}[invariants]
        spdx = f"GFDL-{version}-{part}{'or-later' if later else 'only'}"
        return spdx if spdx in OTHER else "LicenseRef-GFDL"
    if family == "etalab" and version == "1.0":
        return "LicenseRef-etalab-1.0"
    spdx = f"{family}-{version}"
    return spdx if spdx in OTHER else f"LicenseRef-{family}"


def family_license(family: str, version: str | None, *, later: bool = False, invariants: bool | None = None,
                   source: str = "document", evidence: str | None = None) -> License:
    spdx = family_spdx(family, version, later=later, invariants=invariants)
    return OTHER[spdx].to_license(spdx, source=source, evidence=evidence)


def from_spdx(spdx: str, *, source: str = "partner", evidence: str | None = None) -> License:
    """The License for an SPDX id written in settings (e.g. a partner's default_license)."""
    ident = spdx.strip()
    key = ident.upper()
    if key == NOASSERTION:
        return noassertion()
    if key == ALL_RIGHTS_RESERVED.upper():
        return all_rights_reserved(source=source, evidence=evidence)
    if key == CC0.upper():
        return cc0(source=source, evidence=evidence)
    if key == PDM.upper():
        return pdm(source=source, evidence=evidence)
    if key == PUBLIC_DOMAIN.upper():
        return public_domain(source=source, evidence=evidence)
    other = _OTHER_BY_KEY.get(key) or _DEPRECATED.get(key)
    if other:
        return OTHER[other].to_license(other, source=source, evidence=evidence)
    parsed = parse_spdx_cc(key.removeprefix("LICENSEREF-"))
    if parsed:
        return parsed.to_license(source=source, evidence=evidence)
    return License(spdx=ident, name=ident, source=source, evidence=evidence)


def parse_spdx_cc(ident: str) -> CCLicense | None:
    """CC-BY-NC-SA-3.0-DE -> CCLicense({by, nc, sa}, "3.0", "de")."""
    parts = ident.upper().split("-")
    if len(parts) < 2 or parts[0] != "CC":
        return None
    elements, rest = [], parts[1:]
    while rest and rest[0].lower() in _ELEMENT_ORDER:
        elements.append(rest.pop(0).lower())
    if "by" not in elements:
        return None
    version = rest.pop(0) if rest and rest[0][:1].isdigit() else None
    port = rest.pop(0).lower() if rest else None
    if rest:
        return None
    return CCLicense(frozenset(elements), version, port)
