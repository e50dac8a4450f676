"""Markdown and Markdown-like exports, with or without YAML front matter.

Exports of news pages often carry the site's chrome above the article: a
masthead heading, a poem or motto, site links, section labels, a dateline and
a byline. The article's own heading is the one that the article's prose sits
under; everything above it is header zone, mined for dates, bylines and licence
lines and otherwise dropped.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from synd.budget import checkpoint
from synd.errors import Rejected
from synd.formats import Decoded, jsondata
from synd.formats.text import draft_from_blocks, split_blocks, tidy_title
from synd.model import Draft, LicenseHint
from synd.text.authors import normalise_authors
from synd.text.dates import parse_date
from synd.text.header import Meta, read_line

NAME = "markdown"
FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(?P<yaml>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
# `# Heading ##`: the closing #s and spaces are taken off in Python (`.*?\s*#*\s*$` took 26 s on a
# heading line with 2,000 spaces inside it: three quantifiers shared the run).
ATX = re.compile(r"^\s{0,3}(?P<level>#{1,6})\s++(?P<text>.*)$")
SETEXT = re.compile(r"^(?P<text>[^\n]+)\n(?P<rule>=+|-+)\s*$")
# Inline Markdown on untrusted text, every pattern linear in it (tests/unit/regex_audit.py): a span
# cannot hold the token that starts another (a link text no `[`, a bold span no `**`), so each start
# scans at most up to the next one. `(\*\*|__)(\S(?:.*?\S)?)\1` took 16.6 s on `**a ` x 8,000.
LINK = re.compile(r"!?\[(?P<text>[^\[\]]*+)\]\((?P<url>[^)\s\[]*+)(?:\s++\"[^\"]*+\")?\)")
IMAGE = re.compile(r"!\[[^\[\]]*+\]\([^)\[]*+\)")
AUTOLINK = re.compile(r"<(https?://[^<>\s]++)>")
BOLD = re.compile(r"\*\*(?=\S)((?:[^*\n]|\*(?!\*))+?)(?<=\S)\*\*|__(?=\S)((?:[^_\n]|_(?!_))+?)(?<=\S)__")
ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])|(?<![\w*])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w*])")
CODE = re.compile(r"`([^`]+)`")
QUOTE = re.compile(r"^\s{0,3}>\s?", re.MULTILINE)
ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])")
PROSE_MIN_WORDS = 8
PROSE_END = tuple(".!?…:;,،؛؟۔。！？\"'”’»)")
SECTION_SHARE = 0.9  # the deepest heading holding this share of the prose is the article's
# Front matter is a few hundred bytes of fields; a larger block is not front matter (and YAML is slow to read).
MAX_FRONT_MATTER = 64 * 1024


def _yaml():
    """PyYAML and its loader, imported on the first front matter rather than by every cold start.

    libyaml's parser (C) composes nested nodes without Python recursion: the pure-Python one raises
    RecursionError under 500 levels of `[[[...]]]`. Both construct with PyYAML's SafeConstructor."""
    import yaml

    return yaml, getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def sniff(doc: Decoded) -> float:
    text = doc.text.lstrip()
    if text.startswith(("<", "{", "[{")):
        return 0.0
    score = 0.0
    if FRONT_MATTER.match(text) and _front_matter(text)[0]:
        score += 0.6
    lines = text.split("\n")
    if any(ATX.match(line) for line in lines):
        score += 0.35
    if LINK.search(text):
        score += 0.15
    if BOLD.search(text):
        score += 0.05
    return min(score, 0.9)


def parse(doc: Decoded) -> list[Draft]:
    meta, text = _front_matter(doc.text)
    checkpoint("markdown blocks")
    blocks = [_inline(b) for b in _blocks(text)]
    checkpoint("markdown title")
    if not any(b for _, b in blocks):
        raise Rejected("no_article_text", "the Markdown has no text under its front matter")
    title_at = _title_heading(blocks)
    if title_at is None:
        plain = [b for _, b in blocks if b]
        if meta.title:
            return [draft_from_blocks(plain, meta, title=meta.title)]
        return [draft_from_blocks(plain, meta)]
    for level, block in blocks[:title_at]:
        if not level:
            for line in block.split("\n"):
                read_line(line, meta)
    level, title = blocks[title_at]
    body, end = [], len(blocks)
    for at, (sub_level, block) in enumerate(blocks[title_at + 1:], start=title_at + 1):
        if sub_level and sub_level <= level:
            end = at
            break
        body.append(block)
    draft = draft_from_blocks(body, meta, title=meta.title or title)
    draft.chrome = "\n\n".join(b for _, b in blocks[:title_at] + blocks[end:] if b)  # masthead, labels, ...
    return [draft]


def _front_matter(text: str) -> tuple[Meta, str]:
    meta = Meta()
    match = FRONT_MATTER.match(text)
    if not match or len(match.group("yaml")) > MAX_FRONT_MATTER:
        return meta, text
    yaml, loader = _yaml()
    try:
        data = yaml.load(match.group("yaml"), Loader=loader)
        jsondata.check_shape(data)  # nested past reason, or aliases standing for millions of nodes
    except (yaml.YAMLError, ValueError, RecursionError):
        return meta, text
    if not isinstance(data, dict):
        return meta, text
    fields = {str(k).casefold().replace("-", "_"): v for k, v in data.items()}
    _read_front_matter(fields, meta)
    return meta, text[match.end():]


def _first(fields: dict, *names):
    for name in names:
        value = fields.get(name)
        if value not in (None, "", []):
            return value
    return None


def _read_front_matter(fields: dict, meta: Meta) -> None:
    title = _first(fields, "title", "headline")
    meta.title = tidy_title(str(title)) if title else None
    authors = _first(fields, "authors", "author", "by", "byline", "creator")
    if authors is not None:
        meta.authors, meta.authors_seen = normalise_authors(authors), True
    date = _first(fields, "date", "published", "pubdate", "publish_date", "published_at", "created")
    meta.published = parse_date(str(date)) if date is not None else None
    modified = _first(fields, "updated", "modified", "lastmod", "last_modified")
    meta.modified = parse_date(str(modified)) if modified is not None else None
    url = _first(fields, "canonical_url", "canonical", "url", "link", "permalink", "source_url", "original_url")
    meta.canonical_url = str(url) if url and "://" in str(url) else None
    publisher = _first(fields, "publisher", "site", "site_name", "source")
    meta.publisher = str(publisher) if publisher and "://" not in str(publisher) else None
    language = _first(fields, "lang", "language", "locale", "inlanguage")
    meta.language = str(language).replace("_", "-") if language else None
    section = _first(fields, "section", "category", "categories")
    meta.section = str(section[0] if isinstance(section, list) else section) if section else None
    summary = _first(fields, "summary", "description", "excerpt", "abstract")
    meta.summary = str(summary) if summary else None
    licence = _first(fields, "license", "licence", "rights", "copyright")
    if licence:
        if isinstance(licence, dict):
            text = str(licence.get("name") or licence.get("title") or "")
            url = licence.get("url") or licence.get("href")
        else:
            text, url = str(licence), None
        if "://" in text and not url:
            text, url = text, text.strip()
        meta.license_hints.append(LicenseHint(text=text, url=url, where="front-matter"))
    licence_url = _first(fields, "license_url", "licence_url", "rights_url")
    if licence_url:
        meta.license_hints.append(LicenseHint(text="", url=str(licence_url), where="front-matter"))


def _blocks(text: str) -> list[tuple[int, str]]:
    """(heading level, text) per block; 0 for a paragraph. Setext headings become headings."""
    out: list[tuple[int, str]] = []
    for block in split_blocks(text):
        lines = block.split("\n")
        if re.match(r"^\s*(```|~~~)", lines[0]) or all(re.match(r"^\s*([-*_]\s*){3,}$", line) for line in lines):
            continue  # code fences and thematic breaks are not article prose
        setext = SETEXT.match(block)
        if setext and len(lines) == 2:
            out.append((1 if setext.group("rule")[0] == "=" else 2, setext.group("text").strip()))
            continue
        paragraph: list[str] = []
        for line in lines:
            heading = ATX.match(line)
            if heading:
                if paragraph:
                    out.append((0, "\n".join(paragraph)))
                    paragraph = []
                out.append((len(heading.group("level")), heading_text(heading.group("text"))))
            else:
                paragraph.append(line)
        if paragraph:
            out.append((0, "\n".join(paragraph)))
    return out


def heading_text(text: str) -> str:
    """An ATX heading's text without its closing sequence (`Title ##` -> `Title`)."""
    return text.rstrip().rstrip("#").rstrip()


def _inline(item: tuple[int, str]) -> tuple[int, str]:
    level, text = item
    for pattern, replacement in INLINE_RULES:
        checkpoint("markdown inline")
        text = pattern.sub(replacement, text)
    return level, text.strip()


def _inner(match: re.Match) -> str:
    """The text inside an emphasis: whichever alternative (`*`/`_`) matched."""
    return match.group(1) if match.group(1) is not None else match.group(2)


INLINE_RULES: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (IMAGE, ""), (LINK, lambda m: m.group("text")), (AUTOLINK, r"\1"), (BOLD, _inner), (ITALIC, _inner),
    (CODE, r"\1"), (QUOTE, ""), (ESCAPED, r"\1")]


def _prose_words(block: str) -> int:
    """Words of a prose paragraph: long enough and closed by punctuation. A masthead's poem,
    links, labels, datelines and bylines are not prose, so they cannot outweigh the article."""
    words = len(block.split())
    if words < PROSE_MIN_WORDS or not block.rstrip().endswith(PROSE_END):
        return 0
    return words


def _title_heading(blocks: list[tuple[int, str]]) -> int | None:
    """The heading the article's prose sits under: among headings whose section holds
    nearly all the prose, the last (deepest) one; a masthead above it holds little of its own."""
    headings = [i for i, (level, _) in enumerate(blocks) if level]
    if not headings:
        return None
    sections = {}
    for index in headings:
        level = blocks[index][0]
        words = 0
        for sub_level, block in blocks[index + 1:]:
            if sub_level and sub_level <= level:
                break
            if not sub_level:
                words += _prose_words(block)
        sections[index] = words
    best = max(sections.values())
    if best == 0:
        return headings[0]
    total = sum(_prose_words(b) for level, b in blocks if not level)
    if best < 0.5 * total:  # most prose is outside any heading's section: not headed Markdown
        return None
    return max(i for i, words in sections.items() if words >= SECTION_SHARE * best)
