"""HTML fragments (feed item content, ninjs body_html) -> paragraphs of plain text."""
from __future__ import annotations

import re

import lxml.html
from lxml import etree

BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "dd", "dt",
              "figcaption", "section", "article", "ul", "ol", "table", "header", "footer", "aside", "br", "hr"}
DROP_TAGS = ("script", "style", "noscript", "iframe", "object", "embed", "form", "button", "svg", "template")
# A tag cannot hold `<`: each `<` starts at most one scan, up to the next `<` or `>` (linear).
TAG = re.compile(r"<[a-zA-Z][^<>]*+>|</[a-zA-Z]+>|&[a-z]+;|&#\d+;")
ANY_TAG = re.compile(r"<[^<>]++>")


def looks_like_html(text: str) -> bool:
    return bool(TAG.search(text or ""))


def html_paragraphs(fragment: str) -> list[str]:
    """Paragraph texts of an HTML fragment, in order; plain text is split on blank lines."""
    if not fragment or not fragment.strip():
        return []
    if not looks_like_html(fragment):
        blocks = re.split(r"\n\s*\n", fragment.strip())
        if len(blocks) == 1:  # plain text with one paragraph per line
            blocks = fragment.split("\n")
        return [" ".join(p.split()) for p in blocks if p.strip()]
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return [" ".join(ANY_TAG.sub(" ", fragment).split())]
    for element in root.xpath("|".join(f"//{t}" for t in DROP_TAGS)):
        element.drop_tree()
    paragraphs: list[str] = []
    current: list[str] = []

    def flush():
        text = " ".join("".join(current).split())
        if text:
            paragraphs.append(text)
        current.clear()

    def walk(element):
        tag = element.tag if isinstance(element.tag, str) else ""
        block = tag.lower() in BLOCK_TAGS
        if block:
            flush()
        if element.text and tag:
            current.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                current.append(child.tail)
        if block:
            flush()

    walk(root)
    flush()
    return paragraphs


def html_to_text(fragment: str) -> str:
    return " ".join(" ".join(html_paragraphs(fragment)).split())
