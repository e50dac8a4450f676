"""IPTC ninjs 2.x and 3.x items (official IPTC examples)."""
from __future__ import annotations

import json

import pytest

from tests.unit.formats.format_support import DATA, parse_bytes
from synd.errors import Rejected


def test_ninjs_31_article():
    name, [draft] = parse_bytes((DATA / "ninjs" / "ninjs31_complex_text_article.json").read_bytes())
    assert name == "ninjs"
    assert draft.title == "Captain of wrecked cruise ship on trial in Italy"
    assert draft.authors == ["Paulo Santalucia", "Frances d'Emilio"]
    assert draft.published == "2013-07-09T10:37:00Z"
    assert draft.language_hint == "en"
    assert draft.canonical_url == "http://ninjs.example.com/newsitems/20130709med123"
    assert draft.body_text.startswith("GROSSETO, Italy (AP) -- The trial of the captain")
    assert [h.text for h in draft.license_hints] == ["Copyright 2013 The News Agency, www.tna.org - all rights reserved."]


def test_ninjs_20_dpa_html_body():
    name, [draft] = parse_bytes((DATA / "ninjs" / "ninjs20_dpa_text.json").read_bytes())
    assert name == "ninjs"
    assert draft.title == "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?"
    assert draft.authors == ["Christian Hollmann"]
    assert draft.language_hint == "de"
    assert draft.publisher == "dpa"
    assert draft.modified == "2019-05-10T16:02:28+02:00"
    paragraphs = draft.body_text.split("\n\n")
    assert len(paragraphs) == 9 and paragraphs[0].startswith("Für Lucien Favre")
    assert any("Alle Rechte vorbehalten" in h.text for h in draft.license_hints)


def test_array_of_items_gives_one_draft_each():
    items = [json.loads((DATA / "ninjs" / f).read_text())
             for f in ("ninjs31_complex_text_article.json", "ninjs20_dpa_text.json")]
    name, drafts = parse_bytes(json.dumps(items))
    assert name == "ninjs" and len(drafts) == 2


def test_truncated_ninjs_is_malformed():
    raw = (DATA / "ninjs" / "ninjs20_dpa_text.json").read_bytes()
    with pytest.raises(Rejected) as info:
        parse_bytes(raw[:1500])
    assert info.value.code == "malformed"
