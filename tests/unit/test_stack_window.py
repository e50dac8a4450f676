"""The `synd stack` window prints every event as it happens, from the log lines the functions write."""
from __future__ import annotations

import json

from synd.commands.stack import StackWindow, event_line

TS = "2026-12-01 21:32:08,213+0000"


def test_each_kind_of_event_has_its_line():
    lines = [event_line(r) for r in (
        {"message": "drop ingested", "timestamp": TS, "partner": "afgazad", "s3_key": "incoming/afgazad/a.txt",
         "state": "ingested", "articles": ["afgazad-1f2e"], "new_versions": 1},
        {"message": "drop already processed", "timestamp": TS, "partner": "afgazad", "s3_key": "incoming/afgazad/a.txt"},
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
