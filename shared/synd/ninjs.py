"""The article record as IPTC ninjs 3.1 (News in JSON), the JSON every target publishes.

ninjs keeps metadata apart from publishable text: `title` is metadata and
`headlines` the publishable headline; the body goes in `bodies`. Only fields the
record really knows are written (ninjs has no "unknown" values), so an article
without a canonical URL or a full publication date-time simply has none.
Validated against the official schema in tests (tests/data/ninjs-schema_3.1.json).
As every output does, it carries a language only as a valid BCP 47 tag (else `und`)
and a URL only when it passes synd.text.urls.safe_http_url.

Rights: `usageTerms` names the licence (name and SPDX id), `rightsInfo.linkedRights`
links it, `copyrightHolder` is the publisher except for CC0 and the Public Domain Mark
(they claim no copyright); a delivery adds, through `with_attribution`, what was done to
the text, the ShareAlike obligation and the other obligations of the licence policy, in
`usageTerms` and as a JSON description with role "rights".

Dates, as ninjs 3.1 defines them: `contentCreated` is when the content was first made (the
partner's publication date), `versionCreated` when this version of the news object was created
(ours: the version's `stored_at`, else the S3 time of the drop it came from, else the partner's
`modified`), `firstCreated` when its first version was (the record's `first_created`; for version 1
its own `versionCreated`; left out for a later version whose record does not say). All three are
RFC 3339 date-times in the schema, so a month- or day-precision publication date ("2023-12") is
carried as its first instant in UTC ("2023-12-01T00:00:00Z") and its precision is said in a
description with role "date-precision" (application/json
`{"contentCreated": {"precision": "month", "value": "2023-12"}}`): ninjs has no precision field.

Bodies: the text as `text/plain` (with character and word counts) and as `text/html`, its
paragraphs escaped (the article page's markup, nothing from the partner) and passed through nh3.
"""
from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from html import escape
from typing import Any

import nh3

from synd.language.tags import safe_tag
from synd.text.urls import safe_http_url

SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#"
URI_PREFIX = "urn:synd:article:"

_FULL_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_TRUNCATED_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_PRECISIONS = ("year", "month", "day")
_BODY_TAGS = {"p", "br"}
# public-domain tools claim no copyright, so they name no copyrightHolder (CC0 §2 waives it; PDM marks none)
NO_HOLDER = {"CC0-1.0", "CC-PDM-1.0", "CC-PDDC", "LicenseRef-Public-Domain"}


def article_uri(article_id: str) -> str:
    """The ninjs `uri` of an article: stable across versions (ninjs `version` tells them apart)."""
    return URI_PREFIX + article_id


def to_ninjs(record: dict[str, Any]) -> dict[str, Any]:
    """ninjs 3.1 of an article record (`Article.to_record()`, optionally with `version`)."""
    license_ = record.get("license") or {}
    body = record.get("body_text") or ""
    doc: dict[str, Any] = {
        "uri": article_uri(record["id"]),
        "standard": {"name": "ninjs", "version": "3.1", "schema": SCHEMA_URI},
        "type": "text",
        "representationType": "full",
        "profile": "synd-article",
        "pubStatus": "usable",
        "language": safe_tag(record.get("language")) or "und",
        "title": record.get("title") or "",
        "headlines": [{"role": "main", "contentType": "text/plain", "value": record.get("title") or ""}],
        "bodies": [{"role": "main", "contentType": "text/plain", "value": body,
                    "charCount": len(body), "wordCount": len(body.split())},
                   {"role": "main", "contentType": "text/html", "value": body_html(body)}],
    }
    if record.get("version") is not None:
        doc["version"] = str(record["version"])
    _add_dates(doc, record)
    _add_parties(doc, record)
    _add_rights(doc, license_, record.get("publisher"))
    alt_ids = [{"role": "synd-id", "value": record["id"]}]
    canonical_url = safe_http_url(record.get("canonical_url"))
    if canonical_url:
        alt_ids.append({"role": "canonical-url", "value": canonical_url})
    if record.get("guid"):
        alt_ids.append({"role": "guid", "value": record["guid"]})
    doc["altIds"] = alt_ids
    if record.get("summary"):  # first: a reader that takes the first description takes the summary
        doc["descriptions"] = [{"role": "summary", "contentType": "text/plain", "value": record["summary"]},
                               *doc.get("descriptions", [])]
    if record.get("section"):
        doc["subjects"] = [{"name": record["section"], "rel": "section"}]
    _add_status(doc, record)
    return doc


def body_text_of(doc: dict[str, Any]) -> str:
    """The article's plain text as `to_ninjs` wrote it (the main text/plain body; none for a withdrawal)."""
    for body in doc.get("bodies") or []:
        if body.get("role") == "main" and body.get("contentType") == "text/plain":
            return str(body.get("value") or "")
    return ""


def _add_status(doc: dict[str, Any], record: dict[str, Any]) -> None:
    """A withdrawal is IPTC's kill: pubStatus canceled, the reason in edNote, no body. A correction keeps
    the text and says what changed in edNote and in a description with role "correction"."""
    withdrawal, correction = record.get("withdrawal") or {}, record.get("correction") or {}
    if record.get("pub_status") == "canceled":
        doc["pubStatus"] = "canceled"
        doc["edNote"] = f"Withdrawn: {withdrawal.get('reason') or 'no reason given'}"
        doc.pop("bodies", None)
    elif correction.get("note"):
        doc["edNote"] = f"Correction: {correction['note']}"
        doc.setdefault("descriptions", []).append(
            {"role": "correction", "contentType": "text/plain", "value": str(correction["note"])})


def _add_dates(doc: dict[str, Any], record: dict[str, Any]) -> None:
    published = record.get("published")
    created = full_datetime(published) or first_instant(published)
    if created:
        doc["contentCreated"] = created
    precision = date_precision(published)
    if precision:
        doc.setdefault("descriptions", []).append(
            {"role": "date-precision", "contentType": "application/json",
             "value": json.dumps({"contentCreated": {"precision": precision, "value": published}})})
    version_created = version_created_of(record)
    if version_created:
        doc["versionCreated"] = version_created
    first = full_datetime(record.get("first_created"))
    if not first and int(record.get("version") or 1) == 1:
        first = version_created
    if first:
        doc["firstCreated"] = first


def version_created_of(record: dict[str, Any]) -> str | None:
    """When this version was created: stored, else its drop written to S3, else the partner's modified time."""
    source = record.get("source")
    drop_time = source.get("last_modified") if isinstance(source, dict) else None
    return (full_datetime(record.get("stored_at")) or full_datetime(drop_time)
            or full_datetime(record.get("modified")))


def date_precision(value: str | None) -> str | None:
    """"year", "month" or "day" for a truncated ISO 8601 date; None for a full date-time or garbage."""
    match = _TRUNCATED_DATE.match(value or "")
    if not match or not _valid_truncated(match):
        return None
    return _PRECISIONS[sum(part is not None for part in match.groups()) - 1]


def first_instant(value: str | None) -> str | None:
    """The first instant (UTC) of a truncated date: "2023-12" -> "2023-12-01T00:00:00Z"; else None."""
    match = _TRUNCATED_DATE.match(value or "")
    if not match or not _valid_truncated(match):
        return None
    year, month, day = match.groups()
    return f"{year}-{month or '01'}-{day or '01'}T00:00:00Z"


def _valid_truncated(match: re.Match[str]) -> bool:
    year, month, day = match.groups()
    try:
        datetime(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return True


def body_html(text: str) -> str:
    """The text as HTML paragraphs (blank-line separated blocks, line breaks kept), every character
    escaped, then sanitised with nh3 as the article page is: no markup of the partner survives."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    html = "\n".join("<p>" + "<br>".join(escape(line) for line in block.splitlines()) + "</p>" for block in blocks)
    return nh3.clean(html, tags=_BODY_TAGS, attributes={})


def _add_parties(doc: dict[str, Any], record: dict[str, Any]) -> None:
    authors = [a for a in record.get("authors") or [] if a]
    if authors:
        doc["by"] = ", ".join(authors)
        doc["people"] = [{"name": name, "rel": "author"} for name in authors]
    if record.get("publisher"):
        doc["organisations"] = [{"name": record["publisher"], "rel": "publisher"}]
    sources = [{"name": name, "role": "relay"} for name in record.get("via") or [] if name]
    if record.get("partner"):
        sources.append({"name": record["partner"], "role": "partner"})
    if record.get("publisher"):
        sources.insert(0, {"name": record["publisher"], "role": "originator"})
    if sources:
        doc["infoSources"] = sources


def _add_rights(doc: dict[str, Any], license_: dict[str, Any], publisher: str | None) -> None:
    spdx = license_.get("spdx") or "NOASSERTION"
    name = license_.get("name") or spdx
    if spdx == "NOASSERTION":
        doc["usageTerms"] = "No licence was stated for this work."
    else:
        doc["usageTerms"] = f"{name} ({spdx})" if name != spdx else spdx
    license_url = safe_http_url(license_.get("url"))
    if license_url:
        doc["rightsInfo"] = {"linkedRights": license_url}
    if license_.get("evidence"):
        doc["copyrightNotice"] = license_["evidence"]
    if publisher and spdx not in NO_HOLDER:
        doc["copyrightHolder"] = publisher


def full_datetime(value: str | None) -> str | None:
    """An RFC 3339 date-time for a full ISO 8601 date-time; None for truncated dates ("2021-12").

    ninjs date fields need a full date-time with an offset; a naive time is taken as UTC.
    """
    if not value or not _FULL_DATETIME.match(value):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.isoformat().replace("+00:00", "Z")


def with_attribution(doc: dict[str, Any], attribution: dict[str, Any] | None) -> dict[str, Any]:
    """A copy of `doc` carrying the licence policy's attribution block as descriptions (role "attribution").

    This is what a target publishes: the credit travels with the text, in plain
    text and HTML, and the document stays valid ninjs. The block's `rights` (licence id and
    URL, what was done, ShareAlike, obligations) go into `usageTerms` and a description with
    role "rights" (application/json), so a receiver can read the obligations it takes on.
    """
    if not attribution or not (attribution.get("text") or attribution.get("html")):
        return doc
    extra = [{"role": "attribution", "contentType": content_type, "value": attribution[key]}
             for key, content_type in (("text", "text/plain"), ("html", "text/html")) if attribution.get(key)]
    rights = attribution.get("rights")
    if rights:
        extra.append({"role": "rights", "contentType": "application/json",
                      "value": json.dumps(rights, ensure_ascii=False, sort_keys=True)})
    kept = [d for d in doc.get("descriptions", []) if d.get("role") not in ("attribution", "rights")]
    out = {**doc, "descriptions": kept + extra}
    if rights:
        out["usageTerms"] = usage_terms(rights)
    return out


def usage_terms(rights: dict[str, Any]) -> str:
    """The rights block as one statement: the licence, what this copy is, the obligations."""
    licence = rights.get("license") or {}
    spdx = licence.get("spdx") or "NOASSERTION"
    if spdx == "NOASSERTION":
        head = "No licence was stated for this work; republished under the partner's agreement"
    else:
        head = f"{licence.get('name') or spdx} ({spdx})" if licence.get("name") != spdx else spdx
    parts = [head, f"This copy: {rights.get('use') or 'unaltered'}"]
    if rights.get("obligations"):
        parts.append("Obligations: " + "; ".join(rights["obligations"]))
    return ". ".join(parts) + "."
