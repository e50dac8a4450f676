"""CLI errors an operator meets (a stale endpoint, no credentials, a mistyped argument) are one or
two lines that say what went wrong and what to do, with a documented exit code; never a traceback."""
from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from synd import cli
from synd.aws import reset_clients
from tests.conftest import SAMPLES


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def synd(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`synd ARGS` as the operator runs it: a fresh process, its real stderr."""
    return subprocess.run([sys.executable, "-m", "synd.cli", *argv], capture_output=True, text=True, env=env,
                          timeout=120)


@pytest.fixture
def offline_env(tmp_path, monkeypatch):
    """No credentials anywhere and no instance metadata to ask: botocore must give up locally."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "AWS_EC2_METADATA_DISABLED": "true",
           "AWS_CONFIG_FILE": str(tmp_path / "none"), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
           "AWS_DEFAULT_REGION": "us-east-1"}
    return env


def test_version():
    run = synd("--version")
    assert run.returncode == 0 and run.stdout.strip().startswith("synd ") and run.stdout.strip() != "synd"


def test_a_usage_error_shows_the_commands_own_usage():
    # the defect: `synd lang foo` printed the top-level usage
    run = synd("lang", "foo")
    assert run.returncode == 2
    assert run.stderr.startswith("usage: synd lang") and "unrecognized arguments: foo" in run.stderr


def test_a_stale_endpoint_is_two_lines_and_exit_4(offline_env):
    # the defect: ~100 lines of botocore traceback after `make stack` restarted on a new port
    port = closed_port()
    env = {**offline_env, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    run = synd("status", "--table", "t", "--endpoint-url", f"http://127.0.0.1:{port}", env=env)
    assert run.returncode == cli.AWS_UNAVAILABLE, run.stderr
    assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) <= 2
    assert f"cannot reach http://127.0.0.1:{port}" in run.stderr and "source out/stack.env" in run.stderr


def test_missing_credentials_say_how_to_give_them(offline_env):
    run = synd("status", "--table", "t", env=offline_env)
    assert run.returncode == cli.AWS_UNAVAILABLE, run.stderr
    assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) <= 2
    assert "no AWS credentials" in run.stderr and "AWS_PROFILE" in run.stderr


def test_a_bug_still_shows_its_traceback(monkeypatch):
    module = cli._load("lang")
    monkeypatch.setattr(module, "run", lambda args: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        cli.main(["lang"])


def test_the_exit_codes_are_in_the_help():
    text = " ".join(synd("--help").stdout.split())
    assert "4 AWS unreachable or refused" in text and "2 usage error" in text


@pytest.fixture(autouse=True)
def fresh_clients():
    reset_clients()
    yield
    reset_clients()


def test_invalid_settings_are_listed_not_a_traceback(tmp_path):
    (tmp_path / "partners.yaml").write_text("partners:\n  afgazad:\n    agreement:\n      allow_noasertion: true\n",
                                            encoding="utf-8")
    import os

    env = {**os.environ, "SYND_CONFIG_DIR": str(tmp_path)}
    run = synd("parse", "--partner", "afgazad", str(SAMPLES / "opendemocracy" / "003_8c237974b6d2240c.txt"), env=env)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr and "partners.yaml:4" in run.stderr
    assert "did you mean 'allow_noassertion'" in run.stderr
