"""`synd` as other programs call it: JSON lines, exit codes, --help everywhere."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from synd.cli import COMMANDS

from tests.conftest import SAMPLES

SYND = str(Path(sys.executable).with_name("synd"))


def synd(*args, stdin=None):
    return subprocess.run([SYND, *args], capture_output=True, text=True, input=stdin, timeout=120)


def lines(stdout):
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_parse_prints_one_json_object_per_article_and_exits_0():
    proc = synd("parse", str(SAMPLES))
    assert proc.returncode == 0, proc.stderr
    records = lines(proc.stdout)
    assert {r["partner"] for r in records} == {p.name for p in SAMPLES.iterdir()}
    for r in records:
        assert r["partner"] == Path(r["source"]["path"]).parent.name  # the partner is the parent folder
        assert r["id"] and r["title"] and r["body_text"] and r["source"]["sha256"]
        assert r["source"]["format"] and r["source"]["encoding"]


def test_a_rejected_input_prints_an_error_line_and_exits_3(tmp_path):
    folder = tmp_path / "somepartner"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "zipped.gz").write_bytes(b"\x1f\x8b\x08\x00" + bytes(200))
    proc = synd("parse", str(folder), str(SAMPLES / "afgazad"))
    assert proc.returncode == 3
    records = lines(proc.stdout)
    errors = {Path(r["source"]["path"]).name: r["error"] for r in records if "error" in r}
    assert errors["empty.txt"]["code"] == "empty"
    assert errors["zipped.gz"]["code"] == "compressed"
    assert all(e["message"] for e in errors.values())
    assert [r["partner"] for r in records if "error" not in r] == ["afgazad"]


def test_the_same_file_gives_the_same_id_under_another_name(tmp_path):
    copy = tmp_path / "afgazad" / "renamed.html"
    copy.parent.mkdir()
    original = next((SAMPLES / "afgazad").iterdir())
    copy.write_bytes(original.read_bytes())
    [a] = lines(synd("parse", str(original)).stdout)
    [b] = lines(synd("parse", str(copy)).stdout)
    assert a["id"] == b["id"] and a["content_hash"] == b["content_hash"]


def test_usage_errors_exit_2():
    assert synd("parse").returncode == 2
    assert synd("parse", "/no/such/file").returncode == 2
    assert synd("no-such-command").returncode == 2


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    proc = synd(command, "--help")
    assert proc.returncode == 0, proc.stderr
    assert "usage: synd " + command in proc.stdout
