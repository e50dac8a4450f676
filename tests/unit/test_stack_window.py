"""The `synd stack` window prints every event as it happens, from the log lines the functions write."""
from __future__ import annotations

import json

from synd.commands.stack import StackWindow, event_line

TS = "2026-12-01 21:32:08,213+0000"


def test_each_kind_of_event_has_its_line():
    lines = [event_line(r) for r in (
        {"message": "drop ingested", "timestamp": TS, "partner": "afgazad", "s3_key": "incoming/afgazad/a.txt",
         "state": "ingested", "articles": ["afgazad-1f2e"], "new_versions": 1},
        {"message": "drop already processed", "timestamp": TS, "partner": "afgazad",
         "s3_key": "incoming/afgazad/a.txt"},
        {"message": "drop rejected", "timestamp": TS, "partner": "cairo", "s3_key": "incoming/cairo/x.bin",
         "code": "unknown_format", "reason": "not a format synd reads"},
        {"message": "published", "timestamp": TS, "partner": "afgazad", "article_id": "afgazad-1f2e", "version": 2,
         "deliveries": [{"target": "site", "state": "delivered"},
                        {"target": "aggregator", "state": "withheld", "reason": "no licence"}]},
        {"message": "delivery will be retried", "timestamp": TS, "partner": "afgazad", "target": "hook",
         "article_id": "afgazad-1f2e", "version": 2, "error": "HTTP 503", "delay": 2.0},
        {"message": "delivery failed", "timestamp": TS, "partner": "afgazad", "target": "hook",
         "article_id": "afgazad-1f2e", "version": 2, "error": "HTTP 400"},
    )]
    assert lines == [
        "21:32:08  ingested    afgazad  incoming/afgazad/a.txt  1 article(s), 1 new version(s): afgazad-1f2e",
        "21:32:08  duplicate   afgazad  incoming/afgazad/a.txt  same bytes as before: nothing new",
        "21:32:08  rejected    cairo  incoming/cairo/x.bin  unknown_format: not a format synd reads",
        "21:32:08  published   afgazad  afgazad-1f2e v2  site:delivered aggregator:withheld",
        "21:32:08  retrying    afgazad  hook  afgazad-1f2e v2  HTTP 503 (again in 2.0 s)",
        "21:32:08  failed      afgazad  hook  afgazad-1f2e v2  HTTP 400",
    ]


def test_debug_lines_and_metrics_are_not_events():
    assert event_line({"message": "delivered", "level": "DEBUG"}) is None


def test_the_window_reads_only_new_complete_lines(tmp_path):
    log = tmp_path / "lambda.jsonl"
    log.write_text(json.dumps({"_aws": {}, "DropsReceived": [1]}) + "\n" +
                   json.dumps({"message": "drop already processed", "s3_key": "k"}) + "\n" + '{"message": "pub',
                   encoding="utf-8")
    window = StackWindow(log)
    assert [r["message"] for r in window.new_records()] == ["drop already processed"]
    with log.open("a", encoding="utf-8") as fh:
        fh.write('lished", "deliveries": []}\n')
    assert [r["message"] for r in window.new_records()] == ["published"]
    assert window.new_records() == []


def test_a_delivery_held_back_by_a_paused_target_has_its_line():
    """The publish function's `delivery paused` WARNING (one per delivery failed without calling its
    paused target; the handler's appended keys give the article, version and partner)."""
    line = event_line({"message": "delivery paused", "level": "WARNING", "timestamp": TS, "partner": "afgazad",
                       "article_id": "afgazad-1f2e", "version": 3, "target": "hook",
                       "reason": "target paused after 5 consecutive failures"})
    assert line == "21:32:08  paused      afgazad  hook  afgazad-1f2e v3  target paused after 5 consecutive failures"


def test_a_target_being_paused_has_its_line():
    """The ERROR line's message goes on after `target paused:`; the window matches it by its start."""
    line = event_line({"message": "target paused: its deliveries are failed without calling it until "
                                  "`synd redrive --target`", "level": "ERROR", "timestamp": TS, "partner": "afgazad",
                       "article_id": "afgazad-1f2e", "version": 3, "target": "hook", "error": "HTTP 503"})
    assert line == ("21:32:08  target      afgazad  hook  paused after afgazad-1f2e v3 (HTTP 503): its deliveries "
                    "fail without calling it until `synd redrive --target`")


def test_a_message_is_matched_by_its_whole_first_words_only():
    assert event_line({"message": "published late", "timestamp": TS}) is None
    assert event_line({"message": "drop rejected: unknown_format", "timestamp": TS, "s3_key": "k",
                       "code": "unknown_format", "reason": "x"}).endswith("k  unknown_format: x")
