"""Issue 14: `synd alarms` and `synd metrics` against a deployed stack (moto in-process standing in for
AWS: the stack's alarms named as CloudFormation names them, metrics put as the functions' EMF makes
CloudWatch put them), and their error paths: one or two lines, no traceback, a documented exit code."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import boto3
import pytest
from moto import mock_aws

from synd import cli
from synd.aws import reset_clients
from tests.integration.conftest import CREDENTIALS

STACK = "synd-dev"


@pytest.fixture
def aws(monkeypatch):
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_ENDPOINT_URL", "SYND_ENDPOINT_URL", "SYND_STACK_NAME"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        reset_clients()
        yield boto3.client("cloudwatch")
    reset_clients()


def deploy_alarms(cloudwatch) -> None:
    """Two of the template's alarms as `sam deploy` leaves them (names and dimensions resolved)."""
    cloudwatch.put_metric_alarm(AlarmName=f"{STACK}-DeliveriesFailedAlarm-1A2B3C", Namespace="Syndication",
                                MetricName="DeliveriesFailed", Dimensions=[{"Name": "service", "Value": "publish"}],
                                Statistic="Sum", Period=900, EvaluationPeriods=1, Threshold=0,
                                ComparisonOperator="GreaterThanThreshold")
    cloudwatch.put_metric_alarm(AlarmName=f"{STACK}-IngestErrorsAlarm-4D5E6F", Namespace="AWS/Lambda",
                                MetricName="Errors", Dimensions=[{"Name": "FunctionName", "Value": "synd-dev-Ingest-X"}],
                                Statistic="Sum", Period=300, EvaluationPeriods=1, Threshold=0,
                                ComparisonOperator="GreaterThanThreshold")


def put(cloudwatch, namespace: str, metric: str, dimensions: dict[str, str], value: float) -> None:
    cloudwatch.put_metric_data(Namespace=namespace, MetricData=[{
        "MetricName": metric, "Value": value, "Timestamp": datetime.now(timezone.utc),
        "Dimensions": [{"Name": k, "Value": v} for k, v in dimensions.items()]}])


def states(capsys) -> dict[str, str]:
    return {r["alarm"]: r["state"] for r in map(json.loads, capsys.readouterr().out.splitlines())}


def test_a_failed_delivery_puts_the_deliveries_alarm_in_alarm_and_exits_1(aws, capsys):
    deploy_alarms(aws)
    assert cli.main(["alarms", "--stack", STACK, "--json"]) == 0
    before = states(capsys)
    assert before["DeliveriesFailedAlarm"] == "OK" and before["IngestErrorsAlarm"] == "OK"
    assert before["PublishDLQAlarm"] == "NOT_DEPLOYED"  # in the template, not among the stack's alarms
    put(aws, "Syndication", "DeliveriesFailed", {"service": "publish"}, 1)
    put(aws, "AWS/Lambda", "Errors", {"FunctionName": "someone-elses-function"}, 1)  # not this stack's
    assert cli.main(["alarms", "--stack", STACK, "--json"]) == 1
    after = states(capsys)
    assert after["DeliveriesFailedAlarm"] == "ALARM" and after["IngestErrorsAlarm"] == "OK"


def test_metrics_sums_each_figure_over_the_span(aws, capsys):
    deploy_alarms(aws)
    for _ in range(3):
        put(aws, "Syndication", "DropsReceived", {"service": "ingest"}, 1)
    put(aws, "Syndication", "DropsRejected", {"service": "ingest", "reason": "binary"}, 1)
    put(aws, "AWS/Lambda", "Errors", {"FunctionName": "synd-dev-Ingest-X"}, 2)
    assert cli.main(["metrics", "--stack", STACK, "--since", "30m", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["drops"]["DropsReceived"] == 3 and figures["rejected_by_code"] == {"binary": 1}
    assert figures["errors"] == {"IngestFunction": 2}  # the publish function's name is not known: no alarm names it


def expect_error(capsys, argv: list[str], code: int, *said: str) -> str:
    assert cli.main(argv) == code
    err = capsys.readouterr().err
    assert "Traceback" not in err and 1 <= len(err.strip().splitlines()) <= 2, err
    for text in said:
        assert text in err, err
    return err


def test_without_a_stack_or_endpoint_it_says_which_to_give(aws, capsys):
    expect_error(capsys, ["alarms"], 2, "synd alarms: which stack?", "--stack", "out/stack.env")
    expect_error(capsys, ["metrics"], 2, "synd metrics: which stack?")


def test_a_stack_without_alarms_is_said_to_be_missing(aws, capsys):
    expect_error(capsys, ["alarms", "--stack", "nope"], 4, "no alarm of stack nope in CloudWatch")


def test_a_missing_template_is_a_usage_error(aws, capsys, tmp_path):
    expect_error(capsys, ["alarms", "--stack", STACK, "--template", str(tmp_path / "none.yaml")], 2, "no template at")


def test_a_bad_span_is_a_usage_error_of_the_command(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["metrics", "--since", "soon"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "synd metrics" in err and "not a span like 30m, 1h or 2d" in err


def test_an_unreachable_endpoint_is_one_line_and_exit_4(monkeypatch, capsys):
    from synd.local.runner import free_port

    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    reset_clients()
    # the command points AWS_ENDPOINT_URL at the dead port; tests/conftest.py's environment_put_back undoes it
    expect_error(capsys, ["alarms", "--endpoint-url", f"http://127.0.0.1:{free_port()}"], 4, "cannot reach")
