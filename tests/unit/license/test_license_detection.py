"""Licence detection on real licence statements (tests/data/license/, see SOURCES.md there)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from synd.license import find_body_license, license_from_hints, read_statement, tag_license
from synd.license.catalog import from_spdx
from synd.model import Draft, LicenseHint
from synd.settings import Agreement, PartnerSettings

DATA = Path(__file__).resolve().parents[2] / "data" / "license"
CASES = json.loads((DATA / "statements.json").read_text(encoding="utf-8"))["cases"]
PARTNER = PartnerSettings(id="tests")
# shared/ sits beside the work tree (locally /work/shared, in CI beside the fresh clone)
_DROP = Path("corpus/drops/afgazad/000_afb5d5d29ecc6f79.txt")
AFGAZAD_DROP = next((p for p in (Path(__file__).resolve().parents[4] / "shared" / _DROP, Path("/work/shared") / _DROP)
                     if p.exists()), Path("/work/shared") / _DROP)


def _hint(case: dict) -> LicenseHint:
    return LicenseHint(text=case["text"], url=case["url"], where=case["where"])


def test_the_set_is_large_varied_and_has_traps():
    assert len(CASES) >= 40
    assert len({c["lang"] for c in CASES}) >= 6
    assert sum(c["kind"] == "trap" for c in CASES) >= 4


# Translations that name neither Creative Commons nor its elements in words we know (Serbian
# "заједничког стваралаштва", Tamil transliteration): known misses, reported by bench/license_accuracy.py.
KNOWN_MISSES = {"gnome-sr", "gnome-sr@latin", "gnome-ta"}


@pytest.mark.parametrize("case", [pytest.param(c, marks=pytest.mark.xfail(strict=True, reason="known miss"))
                                  if c["id"] in KNOWN_MISSES else c for c in CASES], ids=[c["id"] for c in CASES])
def test_real_statement(case):
    assert license_from_hints([_hint(case)], PARTNER).spdx == case["expect"]


def test_seed_header_gives_the_full_record():
    hint = LicenseHint(text="Creative Commons 4.0 - Attributions/No Derivities/Int'l.",
                       url="https://creativecommons.org/licenses/by-nd/4.0/", where="header")
    licence, body = tag_license(Draft(body_text="Text.", license_hints=[hint]), PARTNER)
    assert (licence.spdx, licence.url) == ("CC-BY-ND-4.0", "https://creativecommons.org/licenses/by-nd/4.0/")
    assert licence.derivatives is False and licence.commercial is True and licence.attribution is True
    assert licence.source == "document" and "No Derivities" in licence.evidence
    assert licence.name == "Creative Commons Attribution-NoDerivatives 4.0 International"
    assert body == "Text."


@pytest.mark.parametrize("text, spdx, url", [
    ("Creative Commons 4.0 - Attributions/No Derivities/Int'l.", "CC-BY-ND-4.0",
     "https://creativecommons.org/licenses/by-nd/4.0/"),
    ("Licence Creative Commons Attribution - Pas d'Utilisation Commerciale 4.0", "CC-BY-NC-4.0",
     "https://creativecommons.org/licenses/by-nc/4.0/"),
    ("Lizenz: CC BY-SA 3.0 DE", "CC-BY-SA-3.0-DE", "https://creativecommons.org/licenses/by-sa/3.0/de/"),
    ("CC BY-NC-ND 4.0", "CC-BY-NC-ND-4.0", "https://creativecommons.org/licenses/by-nc-nd/4.0/"),
    ("CC-BY-NC-SA-3.0-IGO", "CC-BY-NC-SA-3.0-IGO", "https://creativecommons.org/licenses/by-nc-sa/3.0/igo/"),
    ("https://creativecommons.org/licenses/by-sa/3.0/de/deed.en", "CC-BY-SA-3.0-DE",
     "https://creativecommons.org/licenses/by-sa/3.0/de/"),
    ("http://creativecommons.org/licenses/by/4.0/deed.fa", "CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/"),
    ("https://creativecommons.org/publicdomain/zero/1.0/legalcode", "CC0-1.0",
     "https://creativecommons.org/publicdomain/zero/1.0/"),
    ("https://creativecommons.org/publicdomain/mark/1.0/", "CC-PDM-1.0",
     "https://creativecommons.org/publicdomain/mark/1.0/"),
    ("© 2020 X. All rights reserved", "LicenseRef-All-Rights-Reserved", None),
])
def test_wording_urls_and_codes(text, spdx, url):
    finding = read_statement(text)
    assert finding is not None
    assert (finding.license.spdx, finding.license.url) == (spdx, url)


def test_flags_follow_the_elements():
    nc_sa = from_spdx("CC-BY-NC-SA-4.0")
    assert (nc_sa.commercial, nc_sa.derivatives, nc_sa.share_alike, nc_sa.attribution) == (False, True, True, True)
    zero = from_spdx("CC0-1.0")
    assert (zero.commercial, zero.derivatives, zero.attribution) == (True, True, False)


def _afgazad_body() -> str:
    if not AFGAZAD_DROP.exists():
        pytest.skip("shared corpus not present")
    return AFGAZAD_DROP.read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("case_id", ["gnome-fa", "gnome-de", "gnome-ru", "gnome-zh_CN", "arr-ar", "arr-ur", "arr-ps",
                                     "fr-by-nc-sa-4", "es-by-nc-nd-4", "zh-by-nc-nd-4", "ar-by-nc-nd-4"])
def test_last_line_of_a_real_article_is_read_and_removed(case_id):
    case = next(c for c in CASES if c["id"] == case_id)
    body = _afgazad_body()
    licence, cleaned = tag_license(Draft(body_text=f"{body}\n\n{case['text']}"), PARTNER)
    assert licence.spdx == case["expect"] and licence.source == "document"
    assert case["text"] not in cleaned
    assert cleaned == body


def test_a_real_article_with_no_statement_is_noassertion_and_untouched():
    body = _afgazad_body()
    licence, cleaned = tag_license(Draft(body_text=body), PARTNER)
    assert licence.spdx == "NOASSERTION" and licence.source == "none"
    assert cleaned == body


def test_trap_an_article_about_creative_commons_is_not_licensed_by_it():
    about = [c["text"] for c in CASES if c["id"] in ("trap-cc-not-law-firm", "trap-cc-contact")]
    body = "\n\n".join([_afgazad_body(), *about])
    licence, cleaned = tag_license(Draft(body_text=body), PARTNER)
    assert licence.spdx == "NOASSERTION"
    assert cleaned == body


@pytest.mark.parametrize("credit", [
    "Photo: " + next(c for c in CASES if c["id"] == "trap-image-textures")["text"],
    next(c for c in CASES if c["id"] == "trap-image-wikimedia-caption")["text"],
    next(c for c in CASES if c["id"] == "trap-image-own-work")["text"],
])
def test_trap_an_image_credit_is_not_the_articles_licence(credit):
    body = f"{_afgazad_body()}\n\n{credit}"
    licence, cleaned = tag_license(Draft(body_text=body), PARTNER)
    assert licence.spdx == "NOASSERTION"
    assert credit in cleaned


def test_trap_third_party_material_licence_at_the_end_is_not_the_articles():
    line = next(c for c in CASES if c["id"] == "trap-fa-third-party-data")["text"]
    licence, cleaned = tag_license(Draft(body_text=f"{_afgazad_body()}\n\n{line}"), PARTNER)
    assert licence.spdx == "NOASSERTION" and line in cleaned


def test_a_long_discussion_line_at_the_end_is_not_a_statement():
    line = ("Creative Commons licences such as CC BY-SA 4.0 let authors keep their copyright while allowing others "
            "to copy and distribute their work, and many newsrooms have adopted them for that reason " * 3)
    findings, cleaned = find_body_license(f"Intro.\n{line}")
    assert findings == [] and line in cleaned


def test_document_beats_feed_and_feed_beats_nothing():
    feed = LicenseHint(text="Example copyright", where="feed")
    item = LicenseHint(url="http://www.creativecommons.org/licenses/by-nc/1.0", where="feed-item")
    assert license_from_hints([feed, item], PARTNER).spdx == "CC-BY-NC-1.0"
    only_feed = license_from_hints([feed], PARTNER)
    assert (only_feed.spdx, only_feed.source) == ("LicenseRef-All-Rights-Reserved", "feed")


def test_grant_beats_copyright_line_in_the_same_document():
    hints = [LicenseHint(text="Copyright (C) 2004-2008 Mark Pilgrim. All rights reserved.", where="footer"),
             LicenseHint(text="CC BY-SA", url="https://creativecommons.org/licenses/by-sa/4.0/", where="rel-license")]
    assert license_from_hints(hints, PARTNER).spdx == "CC-BY-SA-4.0"


def test_partner_default_applies_when_the_document_says_nothing():
    partner = PartnerSettings(id="p", default_license="CC-BY-NC-ND-4.0")
    licence, _ = tag_license(Draft(body_text="Just text."), partner)
    assert (licence.spdx, licence.source, licence.conflict) == ("CC-BY-NC-ND-4.0", "partner", None)
    assert licence.url == "https://creativecommons.org/licenses/by-nc-nd/4.0/"


def test_conflict_document_wins_and_both_are_recorded():
    partner = PartnerSettings(id="p", default_license="CC-BY-NC-4.0", agreement=Agreement())
    hint = LicenseHint(text="Creative Commons 4.0 - Attributions/No Derivities/Int'l.",
                       url="https://creativecommons.org/licenses/by-nd/4.0/", where="header")
    licence = license_from_hints([hint], partner)
    assert licence.spdx == "CC-BY-ND-4.0" and licence.source == "document"
    assert licence.conflict["document"] == "CC-BY-ND-4.0" and licence.conflict["partner"] == "CC-BY-NC-4.0"
    assert licence.conflict["resolved"] == "document"


def test_conflict_bare_copyright_yields_to_partner_licence():
    partner = PartnerSettings(id="p", default_license="CC-BY-4.0")
    licence = license_from_hints([LicenseHint(text="Example copyright", where="feed")], partner)
    assert licence.spdx == "CC-BY-4.0" and licence.source == "partner"
    assert licence.conflict["resolved"] == "partner"


def test_a_sentence_about_copyright_at_the_top_is_kept():
    body = "Copyright law in Afghanistan protects few writers.\nThe rest of the article."
    licence, cleaned = tag_license(Draft(body_text=body), PARTNER)
    assert licence.spdx == "NOASSERTION" and cleaned == body


def test_a_copyright_notice_at_the_bottom_is_read_and_removed():
    licence, cleaned = tag_license(Draft(body_text="The article.\n\nCopyright 2018 Patrick Cockburn"), PARTNER)
    assert licence.spdx == "LicenseRef-All-Rights-Reserved" and cleaned == "The article."


BODY_CASES = [c for c in CASES if c["text"] and c["where"] not in ("image", "feed") and not c["url"]]


@pytest.mark.parametrize("case", [pytest.param(c, marks=pytest.mark.xfail(strict=True, reason="known miss"))
                                  if c["id"] in KNOWN_MISSES else c for c in BODY_CASES],
                         ids=[c["id"] for c in BODY_CASES])
def test_real_statement_as_the_last_line_of_a_real_article(case):
    body = _afgazad_body()
    licence, cleaned = tag_license(Draft(body_text=f"{body}\n\n{case['text']}"), PARTNER)
    assert licence.spdx == case["expect"]
    if case["expect"] == "NOASSERTION":
        assert case["text"] in cleaned  # a trap stays in the article
    else:
        assert cleaned == body  # a licence line is metadata: it leaves the body


@pytest.mark.parametrize("text, spdx", [
    ("Lille Hebdo – tous droits de reproduction et de diffusion réservés", "LicenseRef-All-Rights-Reserved"),
    ("Todos los derechos de autor reservados.", "LicenseRef-All-Rights-Reserved"),
    ("To the extent possible under law, Rights Commons Notes has waived all copyright and related or "
     "neighboring rights to this work.", "CC0-1.0"),
])
def test_reservations_and_waivers_with_words_in_between(text, spdx):
    assert read_statement(text).license.spdx == spdx


@pytest.mark.parametrize("tagline", ["No Rights Reserved", "Some rights reserved"])
def test_creative_commons_taglines_are_not_reservations(tagline):
    assert read_statement(tagline) is None


def test_the_only_paragraph_is_never_taken_for_a_licence_line():
    body = ("Creative Commons recommend the replacement Public Domain Dedication CC0 (CC zero, "
            "\"No Rights Reserved\"). So does the Free Software Foundation in its license list.")
    findings, kept = find_body_license(body)
    assert kept == body
