"""decode_bytes on real text (UDHR samples from the gflanguages wheel) re-encoded as partners send it."""
from __future__ import annotations

import bz2
import gzip
import io
import lzma
import re
import unicodedata
import zipfile
from pathlib import Path

import gflanguages
import pytest

from synd.decode import decode_bytes
from synd.errors import Rejected

LANGUAGES = Path(gflanguages.__file__).parent / "data" / "languages"
ZWNJ = "\u200c"


def udhr(code: str) -> str:
    """The UDHR specimen paragraphs of one language, as gflanguages ships them."""
    proto = (LANGUAGES / f"{code}.textproto").read_text(encoding="utf-8")
    parts = re.findall(r'specimen_(?:16|21|32|36|48): "(.*)"', proto)
    return "\n".join(p.encode("latin-1", "backslashreplace").decode("unicode_escape") if "\\u" in p else
                     p.replace("\\n", "\n") for p in parts)


def persian_as_windows_1256() -> str:
    """Persian UDHR text as real windows-1256 files carry it: Arabic yeh/kaf for the Persian ones
    (windows-1256 has no U+06CC), no hamza-above mark, ZWNJ kept (byte 0x9D)."""
    text = udhr("fa_Arab").replace("\u06cc", "\u064a").replace("\u06a9", "\u0643")
    return "".join(ch for ch in text if ch.encode("cp1256", "ignore"))


def test_utf8_plain_and_with_bom():
    text = udhr("ru_Cyrl")
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")
    assert decode_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))[0] == text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec):
    text = udhr("fa_Arab")
    bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
    decoded, encoding = decode_bytes(bom + text.encode(codec))
    assert decoded == unicodedata.normalize("NFC", text)
    assert encoding == codec


def test_persian_windows_1256_keeps_zwnj():
    text = persian_as_windows_1256()
    assert ZWNJ in text  # the sample really has the characters that trip charset detectors
    decoded, encoding = decode_bytes(text.encode("cp1256"))
    assert encoding == "cp1256"
    assert decoded == text
    assert ZWNJ in decoded


def test_zwnj_dense_short_persian_text_windows_1256():
    """Short texts full of ZWNJ (the masthead poem of a real drop) are where detectors fail most."""
    line = "چو کشور نباشد تن من مباد بدين بوم و بر زنده يک تن مباد\nمي‌خواهيم که آزادي‌ها را در اين سرزمين حفظ کنيم و حقوق بشر را مي‌شناسيم"
    text = persian_as_windows_1256().split("\n")[0][:200] + "\n" + line
    decoded, encoding = decode_bytes(text.encode("cp1256"))
    assert encoding == "cp1256" and decoded == text


@pytest.mark.parametrize("code, codec", [
    ("ar_Arab", "cp1256"), ("ar_Arab", "iso8859-6"), ("ru_Cyrl", "cp1251"), ("ru_Cyrl", "koi8-r"),
    ("uk_Cyrl", "cp1251"), ("zh_Hans", "gb18030"), ("fr_Latn", "cp1252"), ("de_Latn", "latin-1"),
])
def test_legacy_encodings_round_trip(code, codec):
    text = udhr(code)
    decoded, _ = decode_bytes(text.encode(codec))
    assert decoded == unicodedata.normalize("NFC", text)


def test_charset_declared_in_html_meta_wins():
    text = udhr("ru_Cyrl")
    page = f'<html><head><meta charset="windows-1251"><title>Декларация</title></head><body><p>{text}</p></body></html>'
    decoded, encoding = decode_bytes(page.encode("cp1251"))
    assert encoding == "cp1251"
    assert text in decoded


def test_encoding_declared_in_xml_prolog():
    text = udhr("ru_Cyrl")
    feed = f'<?xml version="1.0" encoding="KOI8-R"?><rss version="2.0"><channel><item><description>{text}</description></item></channel></rss>'
    decoded, encoding = decode_bytes(feed.encode("koi8-r"))
    assert encoding == "koi8-r"
    assert text in decoded


def test_output_is_nfc():
    text = unicodedata.normalize("NFD", udhr("fr_Latn"))
    decoded, _ = decode_bytes(text.encode("utf-8"))
    assert decoded == unicodedata.normalize("NFC", text) and decoded != text


@pytest.mark.parametrize("pack", [
    gzip.compress, bz2.compress, lzma.compress,
    lambda data: _zip(data),
])
def test_compressed_drops_are_refused(pack):
    with pytest.raises(Rejected) as info:
        decode_bytes(pack(udhr("en_Latn").encode()))
    assert info.value.code == "compressed"


def _zip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.txt", data)
    return buffer.getvalue()


def test_binary_file_is_refused():
    import fasttext_pybind  # a real ELF shared object from the venv

    data = Path(fasttext_pybind.__file__).read_bytes()[:65536]
    with pytest.raises(Rejected) as info:
        decode_bytes(data)
    assert info.value.code == "binary"


def test_png_is_refused_as_binary():
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(Rejected) as info:
        decode_bytes(data)
    assert info.value.code == "binary" and "PNG" in info.value.message


def test_text_riddled_with_control_characters_is_undecodable():
    text = udhr("en_Latn")
    noisy = "".join(ch + ("\x01" if i % 14 == 0 else "") for i, ch in enumerate(text))
    with pytest.raises(Rejected) as info:
        decode_bytes(noisy.encode("utf-8"))
    assert info.value.code == "undecodable"


def test_empty_drop():
    with pytest.raises(Rejected) as info:
        decode_bytes(b" \n\t ")
    assert info.value.code == "empty"


def arabic_script_paragraphs_with_zwnj() -> list[tuple[str, str]]:
    """Every UDHR paragraph in an Arabic-script language that windows-1256 can carry and that has ZWNJ."""
    out = []
    for path in sorted(LANGUAGES.glob("*_Arab.textproto")):
        text = udhr(path.stem).replace("\u06cc", "\u064a").replace("\u06a9", "\u0643")
        text = "".join(ch for ch in text if ch.encode("cp1256", "ignore"))
        out.extend((path.stem, p) for p in text.split("\n") if len(p) > 40 and ZWNJ in p)
    return out


def test_every_zwnj_paragraph_decodes_from_windows_1256():
    """charset-normalizer alone misreads some of these (as windows-1251); the fallback must not."""
    from charset_normalizer import from_bytes

    cases = arabic_script_paragraphs_with_zwnj()
    assert len(cases) >= 10
    wrong = [(code, p[:30]) for code, p in cases if decode_bytes(p.encode("cp1256")) != (p, "cp1256")]
    assert wrong == []
    detector_alone = sum(1 for _, p in cases if from_bytes(p.encode("cp1256")).best().encoding != "cp1256")
    assert detector_alone > 0  # the reason the fallback exists (pinned charset-normalizer)


def test_real_drop_reencoded_as_windows_1256():
    drop = Path(__file__).parents[1] / "formats" / "data" / "drops" / "afgazad.txt"
    text = drop.read_text(encoding="utf-8").replace("\u06cc", "\u064a").replace("\u06a9", "\u0643")
    decoded, encoding = decode_bytes(text.encode("cp1256"))
    assert (decoded, encoding) == (text, "cp1256")


@pytest.mark.parametrize("code, codec", [
    ("es_Latn", "latin-1"), ("es_Latn", "cp1252"), ("fr_Latn", "cp1252"), ("pt_Latn", "latin-1"),
    ("it_Latn", "cp1252"), ("pl_Latn", "cp1250"), ("cs_Latn", "cp1250"), ("hu_Latn", "cp1250"),
    ("tr_Latn", "cp1254"),
])
def test_western_and_central_european_code_pages(code, codec):
    """charset-normalizer alone reads Spanish/French windows-1252 as windows-1250 (ñ -> ń, è -> č)."""
    text = udhr(code)
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        pytest.skip(f"{code} does not fit {codec}")
    decoded, _ = decode_bytes(data)
    assert decoded == unicodedata.normalize("NFC", text)


@pytest.mark.parametrize("paragraphs", [1, 3])
def test_spanish_news_text_with_enye_in_windows_1252(paragraphs):
    """Real El País text (newspaper4k test data): short and longer pieces with ñ."""
    gold = (Path(__file__).parents[1] / "formats" / "data" / "html" / "spanish_article.txt").read_text()
    text = "\n\n".join([p for p in gold.split("\n\n") if "ñ" in p][:paragraphs])
    assert "ñ" in text
    assert decode_bytes(text.encode("cp1252"))[0] == text


def test_utf8_cut_mid_character_stays_utf8():
    text = unicodedata.normalize("NFC", udhr("fa_Arab"))
    data = text.encode("utf-8")
    decoded, encoding = decode_bytes(data[:-2])  # the upload stopped inside the last two-byte letter
    assert encoding == "utf-8"
    assert decoded == text[:-2] + "\ufffd"


def test_one_stray_byte_in_utf8_keeps_the_rest():
    text = udhr("fa_Arab")
    data = text.encode("utf-8")
    middle = len(data) // 2
    middle = data.index(b" ", middle)
    decoded, encoding = decode_bytes(data[:middle] + b"\xa0" + data[middle:])
    assert encoding == "utf-8"
    assert decoded.replace("\ufffd", "") == unicodedata.normalize("NFC", text)
