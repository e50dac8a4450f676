"""`synd replay`: a drop rejected under the old settings goes through again after the fix."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from synd import settings
from synd.aws import reports

from tests.conftest import REPO, SAMPLES
from tests.e2e.conftest import aws_cp

SYND = str(Path(sys.executable).with_name("synd"))
DROP = SAMPLES / "afgazad" / "000_afb5d5d29ecc6f79.txt"


def set_cap(config: Path, max_bytes: int) -> None:
    path = config / "partners.yaml"
    data = yaml.safe_load(path.read_text())
    data["partners"]["tiny-partner"] = {"max_bytes": max_bytes}
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    settings.reload()


def test_a_rejected_drop_is_replayed_after_the_fix(stack, tmp_path):
    config = tmp_path / "config"
    shutil.copytree(REPO / "config", config)
    stack.functions["IngestFunction"].environment["SYND_CONFIG_DIR"] = str(config)
    set_cap(config, 100)
    aws_cp(stack, DROP, "incoming/tiny-partner/column.md")
    stack.drain()
    table = os.environ["TABLE_NAME"]
    [rejected] = [d for d in reports.drops(table, "rejected") if d["key"] == "incoming/tiny-partner/column.md"]
    assert rejected["error"]["code"] == "too_large"

    set_cap(config, 1_000_000)  # the operator raises the partner's cap
    env = {**os.environ, **stack.describe()["environment"]}
    dry = subprocess.run([SYND, "replay", "--rejected", "--code", "too_large", "--dry-run"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0 and dry.stdout.split() == ["incoming/tiny-partner/column.md"]
    proc = subprocess.run([SYND, "replay", "--rejected"], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    stack.drain()
    assert "incoming/tiny-partner/column.md" in {d["key"] for d in reports.drops(table, "ingested")}
    assert [a["title"] for a in reports.articles(table, "tiny-partner")] == ["ISIS's Last Gasps"]


def test_replaying_a_prefix_keeps_unchanged_articles_at_their_version(stack):
    aws_cp(stack, SAMPLES / "kandahar-text-wire" / "lekana.txt", "incoming/kandahar-text-wire/lekana.txt")
    stack.drain()
    env = {**os.environ, **stack.describe()["environment"]}
    proc = subprocess.run([SYND, "replay", "--prefix", "incoming/kandahar-text-wire/"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    stack.drain()
    [article] = reports.articles(os.environ["TABLE_NAME"], "kandahar-text-wire")
    assert article["version"] == 1
    assert all(n == 0 for n in stack.queue_depths().values())
