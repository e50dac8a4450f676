"""The credit says what was done to the text (CC 4.0 §3(a)(1)(B); 3.0 §3(b)), in the article's language
(a translating target's language for a translation), and the partner's required wording wins."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict

import pytest

from synd.license.catalog import from_spdx
from synd.policy import RTL, TEMPLATES, USES, attribution, decide
from synd.settings import Agreement, PartnerSettings, TargetSettings

TARGETS = {
    "unaltered": TargetSettings(name="site", kind="site"),
    "excerpt": TargetSettings(name="aggregator", kind="sns", excerpts=True),
    "translation": TargetSettings(name="desk", kind="eventbridge", translates=True),
    "adaptation": TargetSettings(name="editor", kind="webhook", edits=True),
}
EVERYTHING = PartnerSettings(id="p", agreement=Agreement(allow_derivatives=True))
LANGUAGES = ("en", "fr", "de", "es", "ru", "fa", "ar", "zh", "ps", "ur")


def article(spdx: str, language: str = "en", **extra) -> dict:
    return {"id": "a1", "title": "Article 19", "authors": ["Ada", "Grace"], "publisher": "Wire",
            "language": language, "canonical_url": "https://example.org/a",
            "license": asdict(from_spdx(spdx, source="document")), **extra}


def test_an_nd_article_translated_under_the_agreement_is_not_credited_unaltered():
    # the defect: sent to a translating target under allow_translations, an ND article was credited
    # « Republié sans modification »
    partner = PartnerSettings(id="p", agreement=Agreement(allow_translations=True))
    block = decide(article("CC-BY-ND-4.0", "fr"), TARGETS["translation"], partner).attribution
    assert "sans modification" not in block["text"]
    assert block["use"] == "translation" and block["text"].endswith("Ceci est une traduction de l’original.")


@pytest.mark.parametrize("use", USES)
def test_the_targets_kind_decides_what_the_credit_says(use):
    block = decide(article("CC-BY-ND-4.0", "de"), TARGETS[use], EVERYTHING).attribution
    assert block["use"] == use and block["use_note"] == TEMPLATES["de"][use]
    assert block["text"].endswith(TEMPLATES["de"][use]) and block["use_note"] in block["html"]


def test_a_4_0_nd_excerpt_is_credited_as_an_excerpt_without_any_agreement():
    decision = decide(article("CC-BY-ND-4.0"), TARGETS["excerpt"], PartnerSettings(id="p"))
    assert decision.action == "deliver_with_attribution"
    assert decision.attribution["text"].endswith("This is an excerpt, otherwise unaltered.")
    assert any(o.startswith("no derivatives: excerpts verbatim") for o in decision.obligations)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_every_note_and_its_direction(lang):
    words = TEMPLATES[lang]
    assert {"credit", "no_authors", "quotes", "reserved", "none", "share_alike", "sep", "stop", *USES} <= set(words)
    for use in USES:
        block = attribution(article("CC-BY-SA-4.0", lang), PartnerSettings(id="p"), use=use)
        assert block["language"] == lang and block["use_note"] == words[use]
        assert block["direction"] == ("rtl" if lang in RTL else "ltr")
        assert f'lang="{lang}" dir="{block["direction"]}"' in block["html"]
        assert block["share_alike_note"] and "Creative Commons Attribution-ShareAlike 4.0" in block["share_alike_note"]


@pytest.mark.parametrize("lang", ["fa", "ar", "ps", "ur"])
def test_right_to_left_notes_are_written_in_their_own_script(lang):
    for use in USES:
        letters = [c for c in TEMPLATES[lang][use] if c.isalpha()]
        assert letters and all(unicodedata.bidirectional(c) == "AL" for c in letters), (lang, use)


def test_pashto_and_urdu_use_their_own_letters_not_persian_ones():
    assert re.search("[ټډړږښځڅڼ]", " ".join(TEMPLATES["ps"][u] for u in USES))  # Pashto-only letters
    assert re.search("[ٹڈڑںےہ]", " ".join(TEMPLATES["ur"][u] for u in USES))  # Urdu-only letters
    assert TEMPLATES["ur"]["stop"] == "۔"


def test_chinese_sentences_are_joined_without_a_space():
    block = attribution(article("CC-BY-4.0", "zh"), PartnerSettings(id="p"), use="excerpt")
    assert "许可。本文为原文节选" in block["text"]


def test_no_licence_and_reserved_credits_say_so_and_what_was_done():
    partner = PartnerSettings(id="p", agreement=Agreement(allow_all_rights_reserved=True, allow_translations=True))
    block = decide(article("LicenseRef-All-Rights-Reserved", "fr"), TARGETS["translation"], partner).attribution
    assert "Tous droits réservés" in block["text"] and block["text"].endswith("Ceci est une traduction de l’original.")
    assert block["license_url"] is None and block["rights"]["license"]["spdx"] == "LicenseRef-All-Rights-Reserved"


def test_the_partners_wording_for_the_articles_language_wins():
    partner = PartnerSettings(id="p", attribution="Courtesy of {publisher}",
                              attribution_by_language={"fr": "Avec l’aimable autorisation de {publisher} : « {title} »"})
    french = decide(article("CC-BY-4.0", "fr"), TARGETS["excerpt"], partner).attribution
    assert french["text"] == "Avec l’aimable autorisation de Wire : « Article 19 » Ceci est un extrait, sans autre modification."
    english = decide(article("CC-BY-4.0", "en"), TARGETS["unaltered"], partner).attribution
    assert english["text"] == "Courtesy of Wire Republished unaltered."


def test_a_translation_is_credited_in_the_translations_language():
    target = TargetSettings(name="ur-desk", kind="eventbridge", translates=True, options={"language": "ur"})
    block = decide(article("CC-BY-4.0", "en"), target, PartnerSettings(id="p")).attribution
    assert block["language"] == "ur" and block["direction"] == "rtl"
    assert block["text"].endswith("یہ اصل تحریر کا ترجمہ ہے۔")


def test_cc0_needs_no_credit_but_partner_wording_still_gets_one():
    assert decide(article("CC0-1.0"), TARGETS["excerpt"], PartnerSettings(id="p")).attribution is None
    worded = decide(article("CC0-1.0"), TARGETS["excerpt"], PartnerSettings(id="p", attribution="Via {publisher}"))
    assert worded.attribution["text"] == "Via Wire This is an excerpt, otherwise unaltered."


@pytest.mark.parametrize("author, expected", [
    ("Assemblée générale des Nations unies", "» de l’Assemblée générale"),  # an institution takes its article
    ("Conseil de sécurité", "» du Conseil de sécurité"), ("Nations unies", "» des Nations unies"),
    ("Le Monde", "» du Monde"), ("La Croix", "» de La Croix"),
    ("Eleanor Roosevelt", "» d’Eleanor Roosevelt"), ("Paul Rogers", "» de Paul Rogers")])
def test_french_credit_elides_de_before_a_vowel(author, expected):
    block = attribution(article("CC-BY-4.0", "fr", authors=[author]), PartnerSettings(id="p"))
    assert expected in block["text"]
