"""The plain data that flows through the pipeline: raw drop -> draft -> article.

Every stage reads the previous stage's output and adds to it; nothing here
knows about AWS. `Article.to_record()` is the article record of DESIGN.md.
"""
from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit


@dataclass(frozen=True)
class Source:
    """Where a drop came from: a local path, or an S3 bucket and key."""

    sha256: str
    path: str | None = None
    bucket: str | None = None
    key: str | None = None
    format: str | None = None
    encoding: str | None = None
    size: int = 0
    version_id: str | None = None  # the raw object's S3 version that was read
    sequencer: str | None = None  # the S3 event's order of writes to this key (only with version_id)
    last_modified: str | None = None  # when S3 stored the version that was read (ISO 8601, UTC)

    def to_record(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class LicenseHint:
    """A place in a document that may state the licence of the work.

    `where` says what kind of place it is (`header`, `rel-license`, `meta`,
    `json-ld`, `feed`, `front-matter`, `footer`, `body`) because a statement
    in a header is about the work, while one in the body may be about anything.
    """

    text: str = ""
    url: str | None = None
    where: str = "body"


@dataclass
class Draft:
    """What a format parser makes of one article in a drop, before tagging."""

    title: str = ""
    body_text: str = ""
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    canonical_url: str | None = None
    guid: str | None = None
    publisher: str | None = None
    via: list[str] = field(default_factory=list)
    section: str | None = None
    summary: str | None = None
    language_hint: str | None = None  # what the document declares (html lang, feed language, front matter)
    chrome: str = ""  # text taken off the page around the article (masthead, labels): it counts in language shares
    license_hints: list[LicenseHint] = field(default_factory=list)
    images: list[dict[str, Any]] = field(default_factory=list)
    withdrawn: str | None = None  # the partner withdraws the article (ninjs pubStatus canceled): the reason
    correction: str | None = None  # the partner's note on a corrected version


@dataclass
class License:
    spdx: str = "NOASSERTION"
    name: str | None = None
    url: str | None = None
    derivatives: bool | None = None
    commercial: bool | None = None
    share_alike: bool | None = None
    attribution: bool | None = None
    source: str = "none"  # document | feed | partner | none
    evidence: str | None = None
    conflict: dict[str, Any] | None = None  # set when the document and the partner disagree


@dataclass
class LanguageShare:
    tag: str
    share: float


@dataclass
class LanguageTag:
    language: str = "und"
    confidence: float = 0.0
    script: str | None = None
    direction: str = "ltr"
    languages: list[LanguageShare] = field(default_factory=list)
    detected: str | None = None  # the detector's own answer, before partner settings
    setting: str | None = None  # the partner's setting, when one applied
    title_language: str | None = None  # the title's language, when it differs from the body's


@dataclass
class Article:
    id: str
    partner: str
    source: Source
    title: str
    body_text: str
    authors: list[str]
    published: str | None
    canonical_url: str | None
    publisher: str | None
    via: list[str]
    language: LanguageTag
    license: License
    modified: str | None = None
    guid: str | None = None
    section: str | None = None
    summary: str | None = None
    images: list[dict[str, Any]] = field(default_factory=list)
    item_index: int = 0
    story_id: str | None = None
    withdrawal: dict[str, Any] | None = None  # {"reason", "by", "at"}: this version withdraws the article
    correction: dict[str, Any] | None = None  # {"note"}: this version corrects an earlier one
    status: dict[str, Any] = field(default_factory=lambda: {"state": "parsed", "reason": None})

    @property
    def content_hash(self) -> str:
        """Hash of what a reader sees: a change here is a new version of the article."""
        return self.to_record()["content_hash"]

    def to_record(self) -> dict[str, Any]:
        lang = self.language
        record = {
            "id": self.id,
            "partner": self.partner,
            "source": self.source.to_record(),
            "item_index": self.item_index,
            "story_id": self.story_id,
            "pub_status": PUB_CANCELED if self.withdrawal else PUB_USABLE,
            "withdrawal": dict(self.withdrawal) if self.withdrawal else None,
            "correction": dict(self.correction) if self.correction else None,
            "title": self.title,
            "authors": list(self.authors),
            "published": self.published,
            "modified": self.modified,
            "canonical_url": self.canonical_url,
            "guid": self.guid,
            "publisher": self.publisher,
            "via": list(self.via),
            "section": self.section,
            "summary": self.summary,
            "language": lang.language,
            "language_confidence": round(lang.confidence, 4),
            "language_detected": lang.detected,
            "language_setting": lang.setting,
            "title_language": lang.title_language,
            "languages": [asdict(s) for s in lang.languages],
            "script": lang.script,
            "direction": lang.direction,
            "license": asdict(self.license),
            "images": list(self.images),
            "content_hash": None,
            "body_text": self.body_text,
            "status": dict(self.status),
        }
        record["content_hash"] = content_hash(record)
        return record


PUB_USABLE, PUB_CANCELED = "usable", "canceled"  # IPTC pubStatus

# The top-level fields of `Article.to_record()` that may be None. A store that leaves empty attributes
# out (the DynamoDB version items: synd.aws.articles.to_item) gives them back as None (`stored_record`).
NULLABLE_FIELDS = ("story_id", "withdrawal", "correction", "published", "modified", "canonical_url", "guid",
                   "publisher", "section", "summary", "language_detected", "language_setting", "title_language",
                   "script")


def stored_record(metadata: dict[str, Any], body_text: str) -> dict[str, Any]:
    """The article record from what is stored of a version: its metadata (every field but the body, as
    the version item keeps them) and its body (from the version's ninjs copy: synd.ninjs.body_text_of)."""
    record: dict[str, Any] = dict.fromkeys(NULLABLE_FIELDS)
    record.update(metadata)
    record["body_text"] = body_text
    return record



def content_hash(record: dict[str, Any]) -> str:
    """Hash of what a reader sees in an article record: a change here is a new version of the article.

    A withdrawal or a correction note is part of it (only when present, so the hash of
    every other article stays what it was)."""
    license_ = record.get("license") or {}
    parts = [record.get("title") or "", record.get("body_text") or "", "|".join(record.get("authors") or []),
             record.get("published") or "", record.get("canonical_url") or "", license_.get("spdx") or "NOASSERTION"]
    if record.get("withdrawal"):
        parts.append("withdrawn:" + str(record["withdrawal"].get("reason") or ""))
    if record.get("correction"):
        parts.append("correction:" + str(record["correction"].get("note") or ""))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def is_withdrawal(record: dict[str, Any]) -> bool:
    return record.get("pub_status") == PUB_CANCELED


def _normal_url(url: str) -> str:
    """Scheme and host are case-blind, a fragment or a trailing slash names the same page; the path is not."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), parts.query, ""))


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def article_id(partner: str, draft: Draft) -> str:
    """A stable id: the same article dropped twice by one partner, under any key, gets the same id.

    An article belongs to its partner: every basis includes the partner, so a
    partner that sends another partner's canonical URL makes an article of its
    own (related to the other by `story_id`), never a version of the other's.
    Within a partner the publisher's own identity for the article wins
    (canonical URL, then feed guid); without one, the folded title and the
    publication date name it. Editing the body keeps the id (a new version).
    """
    if draft.canonical_url:
        basis = f"url:{partner}:{_normal_url(draft.canonical_url)}"
    elif draft.guid:
        basis = f"guid:{partner}:{draft.guid.strip()}"
    else:
        basis = f"title:{partner}:{_fold(draft.title)}:{draft.published or ''}"
    return _digest(basis)


def story_id(draft: Draft) -> str | None:
    """The same story whoever sends it: the original's canonical URL, without the partner.

    Articles of different partners with one story id are related (each keeps its
    own text, licence and credit); None when the article names no canonical URL.
    """
    if not draft.canonical_url:
        return None
    return _digest("story:" + _normal_url(draft.canonical_url))


def _digest(basis: str) -> str:
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:24]
