"""Relay text items, as Gopher news feeds publish them:

    This unaltered story [1] was originally published on Example.org.
    License [2]: Creative Commons 4.0 - Attribution/No Derivatives.
    ------------------------
    Title
    By: ...
    Date: 2021-12
    body ...
    [END]
    [1] Url: https://example.org/story
    [2] url: https://creativecommons.org/licenses/by-nd/4.0/
    Example via Some Gopher News Feeds:
    gopher://host/1/feeds/...

The header above the rule and the notes below `[END]` are the relay's
wrapper: they give the canonical URL, licence, publisher and relay chain,
and never reach the body.
"""
from __future__ import annotations

import re

from synd.errors import Rejected
from synd.formats import Decoded
from synd.formats.text import draft_from_blocks, split_blocks
from synd.model import Draft, LicenseHint
from synd.text.body import END_MARKER, REFERENCE_LINE, references
from synd.text.header import Meta, mentions_licence, read_line

NAME = "gopher"
RULE = re.compile(r"^\s*[-=_*~]{5,}\s*$")
HEADER_MAX_LINES = 20
# Patterns read untrusted lines: each is linear in the line (no two quantifiers can share a run of
# spaces, possessive `++` where nothing need be given back); tests/unit/regex_audit.py checks them all.
# Both names start and end on a non-space, so a run of spaces is scanned once, not once per split.
VIA_LINE = re.compile(r"^\s*+(?P<publisher>\S(?:.*?\S)?)\s++via\s++(?P<relay>\S(?:.*?\S)?)\s*+:?\s*+$", re.IGNORECASE)
# `originally published on X`: the match starts at the verb (a leading optional adverb made every
# start in a run of spaces rescan it).
ORIGIN_LINE = re.compile(
    r"(?:published|appeared|posted)\s++(?:on|in|at|by)\s++(?P<where>[^\s\[\],]+?)\.?(?:\s|$)",
    re.IGNORECASE,
)
RELAY_SPLIT = re.compile(r"(?<!\s)\s++via\s+", re.IGNORECASE)
NON_HTTP_URL = re.compile(r"^\s*(?:gopher|gemini|finger)://\S+\s*$", re.IGNORECASE)


def sniff(doc: Decoded) -> float:
    if doc.text.lstrip()[:1] in ("<", "{", "["):  # markup and JSON are never relay text
        return 0.0
    lines = doc.text.split("\n")
    has_end = any(END_MARKER.match(line) for line in lines)
    has_refs = any(REFERENCE_LINE.match(line) and "://" in line for line in lines)
    has_gopher = "gopher://" in doc.text
    has_rule = any(RULE.match(line) for line in lines[:HEADER_MAX_LINES])
    if not ((has_end or has_gopher or has_refs) and (has_refs or has_rule)):
        return 0.0
    return min(0.25 * has_end + 0.2 * has_refs + 0.3 * has_gopher + 0.15 * has_rule, 0.95)


def parse(doc: Decoded) -> list[Draft]:
    lines = doc.text.split("\n")
    header, rest = split_header(lines)
    body_lines, trailer = split_trailer(rest)
    refs = references(trailer)
    meta = Meta()
    relay = read_footer(trailer, meta)
    read_header(header, refs, meta)
    blocks = split_blocks("\n".join(body_lines))
    if not blocks:
        raise Rejected("no_article_text", "the relay item has a wrapper but no story under it")
    draft = draft_from_blocks(blocks, meta, refs)
    draft.via = relay
    return [draft]


def split_header(lines: list[str]) -> tuple[list[str], list[str]]:
    """The relay's header: the lines above a rule near the top."""
    for index, line in enumerate(lines[:HEADER_MAX_LINES]):
        if RULE.match(line) and any(earlier.strip() for earlier in lines[:index]):
            return lines[:index], lines[index + 1:]
    return [], lines


def split_trailer(lines: list[str]) -> tuple[list[str], list[str]]:
    """Body above `[END]` (or above the trailing reference list), notes and footer below."""
    for index, line in enumerate(lines):
        if END_MARKER.match(line):
            return lines[:index], lines[index + 1:]
    start = len(lines)
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if not line.strip() or REFERENCE_LINE.match(line) or VIA_LINE.match(line) or NON_HTTP_URL.match(line):
            start = index
        else:
            break
    return lines[:start], lines[start:]


def read_header(header: list[str], refs: dict[int, str], meta: Meta) -> None:
    """Relay notes (`originally published on X [1]`) and licence lines above the rule."""
    for line in header:
        if not line.strip():
            continue
        ref = re.search(r"\[(\d+)\]", line)
        origin = ORIGIN_LINE.search(line)
        if origin and not mentions_licence(line) and "licen" not in line.lower():
            meta.publisher = meta.publisher or origin.group("where")
            if ref and int(ref.group(1)) in refs:
                meta.canonical_url = meta.canonical_url or refs[int(ref.group(1))]
            continue
        if not read_line(line, meta, refs, "header") and (ref or "licen" in line.lower()):
            url = refs.get(int(ref.group(1))) if ref else None
            meta.license_hints.append(LicenseHint(text=line.strip(), url=url, where="header"))


def read_footer(trailer: list[str], meta: Meta) -> list[str]:
    """`Publisher via Relay:` names the original publisher and the relay chain."""
    relay: list[str] = []
    for line in trailer:
        if REFERENCE_LINE.match(line):
            continue
        match = VIA_LINE.match(line)
        if match and "://" not in line:
            meta.publisher = match.group("publisher").strip()
            relay.extend(part.strip() for part in RELAY_SPLIT.split(match.group("relay")))
    return relay
