"""Gopher relay items: wrapper header, reference list and feed footer are metadata, never body."""
from __future__ import annotations

from tests.unit.formats.format_support import parse_bytes, udhr_paragraphs


def relay_item(paragraphs: list[str], *, end_marker: bool = True) -> str:
    """The relay shape of the real openDemocracy drop, around another text with another licence."""
    lines = [
        "This unaltered story [1] was originally published on Example-Novosti.ru.",
        "License [2]: Creative Commons - Attribution/Share Alike 4.0.",
        "------------------------",
        "",
        "Всеобщая декларация прав человека",
        "",
        "By:   [ИВАН ПЕТРОВ]",
        "",
        "Date: 1948-12-10",
        "",
        *[line for p in paragraphs for line in (p, "")],
    ]
    if end_marker:
        lines.append("[END]")
    lines += ["", "[1] Url: https://example-novosti.ru/udhr/", "[2] url: https://creativecommons.org/licenses/by-sa/4.0/",
              "", "Novosti via Another Gopher Relay:", "gopher://gopher.example.org/1/feeds/novosti/"]
    return "\n".join(lines)


def test_relay_item_in_another_language_and_licence():
    paragraphs = udhr_paragraphs("ru_Cyrl")[:3]
    name, [draft] = parse_bytes(relay_item(paragraphs))
    assert name == "gopher"
    assert draft.title == "Всеобщая декларация прав человека"
    assert draft.authors == ["Иван Петров"]
    assert draft.published == "1948-12-10"
    assert draft.canonical_url == "https://example-novosti.ru/udhr/"
    assert draft.publisher == "Novosti"
    assert draft.via == ["Another Gopher Relay"]
    assert [(h.url, h.where) for h in draft.license_hints] == [("https://creativecommons.org/licenses/by-sa/4.0/", "header")]
    assert draft.body_text.split("\n\n") == paragraphs


def test_relay_item_without_end_marker():
    paragraphs = udhr_paragraphs("ru_Cyrl")[:2]
    name, [draft] = parse_bytes(relay_item(paragraphs, end_marker=False))
    assert name == "gopher"
    assert draft.body_text.split("\n\n") == paragraphs
    assert draft.canonical_url == "https://example-novosti.ru/udhr/"


def test_relay_item_without_end_marker_or_gopher_link():
    paragraphs = udhr_paragraphs("ru_Cyrl")[:2]
    item = relay_item(paragraphs, end_marker=False).replace("gopher://gopher.example.org/1/feeds/novosti/", "")
    name, [draft] = parse_bytes(item)
    assert name == "gopher"
    assert draft.body_text.split("\n\n") == paragraphs
    assert draft.license_hints[0].url == "https://creativecommons.org/licenses/by-sa/4.0/"
