"""The core chain, with no AWS inside: bytes -> decode -> sniff -> parse ->
licence -> language -> articles. `synd parse` and the ingest Lambda both call
`parse_drop`."""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from synd import formats
from synd.budget import DEFAULT_BUDGET_SECONDS, Budget, begin_item, checkpoint, current_stage, running
from synd.decode import decode_bytes
from synd.errors import Rejected
from synd.language import tag_article
from synd.license import tag_license
from synd.model import Article, Draft, Source, article_id, story_id
from synd.settings import PartnerSettings
from synd.text.clean import clean_draft

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


def parse_drop(data: bytes, source: Source, partner: PartnerSettings, *, budget_seconds: float | None = None,
               clock: Callable[[], float] = time.monotonic) -> ParseResult:
    """Turn one drop into articles. Raises Rejected when the whole drop is refused;
    a bad item inside a multi-article drop is recorded in `errors` instead.

    Every input ends in articles or a Rejected with a code, never another exception:
    - `budget_seconds`: how long the drop may take (default: the partner's
      `parse_budget_seconds`, else DEFAULT_BUDGET_SECONDS). The stages check it at their
      boundaries and loops; a drop that runs out is refused as `too_slow`, naming the stage.
      The ingest Lambda passes what its invocation has left, so no drop times out a batch.
      `clock` (seconds, monotonic) is there for tests.
    - an exception nobody foresaw becomes `parser_error` ("<ExceptionType> in <stage>: ..."),
      chained to the original, so the drop is recorded instead of retried into the DLQ.
    """
    budget = Budget(budget_seconds if budget_seconds is not None else partner_budget(partner), clock)
    with running(budget):
        try:
            return _parse_drop(data, source, partner)
        except Rejected:
            raise
        except Exception as exc:  # the safety net: the root causes are fixed, this is for the unknown
            raise unforeseen(exc, budget.stage) from exc


def partner_budget(partner: PartnerSettings) -> float:
    return partner.parse_budget_seconds or DEFAULT_BUDGET_SECONDS


def unforeseen(exc: Exception, stage: str) -> Rejected:
    """`parser_error` for an exception the core did not expect, keeping its type, stage and message."""
    message = " ".join(str(exc).split())[:300]
    rejected = Rejected("parser_error", f"{type(exc).__name__} in {stage}: {message}" if message
                        else f"{type(exc).__name__} in {stage}")
    rejected.__cause__ = exc
    return rejected


def _parse_drop(data: bytes, source: Source, partner: PartnerSettings) -> ParseResult:
    check_size(len(data), partner)
    if not data.strip():
        raise Rejected("empty", "the drop is empty or only white space")
    checkpoint("decoding")
    text, encoding = decode_bytes(data)
    doc = formats.Decoded(raw=data, text=text, encoding=encoding, partner=partner.id)
    checkpoint("format sniffing")
    format_name, drafts = formats.parse(doc)
    source = replace(source, format=format_name, encoding=encoding)
    result = ParseResult(source=source)
    for index, draft in enumerate(drafts):
        begin_item(f"item {index + 1}")
        try:
            result.articles.append(build_article(draft, index, source, partner))
        except Rejected as exc:
            if exc.code == "too_slow":  # the whole drop is refused: replayed whole with a bigger budget
                raise
            result.errors.append(exc)
        except Exception as exc:  # noqa: BLE001 - one item the core cannot read must not lose the others
            result.errors.append(unforeseen(exc, current_stage()))
    if not result.articles:
        raise result.errors[0] if result.errors else Rejected("no_article_text", "no article was found in the drop")
    return result


def build_article(draft: Draft, index: int, source: Source, partner: PartnerSettings) -> Article:
    draft = clean_draft(draft)  # untrusted text: no controls, bidi overrides, unsafe URLs or invalid language tags
    checkpoint(f"item {index + 1} licence")
    license_, body = tag_license(draft, partner)
    if not body.strip() and not draft.withdrawn:  # a withdrawal notice needs no text
        raise Rejected("no_article_text", f"item {index + 1} ({draft.title[:60]!r}) has no article text")
    checkpoint(f"item {index + 1} language")
    language = tag_article(draft.title, body, partner, chrome=draft.chrome, declared=draft.language_hint)
    return Article(
        id=article_id(partner.id, draft),
        story_id=story_id(draft),
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
        # a partner that is itself the publisher says so in its settings
        publisher=draft.publisher or partner.publisher,
        via=draft.via,
        section=draft.section,
        summary=draft.summary,
        images=draft.images,
        language=language,
        license=license_,
        withdrawal={"reason": draft.withdrawn, "by": "partner"} if draft.withdrawn else None,
        correction={"note": draft.correction} if draft.correction else None,
    )
