"""The functions' log lines go where the environment says when they are written, not when the module
was first imported: the local stack sets SYND_LOG_FILE after `synd` has imported the observability
module, and its log file must still get every line (`make run` printed them on the terminal)."""
from __future__ import annotations

import json

from synd import observability


def test_a_log_file_set_after_import_gets_the_lines(tmp_path, monkeypatch, capsys):
    path = tmp_path / "lambda.jsonl"
    monkeypatch.setenv("SYND_LOG_FILE", str(path))
    observability.logger.info("drop ingested", extra={"state": "ingested"})
    [line] = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["message"] == "drop ingested"
    assert "drop ingested" not in capsys.readouterr().out


def test_without_a_log_file_lines_go_to_stdout_as_in_lambda(monkeypatch, capsys):
    monkeypatch.delenv("SYND_LOG_FILE", raising=False)
    observability.logger.info("published")
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["message"] == "published"
