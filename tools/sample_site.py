"""A sample site published as the tests publish one: the publish handler on moto in-process, the site
target rendering in process (no RenderQueue set), then export_site into a folder. No network.

tests/e2e/test_site_readable.py checks it in headless Chromium; tools/screenshots.py photographs it.
Articles: English, Persian (a day with a +03:30 offset, the date the issue saw scrambled), Pashto
(month precision, two articles so prev/next links exist), Urdu (text of tests/corpus's Urdu drop).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.integration.publish.publish_stack import drain, mocked_stack, publish_app, write_config
from tests.unit.publish.publish_samples import CC_BY, make_record

from synd.targets.site import export_site

REPO = Path(__file__).resolve().parents[1]
URDU_DROP = REPO / "tests" / "corpus" / "drops" / "afghan-azad-mirror" / "003_udhr_ur.txt"
URDU_TITLE = "انسانی حقوق کا عالمی منشور"


def urdu_record(published: str) -> dict[str, Any]:
    """An Urdu article: the Urdu drop's declaration text (publish_samples has no Urdu), tagged ur."""
    body = URDU_DROP.read_text(encoding="utf-8").split(f"## {URDU_TITLE}", 1)[1].strip()
    record = make_record("ar", title=URDU_TITLE, body=body, published=published, license=CC_BY)
    record["language"] = "ur"
    return record


def sample_records() -> dict[str, dict[str, Any]]:
    """name -> record; names say the language and what the article shows."""
    return {
        "en": make_record("en", published="2024-01-15T09:30:00Z", license=CC_BY),
        "fa": make_record("fa", published="2023-12-10T10:00:00+03:30", license=CC_BY),
        "ps": make_record("ps", published="2023-12", license=CC_BY),  # a month, no day
        "ps-older": make_record("ps", published="2023-11-20", license=CC_BY, salt=" (۲)"),
        "ur": urdu_record("2024-02-29"),
    }


def publish_sample_site(root: Path, work: Path) -> dict[str, dict[str, Any]]:
    """Publish sample_records() and export the site bucket into `root`; `work` holds the config dir."""
    records = sample_records()
    with pytest.MonkeyPatch.context() as monkeypatch, mocked_stack() as stack:
        monkeypatch.delenv("RENDER_QUEUE_URL", raising=False)  # the site target renders in process
        app = publish_app(stack, write_config(work / "config", None), monkeypatch)
        for record in records.values():
            stack.sqs.send_message(QueueUrl=stack.publish_queue, MessageBody=json.dumps(stack.put_version(record)))
        drain(stack, app)
        export_site(stack.site, root)
    return records
