import json

from synd.aws.s3_events import ObjectRef, objects_in_message

from tests.conftest import load_event


def bodies(name):
    return [r["body"] for r in load_event(name)["Records"]]


def test_keys_are_unquoted_once():
    [body] = bodies("sqs-s3-put.json")
    [ref] = objects_in_message(body)
    assert ref.key == "incoming/opendemocracy/feeds/While the West, ISIS (2021).txt"
    assert ref.bucket == "synd-local-raw-123456789012"
    assert ref.size == 5012 and ref.etag == "0123456789abcdef0123456789abcdef"


def test_a_literal_percent_sign_survives_decoding():
    event = load_event("s3-put.json")
    event["Records"][0]["s3"]["object"]["key"] = "incoming/p/100%25+sure%2Bplus.txt"
    [ref] = objects_in_message(json.dumps(event))
    assert ref.key == "incoming/p/100% sure+plus.txt"


def test_test_event_carries_no_object():
    [body] = bodies("sqs-s3-test-event.json")
    assert objects_in_message(body) == []


def test_only_created_objects_count():
    event = load_event("s3-put.json")
    event["Records"][0]["eventName"] = "ObjectRemoved:Delete"
    assert objects_in_message(json.dumps(event)) == []


def test_partner_is_the_folder_under_incoming():
    assert ObjectRef("b", "incoming/afgazad/2018/03/x.md").partner == "afgazad"
    assert ObjectRef("b", "incoming/x.md").partner is None
    assert ObjectRef("b", "incoming//x.md").partner is None
    assert ObjectRef("b", "elsewhere/afgazad/x.md").partner is None
    assert ObjectRef("b", "incoming/afgazad/").partner is None
