"""Language of an article: per paragraph, weighted by length, with the partner's settings.

A Persian masthead over an English column gives `en`, with `fa` as a small
share in `languages`. The partner's `language_variants` refine the answer
(`fa` -> `fa-AF` for a Dari partner: no model tells Dari from Persian), and its
`language` is the default for texts too short to judge.
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from synd.language.detect import Judged, judge
from synd.language.scripts import direction, dominant_script
from synd.language.tags import safe_tag
from synd.model import LanguageShare, LanguageTag

if TYPE_CHECKING:  # settings pull in yaml: `synd lang` does not need it
    from synd.settings import PartnerSettings

# Fewer letters than this, or a weaker answer, and the partner's default language wins.
SHORT_TEXT_LETTERS = 40
WEAK_CONFIDENCE = 0.5
MIN_SHARE = 0.005
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_DEFAULT_SCRIPT = {"fa": "Arab", "ps": "Arab", "ar": "Arab", "ur": "Arab", "ckb": "Arab", "sd": "Arab",
                   "ug": "Arab", "he": "Hebr", "yi": "Hebr", "dv": "Thaa"}


def paragraphs(body: str) -> list[str]:
    """Blocks between blank lines, their lines joined (hard-wrapped text is one paragraph).

    A block whose lines are in different scripts (a Persian masthead line right
    above an English one) is split into its lines, so each is judged alone.
    """
    found: list[str] = []
    for block in _BLANK_LINE.split(body):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        scripts = {dominant_script(line) for line in lines} - {None}
        found += lines if len(scripts) > 1 else [" ".join(lines)] if lines else []
    return found


def tag_article(title: str, body: str, partner: PartnerSettings, *, chrome: str = "",
                declared: str | None = None) -> LanguageTag:
    """The article's language tag (see synd.model.LanguageTag), title tagged apart when it differs.

    The language is the body's. `chrome` is the text the parser took off the page
    around it (a masthead, section labels): it counts in the `languages` shares of
    the document, not in its language. `declared` is what the document says of
    itself (`<html lang>`, a feed's language): it decides only a text too short to judge,
    and only when it is a valid BCP 47 tag (see synd.language.tags; `und` declares nothing).
    """
    declared = _declared(declared)
    judged = [judge(p) for p in paragraphs(body)]
    weights = _weights(judged)
    if not weights:
        whole = judge(f"{title}\n{body}")
        judged, weights = [whole], _weights([whole])
    if not weights:
        return _default(judged, partner, declared)
    total = sum(weights.values())
    language = max(weights, key=weights.__getitem__)
    in_language = [j for j in judged if j.tag.language == language]
    confidence = sum(j.tag.confidence * j.letters for j in in_language) / total
    letters = sum(j.letters for j in judged)
    if (partner.language or declared) and letters < SHORT_TEXT_LETTERS and confidence < WEAK_CONFIDENCE:
        return _default(judged, partner, declared)
    script = _script(in_language)
    shares = _shares(_weights(judged + [judge(p) for p in paragraphs(chrome)]), partner)
    final = _variant(language, partner)
    return LanguageTag(
        language=final,
        confidence=round(confidence, 4),
        script=script,
        direction=direction(script),
        languages=shares,
        detected=language,
        setting=final if final != language else None,
        title_language=_title_language(title, language, partner),
    )


def _declared(value: str | None) -> str | None:
    """The declared language as a canonical tag; None when it is no valid tag or says `und`."""
    tag = safe_tag(value, replace_aliases=True)
    return None if tag == "und" else tag


def _weights(judged: list[Judged]) -> dict[str, float]:
    weights: dict[str, float] = defaultdict(float)
    for j in judged:
        if j.tag.language != "und":
            weights[j.tag.language] += j.letters
    return dict(weights)


def _shares(weights: dict[str, float], partner: PartnerSettings) -> list[LanguageShare]:
    total = sum(weights.values())
    return [LanguageShare(_variant(tag, partner), round(w / total, 3))
            for tag, w in sorted(weights.items(), key=lambda kv: -kv[1]) if w / total >= MIN_SHARE]


def _script(judged: list[Judged]) -> str | None:
    votes: dict[str, int] = defaultdict(int)
    for j in judged:
        if j.tag.script:
            votes[j.tag.script] += j.letters
    return max(votes, key=votes.__getitem__) if votes else None


def _variant(language: str, partner: PartnerSettings) -> str:
    return partner.language_variants.get(language, language)


def _title_language(title: str, body_language: str, partner: PartnerSettings) -> str | None:
    tag = judge(title).tag
    if tag.language in ("und", body_language) or tag.confidence < WEAK_CONFIDENCE:
        return None
    return _variant(tag.language, partner)


def _default(judged: list[Judged], partner: PartnerSettings, declared: str | None = None) -> LanguageTag:
    """Too little text to judge: the language the document declares, else the partner's default, else `und`."""
    script = _script(judged)
    language = _variant(declared, partner) if declared else partner.language or "und"
    script = script or _DEFAULT_SCRIPT.get(language.split("-")[0])
    detected = next((j.tag.language for j in judged if j.tag.language != "und"), None)
    return LanguageTag(language=language, confidence=0.0, script=script, direction=direction(script),
                       detected=detected, setting=None if declared else partner.language)
