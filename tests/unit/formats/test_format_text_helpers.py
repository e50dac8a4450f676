"""Dates, author lists and paragraph cleaning shared by every format."""
from __future__ import annotations

import pytest

from tests.unit.formats.format_support import DATA, udhr_paragraphs
from synd.text.authors import normalise_authors
from synd.text.body import clean_paragraphs, is_box, join_broken
from synd.text.dates import find_date, parse_date


@pytest.mark.parametrize("text, iso", [
    ("2021-12", "2021-12"),
    ("MARCH 28, 2018", "2018-03-28"),
    ("28 March 2018", "2018-03-28"),
    ("29.03.2018", "2018-03-29"),
    ("03/28/2018", "2018-03-28"),
    ("Sunday, 5 May 2019", "2019-05-05"),
    ("10. Dezember 1948", "1948-12-10"),
    ("Mon, 06 Sep 2009 16:20:00 +0000", "2009-09-06T16:20:00Z"),
    ("Fri, 10 Dec 1948 12:00:00 +0100", "1948-12-10T12:00:00+01:00"),
    ("2019-05-10T16:02:28+02:00", "2019-05-10T16:02:28+02:00"),
    ("2003-12-13T18:30:02Z", "2003-12-13T18:30:02Z"),
    ("2018-03-28 10:00", "2018-03-28T10:00:00"),
    ("March 2018", "2018-03"),
    ("۱۹ قوس ۱۴۰۲", "2023-12-10"),          # Afghan Solar Hijri
    ("19 آذر 1402", "2023-12-10"),          # Iranian Solar Hijri
    ("10 de diciembre de 2023", "2023-12-10"),
    ("10 декабря 2023 г.", "2023-12-10"),
    ("2023年12月10日", "2023-12-10"),
    ("١٠ ديسمبر ٢٠٢٣", "2023-12-10"),
])
def test_dates_keep_the_source_precision(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["hello", "2018-13-40", "31.02.2018", "European Languages", ""])
def test_not_dates(text):
    assert parse_date(text) is None


def test_date_inside_a_line():
    assert find_date("Published: March 28, 2018 | 5 min read") == "2018-03-28"


def test_datelines_but_not_sentences():
    from synd.text.dates import dateline

    assert dateline("Publié le 10 décembre 2023") == "2023-12-10"
    assert dateline("Posted on 2021-12-03 |") == "2021-12-03"
    assert dateline("The assembly met on 10 December 1948 in Paris to adopt it.") is None


@pytest.mark.parametrize("value, names", [
    ("by PATRICK COCKBURN", ["Patrick Cockburn"]),
    ("By:   []", []),
    ("Paulo Santalucia and Frances d'Emilio", ["Paulo Santalucia", "Frances d'Emilio"]),
    ("Von Christian Hollmann, dpa", ["Christian Hollmann"]),
    ("AP", ["AP"]),
    ("support@edumock.com (EduMock Team)", ["EduMock Team"]),
    ("نوشته علی و رضا", ["علی", "رضا"]),
    ("Автор: Иван Петров и Мария Иванова", ["Иван Петров", "Мария Иванова"]),
    (["Jane Doe", {"name": "John Roe"}], ["Jane Doe", "John Roe"]),
    (None, []),
])
def test_author_lists(value, names):
    assert normalise_authors(value) == names


def test_boxes_and_footers_are_recognised():
    assert is_box("Tell Boris Johnson not to weaken political sleaze rules If enough of us speak up, "
                  "we'll be able to protect honesty in public life. Sign the petition")
    assert is_box("Read more: A Controversial Technology Is Creating an Unprecedented Rift")
    assert is_box("The post Something happened appeared first on Partner News.")
    for paragraph in udhr_paragraphs("en_Latn"):
        assert not is_box(paragraph)


def test_page_break_is_rejoined_but_finished_paragraphs_are_not():
    text = (DATA / "drops" / "afgazad.txt").read_text()
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]
    joined = join_broken(paragraphs)
    assert len(joined) == len(paragraphs) - 1
    assert any("its terrorist operations in France and elsewhere" in p for p in joined)
    clauses = udhr_paragraphs("fr_Latn")  # preamble clauses end with "," or "; et": finished as written
    assert join_broken(clauses) == clauses


def test_reference_list_and_end_marker_dropped():
    body = ["First paragraph of the story.", "Second paragraph.", "[END]",
            "[1] Url: https://example.org/a\n[2] url: https://creativecommons.org/licenses/by/4.0/"]
    assert clean_paragraphs(body) == ["First paragraph of the story.", "Second paragraph."]
