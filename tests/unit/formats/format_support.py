"""Helpers for the format tests: real data files, UDHR texts, one-call parsing.

A plain module imported by name (not a conftest), so it cannot be shadowed by
the conftest.py of another test folder."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import gflanguages

from synd.decode import decode_bytes
from synd.formats import Decoded, parse, sniff

DATA = Path(__file__).parent / "data"
LANGUAGES = Path(gflanguages.__file__).parent / "data" / "languages"


def udhr_paragraphs(code: str) -> list[str]:
    """UDHR specimen paragraphs of one language (gflanguages), longest first, in NFC as drops decode."""
    proto = unicodedata.normalize("NFC", (LANGUAGES / f"{code}.textproto").read_text(encoding="utf-8"))
    parts = re.findall(r'specimen_(?:16|21|32|36): "(.*)"', proto)
    paragraphs = [p for part in parts for p in part.split("\\n") if len(p) > 30]
    return sorted(dict.fromkeys(paragraphs), key=len, reverse=True)


def decoded(data: bytes | str) -> Decoded:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    text, encoding = decode_bytes(raw)
    return Decoded(raw=raw, text=text, encoding=encoding, partner="test")


def parse_bytes(data: bytes | str):
    """(format name, drafts) as the pipeline would get them."""
    return parse(decoded(data))


def sniffed(data: bytes | str) -> str:
    return sniff(decoded(data)).NAME

