"""The local stack keeps the live settings as AWS does: seeded from its config dir when it starts and
when those files change (a deploy), changed by `synd partners set` with no restart, with the history."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from synd.aws import reports
from synd.local.runner import LocalStack

from tests.conftest import REPO, SAMPLES
from tests.e2e.conftest import aws_cp

SYND = str(Path(sys.executable).with_name("synd"))
DROP = SAMPLES / "afgazad" / "000_afb5d5d29ecc6f79.txt"


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    config = tmp_path_factory.mktemp("live") / "config"
    shutil.copytree(REPO / "config", config)
    with LocalStack.running(out_dir=tmp_path_factory.mktemp("out"), config_dir=config, fresh=True) as stack:
        yield stack, config


def synd(stack, *argv):
    env = {**os.environ, **stack.describe()["environment"]}
    return subprocess.run([SYND, *argv], env=env, capture_output=True, text=True, timeout=60)


def rejected_keys():
    return {d["key"]: d["error"]["code"] for d in reports.drops(os.environ["TABLE_NAME"], "rejected")}


def test_the_stack_seeds_the_store_when_it_starts(local):
    stack, _ = local
    shown = json.loads(synd(stack, "partners", "show", "--json").stdout)
    assert shown["from"] == "store" and shown["version"] == 1 and shown["by"] == "local stack"


def test_an_edited_file_under_a_running_stack_applies_like_a_deploy(local):
    stack, config = local
    path = config / "partners.yaml"
    data = yaml.safe_load(path.read_text())
    data["partners"]["tiny"] = {"max_bytes": 100}
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    aws_cp(stack, DROP, "incoming/tiny/column.md")
    stack.drain()
    assert rejected_keys().get("incoming/tiny/column.md") == "too_large"
    assert json.loads(synd(stack, "partners", "show", "--json").stdout)["version"] == 2


def test_an_agreement_set_with_the_command_applies_to_the_next_drop(local):
    stack, _ = local
    proc = synd(stack, "partners", "set", "afgazad", "max_bytes", "100", "--reason", "a cap for the test",
                "--by", "editor")
    assert proc.returncode == 0, proc.stderr
    time.sleep(float(os.environ["SYND_CONFIG_MAX_AGE"]) + 0.5)  # the functions re-read the store this often
    aws_cp(stack, DROP, "incoming/afgazad/capped.md")
    stack.drain()
    assert rejected_keys().get("incoming/afgazad/capped.md") == "too_large"
    history = [json.loads(line) for line in synd(stack, "partners", "show", "--history", "--json").stdout.splitlines()]
    assert [(v["version"], v["by"], v["source"]) for v in history] == [
        (3, "editor", "set"), (2, "local stack", "file"), (1, "local stack", "file")]
    assert history[0]["changes"] == [{"path": "partners.afgazad.max_bytes", "old": None, "new": 100}]
