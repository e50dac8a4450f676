"""synd.publish.locale: the site's words, dates, digits and language names per language (CLDR via babel)."""
import pytest

from synd.publish.locale import SITE_LOCALES, human_date, labels, language_name, number, time_html

CORPUS_LANGUAGES = ("en", "fa", "ps", "ar", "ur", "fr", "ru", "es", "de", "tr", "zh")


def test_every_corpus_language_has_the_sites_own_words():
    assert set(CORPUS_LANGUAGES) <= set(SITE_LOCALES)
    english = labels("en")
    for lang in CORPUS_LANGUAGES:
        words = labels(lang)
        assert words.lang == lang
        if lang != "en":  # written for the language, not copied from English
            assert (words.home, words.licence, words.archive) != (english.home, english.licence, english.archive)


@pytest.mark.parametrize("tag, base", [("fa-AF", "fa"), ("pt-BR", "en"), ("ug", "en"), (None, "en"), ("xx\x01", "en")])
def test_a_language_the_site_has_no_words_for_reads_english(tag, base):
    assert labels(tag).lang == base


@pytest.mark.parametrize("lang, expected", [
    ("fa", "۱۰ دسامبر ۲۰۲۳"),  # Persian digits: CLDR's default numbering system for fa is arabext
    ("ps", "۱۰ دسمبر ۲۰۲۳"),
    ("ar", "10 ديسمبر 2023"),  # Arabic and Urdu default to Latin digits in CLDR
    ("en", "December 10, 2023"),
    ("fr", "10 décembre 2023"),
    ("de", "10. Dezember 2023"),
    ("ru", "10 декабря 2023\u202fг."),  # CLDR: a narrow no-break space before г.
    ("zh", "2023年12月10日"),
])
def test_a_date_is_written_in_the_languages_conventions_and_digits(lang, expected):
    assert human_date("2023-12-10T10:00:00+03:30", lang) == expected


def test_a_date_is_shown_on_the_day_of_its_own_offset():
    assert human_date("2023-12-10T23:30:00-05:00", "en") == "December 10, 2023"  # 11 December in UTC
    assert human_date("2023-12-10T01:00:00+03:30", "en") == "December 10, 2023"  # 9 December in UTC


def test_a_month_or_a_year_precision_date_reads_as_a_month_or_a_year():
    assert human_date("2023-12", "fa") == "دسامبر ۲۰۲۳"
    assert human_date("2023-12", "en") == "December 2023"
    assert human_date("2023", "fa") == "۲۰۲۳"


@pytest.mark.parametrize("value", [None, "", "garbage", "2023-13", "2023-02-30", 20231210])
def test_no_date_for_garbage(value):
    assert human_date(value, "en") == "" and time_html(value, "en") == ""


def test_time_html_keeps_the_machine_form_in_the_attribute_and_isolates_the_date():
    assert time_html("2023-12-10T10:00:00+03:30", "fa") == \
        '<bdi><time datetime="2023-12-10T10:00:00+03:30">۱۰ دسامبر ۲۰۲۳</time></bdi>'


def test_time_html_escapes_what_it_quotes():
    assert time_html('2023-12-10T10:00:00+03:30', "en").count('"') == 2
    assert human_date('2023-12-10"><script>', "en") == ""


@pytest.mark.parametrize("lang, n, expected", [
    ("en", 1, "1 article"), ("en", 2, "2 articles"),
    ("fa", 12, "۱۲ مقاله"), ("ps", 1, "۱ لیکنه"), ("ps", 3, "۳ لیکنې"),
    ("ru", 1, "1 статья"), ("ru", 3, "3 статьи"), ("ru", 11, "11 статей"), ("ru", 21, "21 статья"),
    ("ar", 2, "مقالتان"), ("ar", 5, "5 مقالات"), ("fr", 0, "0 article"), ("fr", 2, "2 articles"),
    ("ur", 4, "4 مضامین"), ("zh", 3, "3 篇文章"),
])
def test_article_counts_follow_the_plural_rules(lang, n, expected):
    assert labels(lang).count(n) == expected


def test_numbers_group_and_use_the_native_digits():
    assert number(1234, "fa") == "۱٬۲۳۴" and number(1234, "en") == "1,234"


@pytest.mark.parametrize("tag, name", [
    ("en", "English"), ("fa", "فارسی"), ("ps", "پښتو"), ("ar", "العربية"), ("ur", "اردو"), ("fr", "Français"),
    ("ru", "Русский"), ("es", "Español"), ("de", "Deutsch"), ("tr", "Türkçe"), ("zh", "中文"),
    ("fa-AF", "دری"), ("ug", "ug"), ("x-bogus", "x-bogus"),
])
def test_a_language_is_named_in_its_own_language_and_script(tag, name):
    assert language_name(tag) == name
