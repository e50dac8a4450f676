"""Telling Persian, Pashto, Urdu and Arabic apart by their letters.

Statistical detectors confuse these four on short texts (and many have no
Pashto at all), but each language has letters the others do not use:

* Pashto only: ټ ډ ړ ږ ښ ګ ڼ ې ۍ ځ څ
* Urdu only:   ٹ ڈ ڑ ں ے ھ ہ
* Persian (and Urdu, Pashto), never Arabic: پ چ ژ گ, and the Persian forms ی ک

Western Punjabi in Shahmukhi uses the Urdu letters too: it is kept apart
(`pa-Arab`) only when the model is sure of it.

Persian typed on old Arabic keyboards or in windows-1256 uses Arabic ي and ك;
for those texts the letters are mapped to the Persian forms and the model asked
again, which it answers correctly.
"""
from __future__ import annotations

PASHTO_ONLY = frozenset("ټډړږښګڼېۍځڅ")
URDU_ONLY = frozenset("ٹڈڑںےھہ")
PERSIAN_NOT_ARABIC = frozenset("پچژگیک")
ARABIC_YEH_KAF = frozenset("يك")
AZERBAIJANI_ONLY = frozenset("ۆ")
FAMILY = ("fa", "ps", "ur", "ar")
# raw fastText labels whose probability counts for a member of the family
_FAMILY_OF = {"fa": "fa", "mzn": "fa", "glk": "fa", "lrc": "fa", "azb": "fa", "ps": "ps",
              "ur": "ur", "pnb": "ur", "ar": "ar", "arz": "ar"}
# Share of Arabic-script letters that must be Pashto-only (Urdu-only) for the letters to decide:
# real Pashto has >= 2.2 % in 50 characters and >= 4.9 % in 500 (Urdu: 4.4 %, 10.9 %), while a
# Dari article naming Nangarhar (ننګرهار) or Kunar (کونړ) has a few in a thousand.
PASHTO_DENSITY = 0.015
URDU_DENSITY = 0.02
# Persian letters (پ چ ژ گ ی ک) are several in a hundred in Persian, one in a name in Arabic.
PERSIAN_DENSITY = 0.02
# The model labels short Urdu `pnb` at 0.4-0.5, real Western Punjabi (Shahmukhi) at 0.6-0.95.
PUNJABI_SURE = 0.6
_TO_PERSIAN = str.maketrans({"ي": "ی", "ك": "ک"})


def in_family(label: str) -> bool:
    return label in _FAMILY_OF


def family_probs(predictions: list[tuple[str, float]]) -> dict[str, float]:
    probs = dict.fromkeys(FAMILY, 0.0)
    for label, p in predictions:
        if label in _FAMILY_OF:
            probs[_FAMILY_OF[label]] += p
    return probs


def letter_counts(text: str) -> dict[str, int]:
    counts = {"ps": 0, "ur": 0, "fa": 0, "arabic_yk": 0}
    for ch in text:
        if ch in PASHTO_ONLY:
            counts["ps"] += 1
        elif ch in URDU_ONLY:
            counts["ur"] += 1
        elif ch in PERSIAN_NOT_ARABIC:
            counts["fa"] += 1
        elif ch in ARABIC_YEH_KAF:
            counts["arabic_yk"] += 1
    return counts


def choose(text: str, predictions: list[tuple[str, float]], repredict) -> tuple[str, float]:
    """The family member the text is in, and a confidence.

    `predictions` are fastText's (label, probability) for the text; `repredict`
    asks the model about another text (used for legacy Persian spelling).
    """
    letters = letter_counts(text)
    probs = family_probs(predictions)
    if _dense(letters["ps"], text, PASHTO_DENSITY) and letters["ps"] > letters["ur"]:
        return "ps", _confidence(probs["ps"], letters["ps"])
    punjabi = _prob(predictions, "pnb")
    if predictions[0][0] == "pnb" and punjabi >= PUNJABI_SURE:
        return "pa-Arab", punjabi
    if _dense(letters["ur"], text, URDU_DENSITY) and letters["ur"] > letters["ps"]:
        return "ur", _confidence(probs["ur"], letters["ur"])
    if letters["arabic_yk"]:
        persian = family_probs(repredict(text.translate(_TO_PERSIAN)))
        if persian["fa"] > 0.5 and persian["fa"] > probs["ar"]:
            return "fa", persian["fa"]
    if _dense(letters["fa"], text, PERSIAN_DENSITY):
        # Persian letters rule Arabic out: its probability is shared out again (renormalised).
        # Without (enough) Urdu or Pashto letters, Persian wins unless the model is sure of one of those.
        rest = max(1.0 - probs["ar"], 1e-6)
        best = max(("fa", "ur", "ps"), key=lambda lang: probs[lang])
        if best != "fa" and probs[best] > 2 * probs["fa"]:
            return best, min(0.99, probs[best] / rest)
        return "fa", min(0.99, (probs["fa"] + probs["ur"] + probs["ps"]) / rest)
    best = max(FAMILY, key=lambda lang: probs[lang])
    return best, probs[best]


def _dense(count: int, text: str, share: float) -> bool:
    if not count:
        return False
    arabic_letters = sum(1 for ch in text if "\u0600" <= ch <= "\u06ff")
    return count >= share * arabic_letters


def _prob(predictions: list[tuple[str, float]], label: str) -> float:
    return next((p for lab, p in predictions if lab == label), 0.0)


def _confidence(model_prob: float, evidence: int) -> float:
    """Letters only one language uses are strong evidence; several of them, near certainty."""
    return max(model_prob, min(0.99, 0.6 + 0.1 * evidence))


def is_azerbaijani(text: str) -> bool:
    return any(ch in AZERBAIJANI_ONLY for ch in text)
