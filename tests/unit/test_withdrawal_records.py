"""Withdrawals and corrections in the core: read from ninjs, part of the version's identity, written as ninjs."""
import json
from pathlib import Path

import jsonschema

from synd.formats import Decoded
from synd.formats.ninjs import parse
from synd.model import content_hash
from synd.ninjs import to_ninjs

from tests.unit.publish.publish_samples import make_record

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "data" / "ninjs-schema_3.1.json").read_text())


def drafts(item):
    text = json.dumps(item)
    return parse(Decoded(raw=text.encode(), text=text, encoding="utf-8", partner="p"))


def test_pubstatus_canceled_withdraws_with_the_ednote_as_reason():
    [draft] = drafts({"uri": "https://example.org/a", "pubStatus": "canceled", "edNote": "Legal request.",
                      "headlines": [{"role": "main", "value": "A"}]})
    assert draft.withdrawn == "Legal request." and draft.canonical_url == "https://example.org/a"
    [usable] = drafts({"uri": "https://example.org/a", "pubStatus": "usable", "headlines": [{"value": "A"}],
                       "bodies": [{"role": "main", "value": "<p>Text.</p>"}]})
    assert usable.withdrawn is None
    [old] = drafts({"uri": "https://example.org/a", "pubstatus": "canceled", "headline": "A"})  # ninjs 1.x/2.x
    assert old.withdrawn == "withdrawn by the publisher"


def test_a_correction_description_is_the_correction_note_not_the_summary():
    [draft] = drafts({"uri": "https://example.org/a", "headlines": [{"value": "A"}],
                      "bodies": [{"role": "main", "value": "<p>Text.</p>"}],
                      "descriptions": [{"role": "correction", "value": "The date was wrong."}]})
    assert draft.correction == "The date was wrong." and draft.summary is None


def test_a_withdrawal_or_a_correction_is_a_new_version_and_nothing_else_changes():
    record = make_record("en")
    plain = content_hash(record)
    assert plain == record["content_hash"]  # the hash of an article with neither stays what it was
    assert content_hash({**record, "withdrawal": {"reason": "x"}}) != plain
    assert content_hash({**record, "correction": {"note": "y"}}) != plain


def test_withdrawn_and_corrected_ninjs_are_valid_ninjs_3_1():
    record = make_record("fa")
    withdrawn = to_ninjs({**record, "pub_status": "canceled", "withdrawal": {"reason": "Legal request."},
                          "body_text": ""})
    jsonschema.validate(withdrawn, SCHEMA)
    assert withdrawn["pubStatus"] == "canceled" and withdrawn["edNote"] == "Withdrawn: Legal request."
    assert "bodies" not in withdrawn
    corrected = to_ninjs({**record, "correction": {"note": "The date was wrong."}})
    jsonschema.validate(corrected, SCHEMA)
    assert corrected["pubStatus"] == "usable" and corrected["edNote"] == "Correction: The date was wrong."
