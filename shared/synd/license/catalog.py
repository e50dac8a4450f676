"""Creative Commons licences as SPDX ids, names, canonical URLs and what they allow.

The SPDX ids (including the ported versions SPDX lists, like CC-BY-SA-3.0-DE)
come from `spdx_cc.json`, copied from the SPDX data that the PyPI package
`license-expression` ships. A CC licence is described by its elements
(by, nc, nd, sa), a version and an optional port (jurisdiction); every
function here maps between that description and the License record.
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
