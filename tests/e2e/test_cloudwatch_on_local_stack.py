"""Issue 14: CloudWatch on the local stack. Files dropped with the AWS CLI come back as the functions'
log lines from moto's CloudWatch Logs (`aws logs filter-log-events --endpoint-url ...`, one stream per
invocation with Lambda's START/REPORT lines) and as metrics from moto's CloudWatch
(`aws cloudwatch get-metric-statistics --endpoint-url ...`), each function with its own service name;
`synd metrics` prints the dashboard's figures and `synd alarms` puts the DLQ alarm in ALARM when the
DLQ holds a message."""
from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime, timedelta, timezone

import pytest

from synd.cli import main
from tests.conftest import SAMPLES
from tests.e2e.conftest import AWS_CLI, aws_cp

DROP = SAMPLES / "opendemocracy" / "003_8c237974b6d2240c.txt"


def aws(stack, *args: str) -> dict:
    done = subprocess.run([str(AWS_CLI), *args, "--endpoint-url", stack.endpoint, "--output", "json"],
                          check=True, env={**os.environ}, capture_output=True, text=True, timeout=60)
    return json.loads(done.stdout or "{}")


@pytest.fixture(scope="module")
def dropped(stack, tmp_path_factory):
    junk = tmp_path_factory.mktemp("drops") / "empty.txt"
    junk.write_bytes(b"")
    aws_cp(stack, DROP, "incoming/opendemocracy/cloudwatch.txt")
    aws_cp(stack, junk, "incoming/opendemocracy/empty.txt")
    stack.drain(timeout=120)
    return stack


def test_the_functions_lines_are_in_their_log_groups(dropped):
    ingest = aws(dropped, "logs", "filter-log-events", "--log-group-name", "/aws/lambda/synd-local-ingest")["events"]
    publish = aws(dropped, "logs", "filter-log-events", "--log-group-name", "/aws/lambda/synd-local-publish")["events"]
    lines = [json.loads(e["message"]) for e in ingest if e["message"].startswith("{")]
    assert any(r.get("message") == "drop ingested" and r["s3_key"].endswith("cloudwatch.txt") for r in lines)
    assert any(r.get("message") == "drop rejected" and r.get("code") == "empty" for r in lines)
    assert any(e["message"].startswith("REPORT RequestId: ") for e in ingest)
    published = [json.loads(e["message"]) for e in publish if '"message":"published"' in e["message"]]
    assert published and {d["target"] for d in published[0]["deliveries"]} >= {"site"}
    streams = {e["logStreamName"] for e in ingest}
    assert all("[$LATEST]" in s for s in streams)


def sum_of(stack, metric: str, *dimensions: str) -> float:
    now = datetime.now(timezone.utc)
    answer = aws(stack, "cloudwatch", "get-metric-statistics", "--namespace", "Syndication", "--metric-name", metric,
                 "--dimensions", *dimensions, "--statistics", "Sum", "--period", "3600",
                 "--start-time", (now - timedelta(hours=1)).isoformat(), "--end-time", (now + timedelta(minutes=1)).isoformat())
    return sum(p["Sum"] for p in answer["Datapoints"])


def test_the_emf_metrics_are_in_cloudwatch_with_each_functions_service(dropped):
    assert sum_of(dropped, "DropsReceived", "Name=service,Value=ingest") >= 2
    assert sum_of(dropped, "DropsRejected", "Name=service,Value=ingest", "Name=reason,Value=empty") >= 1
    assert sum_of(dropped, "DropsRejected", "Name=service,Value=publish", "Name=reason,Value=empty") == 0
    assert sum_of(dropped, "ArticlesPublished", "Name=service,Value=publish") >= 1


def test_synd_metrics_prints_the_dashboards_figures(dropped, capsys):
    assert main(["metrics", "--endpoint-url", dropped.endpoint, "--since", "1h", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["drops"]["DropsReceived"] >= 2 and figures["rejected_by_code"]["empty"] >= 1
    assert figures["deliveries"]["ArticlesPublished"] >= 1
    assert figures["deliveries_by_target"]["site"]["delivered"] >= 1
    assert figures["deliveries_by_target"]["translation_desk"]["withheld"] >= 1  # CC BY-ND
    assert figures["queues"]["IngestDLQ"]["visible"] == 0
    assert set(figures["errors"]) >= {"IngestFunction", "PublishFunction"}


def test_a_message_in_the_dlq_puts_its_alarm_in_alarm(dropped, capsys):
    assert main(["alarms", "--endpoint-url", dropped.endpoint, "--json"]) == 0
    before = {r["alarm"]: r["state"] for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert before["IngestDLQAlarm"] == "OK" and "ALARM" not in before.values()
    sqs = dropped.client("sqs")
    sqs.send_message(QueueUrl=dropped.resources.url("IngestDLQ"), MessageBody="{}")
    assert main(["alarms", "--endpoint-url", dropped.endpoint]) == 1
    out = capsys.readouterr().out
    [row] = [line for line in out.splitlines() if line.startswith("IngestDLQAlarm ")]
    assert " ALARM " in row and "1 in ALARM: IngestDLQAlarm" in out
