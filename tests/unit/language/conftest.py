import json
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data" / "language"


@pytest.fixture(scope="session")
def samples() -> list[dict]:
    with (DATA / "samples.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@pytest.fixture(scope="session")
def long_text(samples):
    """The n-th long sample of a language."""
    def pick(lang: str, n: int = 0) -> str:
        return [s["text"] for s in samples if s["lang"] == lang and s["length"] == "long"][n]
    return pick


@pytest.fixture(scope="session")
def ui_samples() -> list[dict]:
    with (DATA / "ui_samples.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]
