"""Issue 10, "One vocabulary for licence lines": one table says both which lines leave the body
and what licence they state, and a line taken out of the body is always kept as evidence.

Before: text/header.py stripped lines with its own regex (`haklar[ıi]…saklıdır`, `open government
licen[cs]e`, `gfdl`) that license/ could not read, so "Tüm hakları saklıdır." and "…licensed under
the Open Government Licence v3.0." left the body and the article got NOASSERTION with no evidence;
and the body path kept "tous droits de reproduction … réservés" that the footer path stripped.
The statements quoted here are real (sources in tests/data/license/SOURCES.md, "Non-CC licences").
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from synd.license import find_body_license, license_from_hints, read_licence_line, read_statement, tag_license
from synd.license.catalog import from_spdx
from synd.model import Draft, LicenseHint
from synd.pipeline import make_source, parse_drop
from synd.settings import PartnerSettings
from synd.text.header import licence_line
from tests.unit.formats.format_support import udhr_paragraphs

PARTNER = PartnerSettings(id="tests")
ROOT = Path(__file__).resolve().parents[3]
BODY = ["Birinci paragraf: İnsan Hakları Evrensel Beyannamesi bugün yetmiş beşinci yılını kutluyor.",
        "İkinci paragraf: herkes, hiçbir ayrım gözetilmeksizin bu Beyannamede ilan olunan haklardan yararlanabilir."]
ARR = "LicenseRef-All-Rights-Reserved"


def parsed_text_drop(last_line: str, partner: PartnerSettings = PARTNER):
    """A bare text drop (title, two paragraphs, one footer line) through the whole core chain."""
    data = "\n\n".join(["Beyanname yetmiş beş yaşında", *BODY, last_line]).encode("utf-8") + b"\n"
    [article] = parse_drop(data, make_source(data), partner).articles
    return article


# (line, what it states). NOASSERTION lines must stay in the article's text.
LINES = [
    ("Tüm hakları saklıdır.", ARR),
    ("© 2024 Kitap Atlası. Tüm hakları saklıdır.", ARR),
    ("© 2022 Intertech, Inc. Her hakkı saklıdır", ARR),
    ("Licensed under the Open Government Licence v3.0.", "OGL-UK-3.0"),
    ("All content is available under the Open Government Licence v3.0, except where otherwise stated",
     "OGL-UK-3.0"),
    ("Lille Hebdo – tous droits de reproduction et de diffusion réservés", ARR),
    ("Copyright Reuters", ARR),
    ("Licence : Licence Ouverte 2.0", "etalab-2.0"),
    ("Dieses Werk ist gemeinfrei.", "LicenseRef-Public-Domain"),
    # The credit the OGL asks re-users to give for public sector information the article *contains*:
    # it licenses that information, not the article, and it has to travel with the text.
    ("Contains public sector information licensed under the Open Government Licence v3.0.", "NOASSERTION"),
    ("Photo: Jane Doe, CC BY-SA 4.0 via Wikimedia Commons", "NOASSERTION"),
    ("Le Lorem Ipsum est dans le domaine public depuis des siecles.", "NOASSERTION"),
    ("Todos los datos de fuente están en el dominio público.", "NOASSERTION"),
    ("Copyright law in Afghanistan protects few writers.", "NOASSERTION"),
]


@pytest.mark.parametrize("line, spdx", LINES, ids=[line[:40] for line, _ in LINES])
def test_a_footer_line_leaves_the_body_only_when_read_and_then_stays_as_evidence(line, spdx):
    article = parsed_text_drop(line)
    removed = line not in article.body_text
    assert article.license.spdx == spdx
    assert removed == (spdx != "NOASSERTION")
    if removed:
        assert line in article.license.evidence  # never lost
    assert article.body_text.split("\n\n")[:2] == BODY


@pytest.mark.parametrize("line, spdx", LINES, ids=[line[:40] for line, _ in LINES])
def test_the_body_edge_and_the_footer_parsers_agree(line, spdx):
    """find_body_license (lines left at the body's edges) and header.licence_line (parsers) use one gate."""
    findings, kept = find_body_license("\n\n".join([*BODY, line]))
    assert licence_line(line) == bool(findings) == (spdx != "NOASSERTION")
    assert (line in kept) == (spdx == "NOASSERTION")


def test_every_line_taken_out_is_kept_as_evidence_not_only_the_winning_one():
    data = "\n\n".join(["Erklärung", "Lizenz: CC BY-SA 3.0 DE", *BODY, "© 2020 Berliner Blatt"]).encode() + b"\n"
    [article] = parse_drop(data, make_source(data), PARTNER).articles
    assert article.license.spdx == "CC-BY-SA-3.0-DE"
    assert "Lizenz: CC BY-SA 3.0 DE" in article.license.evidence
    assert "© 2020 Berliner Blatt" in article.license.evidence


def test_a_bare_copyright_line_stays_as_evidence_when_the_partner_licence_applies():
    partner = PartnerSettings(id="p", default_license="CC-BY-4.0")
    article = parsed_text_drop("© 2023 İstanbul Notlar", partner)
    assert (article.license.spdx, article.license.source) == ("CC-BY-4.0", "partner")
    assert "© 2023 İstanbul Notlar" in article.license.evidence
    assert "© 2023 İstanbul Notlar" not in article.body_text


def test_a_licence_label_the_vocabulary_cannot_read_is_kept_and_never_replaced_by_the_partner_default():
    line = "License: proprietary, ask the desk before reuse"
    assert parsed_text_drop(line).license.spdx == "NOASSERTION"
    assert line in parsed_text_drop(line).license.evidence
    partner = PartnerSettings(id="p", default_license="CC-BY-4.0")
    article = parsed_text_drop(line, partner)
    assert article.license.spdx == "NOASSERTION" and line not in article.body_text
    assert article.license.conflict["partner"] == "CC-BY-4.0" and article.license.conflict["resolved"] == "document"


# Reservations in every language of tests/corpus, as sites write them.
RESERVATIONS = {
    "fa": "کلیه حقوق مادی و معنوی این سایت محفوظ است.",
    "ps": "ټول حقونه خوندي دي",
    "ar": "© 2023 جميع الحقوق محفوظة",
    "ur": "جملہ حقوق محفوظ ہیں",
    "en": "© 2020 Example News. All rights reserved.",
    "fr": "Tous droits réservés.",
    "ru": "Все права принадлежат ООО НПП \"Гарант-Сервис\".",
    "de": "Alle Rechte vorbehalten.",
    "es": "Todos los derechos reservados.",
    "tr": "TÜM HAKLARI SAKLIDIR.",
    "zh": "版权归本公司所有，不得私自使用、拷贝、修改、删除，否则视为侵权",
}


@pytest.mark.parametrize("lang", sorted(RESERVATIONS))
def test_reservations_in_every_corpus_language_are_read_with_evidence(lang):
    line = RESERVATIONS[lang]
    licence, kept = tag_license(Draft(body_text="\n\n".join([*BODY, line])), PARTNER)
    assert (licence.spdx, licence.evidence) == (ARR, line)
    assert line not in kept


def _trap_lines() -> list[tuple[str, str]]:
    """Lines that state no licence of the article they are in, in every language of the corpus: the UDHR
    specimens (gflanguages), full of "حقوق", "права и свободы", "droits", "derechos", "hakları"; every
    line of the article texts of both corpora, as `synd parse` leaves them (the licence lines are out);
    the real news texts of tests/unit/formats/data/html (newspaper4k)."""
    codes = {"fa": "fa_Arab", "ps": "ps_Arab", "ar": "ar_Arab", "ur": "ur_Arab", "en": "en_Latn", "fr": "fr_Latn",
             "ru": "ru_Cyrl", "de": "de_Latn", "es": "es_Latn", "tr": "tr_Latn", "zh": "zh_Hans"}
    found = [(lang, p) for lang, code in codes.items() for p in udhr_paragraphs(code)]
    for corpus in (ROOT / "tests" / "corpus", ROOT.parent / "shared" / "corpus"):
        for expected in sorted((corpus / "expected").glob("*.json")):
            label = json.loads(expected.read_text(encoding="utf-8"))
            if label.get("rejected"):
                continue
            data = (corpus / label["drop"]).read_bytes()
            for article in parse_drop(data, make_source(data), PARTNER).articles:
                found += [(expected.stem, line) for line in article.body_text.split("\n") if line.strip()]
    for text in sorted((ROOT / "tests" / "unit" / "formats" / "data" / "html").glob("*.txt")):
        found += [(text.name, line) for line in text.read_text(encoding="utf-8").split("\n") if line.strip()]
    return found


TRAPS = _trap_lines()


def test_the_trap_set_is_large_and_in_every_corpus_language():
    assert len(TRAPS) > 300
    assert {"fa", "ps", "ar", "ur", "en", "fr", "ru", "de", "es", "tr", "zh"} <= {lang for lang, _ in TRAPS}


def test_no_paragraph_of_a_text_without_a_licence_is_read_as_one():
    misread = [(where, p[:80], f.license.spdx) for where, p in TRAPS for f in [read_licence_line(p)] if f]
    assert misread == []


@pytest.mark.parametrize("text, spdx", [
    # Open Government Licence (UK), in English and Welsh, by name, short name and URL
    ("Licensed under the Open Government Licence v3.0.", "OGL-UK-3.0"),
    ("Mae'r holl gynnwys ar gael o dan y Trwydded Llywodraeth Agored v3.0, ac eithrio lle nodir yn wahanol",
     "OGL-UK-3.0"),
    ("Licence: OGL v2.0", "OGL-UK-2.0"),
    ("https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/", "OGL-UK-3.0"),
    ("Open Government Licence", "LicenseRef-OGL-UK"),
    # GNU Free Documentation License, as written: version, "or any later version", invariant sections
    ("Permission is granted to copy, distribute and/or modify this document under the terms of the GNU Free "
     "Documentation License, Version 1.3 or any later version published by the Free Software Foundation; with no "
     "Invariant Sections, no Front-Cover Texts, and no Back-Cover Texts.", "GFDL-1.3-no-invariants-or-later"),
    ("The documentation provided herein is licensed under the terms of the GNU Free Documentation License version "
     "1.3 as published by the Free Software Foundation.", "GFDL-1.3-only"),
    ("Licencia de documentación libre de GNU 1.3 o posterior", "GFDL-1.3-or-later"),
    ("Vous pouvez copier, redistribuer et/ou modifier ce document selon les termes de la Licence de Documentation "
     "Libre GNU, Version 1.2 publiée par la Free Software Foundation.", "GFDL-1.2-only"),
    ("GNU-Lizenz für freie Dokumentation 1.3", "GFDL-1.3-only"),
    ("License: GFDL-1.3-or-later", "GFDL-1.3-or-later"),
    # Free Art License / Licence Art Libre
    ("Copyleft: This is a free work, you can copy, distribute, and modify it under the terms of the Free Art "
     "License http://artlibre.org/licence/lal/en/", "LAL-1.3"),
    ("Copyleft : cette oeuvre est libre, vous pouvez la (photo)copier, la diffuser ou la modifier, selon les "
     "termes de la Licence Art Libre, voir: http://www.artlibre.org/licence/lal/", "LAL-1.3"),
    ("Licence: Free Art License 1.3 - free to use, copy, modify and distribute with attribution.", "LAL-1.3"),
    ("Licence Art Libre 1.2", "LAL-1.2"),
    # Etalab's Licence Ouverte / Open Licence
    ("Licence Ouverte / Open Licence version 2.0", "etalab-2.0"),
    ("Licence : Licence Ouverte 2.0", "etalab-2.0"),
    ("https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf", "etalab-2.0"),
    ("Licence Ouverte / Open Licence (Etalab)", "LicenseRef-etalab"),
    # public domain statements
    ("This work is in the public domain.", "LicenseRef-Public-Domain"),
    ("Ce texte est dans le domaine public.", "LicenseRef-Public-Domain"),
    ("Esta obra está en el dominio público.", "LicenseRef-Public-Domain"),
    ("Данный материал является общественным достоянием.", "LicenseRef-Public-Domain"),
    ("Public domain", "LicenseRef-Public-Domain"),
])
def test_non_cc_licences_are_read_with_their_spdx_ids(text, spdx):
    finding = read_licence_line(text)
    assert finding is not None and finding.license.spdx == spdx
    assert finding.license.evidence and text.strip() in finding.license.evidence


@pytest.mark.parametrize("text", [
    "This work is not in the public domain.",
    "Показывает источник, который бесплатен для прослушивания, но не является общественным достоянием.",
    "Marx und Engels veröffentlichten das Manifest im Februar 1848 in London; es ist gemeinfrei.",
    "Google Maps",  # "ogl" inside a word is not the Open Government Licence
    "We thank the Open Government Partnership for its report.",
])
def test_traps_around_the_new_names(text):
    assert read_licence_line(text) is None


@pytest.mark.parametrize("spdx, derivatives, commercial, share_alike, attribution", [
    ("OGL-UK-3.0", True, True, False, True),
    ("OGL-UK-2.0", True, True, False, True),
    ("GFDL-1.3-or-later", True, True, True, True),
    ("GFDL-1.3-only", True, True, True, True),
    ("GFDL-1.3-no-invariants-or-later", True, True, True, True),
    ("GFDL-1.3-invariants-only", False, True, True, True),  # invariant sections may not be changed or left out
    ("LAL-1.3", True, True, True, True),
    ("etalab-2.0", True, True, False, True),
    ("LicenseRef-Public-Domain", True, True, False, False),
])
def test_what_each_licence_permits_is_in_the_catalog(spdx, derivatives, commercial, share_alike, attribution):
    licence = from_spdx(spdx)
    assert licence.spdx == spdx and licence.name and licence.name != spdx
    assert (licence.derivatives, licence.commercial, licence.share_alike, licence.attribution) == (
        derivatives, commercial, share_alike, attribution)


def test_partner_settings_may_name_the_new_ids_in_any_case():
    assert from_spdx("ogl-uk-3.0").spdx == "OGL-UK-3.0"
    assert from_spdx("ETALAB-2.0").url.startswith("https://www.etalab.gouv.fr/")


def test_a_licence_url_hint_with_no_text_is_read():
    hint = LicenseHint(url="https://www.gnu.org/licenses/fdl-1.3.html", where="rel-license")
    assert license_from_hints([hint], PARTNER).spdx == "GFDL-1.3-only"


def test_read_statement_still_reads_cc_first_when_a_line_names_two_licences():
    assert read_statement("au choix, sous la licence Art Libre ou la licence CC BY-SA 4.0").license.spdx == \
        "CC-BY-SA-4.0"
