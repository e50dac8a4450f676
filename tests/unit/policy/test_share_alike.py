"""ShareAlike travels with the content: a target that puts its own licence on what it makes gets SA
material only where that licence is compatible (CC 4.0 §3(b)(1); 3.0 and 2.x §4(b)); a verbatim copy
keeps its own licence; the obligation is in every decision that delivers SA material."""
from __future__ import annotations

from dataclasses import asdict

import pytest

from synd.license.catalog import from_spdx
from synd.policy import compatible_licences, decide, read_license
from synd.settings import Agreement, PartnerSettings, TargetSettings

PARTNER = PartnerSettings(id="p")
D, A, W = "deliver", "deliver_with_attribution", "withhold"


def article(spdx: str) -> dict:
    return {"id": "a1", "title": "T", "authors": ["A"], "publisher": "P", "language": "en",
            "canonical_url": "https://example.org/a", "license": asdict(from_spdx(spdx, source="document"))}


def editor(licence: str | None, **kind) -> TargetSettings:
    return TargetSettings(name="editor", kind="webhook", license=licence, **(kind or {"edits": True}))


@pytest.mark.parametrize("spdx, target_licence, expected", [
    ("CC-BY-SA-4.0", "CC-BY-SA-4.0", A),
    ("CC-BY-SA-4.0", "CC-BY-4.0", W),  # §3(b)(1): same License Elements
    ("CC-BY-SA-4.0", "CC-BY-SA-3.0", W),  # "this version or later"
    ("CC-BY-SA-4.0", "LAL-1.3", A),  # Free Art License 1.3: a BY-SA Compatible License
    ("CC-BY-SA-4.0", "GPL-3.0-only", A),  # one-way compatibility declared in 2015
    ("CC-BY-SA-3.0", "GPL-3.0-only", W),  # declared for 4.0 only
    ("CC-BY-SA-3.0", "CC-BY-SA-4.0", A),  # 3.0 §4(b)(ii): a later version
    ("CC-BY-SA-3.0-DE", "CC-BY-SA-3.0", A),  # §4(b)(iii): a jurisdiction licence, same elements
    ("CC-BY-SA-3.0", "CC-BY-SA-3.0-AT", A),
    ("CC-BY-SA-3.0-IGO", "CC-BY-SA-4.0", A),
    ("CC-BY-SA-2.0", "CC-BY-SA-2.5", A),  # 2.0 §4(b): a later version
    ("CC-BY-SA-2.5", "CC-BY-SA-2.0-UK", W),  # an earlier one
    ("CC-BY-NC-SA-4.0", "CC-BY-NC-SA-4.0", A),
    ("CC-BY-NC-SA-3.0", "CC-BY-NC-SA-4.0", A),
    ("CC-BY-NC-SA-4.0", "CC-BY-SA-4.0", W),  # loses NC
    ("CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", A),  # NC kept (CC's adapter's licence chart)
    ("CC-BY-NC-4.0", "CC-BY-4.0", W),
    ("CC-BY-NC-4.0", "LicenseRef-All-Rights-Reserved", A),  # grants recipients nothing commercial
    ("CC-BY-4.0", "CC-BY-NC-ND-4.0", A),  # 4.0 §3(a)(4): any Adapter's License
    ("CC0-1.0", "LicenseRef-All-Rights-Reserved", D),
    ("LicenseRef-CC-BY-SA", "CC-BY-SA-4.0", W),  # no version: only the same licence
])
def test_what_an_editing_target_may_license_its_adaptations_under(spdx, target_licence, expected):
    decision = decide(article(spdx), editor(target_licence), PARTNER)
    assert decision.action == expected, decision.reason
    if expected == W:
        assert decision.decided_by.startswith(spdx) and "relicensing" in decision.terms
        assert target_licence in decision.reason


def test_a_verbatim_copy_keeps_its_licence_whatever_the_target_says():
    decision = decide(article("CC-BY-SA-4.0"), editor("CC-BY-4.0", excerpts=False), PARTNER)
    assert decision.action == A and "relicensing" not in decision.terms
    assert any(o.startswith("keeps its licence") and "CC-BY-4.0" in o for o in decision.obligations)


def test_a_4_0_excerpt_is_the_licensed_material_but_an_older_one_may_be_an_adaptation():
    excerpting = editor("CC-BY-4.0", excerpts=True)
    assert decide(article("CC-BY-SA-4.0"), excerpting, PARTNER).action == A  # §2(a)(1)(A): "in part"
    older = decide(article("CC-BY-SA-3.0"), excerpting, PARTNER)
    assert older.action == W and older.decided_by.startswith("CC-BY-SA-3.0 §4(b)")


def test_the_agreement_may_allow_or_refuse_relicensing():
    generous = PartnerSettings(id="p", agreement=Agreement(allow_relicensing=True))
    assert decide(article("CC-BY-SA-4.0"), editor("CC-BY-4.0"), generous).action == A
    strict = PartnerSettings(id="p", agreement=Agreement(allow_relicensing=False))
    refused = decide(article("CC-BY-4.0"), editor("CC-BY-4.0"), strict)
    assert refused.action == W and refused.decided_by == "agreement.allow_relicensing"


def test_an_nd_adaptation_allowed_by_the_agreement_may_not_be_relicensed_without_saying_so():
    edits_only = PartnerSettings(id="p", agreement=Agreement(allow_edits=True))
    refused = decide(article("CC-BY-ND-4.0"), editor("CC-BY-ND-4.0"), edits_only)
    assert refused.action == W and refused.decided_by.startswith("CC-BY-ND-4.0 §3(a)(2)")
    both = PartnerSettings(id="p", agreement=Agreement(allow_edits=True, allow_relicensing=True))
    assert decide(article("CC-BY-ND-4.0"), editor("CC-BY-ND-4.0"), both).action == A


@pytest.mark.parametrize("target", [editor(None), editor(None, translates=True), editor(None, excerpts=True),
                                    TargetSettings(name="site", kind="site")])
def test_the_share_alike_obligation_travels_with_every_delivery(target):
    decision = decide(article("CC-BY-SA-4.0"), target, PARTNER)
    rights = decision.attribution["rights"]
    assert rights["share_alike"]["licenses"] == ["CC-BY-SA-4.0", "LAL-1.3", "GPL-3.0-only", "GPL-3.0-or-later"]
    assert rights["share_alike"]["obligation"] in decision.obligations
    assert rights["license"] == {"spdx": "CC-BY-SA-4.0",
                                 "name": "Creative Commons Attribution-ShareAlike 4.0 International",
                                 "url": "https://creativecommons.org/licenses/by-sa/4.0/"}
    assert decision.attribution["share_alike_note"].startswith("Adaptations must be shared under")


def test_compatible_licences_by_version():
    assert compatible_licences(read_license(asdict(from_spdx("CC-BY-SA-2.0")))) == [
        "CC-BY-SA-2.0", "CC-BY-SA-2.5", "CC-BY-SA-3.0", "CC-BY-SA-4.0"]
    assert compatible_licences(read_license(asdict(from_spdx("CC-BY-NC-SA-3.0-IGO")))) == [
        "CC-BY-NC-SA-3.0-IGO", "CC-BY-NC-SA-3.0", "CC-BY-NC-SA-4.0"]
