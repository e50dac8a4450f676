"""Which writing system a text is in (ISO 15924) and which way it runs.

Counted over letters only, so digits, punctuation and URLs do not vote.
Chinese is told apart as simplified (`Hans`) or traditional (`Hant`) by the
characters that only one of the two national encodings has: GB 2312 holds the
simplified forms, Big5 the traditional ones (both codecs ship with Python).
"""
from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from functools import lru_cache

# (first code point, script) for each block start; a block runs up to the next start.
_BLOCKS = [
    (0x0000, None), (0x0041, "Latn"), (0x0250, "Latn"), (0x02B0, None), (0x0370, "Grek"), (0x0400, "Cyrl"),
    (0x0530, "Armn"), (0x0590, "Hebr"), (0x0600, "Arab"), (0x0700, "Syrc"), (0x0750, "Arab"), (0x0780, "Thaa"),
    (0x07C0, "Nkoo"), (0x0800, None), (0x08A0, "Arab"), (0x0900, "Deva"), (0x0980, "Beng"), (0x0A00, "Guru"),
    (0x0A80, "Gujr"), (0x0B00, "Orya"), (0x0B80, "Taml"), (0x0C00, "Telu"), (0x0C80, "Knda"), (0x0D00, "Mlym"),
    (0x0D80, "Sinh"), (0x0E00, "Thai"), (0x0E80, "Laoo"), (0x0F00, "Tibt"), (0x1000, "Mymr"), (0x10A0, "Geor"),
    (0x1100, "Hang"), (0x1200, "Ethi"), (0x13A0, None), (0x1780, "Khmr"), (0x1800, "Mong"), (0x18B0, None),
    (0x1C80, "Cyrl"), (0x1C90, "Geor"), (0x1CC0, None), (0x1E00, "Latn"), (0x1F00, "Grek"), (0x2000, None),
    (0x2D00, "Geor"), (0x2D30, None), (0x2DE0, "Cyrl"), (0x2E00, None), (0x2E80, "Hani"), (0x3000, None),
    (0x3040, "Hira"), (0x30A0, "Kana"), (0x3100, "Bopo"), (0x3130, "Hang"), (0x3190, None), (0x31F0, "Kana"),
    (0x3200, None), (0x3400, "Hani"), (0x4DC0, None), (0x4E00, "Hani"), (0xA000, None), (0xA640, "Cyrl"),
    (0xA6A0, None), (0xA720, "Latn"), (0xA800, None), (0xAC00, "Hang"), (0xD7B0, None), (0xF900, "Hani"),
    (0xFB00, "Latn"), (0xFB1D, "Hebr"), (0xFB50, "Arab"), (0xFE00, None), (0xFE70, "Arab"), (0xFF00, None),
    (0xFF21, "Latn"), (0xFF3B, None), (0xFF41, "Latn"), (0xFF5B, None), (0xFF66, "Kana"), (0xFFA0, None),
    (0x20000, "Hani"), (0x30000, None),
]
_STARTS = [start for start, _ in _BLOCKS]
RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Mand", "Samr"})
_CACHE: dict[str, str | None] = {}


def char_script(ch: str) -> str | None:
    """ISO 15924 code of one letter, or None for anything that is not a letter of a known script."""
    try:
        return _CACHE[ch]
    except KeyError:
        script = _BLOCKS[bisect_right(_STARTS, ord(ch)) - 1][1] if ch.isalpha() else None
        _CACHE[ch] = script
        return script


def script_counts(text: str) -> Counter:
    """Letters per script (characters counted first, in C, then each distinct one looked up)."""
    counts: Counter = Counter()
    for ch, n in Counter(text).items():
        script = char_script(ch)
        if script:
            counts[script] += n
    return counts


def han_variant(text: str) -> str:
    """`Hans`, `Hant`, or `Hani` when the characters fit both (or neither) forms."""
    simplified = traditional = 0
    for ch in text:
        form = _han_form(ch)
        simplified += form == "Hans"
        traditional += form == "Hant"
    if simplified == traditional:
        return "Hani"
    return "Hans" if simplified > traditional else "Hant"


@lru_cache(maxsize=8192)
def _han_form(ch: str) -> str | None:
    """`Hans` for a character only GB 2312 has, `Hant` for one only Big5 has, else None."""
    if char_script(ch) != "Hani":
        return None
    in_gb, in_big5 = _encodes(ch, "gb2312"), _encodes(ch, "big5")
    if in_gb == in_big5:
        return None
    return "Hans" if in_gb else "Hant"


def _encodes(ch: str, codec: str) -> bool:
    try:
        ch.encode(codec)
        return True
    except UnicodeEncodeError:
        return False


# A Han character or Hangul syllable carries about as much as three alphabetic letters.
_LETTER_WEIGHT = {"Hani": 3, "Hang": 3, "Hira": 2, "Kana": 2}


def dominant_script(text: str, counts: Counter | None = None) -> str | None:
    """The script most of the text is in; Japanese (`Jpan`) when kana mix with Han, Korean (`Kore`) likewise.

    Letters are weighted by what they carry, so "PowerPoint 幻灯片" counts as Chinese.
    """
    counts = script_counts(text) if counts is None else counts
    if not counts:
        return None
    counts = Counter({script: n * _LETTER_WEIGHT.get(script, 1) for script, n in counts.items()})
    kana = counts.get("Hira", 0) + counts.get("Kana", 0)
    if kana and kana + counts.get("Hani", 0) >= max(counts.values()):
        return "Jpan"
    if counts.get("Hang", 0) and counts.get("Hang", 0) + counts.get("Hani", 0) >= max(counts.values()):
        return "Kore"
    script = counts.most_common(1)[0][0]
    return han_variant(text) if script == "Hani" else script


def direction(script: str | None) -> str:
    return "rtl" if script in RTL_SCRIPTS else "ltr"
