"""Shared test helpers: paths to the repo's events, samples and the shared corpus."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from synd.local import moto_fixes

moto_fixes.apply()  # the tests run handlers on threads against moto, in process and as a server

REPO = Path(__file__).resolve().parents[1]
EVENTS = REPO / "events"
SAMPLES = REPO / "samples"


def load_event(name: str) -> dict:
    return json.loads((EVENTS / name).read_text())


@pytest.fixture
def event():
    return load_event
