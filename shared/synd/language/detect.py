"""Language of one piece of text: fastText, then the Arabic-script letter rules."""
from __future__ import annotations

import re
from dataclasses import dataclass

from synd.budget import checkpoint
from synd.language import arabic, model
from synd.language.labels import newsroom_tag
from synd.language.scripts import direction, dominant_script, han_variant, script_counts
from synd.model import LanguageTag

# Below this the model's answer is a guess: the text is tagged `und`.
MIN_CONFIDENCE = 0.15
MIN_LETTERS = 4
HAN_EVIDENCE = 0.5  # confidence that Han letters without kana alone give to Chinese
UNSPACED_SCRIPTS = frozenset({"Hans", "Hant", "Hani", "Jpan", "Thai", "Laoo", "Khmr", "Mymr", "Tibt"})
# Ten thousand characters tell a paragraph's language as well as ten million: a longer text is
# judged by its beginning (its letters still weigh in full), so no paragraph costs more than this.
MAX_JUDGED_CHARS = 10_000
# URLs, e-mail addresses and digits do not vote. Linear: an address starts at the start of a token or
# after an `@` and its parts cannot hold one (`\S+@\S+\.\w+` took 35 s on `a@` x 2,500).
_NOISE = re.compile(r"(?:https?://|www\.)\S+|(?<![^\s@])[^\s@]++@[^\s@]*\.\w+|[\d_]+")


@dataclass
class Judged:
    """A detection and how many letters it rested on (the weight of a paragraph)."""

    tag: LanguageTag
    letters: int


def detect(text: str) -> LanguageTag:
    """BCP 47 tag, confidence, script and direction of one piece of text.

    `und` with confidence 0 when there is nothing to judge (numbers, URLs, a
    single word), and `und` with the model's low confidence when it is unsure.
    """
    return judge(text).tag


def judge(text: str) -> Judged:
    checkpoint("language detection")
    if len(text) <= MAX_JUDGED_CHARS:
        return _judge(text)
    sample = text[:MAX_JUDGED_CHARS]
    cut = sample.rfind(" ")  # not in the middle of a word
    sample = sample[:cut] if cut > MAX_JUDGED_CHARS // 2 else sample
    judged = _judge(sample)
    return Judged(judged.tag, round(judged.letters * len(text) / len(sample)))


def _judge(text: str) -> Judged:
    clean = " ".join(_NOISE.sub(" ", text).split())
    counts = script_counts(clean)
    letters = sum(counts.values())
    script = dominant_script(clean, counts)
    if not _judgeable(clean, letters, script):
        return Judged(LanguageTag(script=script, direction=direction(script)), letters)
    predictions = model.predict(clean)
    if _chinese_with_latin_names(counts):
        script = han_variant(clean)
    language, confidence = _choose(clean, script, predictions)
    detected = predictions[0][0]
    if confidence < MIN_CONFIDENCE:
        language = "und"
    tag = LanguageTag(language=language, confidence=round(confidence, 4), script=script,
                      direction=direction(script), detected=detected)
    return Judged(tag, letters)


def _judgeable(clean: str, letters: int, script: str | None) -> bool:
    if letters < MIN_LETTERS:
        return False
    if script in UNSPACED_SCRIPTS:
        return True
    # distinct words of two letters or more (vowel signs and other marks do not split a word)
    words = {w for w in clean.casefold().split() if sum(map(str.isalpha, w)) >= 2}
    return len(words) >= 2


def _chinese_with_latin_names(counts) -> bool:
    """Chinese with product or brand names in Latin letters ("Microsoft Windows 主题包").

    No kana (that would be Japanese), and the Han characters, each worth about
    three letters, weigh at least half as much as the Latin letters.
    """
    han = counts.get("Hani", 0)
    if han < 2 or counts.get("Hira") or counts.get("Kana") or counts.get("Hang"):
        return False
    return 3 * han >= 0.5 * counts.get("Latn", 0) and han + counts.get("Latn", 0) == sum(counts.values())


def _prob(predictions: list[tuple[str, float]], label: str) -> float:
    return next((p for lab, p in predictions if lab == label), 0.0)


_UKRAINIAN_ONLY = frozenset("іїєґІЇЄҐ")
_NOT_SOUTH_SLAVIC = frozenset("ыэёЫЭЁ")  # Russian letters Bulgarian, Macedonian and Serbian lack


def _russian(text: str, label: str) -> bool:
    """Russian told by its letters from the Cyrillic neighbours the model confuses it with on short texts."""
    if label == "uk":
        return not any(ch in _UKRAINIAN_ONLY for ch in text)
    return any(ch in _NOT_SOUTH_SLAVIC for ch in text)


def _choose(clean: str, script: str | None, predictions: list[tuple[str, float]]) -> tuple[str, float]:
    top = predictions[0][0]
    if script == "Arab":
        if top == "azb" and arabic.is_azerbaijani(clean):
            return "az-Arab", predictions[0][1]
        family = sum(arabic.family_probs(predictions).values())
        if arabic.in_family(top) or family >= 0.5:
            return arabic.choose(clean, predictions, model.predict)
    if script in ("Hans", "Hant", "Hani") and top not in ("zh", "yue", "wuu"):
        # Japanese is never written without kana, and Han letters are no other language's:
        # the model's other answers come from Latin words mixed in (product names, URIs).
        return "zh", max(_prob(predictions, "zh"), HAN_EVIDENCE)
    if script == "Cyrl" and top in ("uk", "bg", "mk", "sr") and _prob(predictions, "ru") and _russian(clean, top):
        return "ru", _prob(predictions, "ru")
    language = newsroom_tag(top)
    # labels that mean the same newsroom language add up (e.g. `ar` + `arz`)
    confidence = sum(p for label, p in predictions if newsroom_tag(label) == language)
    return language, min(confidence, 1.0)
