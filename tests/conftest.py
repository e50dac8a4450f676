"""Shared test helpers: paths to the repo's events, samples and the shared corpus."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from synd.local import moto_fixes

moto_fixes.apply()  # the tests run handlers on threads against moto, in process and as a server

REPO = Path(__file__).resolve().parents[1]
EVENTS = REPO / "events"
SAMPLES = REPO / "samples"


@pytest.fixture(autouse=True)
def environment_put_back():
    """Each test leaves os.environ as it found it. A command run in-process (`main(["reconsider", ...])`,
    `main([..., "--endpoint-url", ...])`) points the environment at its stack for good, as a one-shot
    `synd` process may; without this a later test read the live settings of a stack an earlier test had
    stopped (Connection refused), and monkeypatch.delenv of such a variable puts it back at teardown.
    Autouse at the root: set up before, and torn down after, every test's own monkeypatch."""
    saved = dict(os.environ)
    yield
    if os.environ != saved:
        from synd.aws import reset_clients

        os.environ.clear()
        os.environ.update(saved)
        reset_clients()


def load_event(name: str) -> dict:
    return json.loads((EVENTS / name).read_text())


@pytest.fixture
def event():
    return load_event
