"""What a newsroom means by fastText's labels.

lid.176 knows 176 labels, some of them regional varieties or neighbours that
it answers for mainstream texts (Persian often comes back as `mzn` or `azb`,
Pashto as `pnb`, Arabic as `arz`). The map below turns those into the tag an
editor would file the article under; docs/language.md explains each line.
"""
from __future__ import annotations

# fastText label -> BCP 47 tag a newsroom uses
LABEL_MAP = {
    "arz": "ar",   # Egyptian Arabic: published as Arabic
    "mzn": "fa",   # Mazanderani: Persian texts are often labelled so
    "glk": "fa",   # Gilaki: likewise
    "lrc": "fa",   # Northern Luri: likewise
    "azb": "fa",   # South Azerbaijani: Persian texts again (unless Azerbaijani letters, see arabic.py)
    "pnb": "pa-Arab",  # Western Punjabi (Shahmukhi); when unsure, Urdu or Pashto (arabic.py decides)
    "wuu": "zh",   # Wu Chinese: written Chinese
    "als": "gsw",  # fastText's `als` is Alemannic (Swiss German), not Albanian (`sq`)
    "bh": "bho",   # Bihari (a collection code): Bhojpuri
    "sh": "hbs",   # Serbo-Croatian: the current tag of the deprecated `sh`
    "eml": "egl",  # Emiliano-Romagnolo: the current tag
}


def newsroom_tag(label: str) -> str:
    return LABEL_MAP.get(label, label)
