"""moto in-process, with the resources made from template.yaml (the same
provisioning as the local stack), and the handlers' environment set from it."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from moto import mock_aws

from synd.aws import reset_clients
from synd.local.provision import provision
from tests.integration.aws_calls import OUT_ENV, RECORDER, checks_last

RECORDER.install()  # records the AWS calls of the functions' code (test_template.py checks the IAM policies)

REPO = Path(__file__).resolve().parents[2]
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
               "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1", "POWERTOOLS_TRACE_DISABLED": "true"}


def pytest_collection_modifyitems(items):
    checks_last(items)


def pytest_deselected(items):
    RECORDER.deselected = True


def pytest_sessionfinish(session):
    if os.environ.get(OUT_ENV):
        RECORDER.dump(os.environ[OUT_ENV])


@pytest.fixture
def aws_stack(monkeypatch):
    """A fresh in-process AWS with the template's resources; yields the provisioned stack."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("SYND_LID_MODEL", raising=False)
    monkeypatch.setenv("SYND_CONFIG_DIR", str(REPO / "config"))
    with mock_aws():
        reset_clients()
        stack = provision(REPO / "template.yaml", None)
        for logical_id in ("IngestFunction", "PublishFunction"):
            for name, value in stack.function_environment(logical_id).items():
                if name not in ("SYND_CONFIG_DIR", "SYND_LID_MODEL"):
                    monkeypatch.setenv(name, value)
        yield stack
    reset_clients()
