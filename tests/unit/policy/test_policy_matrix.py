"""The licence policy over every licence × every kind of target, and the agreement overrides."""
from __future__ import annotations

from dataclasses import asdict

import pytest

from synd.license.catalog import from_spdx
from synd.policy import decide
from synd.settings import Agreement, PartnerSettings, TargetSettings

TARGETS = {
    "site": TargetSettings(name="site", kind="site"),  # static site: not commercial, no edits
    "webhook": TargetSettings(name="webhook", kind="webhook"),  # partner webhook, configured as is
    "aggregator": TargetSettings(name="aggregator", kind="sns", excerpts=True),
    "translator": TargetSettings(name="translator", kind="eventbridge", translates=True),
    "commercial": TargetSettings(name="commercial", kind="webhook", commercial=True),
}
D, A, W = "deliver", "deliver_with_attribution", "withhold"
# licence -> expected action per target, in the order site, webhook, aggregator, translator, commercial
MATRIX = {
    "CC-BY-4.0": (A, A, A, A, A),
    "CC-BY-SA-4.0": (A, A, A, A, A),
    "CC-BY-ND-4.0": (A, A, W, W, A),
    "CC-BY-NC-4.0": (A, A, A, A, W),
    "CC-BY-NC-SA-4.0": (A, A, A, A, W),
    "CC-BY-NC-ND-4.0": (A, A, W, W, W),
    "CC0-1.0": (D, D, D, D, D),
    "CC-PDM-1.0": (D, D, D, D, D),
    "LicenseRef-All-Rights-Reserved": (W, W, W, W, W),
    "NOASSERTION": (W, W, W, W, W),
}
PARTNER = PartnerSettings(id="partner", publisher="openDemocracy")


def article(spdx: str, language: str = "en", **extra) -> dict:
    return {"id": "a1", "title": "While the West focused on Afghanistan, ISIS gained ground in Iraq and beyond",
            "authors": ["Paul Rogers"], "publisher": "openDemocracy", "language": language,
            "canonical_url": "https://www.opendemocracy.net/en/while-the-west-focused-on-afghanistan/",
            "license": asdict(from_spdx(spdx, source="document")), **extra}


@pytest.mark.parametrize("spdx", MATRIX)
@pytest.mark.parametrize("target_name", TARGETS)
def test_matrix(spdx, target_name):
    expected = MATRIX[spdx][list(TARGETS).index(target_name)]
    decision = decide(article(spdx), TARGETS[target_name], PARTNER)
    assert decision.action == expected, decision.reason
    assert decision.reason and target_name in decision.reason or spdx in ("NOASSERTION",
                                                                             "LicenseRef-All-Rights-Reserved")
    record = decision.to_record()
    assert record["action"] == expected and record["target"] == target_name
    if expected == A:
        assert decision.attribution["license_spdx"] == spdx
    if expected == W:
        assert decision.attribution is None


def test_reasons_are_specific():
    nd = decide(article("CC-BY-ND-4.0"), TARGETS["translator"], PARTNER)
    assert "forbids derivatives" in nd.reason and "translates" in nd.reason
    nc = decide(article("CC-BY-NC-4.0"), TARGETS["commercial"], PARTNER)
    assert "commercial" in nc.reason and "NonCommercial" in nc.reason
    none = decide(article("NOASSERTION"), TARGETS["site"], PARTNER)
    assert "allow_noassertion" in none.reason


def test_share_alike_says_derived_works_keep_the_licence():
    decision = decide(article("CC-BY-SA-4.0"), TARGETS["aggregator"], PARTNER)
    assert "share-alike" in decision.reason
    assert any("ShareAlike" in o for o in decision.obligations)


def test_attribution_block_for_nd_says_unaltered_and_links():
    block = decide(article("CC-BY-ND-4.0"), TARGETS["site"], PARTNER).attribution
    assert block["unaltered_note"] == "Republished unaltered."
    assert block["license_url"] == "https://creativecommons.org/licenses/by-nd/4.0/"
    assert "Paul Rogers" in block["text"] and "openDemocracy" in block["text"]
    assert 'rel="license" href="https://creativecommons.org/licenses/by-nd/4.0/"' in block["html"]
    assert 'href="https://www.opendemocracy.net/en/while-the-west-focused-on-afghanistan/"' in block["html"]


def test_attribution_in_the_articles_language_and_direction():
    block = decide(article("CC-BY-4.0", language="fa-AF"), TARGETS["site"], PARTNER).attribution
    assert block["language"] == "fa" and block["direction"] == "rtl" and "تحت مجوز" in block["text"]
    assert 'dir="rtl"' in block["html"]
    fallback = decide(article("CC-BY-4.0", language="ps"), TARGETS["site"], PARTNER).attribution
    assert fallback["language"] == "en" and "is licensed under" in fallback["text"]


def test_attribution_html_is_escaped_and_links_only_web_urls():
    block = decide(article("CC-BY-4.0", title="<script>alert(1)</script>", canonical_url="javascript:alert(1)"),
                   TARGETS["site"], PARTNER).attribution
    assert "<script>" not in block["html"] and "javascript:" not in block["html"]


def test_partner_wording_wins():
    partner = PartnerSettings(id="p", attribution="Courtesy of {publisher}: {title} ({license})")
    block = decide(article("CC-BY-4.0"), TARGETS["site"], partner).attribution
    assert block["text"].startswith("Courtesy of openDemocracy: While the West")


@pytest.mark.parametrize("spdx, target, agreement, expected", [
    ("CC-BY-ND-4.0", "translator", Agreement(allow_translations=True), A),
    ("CC-BY-ND-4.0", "aggregator", Agreement(allow_translations=True), W),
    ("CC-BY-ND-4.0", "aggregator", Agreement(allow_derivatives=True), A),
    ("CC-BY-NC-4.0", "commercial", Agreement(allow_commercial=True), A),
    ("CC-BY-4.0", "commercial", Agreement(non_profit_only=True), W),
    ("CC0-1.0", "commercial", Agreement(non_profit_only=True), W),
    ("NOASSERTION", "site", Agreement(allow_noassertion=True), A),
    ("NOASSERTION", "commercial", Agreement(allow_noassertion=True), A),
    ("LicenseRef-All-Rights-Reserved", "site", Agreement(allow_all_rights_reserved=True), A),
    ("LicenseRef-All-Rights-Reserved", "translator", Agreement(allow_all_rights_reserved=True), W),
    ("LicenseRef-All-Rights-Reserved", "translator",
     Agreement(allow_all_rights_reserved=True, allow_translations=True), A),
])
def test_agreement_overrides(spdx, target, agreement, expected):
    partner = PartnerSettings(id="p", agreement=agreement)
    decision = decide(article(spdx), TARGETS[target], partner)
    assert decision.action == expected, decision.reason
    if expected == A and spdx in ("NOASSERTION", "LicenseRef-All-Rights-Reserved"):
        assert any("agreement" in o for o in decision.obligations)


def test_an_unreadable_licence_is_withheld():
    unknown = {"spdx": "LicenseRef-Partner-Terms", "name": "Partner terms"}
    decision = decide(article("CC-BY-4.0", license=unknown), TARGETS["site"], PARTNER)
    assert decision.action == W and "cannot read" in decision.reason


def test_a_record_with_only_an_spdx_id_gets_its_flags():
    decision = decide(article("CC-BY-4.0", license={"spdx": "CC-BY-NC-ND-4.0"}), TARGETS["commercial"], PARTNER)
    assert decision.action == W and "NonCommercial" in decision.reason


def test_a_translating_target_gets_the_credit_in_its_language():
    target = TargetSettings(name="fa-desk", kind="eventbridge", translates=True, options={"language": "fa"})
    block = decide(article("CC-BY-SA-4.0"), target, PARTNER).attribution
    assert block["language"] == "fa" and block["direction"] == "rtl"


def test_the_title_in_the_credit_is_isolated_from_the_sentence_direction():
    from synd.policy import attribution
    from synd.settings import PartnerSettings

    record = {"title": "د بشري حقونو نړیواله اعلامیه", "authors": [], "publisher": "Kandahar wire",
              "canonical_url": None, "language": "ps",
              "license": {"spdx": "CC-BY-SA-4.0", "name": "Creative Commons Attribution-ShareAlike 4.0 International",
                          "url": "https://creativecommons.org/licenses/by-sa/4.0/"}}
    credit = attribution(record, PartnerSettings(id="kandahar"))
    assert "<bdi>د بشري حقونو نړیواله اعلامیه</bdi>" in credit["html"]
