"""Licence tagging: which licence covers this article, and the body without its licence lines.

Where a licence can come from, in order of trust:

1. the document's metadata about the work (`Draft.license_hints`: header,
   rel=license, <meta>, JSON-LD, front matter, footer), and licence lines
   that open or close the body ("This article is licensed under CC BY 4.0",
   "© 2020 X. All rights reserved", in any language);
2. the feed the item came in (`where="feed"`: channel copyright/rights);
3. the partner's settings (`default_license`);
4. nothing: NOASSERTION.

Within one level a licence grant beats an explicit reservation, which beats a
bare copyright notice, which beats a licence line naming a licence the vocabulary
cannot read ("License: proprietary": NOASSERTION, with the line as evidence, and
the document wins over the partner's default). A bare "© 2020 X" with no licence
anywhere is recorded as LicenseRef-All-Rights-Reserved (a copyright notice grants
nothing); when the partner's settings name a licence, that licence applies instead,
because the partner's agreement is what grants rights to its pieces.

Conflict rule: when the document states a licence (grant or explicit
reservation) and the partner's default_license names a different one, the
document wins (it is about this very work and travels with it) and both are
kept in `License.conflict` for an editor to check.

Not the article's licence: a line that credits a picture ("Photo: Jane Doe,
CC BY-SA 4.0 via Wikimedia Commons"), hints with `where="image"`, and text that
merely talks about Creative Commons (inside the body, without a statement
about this work, or too long to be a licence line).

One vocabulary (`wording`) and one gate (`detect.read_licence_line`) decide both which
lines leave the body (here and in the format parsers, through
`synd.text.header.licence_line`) and what they state. Every line taken out of the
text (hints from `header`, `footer`, `body`, and the body's own edge lines) is kept
in `License.evidence`, one per line, the chosen statement first, whichever wins.
"""
from __future__ import annotations

from dataclasses import dataclass

from synd.budget import checkpoint
from synd.license import catalog, wording
from synd.license.detect import COPYRIGHT, STRENGTH, UNREAD, Finding, read_licence_line, read_statement
from synd.model import Draft, License, LicenseHint
from synd.settings import PartnerSettings

__all__ = ["find_body_license", "license_from_hints", "read_licence_line", "read_statement", "tag_license"]

# Hints whose `where` is about the work itself, most trusted first.
_WHERE_RANK = {"rel-license": 0, "json-ld": 1, "meta": 2, "header": 3, "front-matter": 4, "feed-item": 5,
               "footer": 6, "body": 7, "feed": 8}
_NOT_THE_WORK = {"image", "figure", "caption", "media"}
# Places whose hints are lines the format parsers took out of the article's text.
_LINE_PLACES = {"header", "footer", "body"}
# Licence lines sit at the edges of an article: a few lines at the top, a few at the bottom.
_HEAD_LINES, _TAIL_LINES = 3, 6


@dataclass
class _Candidate:
    finding: Finding
    where: str

    @property
    def key(self) -> tuple[int, int]:
        return (-STRENGTH[self.finding.kind], _WHERE_RANK.get(self.where, 7))


def tag_license(draft: Draft, partner: PartnerSettings) -> tuple[License, str]:
    """The article's licence and its body_text without the licence lines."""
    checkpoint("licence detection")
    candidates = [c for c in (_from_hint(h) for h in draft.license_hints) if c]
    body_findings, body = find_body_license(draft.body_text)
    candidates += [_Candidate(f, "body") for f in body_findings]
    document = [c for c in candidates if c.where != "feed"]
    feed = [c for c in candidates if c.where == "feed"]
    chosen = _best(document) or _best(feed)
    licence = _settle(chosen, partner)
    licence.evidence = _every_line(licence.evidence, [c for c in candidates if c.where in _LINE_PLACES])
    return licence, body


def license_from_hints(hints: list[LicenseHint], partner: PartnerSettings) -> License:
    """The licence the hints alone give (no body): a convenience for feeds and tests."""
    return tag_license(Draft(license_hints=hints), partner)[0]


def _from_hint(hint: LicenseHint) -> _Candidate | None:
    where = (hint.where or "body").lower()
    text = hint.text if isinstance(hint.text, str) else ""
    if where in _NOT_THE_WORK or (text and wording.IMAGE_CREDIT.search(wording.fold(text)) and not hint.url):
        return None
    finding = read_licence_line(text) if where == "body" and not hint.url else read_statement(text, hint.url)
    if finding is None and where in _LINE_PLACES and text.strip():
        # A line a parser took out of the text that states nothing we read: kept, never lost.
        finding = Finding(UNREAD, License(source="document", evidence=text.strip()))
    if finding is None:
        return None
    finding.license.source = "feed" if where == "feed" else "document"
    return _Candidate(finding, where)


def find_body_license(body: str) -> tuple[list[Finding], str]:
    """Licence lines at the top or bottom of the body: what they say, and the body without them."""
    lines = body.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    edges = filled[:_HEAD_LINES] + [i for i in filled[-_TAIL_LINES:] if i not in filled[:_HEAD_LINES]]
    findings, drop = [], set()
    for i in edges:
        finding = read_licence_line(lines[i])
        if finding:
            finding.license.source = "document"
            findings.append(finding)
            drop.add(i)
    if not drop or drop >= set(filled):  # never take the whole text for a licence line: keep it
        return [], body
    kept = "\n".join(line for i, line in enumerate(lines) if i not in drop)
    return findings, kept.strip("\n")


def _best(candidates: list[_Candidate]) -> _Candidate | None:
    return min(candidates, key=lambda c: c.key) if candidates else None


def _settle(chosen: _Candidate | None, partner: PartnerSettings) -> License:
    """Apply the partner's default licence and the conflict rule to what the document said."""
    default = catalog.from_spdx(partner.default_license, source="partner",
                                evidence=f"partner setting default_license of {partner.id}") \
        if partner.default_license else None
    if chosen is None:
        return default or catalog.noassertion()
    found = chosen.finding.license
    if default is None or default.spdx == found.spdx:
        return found
    if chosen.finding.kind == COPYRIGHT:
        default.conflict = _conflict(found, default, "partner",
                                     "a bare copyright notice grants nothing; the partner's licence applies")
        return default
    if chosen.finding.kind == UNREAD:
        found.conflict = _conflict(found, default, "document",
                                   "the document states a licence the detector cannot read; an editor checks it "
                                   "before the partner's licence is relied on")
        return found
    found.conflict = _conflict(found, default, "document",
                               "the document's own statement is about this work and wins over the partner default")
    return found


def _every_line(evidence: str | None, lines: list[_Candidate]) -> str | None:
    """The licence's evidence with every line taken out of the text added (one per line, no repeats)."""
    kept = [evidence] if evidence else []
    for candidate in lines:
        line = candidate.finding.license.evidence
        if line and not any(line in k for k in kept):
            kept.append(line)
    return "\n".join(kept) or None


def _conflict(document: License, partner: License, resolved: str, rule: str) -> dict:
    return {"document": document.spdx, "document_evidence": document.evidence, "partner": partner.spdx,
            "resolved": resolved, "rule": rule}


