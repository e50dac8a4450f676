"""synd.backfill without AWS: which key is whose drop, the batches, the AWS form's progress and exit codes."""
from __future__ import annotations

import json

import pytest

from synd.backfill import items, sfn
from synd.backfill.items import BadKey, FolderMarker, Location, batch_event, batches, parse_location, partner_of
from synd.commands.backfill import exit_code
from synd.ingest import publish_message


@pytest.mark.parametrize("url, bucket, prefix", [
    ("s3://raw-bucket/backfill", "raw-bucket", "backfill/"),
    ("s3://raw-bucket/backfill/afgazad/", "raw-bucket", "backfill/afgazad/"),
    ("s3://raw-bucket", "raw-bucket", ""),
    ("s3://raw-bucket/", "raw-bucket", ""),
])
def test_a_location_is_a_bucket_and_a_folder(url, bucket, prefix):
    assert parse_location(url) == Location(bucket, prefix)


@pytest.mark.parametrize("url", ["raw-bucket/backfill", "s3://Raw_Bucket/x", "s3://a/x", "s3://b..c/x",
                                 "s3://raw-bucket/back\nfill", "s3://raw-bucket/a/../b"])
def test_a_location_that_is_not_one_is_refused(url):
    with pytest.raises(BadKey):
        parse_location(url)


def test_the_partner_is_the_first_folder_below_the_prefix():
    assert partner_of("backfill/afgazad/2019/a.md", "backfill/") == "afgazad"
    assert partner_of("afgazad/a.md", "") == "afgazad"


def test_a_given_partner_takes_every_key_and_is_checked_itself():
    assert partner_of("archive/2019/a.md", "archive/", "opendemocracy") == "opendemocracy"
    assert partner_of("archive/a.md", "archive/", "opendemocracy") == "opendemocracy"
    with pytest.raises(BadKey):
        partner_of("archive/a.md", "archive/", "Open Democracy")


@pytest.mark.parametrize("key, why", [
    ("backfill/loose.md", "not under"),                 # no partner folder
    ("backfill/Afgazad/a.md", "not a partner id"),      # upper case
    ("backfill/default/a.md", "not a partner id"),      # the settings' fallback entry
    ("backfill/af gazad/a.md", "not a partner id"),
    ("backfill/" + "a" * 65 + "/a.md", "not a partner id"),
    ("backfill/afgazad/../opendemocracy/a.md", "'..'"),
    ("backfill/afgazad//a.md", "empty"),
    ("backfill/afgazad/./a.md", "'.'"),
    ("backfill/afgazad/a\x00.md", "control"),
    ("backfill/afgazad/a\r\nb.md", "control"),
    ("other/afgazad/a.md", "not under"),
    ("backfill/afgazad/" + "é" * 600, "1024 bytes"),
    ("", "empty"),
])
def test_an_untrusted_key_is_refused_before_it_names_anything(key, why):
    with pytest.raises(BadKey, match=why):
        partner_of(key, "backfill/")


def test_a_refused_key_is_quoted_and_cut_in_the_reason():
    with pytest.raises(BadKey) as caught:
        partner_of("backfill/afgazad/\x1b[31mred" + "x" * 1000, "backfill/")
    assert "\x1b" not in str(caught.value) and len(str(caught.value)) < 400


def test_a_folder_marker_is_skipped_not_refused():
    with pytest.raises(FolderMarker):
        partner_of("backfill/afgazad/", "backfill/")


def test_batches_are_consecutive_and_at_most_the_batch_size():
    keys = [{"Key": str(i)} for i in range(2 * items.BATCH_SIZE + 3)]
    cut = list(batches(keys))
    assert [len(b) for b in cut] == [items.BATCH_SIZE, items.BATCH_SIZE, 3]
    assert [k for b in cut for k in b] == keys
    assert list(batches([], 3)) == []
    assert [len(b) for b in batches(keys[:6], 3)] == [3, 3]
    with pytest.raises(ValueError):
        list(batches(keys, 0))


def test_a_batch_event_has_the_item_batchers_shape():
    event = batch_event([{"Key": "backfill/afgazad/a.md"}], Location("raw-bucket", "backfill/"), None)
    assert event == {"Items": [{"Key": "backfill/afgazad/a.md"}],
                     "BatchInput": {"Bucket": "raw-bucket", "Prefix": "backfill/", "Partner": ""}}
    assert sfn.execution_input(Location("raw-bucket", "backfill/"), "afgazad") == \
        {"Bucket": "raw-bucket", "Prefix": "backfill/", "Partner": "afgazad"}


def test_only_a_backfilled_versions_publish_message_says_backfill():
    record = {"id": "a1", "partner": "afgazad", "content_hash": "h"}
    assert "backfill" not in publish_message(record, 2)
    assert publish_message(record, 2, backfill=True) == {
        "type": "article.version", "article_id": "a1", "version": 2, "partner": "afgazad",
        "ninjs_key": "ninjs/a1/v2.json", "content_hash": "h", "backfill": True}


class FakeStepFunctions:
    """describe_execution / list_map_runs / describe_map_run answering a scripted run."""

    def __init__(self, script):
        self.script, self.polls, self.started = list(script), -1, None

    def start_execution(self, **kwargs):
        self.started = kwargs
        return {"executionArn": "arn:aws:states:us-east-1:1:execution:synd-dev-backfill:run"}

    def now(self):
        return self.script[min(self.polls, len(self.script) - 1)]

    def describe_execution(self, executionArn):
        self.polls += 1  # each poll starts here: the next step of the script
        return {"status": self.now()[0]}

    def list_map_runs(self, executionArn):
        return {"mapRuns": [{"mapRunArn": "arn:map"}] if self.now()[1] else []}

    def describe_map_run(self, mapRunArn):
        return {"itemCounts": self.now()[1]}


class Bar:
    def __init__(self, **kwargs):
        self.total, self.done, self.closed = kwargs["total"], 0, False

    def update(self, n):
        self.done += n

    def close(self):
        self.closed = True


def test_the_aws_form_is_followed_to_its_end_with_the_map_runs_counts():
    fake = FakeStepFunctions([("RUNNING", {}), ("RUNNING", {"total": 100, "succeeded": 40, "failed": 0}),
                              ("SUCCEEDED", {"total": 100, "succeeded": 100, "failed": 0})])
    bars = []
    arn = sfn.start(fake, "arn:sm", Location("raw-bucket", "backfill/"), None)
    assert json.loads(fake.started["input"]) == {"Bucket": "raw-bucket", "Prefix": "backfill/", "Partner": ""}
    report = sfn.follow(fake, arn, progress=lambda **kw: bars.append(Bar(**kw)) or bars[-1], sleep=lambda s: None)
    assert report["status"] == "SUCCEEDED" and report["objects"] == 100 and report["failed"] == 0
    assert bars[0].done == 100 and bars[0].closed
    assert exit_code(report) == 0


def test_the_aws_form_exits_non_zero_when_items_failed_or_the_execution_did():
    failed_items = sfn.summary("arn", "SUCCEEDED", {"total": 100, "succeeded": 97, "failed": 2, "timedOut": 1})
    assert failed_items["failed"] == 3 and exit_code(failed_items) == 1
    assert exit_code(sfn.summary("arn", "FAILED", {"total": 100, "succeeded": 100})) == 1


def test_local_exit_codes_say_rejected_apart_from_failed():
    clean = {"form": "local", "failed": 0, "rejected": 0, "bad_key": 0}
    assert exit_code(clean) == 0
    assert exit_code({**clean, "rejected": 1}) == 3 and exit_code({**clean, "bad_key": 1}) == 3
    assert exit_code({**clean, "rejected": 1, "failed": 1}) == 1


def test_a_batch_is_retried_as_the_state_machine_retries_it_and_other_errors_are_not():
    from synd.backfill import local
    from synd.backfill.core import BatchIncomplete

    event = batch_event([{"Key": "backfill/afgazad/a.md"}, {"Key": "backfill/afgazad/b.md"}],
                        Location("raw-bucket", "backfill/"), None)
    calls = []

    def flaky(failures, error=None):
        def handler(evt, context):
            calls.append(evt)
            if len(calls) <= failures:
                raise error or BatchIncomplete(json.dumps({"failed": 1, "ingested": 1, "problems": []}))
            return {"ingested": 2, "failed": 0}
        return handler

    assert local.run_batch(flaky(local.ATTEMPTS - 1), event, wait=0) == {"ingested": 2, "failed": 0}
    assert len(calls) == local.ATTEMPTS
    calls.clear()
    assert local.run_batch(flaky(99), event, wait=0) == {"failed": 1, "ingested": 1, "problems": [],
                                                         "failed_batch": True}
    calls.clear()
    crashed = local.run_batch(flaky(99, RuntimeError("a bug")), event, wait=0)
    assert len(calls) == 1 and crashed["failed"] == 2 and crashed["failed_batch"]
    assert "RuntimeError: a bug" in crashed["problems"][0]["reason"]
