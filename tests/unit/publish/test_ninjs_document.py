import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from synd.ninjs import article_uri, full_datetime, to_ninjs

from tests.unit.publish.publish_samples import CC_BY_ND, make_record

SCHEMA = json.loads((Path(__file__).parents[2] / "data" / "ninjs-schema_3.1.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=FormatChecker())


def errors(doc):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(doc)]


@pytest.mark.parametrize("lang", ["fa", "en", "ps"])
def test_valid_against_the_official_schema(lang):
    doc = to_ninjs(make_record(lang, canonical_url="https://example.org/a/1", published="2021-12-01T10:00:00+04:30"))
    assert errors(doc) == []
    assert doc["language"] == lang


def test_minimal_record_is_valid_and_says_no_licence():
    record = make_record("en", published=None, authors=[])
    record["license"] = {"spdx": "NOASSERTION"}
    record["publisher"] = None
    doc = to_ninjs(record)
    assert errors(doc) == []
    assert "by" not in doc and "rightsInfo" not in doc and "contentCreated" not in doc
    assert "No licence" in doc["usageTerms"]


def test_fields_carry_the_record():
    record = make_record("fa", license=CC_BY_ND, version=3, canonical_url="https://example.org/x",
                         published="2018-03-28T09:30:00Z")
    doc = to_ninjs(record)
    assert doc["uri"] == article_uri(record["id"])
    assert doc["version"] == "3"
    assert doc["headlines"][0]["value"] == record["title"]
    assert doc["bodies"][0]["value"] == record["body_text"]
    assert doc["bodies"][0]["wordCount"] == len(record["body_text"].split())
    assert doc["rightsInfo"] == {"linkedRights": "https://creativecommons.org/licenses/by-nd/4.0/"}
    assert "CC-BY-ND-4.0" in doc["usageTerms"]
    assert doc["contentCreated"] == "2018-03-28T09:30:00Z"
    assert {"role": "canonical-url", "value": "https://example.org/x"} in doc["altIds"]
    assert doc["people"] == [{"name": "United Nations", "rel": "author"}]


def test_uri_is_stable_across_versions():
    assert to_ninjs(make_record("en", version=1))["uri"] == to_ninjs(make_record("en", version=2))["uri"]


@pytest.mark.parametrize("value,expected", [
    ("2021-12", None), ("2018-03-28", None), (None, None), ("garbage", None),
    ("2018-03-28T09:30:00", "2018-03-28T09:30:00Z"),
    ("2018-03-28T09:30:00+04:30", "2018-03-28T09:30:00+04:30"),
])
def test_only_full_datetimes_become_ninjs_dates(value, expected):
    assert full_datetime(value) == expected
    if expected:
        assert errors({"uri": "urn:x:y", "contentCreated": expected}) == []


def test_truncated_date_would_be_invalid_so_it_is_carried_as_its_first_instant():
    assert errors({"uri": "urn:x:y", "contentCreated": "2018-03-28"})  # the schema refuses it
    doc = to_ninjs(make_record("en", published="2018-03-28"))
    assert doc["contentCreated"] == "2018-03-28T00:00:00Z" and errors(doc) == []  # precision: test_ninjs_fields


def test_attribution_travels_in_descriptions_and_stays_valid():
    from synd.ninjs import with_attribution
    from synd.policy import decide
    from synd.settings import PartnerSettings, TargetSettings

    record = make_record("fa", license=CC_BY_ND, canonical_url="https://example.org/a")
    attribution = decide(record, TargetSettings(name="hook", kind="webhook"), PartnerSettings(id="p")).attribution
    doc = with_attribution(to_ninjs(record), attribution)
    assert errors(doc) == []
    roles = {(d["role"], d["contentType"]): d["value"] for d in doc["descriptions"]}
    assert roles[("attribution", "text/plain")] == attribution["text"]
    assert roles[("attribution", "text/html")] == attribution["html"]
    assert with_attribution(doc, attribution)["descriptions"] == doc["descriptions"]  # not added twice
    assert with_attribution(to_ninjs(record), None) == to_ninjs(record)
