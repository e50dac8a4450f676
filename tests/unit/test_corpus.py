"""The labelled corpora of partner drops, scored end to end through `synd parse`.

Two kinds of test live here:
- the labels themselves are checked first (every drop has a label, every
  expected sentence and every chrome string to strip really is in the drop),
  so a failure of the scoring test points at the code, not at a typo;
- `score_corpus.py` scores `synd parse` against `tests/corpus` and against the
  shared seed corpus, and must reach 100 %.

The shared folder (scorer and seed corpus) sits beside the repository here
(`<repo>/../shared`); where it is absent, the copy of the scorer in
`tests/corpus/score_corpus.py` is used and the seed corpus is skipped.
"""
from __future__ import annotations

import html
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "corpus"
SHARED = REPO.parent / "shared"
SCORER = SHARED / "tools" / "score_corpus.py"
if not SCORER.exists():
    SCORER = CORPUS / "score_corpus.py"

RECORD_FIELDS = {
    "title", "authors", "published", "canonical_url", "language", "direction",
    "license.spdx", "license.url", "license.derivatives", "license.commercial",
    "body_contains", "body_excludes",
}


def synd_path() -> str:
    venv = REPO / ".venv" / "bin" / "synd"
    return str(venv if venv.exists() else Path(sys.executable).with_name("synd"))


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def cases() -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((CORPUS / "expected").glob("*.json"))]


def strings_in(value) -> list[str]:
    """Every string inside a parsed JSON document."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return []


def drop_text(case: dict) -> str:
    """What a reader sees in the drop: decoded, entities resolved, JSON unescaped."""
    text = (CORPUS / case["drop"]).read_bytes().decode(case["encoding"])
    if case["format"].startswith(("json feed", "ninjs")):
        text = "\n".join(strings_in(json.loads(text)))
    return fold(html.unescape(html.unescape(text)))


LABELLED = [c for c in cases() if not c.get("rejected")]


def test_corpus_has_enough_drops_languages_and_bad_inputs():
    all_cases = cases()
    languages = {a["language"].split("-")[0] for c in LABELLED for a in c["articles"]}
    assert len(all_cases) >= 30
    assert {"fa", "ps", "ar", "ur"} <= languages and len(languages) >= 8
    assert sum(1 for c in all_cases if c.get("rejected")) >= 8


def test_every_drop_has_exactly_one_label_and_every_label_a_drop():
    labelled = sorted(c["drop"] for c in cases())
    on_disk = sorted(str(p.relative_to(CORPUS)) for p in (CORPUS / "drops").rglob("*") if p.is_file())
    assert labelled == on_disk
    for case in cases():
        assert case["partner"] == Path(case["drop"]).parts[1]


@pytest.mark.parametrize("case", LABELLED, ids=[c["drop"] for c in LABELLED])
def test_labels_quote_the_drop_itself(case):
    """Expected sentences, titles and chrome strings are all really in the drop,
    so `body_contains` can only fail on the code and `body_excludes` is never vacuous."""
    text = drop_text(case)
    assert case["articles"]
    for want in case["articles"]:
        assert set(want) <= RECORD_FIELDS
        assert fold(want["title"]) in text
        assert len(want["body_contains"]) >= 1
        for sentence in want["body_contains"] + want["body_excludes"]:
            assert fold(sentence) in text, sentence
        for author in want["authors"]:
            assert fold(author) in text, author


def score(corpus: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCORER), str(corpus), "--synd", synd_path()],
        capture_output=True, text=True, timeout=900,
    )


CORPORA = [pytest.param(CORPUS, id="tests-corpus"),
           pytest.param(SHARED / "corpus", id="shared-corpus",
                        marks=pytest.mark.skipif(not (SHARED / "corpus").exists(), reason="no shared corpus here"))]


@pytest.mark.parametrize("corpus", CORPORA)
def test_synd_parse_gets_every_labelled_drop_right(corpus):
    proc = score(corpus)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
