"""Bare text: the first line is the title; labelled lines (`Author:`, `Автор:`,
`نویسنده:`, `Date:`), a byline or a bare date may follow it; licence and
copyright lines at the top or the bottom are metadata, not body."""
from __future__ import annotations

import re

from synd.budget import checkpoint
from synd.errors import Rejected
from synd.formats import Decoded
from synd.model import Draft
from synd.text.body import clean_paragraphs
from synd.text.header import Meta, read_block

NAME = "text"
MAX_TITLE_CHARS = 250
FOOTER_BLOCKS = 3


def sniff(doc: Decoded) -> float:
    """Any readable prose is at least bare text: the last resort of the registry.
    JSON and markup that no other format claimed are not prose."""
    head = doc.text.lstrip()[:1]
    return 0.1 if head and head not in "{<" and not doc.text.lstrip().startswith("[{") else 0.0


def parse(doc: Decoded) -> list[Draft]:
    blocks = split_blocks(doc.text)
    if not blocks:
        raise Rejected("empty", "the text has no lines")
    return [draft_from_blocks(blocks, Meta())]


def split_blocks(text: str) -> list[str]:
    """Blank-line separated blocks, keeping their line breaks, trailing spaces trimmed."""
    lines = [line.rstrip() for line in text.split("\n")]
    return [b.strip("\n") for b in re.split(r"\n\s*\n", "\n".join(lines)) if b.strip()]


def draft_from_blocks(blocks: list[str], meta: Meta, refs: dict[int, str] | None = None,
                      title: str | None = None) -> Draft:
    """Title, metadata blocks after it, footer licence lines, cleaned body."""
    blocks = list(blocks)
    if title is None:
        while blocks and read_block(blocks[0], meta, refs, "header"):
            blocks.pop(0)
        title = meta.title  # a `Title:` line names it
    if title is None:
        if not blocks:
            raise Rejected("no_article_text", "the text holds only metadata lines, no title or body")
        first, _, rest = blocks.pop(0).partition("\n")
        title = first
        if rest.strip():
            blocks.insert(0, rest)
    while blocks and read_block(blocks[0], meta, refs, "header"):
        blocks.pop(0)
    blocks = strip_footer(blocks, meta, refs)
    title = tidy_title(title)
    checkpoint("body cleaning")
    body = "\n\n".join(clean_paragraphs(blocks))
    if not body:
        raise Rejected("no_article_text", f"no article text under the title {title[:60]!r}")
    return meta.fill(Draft(title=title, body_text=body))


def strip_footer(blocks: list[str], meta: Meta, refs: dict[int, str] | None = None) -> list[str]:
    """Take licence/copyright/labelled blocks off the end (at most a few, never the whole body)."""
    blocks = list(blocks)
    for _ in range(FOOTER_BLOCKS):
        if len(blocks) > 1 and read_block(blocks[-1], meta, refs, "footer"):
            blocks.pop()
        else:
            break
    return blocks


def tidy_title(title: str) -> str:
    title = " ".join(title.split()).strip("#*_= ").strip()
    if len(title) > MAX_TITLE_CHARS:
        title = title[:MAX_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    return title
