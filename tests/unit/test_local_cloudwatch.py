"""Issue 14: the local stack's CloudWatch. What CloudWatch makes of an EMF line, the Lambda log events
around an invocation, and each function's own service name on its metrics (both handlers share one
process, and so one Metrics object, on the local stack)."""
from __future__ import annotations

import contextlib
import io
import json

from synd import observability
from synd.local.cloudwatch import emf_metric_data, lambda_events, lambda_metric_data


def test_an_emf_line_becomes_one_datum_per_metric_with_its_dimensions_and_values():
    line = {"_aws": {"Timestamp": 1796171298080, "CloudWatchMetrics": [{
        "Namespace": "Syndication", "Dimensions": [["service"]],
        "Metrics": [{"Name": "DropsReceived", "Unit": "Count"}, {"Name": "ArticlesIngested", "Unit": "Count"}]}]},
        "service": "ingest", "DropsReceived": [1.0, 1.0], "ArticlesIngested": 3}
    data = emf_metric_data(line)
    assert [ns for ns, _ in data] == ["Syndication", "Syndication"]
    received, ingested = (d for _, d in data)
    assert received["MetricName"] == "DropsReceived" and received["Values"] == [1.0, 1.0]
    assert received["Dimensions"] == [{"Name": "service", "Value": "ingest"}] and received["Unit"] == "Count"
    assert ingested["Values"] == [3.0] and received["Timestamp"].year == 2026


def test_a_line_without_metrics_makes_no_datum():
    assert emf_metric_data({"message": "drop ingested"}) == []


def test_an_invocation_is_framed_by_start_end_and_report_in_order():
    lines = ['{"message": "a", "timestamp": "2026-12-02 00:28:18,081+0000"}', "not json"]
    events = lambda_events(lines, [json.loads(lines[0]), None], "req-1", 1796171290.0, 12.5, 1024)
    messages = [e["message"] for e in events]
    assert messages[0] == "START RequestId: req-1 Version: $LATEST" and messages[1:3] == lines
    assert messages[3] == "END RequestId: req-1" and messages[4].startswith("REPORT RequestId: req-1\tDuration: 12.50 ms")
    stamps = [e["timestamp"] for e in events]
    assert stamps == sorted(stamps)


def test_lambda_counts_an_error_only_when_the_invocation_raised():
    ok = {d["MetricName"]: d["Value"] for _, d in lambda_metric_data("f", 0.0, 5.0, errored=False)}
    failed = {d["MetricName"]: d["Value"] for _, d in lambda_metric_data("f", 0.0, 5.0, errored=True)}
    assert ok == {"Invocations": 1.0, "Errors": 0.0, "Duration": 5.0} and failed["Errors"] == 1.0


def test_a_rejection_carries_the_service_of_the_function_that_counts_it(monkeypatch):
    """Before: count_rejection tagged the service read at import (`publish` on the local stack, whose
    environment holds both functions' and the publish function's last), whatever function counted it."""
    monkeypatch.setattr(observability.metrics, "service", "ingest")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        observability.count_rejection("empty")
    [line] = [json.loads(line) for line in out.getvalue().splitlines() if '"_aws"' in line]
    assert line["service"] == "ingest" and line["reason"] == "empty" and line["DropsRejected"] == [1.0]
