"""ninjs 3.1 with what issue 13 found missing: versionCreated and firstCreated (when this version and
the first version of the news object were created), an HTML body sanitised like the page body, and
contentCreated for a month- or day-precision date (its first instant, the precision said in a
description). Every document still validates against the official 3.1 schema."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from synd.ninjs import date_precision, to_ninjs

from tests.unit.publish.publish_samples import XSS_PAYLOADS, make_record

SCHEMA = json.loads((Path(__file__).parents[2] / "data" / "ninjs-schema_3.1.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=FormatChecker())


def errors(doc):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(doc)]


def stored(lang="en", version=1, **changes):
    """A record as ingest writes it: the raw drop's S3 time in its source."""
    record = make_record(lang, version=version, **changes)
    record["source"] = dict(record["source"], last_modified="2026-01-05T08:00:00+00:00")
    return record


def test_first_version_has_version_created_and_first_created():
    # the defect: neither field was written (the record has no `modified`, and ingest no `stored_at`)
    doc = to_ninjs(stored())
    assert doc["versionCreated"] == "2026-01-05T08:00:00Z"
    assert doc["firstCreated"] == doc["versionCreated"]
    assert errors(doc) == []


def test_a_later_version_keeps_the_first_versions_time_when_the_record_knows_it():
    doc = to_ninjs(stored(version=3) | {"first_created": "2025-12-01T10:00:00Z"})
    assert doc["firstCreated"] == "2025-12-01T10:00:00Z" and doc["versionCreated"] == "2026-01-05T08:00:00Z"
    unknown = to_ninjs(stored(version=3))
    assert "firstCreated" not in unknown and unknown["versionCreated"] == "2026-01-05T08:00:00Z"


def test_stored_at_wins_and_the_partners_modified_time_is_the_last_resort():
    assert to_ninjs(stored() | {"stored_at": "2026-01-05T08:00:02Z"})["versionCreated"] == "2026-01-05T08:00:02Z"
    record = make_record("en") | {"modified": "2019-01-01T00:00:00Z"}
    assert to_ninjs(record)["versionCreated"] == "2019-01-01T00:00:00Z"


@pytest.mark.parametrize("lang", ["en", "fa", "ps"])
def test_html_body_is_escaped_paragraphs(lang):
    # the defect: only a text/plain body
    record = stored(lang, body="One " + XSS_PAYLOADS[0] + "\n\nTwo\nlines " + XSS_PAYLOADS[4])
    doc = to_ninjs(record)
    html = next(b for b in doc["bodies"] if b["contentType"] == "text/html")
    assert html["role"] == "main"
    assert html["value"].startswith("<p>One &lt;script&gt;") and "<script" not in html["value"]
    assert "<p>Two<br>lines &lt;/p&gt;&lt;/article&gt;" in html["value"]
    assert doc["bodies"][0] == {"role": "main", "contentType": "text/plain", "value": record["body_text"],
                                "charCount": len(record["body_text"]), "wordCount": len(record["body_text"].split())}
    assert errors(doc) == []


def test_a_withdrawal_has_no_body_at_all():
    doc = to_ninjs(stored() | {"pub_status": "canceled", "withdrawal": {"reason": "legal"}})
    assert "bodies" not in doc and errors(doc) == []


@pytest.mark.parametrize("published, created, precision", [
    ("2023-12", "2023-12-01T00:00:00Z", "month"),
    ("2023-12-10", "2023-12-10T00:00:00Z", "day"),
    ("2023", "2023-01-01T00:00:00Z", "year"),
])
def test_a_truncated_date_is_its_first_instant_with_the_precision_said(published, created, precision):
    # the defect: contentCreated was left out for "2023-12"
    doc = to_ninjs(stored(published=published))
    assert doc["contentCreated"] == created
    note = next(d for d in doc["descriptions"] if d["role"] == "date-precision")
    assert note["contentType"] == "application/json"
    assert json.loads(note["value"]) == {"contentCreated": {"precision": precision, "value": published}}
    assert date_precision(published) == precision
    assert errors(doc) == []


def test_the_precision_note_stays_beside_the_summary():
    doc = to_ninjs(stored(published="2023-12") | {"summary": "The partner's summary."})
    assert [d["role"] for d in doc["descriptions"]] == ["summary", "date-precision"]
    assert errors(doc) == []


def test_a_full_date_time_needs_no_precision_note():
    doc = to_ninjs(stored(published="2023-12-10T10:00:00+03:30"))
    assert doc["contentCreated"] == "2023-12-10T10:00:00+03:30"
    assert not [d for d in doc.get("descriptions", []) if d["role"] == "date-precision"]
    assert date_precision("2023-12-10T10:00:00+03:30") is None and date_precision("soon") is None
