"""X-Ray only when tracing is on: importing the observability module (every handler does) must
not import aws_xray_sdk (~0.1 s of a cold start) unless the function really traces, and the
tracer's decorators keep working either way."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PROBE = """
import json, sys
from synd import observability
print(json.dumps({"xray": "aws_xray_sdk" in sys.modules, "active": observability.tracing_active(),
                  "tracer": type(observability.tracer).__module__ + "." + type(observability.tracer).__name__}))
"""
BASE_ENV = {"AWS_DEFAULT_REGION": "us-east-1", "TABLE_NAME": "t"}


def probe(**env: str) -> dict:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("POWERTOOLS_", "LAMBDA_", "AWS_SAM", "AWS_CHALICE"))}
    proc = subprocess.run([sys.executable, "-c", PROBE], env={**keep, **BASE_ENV, **env},
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def test_tracing_off_imports_no_xray_sdk():
    got = probe(LAMBDA_TASK_ROOT="/var/task", POWERTOOLS_TRACE_DISABLED="true")
    assert got == {"xray": False, "active": False, "tracer": "synd.observability.Untraced"}


def test_outside_lambda_tracing_is_off_as_powertools_decides():
    assert probe()["xray"] is False


@pytest.mark.parametrize("env", [{"AWS_SAM_LOCAL": "true"}, {"POWERTOOLS_TRACE_DISABLED": "1"}])
def test_sam_local_or_a_disabled_flag_turn_tracing_off_in_lambda(env):
    assert probe(LAMBDA_TASK_ROOT="/var/task", **env)["active"] is False


def test_tracing_on_in_lambda_builds_powertools_tracer():
    got = probe(LAMBDA_TASK_ROOT="/var/task", POWERTOOLS_TRACE_DISABLED="false")
    assert got == {"xray": True, "active": True, "tracer": "aws_lambda_powertools.tracing.tracer.Tracer"}


def test_untraced_decorators_keep_the_function_its_result_and_its_errors():
    from synd.observability import Untraced

    tracer = Untraced()

    @tracer.capture_lambda_handler
    def handler(event, context):
        """The handler."""
        return {"event": event}

    @tracer.capture_method(capture_response=False)
    def method(x):
        raise ValueError(x)

    assert handler(1, None) == {"event": 1}
    assert (handler.__name__, handler.__doc__) == ("handler", "The handler.")
    with pytest.raises(ValueError, match="boom"):
        method("boom")
    assert tracer.capture_method(method) is method
    tracer.put_annotation("k", "v")
    tracer.put_metadata("k", {"v": 1})
