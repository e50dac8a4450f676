"""Metadata lines around an article's text: labelled lines, bylines, bare
dates, licence and copyright lines. Shared by the text, Markdown and Gopher
parsers, which decide *where* to look (header zone, footer) and call these."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from synd.model import Draft, LicenseHint
from synd.text.authors import normalise_authors
from synd.text.dates import dateline, find_date
from synd.text.labels import byline, labelled

URL = re.compile(r"(?:https?|gopher|ftp)://[^\s<>\"')\]]+|www\.[^\s<>\"')\]]+")
LICENCE_WORDS = re.compile(
    r"creative\s*commons|\bcc[\s-]*(?:by|0|zero)\b|public\s+domain|licen[cs]ed\s+under|all\s+rights\s+reserved|"
    r"waived\s+all\s+copyright|to\s+the\s+extent\s+possible\s+under\s+law|no\s+rights\s+reserved|"
    r"\brights(?:\s+\S+){0,6}?\s+reserved|droits(?:\s+\S+){0,6}?\s+réservés|derechos(?:\s+\S+){0,6}?\s+reservados|"
    r"rechte(?:\s+\S+){0,6}?\s+vorbehalten|права(?:\s+\S+){0,6}?\s+защищены|diritti(?:\s+\S+){0,6}?\s+riservati|"
    r"haklar[ıi](?:\s+\S+){0,4}?\s+saklıdır|حقوق(?:\s+\S+){0,4}?\s+محفوظ|"
    r"\bgnu\s+free\s+documentation|\bgfdl\b|open\s+government\s+licen[cs]e|"
    r"تحت\s+رخصة|جميع\s+الحقوق\s+محفوظة|کلیه\s+حقوق|تمامی\s+حقوق|همه\s+حقوق|حقوق\s+محفوظ|"
    r"все\s+права\s+защищены|лицензи|tous\s+droits\s+réservés|alle\s+rechte\s+vorbehalten|"
    r"todos\s+los\s+derechos\s+reservados|sous\s+licence|unter\s+der\s+lizenz|bajo\s+licencia",
    re.IGNORECASE,
)
COPYRIGHT = re.compile(r"^\s*(?:©|\(c\)|copyright\b|kopierecht|حق\s*نشر|©)", re.IGNORECASE)
MAX_LICENCE_WORDS = 60


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
    """A line that states a licence or a copyright (short, not prose about licences)."""
    text = line.strip()
    return (bool(text) and len(text.split(None, MAX_LICENCE_WORDS)) <= MAX_LICENCE_WORDS
            and bool(COPYRIGHT.match(text) or LICENCE_WORDS.search(text)))


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
        meta.license_hints.append(LicenseHint(text=value or line, url=url or _first_url(value), where=where))
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
