"""Bare text drops: first line title, labelled lines in the text's own language, footer licences."""
from __future__ import annotations

import pytest

from tests.unit.formats.format_support import parse_bytes, udhr_paragraphs
from synd.errors import Rejected

# The real petition box of the openDemocracy drop, reused inside other texts.
PETITION = ("Tell Boris Johnson not to weaken political sleaze rules If enough of us speak up, we'll be able to "
            "protect honesty in public life. Sign the petition")


def framed(title: str, meta: list[str], paragraphs: list[str], footer: list[str] = ()) -> str:
    """A text drop as partners send it: title line, metadata lines, blank-line paragraphs, footer lines."""
    head = "\n".join([title, *meta])
    return "\n\n".join([head, *paragraphs, *footer]) + "\n"


def test_russian_text_with_russian_labels():
    paragraphs = udhr_paragraphs("ru_Cyrl")[:3]
    text = framed("Всеобщая декларация прав человека", ["Автор: Генеральная Ассамблея ООН", "Дата: 10.12.1948"],
                  paragraphs, ["Лицензия: CC BY 4.0 https://creativecommons.org/licenses/by/4.0/"])
    name, [draft] = parse_bytes(text.encode("koi8-r"))
    assert name == "text"
    assert draft.title == "Всеобщая декларация прав человека"
    assert draft.authors == ["Генеральная Ассамблея ООН"]
    assert draft.published == "1948-12-10"
    assert draft.body_text.split("\n\n") == paragraphs
    [hint] = draft.license_hints
    assert hint.url == "https://creativecommons.org/licenses/by/4.0/" and "CC BY 4.0" in hint.text
    assert "Лицензия" not in draft.body_text


def test_persian_text_with_persian_labels_and_a_box():
    paragraphs = udhr_paragraphs("fa_Arab")[:3]
    body = [paragraphs[0], PETITION, *paragraphs[1:]]
    text = framed("اعلامیه جهانی حقوق بشر", ["نویسنده: مجمع عمومی سازمان ملل", "تاریخ: 1948-12-10"], body)
    _, [draft] = parse_bytes(text)
    assert draft.authors == ["مجمع عمومی سازمان ملل"]
    assert draft.published == "1948-12-10"
    assert draft.body_text.split("\n\n") == paragraphs
    assert "\u200c" in draft.body_text or "\u200c" not in "".join(paragraphs)


def test_english_byline_split_and_title_cased():
    paragraphs = udhr_paragraphs("en_Latn")[:2]
    text = framed("Universal Declaration of Human Rights", ["By: ELEANOR ROOSEVELT and René Cassin"], paragraphs,
                  ["© 1948 United Nations. All rights reserved."])
    _, [draft] = parse_bytes(text)
    assert draft.authors == ["Eleanor Roosevelt", "René Cassin"]
    assert draft.body_text.split("\n\n") == paragraphs
    assert [h.where for h in draft.license_hints] == ["footer"]
    assert "All rights reserved" in draft.license_hints[0].text


def test_only_metadata_is_no_article_text():
    with pytest.raises(Rejected) as info:
        parse_bytes("Author: Someone\nDate: 2020-01-01\n")
    assert info.value.code == "no_article_text"


def test_title_without_body_is_no_article_text():
    with pytest.raises(Rejected) as info:
        parse_bytes("Universal Declaration of Human Rights\n")
    assert info.value.code == "no_article_text"


def test_json_that_is_no_known_format_is_unknown():
    with pytest.raises(Rejected) as info:
        parse_bytes('{"name": "not an article", "values": [1, 2, 3]}')
    assert info.value.code == "unknown_format"


def test_title_label_names_the_article():
    paragraphs = udhr_paragraphs("tr_Latn")[:2]
    text = "Başlık: İnsan Hakları Evrensel Beyannamesi\nYazar: Birleşmiş Milletler Genel Kurulu\n\n" + "\n\n".join(paragraphs)
    _, [draft] = parse_bytes(text)
    assert draft.title == "İnsan Hakları Evrensel Beyannamesi"
    assert draft.authors == ["Birleşmiş Milletler Genel Kurulu"]
    text = "Title: Universal Declaration of Human Rights\nAuthor: United Nations\n\n" + "\n\n".join(udhr_paragraphs("en_Latn")[:2])
    _, [draft] = parse_bytes(text)
    assert draft.title == "Universal Declaration of Human Rights"
    assert draft.authors == ["United Nations"]
    assert draft.body_text.split("\n\n") == udhr_paragraphs("en_Latn")[:2]
