"""Markdown exports: YAML front matter, ATX/setext headings, chrome above the article's heading."""
from __future__ import annotations

import json

from tests.unit.formats.format_support import DATA, parse_bytes, udhr_paragraphs


def gold(name: str) -> tuple[dict, list[str]]:
    meta = json.loads((DATA / "html" / f"{name}.json").read_text())
    text = (DATA / "html" / f"{name}.txt").read_text()
    return meta, [p for p in text.split("\n\n") if p.strip()]


def test_front_matter_gives_metadata_and_licence():
    meta, paragraphs = gold("time_001")
    doc = ("---\n"
           f"title: \"{meta['title']}\"\n"
           "author: Alejandro de la Garza\n"
           "date: 2023-11-02T19:53:52+00:00\n"
           "lang: en\n"
           f"canonical_url: {meta['canonical_link']}\n"
           "license:\n  name: All rights reserved\n"
           "---\n\n" + "\n\n".join(paragraphs[:6]) + "\n")
    name, [draft] = parse_bytes(doc)
    assert name == "markdown"
    assert draft.title == meta["title"]
    assert draft.authors == ["Alejandro de la Garza"]
    assert draft.published == "2023-11-02T19:53:52+00:00"
    assert draft.language_hint == "en"
    assert draft.canonical_url == meta["canonical_link"]
    assert [(h.text, h.where) for h in draft.license_hints] == [("All rights reserved", "front-matter")]
    # the gold text keeps a real "Read more:" link line; the body must not
    assert any(p.startswith("Read more:") for p in paragraphs[:6])
    assert draft.body_text.split("\n\n") == [" ".join(p.split()) for p in paragraphs[:6] if not p.startswith("Read more:")]


def test_heading_with_byline_date_and_inline_markup():
    paragraphs = udhr_paragraphs("de_Latn")[:3]
    doc = ("# Allgemeine Erklärung der Menschenrechte\n\n*Von* **Eleanor Roosevelt**\n\n10. Dezember 1948\n\n"
           + "\n\n".join(f"{p} [mehr](https://example.org/x)" if i == 0 else p for i, p in enumerate(paragraphs)))
    _, [draft] = parse_bytes(doc)
    assert draft.title == "Allgemeine Erklärung der Menschenrechte"
    assert draft.authors == ["Eleanor Roosevelt"]
    assert draft.published == "1948-12-10"
    first = draft.body_text.split("\n\n")[0]
    assert first == paragraphs[0] + " mehr"  # link text kept, URL gone


def test_setext_title_and_subheadings_stay_in_body():
    paragraphs = udhr_paragraphs("fr_Latn")[:4]
    doc = ("Déclaration universelle des droits de l'homme\n==============================\n\n"
           f"{paragraphs[0]}\n\n## Article premier\n\n{paragraphs[1]}\n\n## Article 2\n\n{paragraphs[2]}\n")
    _, [draft] = parse_bytes(doc)
    assert draft.title == "Déclaration universelle des droits de l'homme"
    assert draft.body_text.split("\n\n") == [paragraphs[0], "Article premier", paragraphs[1], "Article 2", paragraphs[2]]


def test_masthead_heading_above_article_heading_is_dropped():
    paragraphs = udhr_paragraphs("en_Latn")[:3]
    doc = ("# The Daily Partner\n\nNews and views since 1901\n\n[home](https://example.org)\n\n"
           "## Universal Declaration of Human Rights\n\n" + "\n\n".join(paragraphs))
    _, [draft] = parse_bytes(doc)
    assert draft.title == "Universal Declaration of Human Rights"
    assert "Daily Partner" not in draft.body_text and "since 1901" not in draft.body_text
    assert draft.body_text.split("\n\n") == paragraphs
