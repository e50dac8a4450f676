"""The two real partner drops must come out as /work/shared/corpus/expected says."""
from __future__ import annotations

from tests.unit.formats.format_support import DATA, parse_bytes


def fold(text: str) -> str:
    return " ".join(text.split())


def test_afgazad_masthead_page():
    name, drafts = parse_bytes((DATA / "drops" / "afgazad.txt").read_bytes())
    assert name == "markdown"
    [draft] = drafts
    assert draft.title == "ISIS's Last Gasps"
    assert draft.authors == ["Patrick Cockburn"]
    assert draft.published == "2018-03-28"  # the dateline, not the repost date 29.03.2018
    assert draft.canonical_url is None
    body = fold(draft.body_text)
    assert body.startswith("The killing of three people in the south of France by a man claiming allegiance to Isis")
    assert "its terrorist operations in France and elsewhere could call on the resources" in body
    assert body.endswith("it is unlikely that this will happen now.")
    for chrome in ("afgazad@gmail.com", "www.afgazad.com", "AA-AA", "European Languages", "29.03.2018",
                   "افغانستان", "کشور", "by PATRICK"):
        assert chrome not in body
    assert draft.license_hints == []
    # the page break is rejoined: the split sentence is one paragraph
    assert any(p.startswith("Isis is far less important") and p.endswith("suicide bombers.")
               for p in draft.body_text.split("\n\n"))


def test_opendemocracy_gopher_relay_item():
    name, drafts = parse_bytes((DATA / "drops" / "opendemocracy.txt").read_bytes())
    assert name == "gopher"
    [draft] = drafts
    assert draft.title == "While the West focused on Afghanistan, ISIS gained ground in Iraq and beyond"
    assert draft.authors == []
    assert draft.published == "2021-12"
    assert draft.canonical_url == ("https://www.opendemocracy.net/en/while-the-west-focused-on-afghanistan-"
                                   "isis-gained-ground-in-iraq-and-beyond/")
    assert draft.publisher == "OpenDemocracy"
    assert draft.via == ["Magical.Fish Gopher News Feeds"]
    [hint] = draft.license_hints
    assert hint.url == "https://creativecommons.org/licenses/by-nd/4.0/"
    assert "Attributions/No Derivities" in hint.text and hint.where == "header"
    body = fold(draft.body_text)
    assert body.startswith("When the Taliban movement finally took control of Afghanistan in August")
    assert body.endswith("with 258 troops killed so far.")
    for wrapper in ("Sign the petition", "Tell Boris Johnson", "[END]", "This unaltered story", "Magical.Fish",
                    "gopher://", "License", "Date:", "By:", "creativecommons.org"):
        assert wrapper not in body
