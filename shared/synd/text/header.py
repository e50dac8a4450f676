"""Metadata lines around an article's text: labelled lines, bylines, bare
dates, licence and copyright lines. Shared by the text, Markdown and Gopher
parsers, which decide *where* to look (header zone, footer) and call these.

Licence and copyright lines are not recognised here: `licence_line` asks the licence
vocabulary (`synd.license.read_licence_line`), so a line leaves the body only when the
detector reads it, and the hint made from it keeps the whole line as evidence."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from synd.license.detect import read_licence_line
from synd.license.wording import mentions_licence
from synd.model import Draft, LicenseHint
from synd.text.authors import normalise_authors
from synd.text.dates import dateline, find_date
from synd.text.labels import byline, labelled

URL = re.compile(r"(?:https?|gopher|ftp)://[^\s<>\"')\]]+|www\.[^\s<>\"')\]]+")
__all__ = ["Meta", "licence_line", "mentions_licence", "read_block", "read_line"]


@dataclass
class Meta:
    """What metadata lines said; the first statement of each field wins."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    authors_seen: bool = False
    published: str | None = None
    modified: str | None = None
    canonical_url: str | None = None
    publisher: str | None = None
    language: str | None = None
    section: str | None = None
    summary: str | None = None
    license_hints: list[LicenseHint] = field(default_factory=list)

    def fill(self, draft: Draft) -> Draft:
        """Copy what was found into a draft, keeping what the draft already has."""
        for name in ("published", "modified", "canonical_url", "publisher", "section", "summary"):
            if getattr(draft, name) is None and getattr(self, name):
                setattr(draft, name, getattr(self, name))
        if not draft.title and self.title:
            draft.title = self.title
        if not draft.authors and self.authors:
            draft.authors = list(self.authors)
        if not draft.language_hint and self.language:
            draft.language_hint = self.language
        draft.license_hints.extend(self.license_hints)
        return draft


def licence_line(line: str) -> bool:
    """A line that states a licence or a copyright (short, not prose about licences), as the licence
    vocabulary reads it: the parsers take such a line out of the body and make it a hint."""
    return read_licence_line(line) is not None


def read_line(line: str, meta: Meta, refs: dict[int, str] | None = None, where: str = "header") -> bool:
    """Record a metadata line; True when the line was metadata."""
    refs = refs or {}
    text = line.strip()
    if not text:
        return True
    found = labelled(text)
    if found:
        return _labelled(found, meta, refs, where, text)
    names = byline(text)
    if names is not None:
        if not meta.authors_seen:
            meta.authors, meta.authors_seen = normalise_authors(names), True
        return True
    date = dateline(text)
    if date:
        meta.published = meta.published or date
        return True
    if licence_line(text):
        meta.license_hints.append(_hint(text, refs, where))
        return True
    return False


def read_block(block: str, meta: Meta, refs: dict[int, str] | None = None, where: str = "header") -> bool:
    """Record a block when every line of it is metadata; leave `meta` alone otherwise."""
    trial = Meta()
    if not all(read_line(line, trial, refs, where) for line in block.split("\n")):
        return False
    _merge(meta, trial)
    return True


def _merge(meta: Meta, new: Meta) -> None:
    for name in ("title", "published", "modified", "canonical_url", "publisher", "language", "section", "summary"):
        if getattr(meta, name) is None and getattr(new, name):
            setattr(meta, name, getattr(new, name))
    if new.authors_seen and not meta.authors_seen:
        meta.authors, meta.authors_seen = new.authors, True
    meta.license_hints.extend(new.license_hints)


def _labelled(found, meta: Meta, refs: dict[int, str], where: str, line: str) -> bool:
    name, value, ref = found
    url = refs.get(ref) if ref else None
    if name == "license":
        if not licence_line(line):  # "Copyright: Photo by …" is a picture's credit, not metadata
            return False
        # the whole line, label included: "Copyright: Reuters" is a notice, "Reuters" alone is not
        meta.license_hints.append(LicenseHint(text=line, url=url or _first_url(value), where=where))
    elif name == "authors":
        if not meta.authors_seen:
            meta.authors, meta.authors_seen = normalise_authors(value), True
    elif name in ("published", "modified"):
        date = find_date(value)
        if date is None and value.strip():
            return False
        if getattr(meta, name) is None:
            setattr(meta, name, date)
    elif name == "canonical_url":
        link = url or _first_url(value)
        if link:
            meta.canonical_url = meta.canonical_url or link
        elif value.strip():  # `Source: Reuters` names the publisher, not a link
            meta.publisher = meta.publisher or value.strip()
    elif getattr(meta, name) is None and value:
        setattr(meta, name, value)
    return True


def _first_url(text: str) -> str | None:
    match = URL.search(text or "")
    if not match:
        return None
    url = match.group(0).rstrip(".,;:")
    return url if "://" in url else "http://" + url


def _hint(text: str, refs: dict[int, str], where: str) -> LicenseHint:
    ref = re.search(r"\[(\d+)\]", text)
    url = refs.get(int(ref.group(1))) if ref else None
    return LicenseHint(text=text, url=url or _first_url(text), where=where)
