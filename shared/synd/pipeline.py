"""The core chain, with no AWS inside: bytes -> decode -> sniff -> parse ->
licence -> language -> articles. `synd parse` and the ingest Lambda both call
`parse_drop`."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

from synd import formats
from synd.decode import decode_bytes
from synd.errors import Rejected
from synd.language import tag_article
from synd.license import tag_license
from synd.model import Article, Draft, Source, article_id
from synd.settings import PartnerSettings

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass
class ParseResult:
    source: Source
    articles: list[Article] = field(default_factory=list)
    errors: list[Rejected] = field(default_factory=list)  # items refused inside an accepted drop


def make_source(data: bytes, *, path: str | None = None, bucket: str | None = None,
                key: str | None = None) -> Source:
    return Source(sha256=hashlib.sha256(data).hexdigest(), path=path, bucket=bucket, key=key, size=len(data))


def size_cap(partner: PartnerSettings) -> int:
    return partner.max_bytes or DEFAULT_MAX_BYTES


def check_size(size: int, partner: PartnerSettings) -> None:
    """Refuse a drop past the size cap before anything reads it whole."""
    cap = size_cap(partner)
    if size > cap:
        raise Rejected("too_large", f"the drop is {size:,} bytes; the cap is {cap:,} bytes")


def parse_drop(data: bytes, source: Source, partner: PartnerSettings) -> ParseResult:
    """Turn one drop into articles. Raises Rejected when the whole drop is refused;
    a bad item inside a multi-article drop is recorded in `errors` instead."""
    check_size(len(data), partner)
    if not data.strip():
        raise Rejected("empty", "the drop is empty or only white space")
    text, encoding = decode_bytes(data)
    doc = formats.Decoded(raw=data, text=text, encoding=encoding, partner=partner.id)
    format_name, drafts = formats.parse(doc)
    source = replace(source, format=format_name, encoding=encoding)
    result = ParseResult(source=source)
    for index, draft in enumerate(drafts):
        try:
            result.articles.append(build_article(draft, index, source, partner))
        except Rejected as exc:
            result.errors.append(exc)
    if not result.articles:
        raise result.errors[0] if result.errors else Rejected("no_article_text", "no article was found in the drop")
    return result


def build_article(draft: Draft, index: int, source: Source, partner: PartnerSettings) -> Article:
    license_, body = tag_license(draft, partner)
    if not body.strip():
        raise Rejected("no_article_text", f"item {index + 1} ({draft.title[:60]!r}) has no article text")
    language = tag_article(draft.title, body, partner, chrome=draft.chrome, declared=draft.language_hint)
    return Article(
        id=article_id(partner.id, draft),
        partner=partner.id,
        source=source,
        item_index=index,
        title=draft.title,
        body_text=body,
        authors=draft.authors,
        published=draft.published,
        modified=draft.modified,
        canonical_url=draft.canonical_url,
        guid=draft.guid,
        publisher=draft.publisher or partner.publisher,  # a partner that is itself the publisher says so in its settings
        via=draft.via,
        section=draft.section,
        summary=draft.summary,
        images=draft.images,
        language=language,
        license=license_,
    )
