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
bare copyright notice. A bare "© 2020 X" with no licence anywhere is recorded as
LicenseRef-All-Rights-Reserved (a copyright notice grants nothing); when the
partner's settings name a licence, that licence applies instead, because the
partner's agreement is what grants rights to its pieces.

Conflict rule: when the document states a licence (grant or explicit
reservation) and the partner's default_license names a different one, the
document wins (it is about this very work and travels with it) and both are
kept in `License.conflict` for an editor to check.

Not the article's licence: a line that credits a picture ("Photo: Jane Doe,
CC BY-SA 4.0 via Wikimedia Commons"), hints with `where="image"`, and text that
merely talks about Creative Commons (inside the body, without a statement
about this work, or too long to be a licence line).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from synd.budget import checkpoint
from synd.license import catalog, wording
from synd.license.detect import COPYRIGHT, GRANT, STRENGTH, Finding, read_statement
from synd.model import Draft, License, LicenseHint
from synd.settings import PartnerSettings

__all__ = ["tag_license", "read_statement", "find_body_license", "license_from_hints"]

# Hints whose `where` is about the work itself, most trusted first.
_WHERE_RANK = {"rel-license": 0, "json-ld": 1, "meta": 2, "header": 3, "front-matter": 4, "feed-item": 5,
               "footer": 6, "body": 7, "feed": 8}
_NOT_THE_WORK = {"image", "figure", "caption", "media"}
# Licence lines sit at the edges of an article: a few lines at the top, a few at the bottom.
_HEAD_LINES, _TAIL_LINES = 3, 6
_MAX_LINE = 400  # a CC0 notice runs to about 370 characters
_MAX_MENTION = 160  # past this, a line that only mentions "licence" is a sentence, not a licence line
# A copyright *notice* ("© 2020 X", "Copyright 2020 X", "(c) X"), not a sentence about copyright.
_COPYRIGHT_NOTICE = re.compile(r"©|\(c\)|\bcopyright\s*+(?:(?:©|\(c\))\s*+)?\d{4}|版权|版權", re.IGNORECASE)


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
    return _settle(chosen, partner), body


def license_from_hints(hints: list[LicenseHint], partner: PartnerSettings) -> License:
    """The licence the hints alone give (no body): a convenience for feeds and tests."""
    return tag_license(Draft(license_hints=hints), partner)[0]


def _from_hint(hint: LicenseHint) -> _Candidate | None:
    where = (hint.where or "body").lower()
    if where in _NOT_THE_WORK or (hint.text and wording.IMAGE_CREDIT.search(wording.fold(hint.text))
                                  and not hint.url):
        return None
    if where == "body" and not _is_statement(hint.text or "", bool(hint.url)):
        return None
    finding = read_statement(hint.text or "", hint.url)
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
        line = lines[i].strip()
        if not _is_statement(line, False):
            continue
        finding = read_statement(line)
        if finding and (finding.kind != COPYRIGHT or _COPYRIGHT_NOTICE.search(line)):
            finding.license.source = "document"
            findings.append(finding)
            drop.add(i)
    if not drop or drop >= set(filled):  # never take the whole text for a licence line: keep it
        return [], body
    kept = "\n".join(line for i, line in enumerate(lines) if i not in drop)
    return findings, kept.strip("\n")


def _is_statement(line: str, has_url: bool) -> bool:
    """Is this short line a statement about the work (not about a picture, not a discussion)?"""
    if not line or len(line) > _MAX_LINE:
        return has_url and not line
    folded = wording.fold(line)
    if wording.IMAGE_CREDIT.search(folded) or wording.THIRD_PARTY.search(folded):
        return False
    if wording.LABEL.search(folded) or wording.LABEL.search(line.casefold()):
        return True
    if wording.STATEMENT.search(folded) or wording.RESERVED.search(folded):
        return True
    if wording.LICENSE_WORD.search(folded) and len(folded) <= _MAX_MENTION:
        return True  # a short line naming a licence; in a long sentence the word is prose about licences
    # A line that is nothing but a licence ("CC BY-NC-ND 4.0", a licence URL).
    finding = read_statement(line)
    return bool(finding and finding.kind == GRANT and finding.span >= 0.6 * len(folded))


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
    found.conflict = _conflict(found, default, "document",
                               "the document's own statement is about this work and wins over the partner default")
    return found


def _conflict(document: License, partner: License, resolved: str, rule: str) -> dict:
    return {"document": document.spdx, "document_evidence": document.evidence, "partner": partner.spdx,
            "resolved": resolved, "rule": rule}


