import io
import json
import sys

from synd import cli


def run_lang(monkeypatch, capsys, text: str) -> list[dict]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    assert cli.main(["lang"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_one_json_object_per_input_line(monkeypatch, capsys, long_text):
    lines = [long_text("ps", 0)[:80], "12345", long_text("zh", 0)[:40], long_text("ru", 0)[:60]]
    rows = run_lang(monkeypatch, capsys, "\n".join(lines) + "\n")
    assert [r["language"] for r in rows] == ["ps", "und", "zh", "ru"]
    assert [r["direction"] for r in rows] == ["rtl", "ltr", "ltr", "ltr"]
    assert rows[0]["script"] == "Arab" and rows[2]["script"] in {"Hans", "Hant"}
    assert set(rows[0]) == {"language", "confidence", "script", "direction"}
    assert 0.5 < rows[0]["confidence"] <= 1 and rows[1]["confidence"] == 0.0


def test_empty_line_gives_und(monkeypatch, capsys):
    assert run_lang(monkeypatch, capsys, "\n")[0]["language"] == "und"


def test_undecodable_bytes_do_not_stop_the_stream(monkeypatch, capsys, samples):
    """A Latin-1 line read as UTF-8 with surrogateescape (as under a C locale) holds lone surrogates."""
    french = [s["text"] for s in samples if s["lang"] == "fr" and s["length"] == "short" and "é" in s["text"]][:2]
    text = "\n".join(french).encode("latin-1", "ignore").decode("utf-8", "surrogateescape") + "\n"
    assert "\udce9" in text
    rows = run_lang(monkeypatch, capsys, text)
    assert [r["language"] for r in rows] == ["fr", "fr"]
