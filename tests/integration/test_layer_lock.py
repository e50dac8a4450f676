"""The layer `make build` made holds the versions the tests ran: every distribution in
.aws-sam/build/SyndLayer/python has the version .venv has (both come from requirements.lock),
and the layer holds exactly the runtime dependencies' closure: nothing of the `cli` or `dev`
extras. CI runs `make build` before `make test` (.ci/run)."""
from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from shared import lockfile

REPO = Path(__file__).resolve().parents[2]
PYTHON = REPO / ".aws-sam" / "build" / "SyndLayer" / "python"
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
RUNTIME_SDK = {"boto3", "botocore", "s3transfer"}  # the runtime's (shared/Makefile prune-layer; BUNDLE_SDK=1 keeps them)

pytestmark = pytest.mark.skipif(not PYTHON.is_dir(), reason="no .aws-sam/build/SyndLayer: run `make build` first")


def closure(requirements: list[str]) -> set[str]:
    """The distributions `requirements` install, by the installed metadata of .venv (markers for this
    python, each requirement's extras)."""
    found: set[str] = set()
    todo = [Requirement(r) for r in requirements]
    seen: set[tuple[str, frozenset[str]]] = set()
    while todo:
        requirement = todo.pop()
        name, extras = lockfile.normalize(requirement.name), frozenset(requirement.extras)
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        found.add(name)
        for line in importlib.metadata.requires(name) or []:
            needed = Requirement(line)
            if needed.marker is None or any(needed.marker.evaluate({"extra": e}) for e in extras | {""}):
                todo.append(needed)
    return found


def test_every_distribution_in_the_layer_has_the_version_the_tests_ran():
    venv = {lockfile.normalize(d.metadata["Name"]): d.version for d in importlib.metadata.distributions()}
    layer = lockfile.installed(PYTHON)
    assert len(layer) > 20
    assert {name: (version, venv.get(name)) for name, version in layer.items() if venv.get(name) != version} == {}


def test_the_layer_holds_the_runtime_dependencies_and_nothing_cli_or_dev_only():
    runtime = closure(PROJECT["dependencies"])
    layer = set(lockfile.installed(PYTHON))
    assert runtime - RUNTIME_SDK <= layer <= runtime
    for extra in ("cli", "dev"):
        only_there = closure(PROJECT["optional-dependencies"][extra]) - runtime
        assert only_there and layer & only_there == set(), extra
    assert "tqdm" not in layer and not (PYTHON / "tqdm").exists()
