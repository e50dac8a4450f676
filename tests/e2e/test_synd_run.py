"""`synd run`, what `make run` calls: the samples through the whole local stack, a table, the site on disk."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import feedparser

from tests.conftest import SAMPLES

SYND = str(Path(sys.executable).with_name("synd"))


def test_synd_run_processes_every_sample_and_exports_the_site(tmp_path):
    proc = subprocess.run([SYND, "run", "--out", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    table = proc.stdout
    for partner in (p.name for p in SAMPLES.iterdir()):
        assert f"\n{partner} " in table, partner
    assert "CC-BY-ND-4.0" in table and "site:delivered" in table and "site:withheld" in table
    assert "queues left: none" in table
    site = tmp_path / "site"
    assert (site / "index.html").is_file()
    rtl_pages = [p for p in site.glob("articles/*/index.html") if 'dir="rtl"' in p.read_text(encoding="utf-8")]
    assert rtl_pages, "the Persian and Pashto samples publish right-to-left pages"
    persian = feedparser.parse((site / "feeds" / "fa" / "rss.xml").read_bytes())
    assert len(persian.entries) == 3 and not persian.bozo
    assert (tmp_path / "logs" / "lambda.jsonl").stat().st_size > 0
