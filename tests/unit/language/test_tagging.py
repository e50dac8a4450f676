from pathlib import Path

from synd.language import tag_article
from synd.language.tagging import paragraphs
from synd.settings import PartnerSettings

DATA_SAMPLES = Path(__file__).resolve().parents[3] / "samples"

DATA = Path(__file__).resolve().parents[2] / "data" / "language"

PLAIN = PartnerSettings("plain")
DARI = PartnerSettings("afgazad", language_variants={"fa": "fa-AF"})


def test_persian_masthead_over_english_column_is_english_with_a_persian_share():
    """The real afgazad drop: a Persian masthead and menu above an English column."""
    body = (DATA / "mixed" / "afgazad_masthead_english_column.txt").read_text(encoding="utf-8")
    tag = tag_article("ISIS's Last Gasps", body, DARI)
    assert (tag.language, tag.script, tag.direction) == ("en", "Latn", "ltr")
    shares = {s.tag: s.share for s in tag.languages}
    assert shares["en"] > 0.85
    assert 0 < shares["fa-AF"] < 0.15  # the masthead, with the partner's variant
    assert tag.setting is None  # the variant is for Persian, the article is English


def test_shares_are_weighted_by_length(long_text):
    body = "\n\n".join([long_text("fa", 0), long_text("en", 0), long_text("en", 1), long_text("en", 2)])
    tag = tag_article("", body, PLAIN)
    shares = {s.tag: s.share for s in tag.languages}
    assert tag.language == "en"
    assert 0.15 < shares["fa"] < 0.35 and 0.65 < shares["en"] < 0.85
    assert abs(sum(shares.values()) - 1) < 0.01


def test_partner_variant_turns_persian_into_dari(long_text):
    tag = tag_article("", long_text("fa", 3), DARI)
    assert (tag.language, tag.detected, tag.setting) == ("fa-AF", "fa", "fa-AF")
    assert (tag.script, tag.direction) == ("Arab", "rtl")


def test_pashto_partner_article_is_not_persian(long_text):
    body = "\n".join([long_text("ps", 0), long_text("ps", 1)])
    tag = tag_article("", body, DARI)
    assert tag.language == "ps" and tag.setting is None


def test_title_in_another_language_is_tagged_apart(long_text):
    title = "Universal Declaration of Human Rights"  # the English title over the Urdu text
    tag = tag_article(title, long_text("ur", 0), PLAIN)
    assert tag.language == "ur"
    assert tag.title_language == "en"


def test_title_in_the_same_language_gives_no_title_language(long_text):
    tag = tag_article("Déclaration universelle des droits de l'homme", long_text("fr", 0), PLAIN)
    assert tag.language == "fr" and tag.title_language is None


def test_too_short_to_judge_uses_the_partner_default():
    partner = PartnerSettings("pajhwok", language="ps")
    tag = tag_article("", "2021-12-01 https://example.org", partner)
    assert (tag.language, tag.setting, tag.confidence) == ("ps", "ps", 0.0)
    assert tag.direction == "rtl"


def test_too_short_without_a_partner_default_is_und():
    tag = tag_article("", "12:30", PLAIN)
    assert tag.language == "und" and tag.confidence == 0.0


def test_long_text_wins_over_the_partner_default(long_text):
    tag = tag_article("", long_text("ar", 1), PartnerSettings("x", language="fa"))
    assert tag.language == "ar" and tag.setting is None


def test_paragraphs_are_blocks_between_blank_lines():
    assert paragraphs("one\n\ntwo\nlines\n  \n three ") == ["one", "two lines", "three"]


def test_a_block_mixing_scripts_is_split_into_lines(long_text):
    persian = long_text("fa", 1)[:120]
    english = long_text("en", 1)
    assert paragraphs(f"{persian}\n{english}") == [persian, english]


def test_hard_wrapped_text_is_judged_as_whole_paragraphs(long_text):
    """Gopher and plain-text drops wrap lines at ~70 characters: short lines must not scatter the shares."""
    import textwrap

    for lang in ("ps", "fr", "ur"):  # judged line by line, the Pashto gave `fa` and `tr` shares
        body = "\n\n".join(textwrap.fill(long_text(lang, n), 60) for n in range(6))
        tag = tag_article("", body, PLAIN)
        assert [s.tag for s in tag.languages] == [lang]


def test_page_chrome_counts_in_the_shares_not_in_the_language():
    from synd.pipeline import make_source, parse_drop

    drop = (DATA_SAMPLES / "afgazad" / "000_afb5d5d29ecc6f79.txt").read_bytes()
    [article] = parse_drop(drop, make_source(drop), PartnerSettings(id="afgazad")).articles
    shares = {s.tag: s.share for s in article.language.languages}
    assert article.language.language == "en"
    assert 0 < shares.get("fa", 0) < 0.2 and shares["en"] > 0.8


def test_a_declared_language_decides_only_a_text_too_short_to_judge():
    partner = PartnerSettings(id="p", language="en")
    assert tag_article("۱۴۰۲", "۱۲ ۱۳", partner, declared="fa").language == "fa"
    assert tag_article("12", "34", partner).language == "en"
    long_persian = "همه افراد بشر آزاد به دنیا می‌آیند و از لحاظ حیثیت و حقوق با هم برابرند."
    assert tag_article("", long_persian, partner, declared="en").language == "fa"
