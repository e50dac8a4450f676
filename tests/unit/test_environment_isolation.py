"""A test that runs a command in-process leaves os.environ pointed at its stack, as a one-shot `synd`
process may (`use_endpoint`, `use_store`). tests/conftest.py's `environment_put_back` gives the next
test the environment back: without it, a unit test after the integration tests read the live settings
of a moto server an integration test had stopped (Connection refused). The two tests run in file order."""
from __future__ import annotations

import os

from synd.aws import use_endpoint
from synd.settings import use_store

STOPPED_STACK = "http://127.0.0.1:9"


def test_a_command_run_in_process_points_the_environment_at_its_stack():
    use_endpoint(STOPPED_STACK)  # what `synd alarms --endpoint-url` does
    use_store("stopped-stack-table")  # what `synd reconsider` and `synd status` do
    assert os.environ["AWS_ENDPOINT_URL"] == STOPPED_STACK
    assert os.environ["SYND_CONFIG_TABLE"] == "stopped-stack-table"


def test_the_next_test_finds_the_environment_as_it_was():
    assert os.environ.get("AWS_ENDPOINT_URL") != STOPPED_STACK
    assert os.environ.get("SYND_CONFIG_TABLE") != "stopped-stack-table"
