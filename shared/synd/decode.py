"""Bytes -> text: refuse binary and compressed drops, find the encoding, NFC-normalise.

Order of trust: a byte-order mark (or UTF-16 without one), then strict UTF-8,
then UTF-8 with a few broken bytes (a cut upload), then the charset the
document declares (HTML `<meta>`, XML prolog), then charset-normalizer. Two
known misreadings of charset-normalizer are corrected:

- real Persian windows-1256 text: the zero-width non-joiner (byte 0x9D) looks
  like noise to it, so the bytes are detected again without it, and every
  decoding is scored by how much it reads as real Arabic-script text;
- Western windows-1252 text read as windows-1250 ("niño" -> "nińo"): the code
  page of the language it recognised wins when that reading is as clean.
"""
from __future__ import annotations

import codecs
import contextlib
import re
import unicodedata

from synd.budget import checkpoint
from synd.errors import Rejected

# Magic numbers of compressed containers and of common binary files.
COMPRESSED_MAGIC = {
    b"\x1f\x8b": "gzip",
    b"PK\x03\x04": "zip",
    b"PK\x05\x06": "zip",
    b"BZh": "bzip2",
    b"\xfd7zXZ\x00": "xz",
    b"(\xb5/\xfd": "zstd",
    b"7z\xbc\xaf\x27\x1c": "7z",
    b"Rar!\x1a\x07": "rar",
}
BINARY_MAGIC = {
    b"%PDF-": "PDF",
    b"\x89PNG\r\n\x1a\n": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF87a": "GIF",
    b"GIF89a": "GIF",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "MS Office (OLE)",
    b"\x7fELF": "ELF executable",
    b"MZ": "Windows executable",
    b"RIFF": "RIFF (audio/video/WebP)",
    b"OggS": "Ogg",
    b"ID3": "MP3",
    b"\x00\x00\x00\x18ftyp": "MP4",
    b"\x00\x00\x00\x20ftyp": "MP4",
    b"SQLite format 3\x00": "SQLite",
}
BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
DECLARED_CHARSET = re.compile(
    rb"""<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)["']"""
    rb"""|<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)""",
    re.IGNORECASE,
)
# Encodings that browsers (WHATWG) read as a wider one: the wider one decodes the same bytes plus more.
WHATWG_ALIASES = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254",
                  "gb2312": "gb18030", "gbk": "gb18030", "tis-620": "cp874", "euc_kr": "cp949"}
ARABIC_SCRIPT_ENCODINGS = ("cp1256", "iso8859-6")
LATIN_CODE_PAGES = {"cp1250", "cp1252", "cp1254", "cp1257", "cp1258", "iso8859-2", "iso8859-3", "iso8859-4",
                    "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15", "iso8859-16", "cp850", "cp852", "cp775",
                    "cp857", "cp858", "mac-roman", "mac-latin2", "hp-roman8"}
# Languages with a code page of their own; every other Latin-script language is windows-1252's.
LANGUAGE_CODE_PAGE = {
    **dict.fromkeys(["Czech", "Polish", "Slovak", "Slovene", "Slovenian", "Croatian", "Hungarian", "Romanian",
                     "Serbian", "Bosnian"], "cp1250"),
    **dict.fromkeys(["Lithuanian", "Latvian"], "cp1257"),
    "Turkish": "cp1254", "Azerbaijani": "cp1254", "Vietnamese": "cp1258",
}
WORD_INTERNAL = re.compile(r"(?<=[A-Za-z])[^\x00-\x7f](?=[A-Za-z])")
# Frequent short words of Persian, Arabic and Urdu: real text is full of them,
# a wrong decoding (e.g. Cyrillic bytes read as windows-1256) almost never makes them.
ARABIC_SCRIPT_COMMON_WORDS = frozenset(
    ["و", "در", "به", "از", "که", "این", "را", "با", "است", "برای", "آن", "یک", "می", "شود", "بود", "هم",
     "تا", "بر", "اند", "کرد", "شده", "خود", "ما", "او", "هر", "یا", "نیز", "باید", "دارد", "کند", "همه",
     "حق", "هیچ", "کس", "بین", "اين", "آزادی", "في", "من", "على", "أن", "إلى", "عن", "مع", "هذا", "التي",
     "الذي", "كان", "لا", "ما", "هو", "ذلك", "كل", "وفي", "لكل", "حق", "کے", "کی", "ہے", "میں", "اور", "کو",
     "سے", "کا", "پر", "ہیں", "نہیں", "بھی"]
)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Text is NFC (which keeps ZWNJ/ZWJ)."""
    if not data.strip():
        raise Rejected("empty", "the drop is empty or only white space")
    refuse_containers(data)
    text, encoding = _decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not (len(text) > LARGE_MARKUP_CHARS and text.lstrip()[:1] == "<"):
        text = to_nfc(text)
    check_readable(text, encoding)
    return text, encoding


# A large HTML/XML page is mostly markup and scripts: NFC-checking all of it costs more than
# extracting the article. Its parser normalises every field it extracts instead
# (synd.formats.parse applies NFC to each draft).
LARGE_MARKUP_CHARS = 256 * 1024


def to_nfc(text: str) -> str:
    """NFC (which keeps ZWNJ/ZWJ), with a fast path for ASCII and already-normal text."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def refuse_containers(data: bytes) -> None:
    head = data[:16]
    for magic, kind in COMPRESSED_MAGIC.items():
        if head.startswith(magic):
            raise Rejected("compressed", f"the drop is {kind}-compressed; send it uncompressed")
    for magic, kind in BINARY_MAGIC.items():
        if head.startswith(magic) and not _looks_textual(data[:4096]):
            raise Rejected("binary", f"the drop is a {kind} file, not text")


def _looks_textual(sample: bytes) -> bool:
    return all(b >= 0x20 or b in b"\t\n\r\f" for b in sample[:64])


def _decode(data: bytes) -> tuple[str, str]:
    for bom, name in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(name.replace("-sig", "")), name.replace("-sig", "")
            except UnicodeDecodeError:
                raise Rejected("undecodable",
                               f"the drop starts with a {name} byte-order mark but does not decode as {name}") from None
    utf16 = _bomless_utf16(data)
    if utf16:
        return data.decode(utf16), utf16
    if _control_share(data) > 0.1:
        raise Rejected("binary", "the drop holds many control bytes (NUL, etc.): it is binary, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    nearly = _nearly_utf8(data)
    if nearly is not None:
        return nearly, "utf-8"
    candidates = _candidates(data)
    if not candidates:
        raise Rejected("undecodable", "the bytes are not UTF-8 and match no supported encoding")
    return max(candidates, key=lambda c: c[2])[:2]


def _nearly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few broken bytes (a file cut mid-character, one stray windows-1252 byte):
    reading the whole file in another code page would garble every other character instead."""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd") - data.count("\ufffd".encode())
    multibyte = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    if broken <= max(1, len(data) // 2000) and multibyte >= 10 * broken:
        return text
    return None


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: mostly-ASCII text has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        name = "utf-16-le"
    elif even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        name = "utf-16-be"
    else:
        return None
    try:
        data.decode(name)
    except UnicodeDecodeError:
        return None
    return name


def _control_share(data: bytes) -> float:
    sample = data[:8192]
    bad = sum(1 for b in sample if b < 0x20 and b not in b"\t\n\r\f\v\x1b")
    return bad / len(sample)


def _normal(name: str) -> str | None:
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return WHATWG_ALIASES.get(codec, codec)


def _candidates(data: bytes) -> list[tuple[str, str, float]]:
    """Each plausible decoding with a score; the declared charset and the Arabic-script fallback get a say."""
    found: dict[str, str] = {}
    declared = _declared_charset(data)
    if declared:
        _try(data, declared, found)
    checkpoint("charset detection")
    from charset_normalizer import from_bytes  # here, not at import: UTF-8 drops never need it (cold start)

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        name = _normal(best.encoding)
        if name:
            _try(data, name, found)
    for name in ARABIC_SCRIPT_ENCODINGS:
        _try(data, name, found)
    zwnj_reading = _reading_without_zwnj(data)
    western = _western_reading(data, best, found)
    scored = []
    for name, text in found.items():
        score = _plausibility(text)
        if name == declared:
            score += 0.5
        if best is not None and name == _normal(best.encoding):
            score += 0.3
        if name == zwnj_reading:
            score += 1.0
        if name == western:
            score += 0.35
        scored.append((text, name, score))
    return scored


def _western_reading(data: bytes, best, found: dict[str, str]) -> str | None:
    """The code page of the language the detector recognised, when it picked another Latin one.

    charset-normalizer reads Spanish and French windows-1252 as windows-1250 ("niño" -> "nińo",
    "élève" -> "élčve") and Turkish windows-1254 as windows-1250, while naming the language
    right. Both readings are all letters, so the language's own code page wins; a reading that
    puts symbols inside words (Polish ł read as windows-1252 gives ³) never does.
    """
    picked = _normal(best.encoding) if best is not None else None
    if picked is None or picked not in LATIN_CODE_PAGES:
        return None
    native = LANGUAGE_CODE_PAGE.get(best.language or "", "cp1252")
    if native == picked:
        return None
    _try(data, native, found)
    if native not in found:
        return None
    detected = found.get(picked, "")
    if _letters_in_words(found[native]) + 0.01 >= _letters_in_words(detected):
        return native
    return None


def _letters_in_words(text: str) -> float:
    """Share of non-ASCII characters standing between letters that are letters themselves."""
    inside = WORD_INTERNAL.findall(text[:50000])
    if not inside:
        return 1.0
    return sum(ch.isalpha() for ch in inside) / len(inside)


def _reading_without_zwnj(data: bytes) -> str | None:
    """windows-1256 writes ZWNJ as byte 0x9D, which detectors take for noise: detect again without it.

    Persian, Dari, Urdu and Uzbek text put ZWNJ inside most words; when the bytes read as
    an Arabic-script encoding once those bytes are set aside, windows-1256 is the answer.
    """
    if data.count(b"\x9d") < 2:
        return None
    from charset_normalizer import from_bytes

    best = from_bytes(data.replace(b"\x9d", b"")).best()
    if best is not None and _normal(best.encoding) in ARABIC_SCRIPT_ENCODINGS:
        return "cp1256"
    return None


def _try(data: bytes, name: str, found: dict[str, str]) -> None:
    if name in found:
        return
    with contextlib.suppress(UnicodeDecodeError, LookupError):
        found[name] = data.decode(name)


def _declared_charset(data: bytes) -> str | None:
    match = DECLARED_CHARSET.search(data[:4096])
    if not match:
        return None
    return _normal((match.group(1) or match.group(2)).decode("ascii", "replace"))


ARABIC_WORD = re.compile(r"[\u0600-\u06FF\u200c]+")


def _plausibility(text: str) -> float:
    """How much the decoding reads as real Arabic-script text: share of common words.

    Scores in [0, 1]; only an Arabic-script reading full of common words scores high,
    so a Latin or Cyrillic text keeps charset-normalizer's (or the declared) answer.
    """
    words = ARABIC_WORD.findall(text[:20000])
    if len(words) < 3:
        return 0.0
    letters = sum(len(w) for w in words)
    non_ascii = sum(1 for ch in text[:20000] if ord(ch) > 127) or 1
    common = sum(1 for w in words if w.replace("\u200c", "") in ARABIC_SCRIPT_COMMON_WORDS)
    share = common / len(words)
    return share * 3 * min(1.0, letters / non_ascii)


UNREADABLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")


def check_readable(text: str, encoding: str) -> None:
    """Refuse a decoding that is mostly replacement or control characters."""
    sample = text[:20000]
    if not sample:
        return
    bad = len(UNREADABLE.findall(sample))
    if bad / len(sample) > 0.05:
        raise Rejected("undecodable", f"decoded as {encoding}, {bad / len(sample):.0%} of the characters are "
                                      "replacement or control characters")
