"""CloudWatch on the local stack: what Lambda and CloudWatch do with a function's output, done on moto.

In AWS, Lambda sends each function's stdout to its log group (one stream per execution environment, with
START/END/REPORT lines around each invocation), CloudWatch turns the EMF lines among them into metrics, and
Lambda itself counts `AWS/Lambda` Invocations, Errors and Duration; CloudFormation creates the template's
alarms. Here the runner hands each invocation's lines to `invocation()`, which puts them into moto's
CloudWatch Logs (the function's LoggingConfig.LogGroup, one stream per invocation), their EMF metrics and
the Lambda metrics into moto's CloudWatch; `install()` creates the log groups and the template's alarms
(resolved to the local names, named `<stack>-<LogicalId>-<suffix>` as CloudFormation names them), so
`aws logs filter-log-events`, `aws cloudwatch get-metric-statistics` / `describe-alarms` and
`synd metrics` / `synd alarms` against the endpoint answer as they do against a deployed stack.

Not produced: moto computes no `AWS/SQS` metrics (synd metrics/alarms read the queues' attributes instead)
and evaluates no alarm (`synd alarms` does).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import resource
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

MAX_EVENTS_PER_CALL = 1000  # put_log_events takes 10,000 events and 1 MB; lines here are ~1 KB
MAX_DATA_PER_CALL = 500  # put_metric_data takes 1,000 metrics
ALARM_KEYS = ("AlarmDescription", "Namespace", "MetricName", "Dimensions", "Statistic", "ExtendedStatistic",
              "Period", "EvaluationPeriods", "DatapointsToAlarm", "Threshold", "ComparisonOperator",
              "TreatMissingData", "Unit", "AlarmActions", "OKActions", "InsufficientDataActions")
_NUMBERS = {"Period": int, "EvaluationPeriods": int, "DatapointsToAlarm": int, "Threshold": float}


class LocalCloudWatch:
    """One running stack's log groups, streams and metrics on its moto server."""

    def __init__(self, stack) -> None:
        self.stack = stack
        self.logs, self.cloudwatch = stack.client("logs"), stack.client("cloudwatch")

    def log_group(self, logical_id: str) -> str:
        """The function's LoggingConfig.LogGroup from the template (its LogGroupName), else /aws/lambda/<name>."""
        resources = self.stack.resources
        config = resources.template["Resources"][logical_id].get("Properties", {}).get("LoggingConfig", {})
        group = config.get("LogGroup")
        if isinstance(group, dict) and "Ref" in group:
            group = resources.template["Resources"][group["Ref"]]["Properties"]["LogGroupName"]
        return str(resources.resolve(group)) if group else f"/aws/lambda/{self.function_name(logical_id)}"

    def function_name(self, logical_id: str) -> str:
        return self.stack.resources.ref(logical_id)

    def install(self, logical_ids) -> None:
        for logical_id in logical_ids:
            with contextlib.suppress(self.logs.exceptions.ResourceAlreadyExistsException):
                self.logs.create_log_group(logGroupName=self.log_group(logical_id))
        for name, alarm in template_alarms(self.stack.resources):
            self.cloudwatch.put_metric_alarm(AlarmName=name, **alarm)

    def record(self, logical_id: str, lines: list[str], started: float, duration_ms: float) -> None:
        """One invocation's output: its log stream, its EMF metrics, Lambda's own metrics."""
        records = [_json(line) for line in lines]
        request_id = next((r["function_request_id"] for r in records if r and r.get("function_request_id")),
                          str(uuid.uuid4()))
        errored = any(r and "invocation_error" in r for r in records)
        stream = f"{time.strftime('%Y/%m/%d', time.gmtime(started))}/[$LATEST]{uuid.uuid4().hex}"
        group = self.log_group(logical_id)
        self.logs.create_log_stream(logGroupName=group, logStreamName=stream)
        events = lambda_events(lines, records, request_id, started, duration_ms,
                               self.stack.functions[logical_id].memory_mb)
        for start in range(0, len(events), MAX_EVENTS_PER_CALL):
            self.logs.put_log_events(logGroupName=group, logStreamName=stream,
                                     logEvents=events[start:start + MAX_EVENTS_PER_CALL])
        data = [d for r in records if r and "_aws" in r for d in emf_metric_data(r)]
        data += lambda_metric_data(self.function_name(logical_id), started, duration_ms, errored)
        self._put_metrics(data)

    def _put_metrics(self, data: list[tuple[str, dict]]) -> None:
        by_namespace: dict[str, list[dict]] = {}
        for namespace, datum in data:
            by_namespace.setdefault(namespace, []).append(datum)
        for namespace, items in by_namespace.items():
            for start in range(0, len(items), MAX_DATA_PER_CALL):
                self.cloudwatch.put_metric_data(Namespace=namespace, MetricData=items[start:start + MAX_DATA_PER_CALL])


_STACKS: dict[int, LocalCloudWatch] = {}


def install(stack) -> LocalCloudWatch:
    """At stack start: the functions' log groups and the template's alarms on moto."""
    cloudwatch = LocalCloudWatch(stack)
    cloudwatch.install(stack.resources.ids_of_type("AWS::Lambda::Function"))
    _STACKS[id(stack)] = cloudwatch
    return cloudwatch


@contextlib.contextmanager
def invocation(stack, function) -> Iterator[None]:
    """Around one invocation: the lines it adds to the stack's log file go to CloudWatch as it ends
    (outermost in the runner's `with`, so the EMF lines printed at the handler's end are flushed)."""
    cloudwatch = _STACKS.get(id(stack))
    if cloudwatch is None or cloudwatch.stack is not stack:
        cloudwatch = install(stack)
    log_file = Path(stack.log_file)
    offset = log_file.stat().st_size if log_file.exists() else 0
    started, clock = time.time(), time.monotonic()
    try:
        yield
    finally:
        duration_ms = (time.monotonic() - clock) * 1000
        with open(log_file, "rb") as fh:
            fh.seek(offset)
            lines = [line for line in fh.read().decode("utf-8", "replace").splitlines() if line.strip()]
        cloudwatch.record(function.name, lines, started, duration_ms)


def lambda_events(lines: list[str], records: list[dict | None], request_id: str, started: float,
                  duration_ms: float, memory_mb: int) -> list[dict[str, Any]]:
    """The log events Lambda writes for one invocation: START, the function's lines, END, REPORT;
    each line at its own timestamp (never earlier than the one before: put_log_events wants order)."""
    begin = int(started * 1000)
    end = max(begin + int(duration_ms), begin)
    events, last = [{"timestamp": begin, "message": f"START RequestId: {request_id} Version: $LATEST"}], begin
    for line, record in zip(lines, records, strict=True):
        last = max(last, _timestamp_ms(record) or last)
        events.append({"timestamp": last, "message": line})
    end = max(end, last)
    max_used = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # KB on Linux
    events.append({"timestamp": end, "message": f"END RequestId: {request_id}"})
    events.append({"timestamp": end, "message": (
        f"REPORT RequestId: {request_id}\tDuration: {duration_ms:.2f} ms\tBilled Duration: {int(duration_ms) + 1} ms"
        f"\tMemory Size: {memory_mb} MB\tMax Memory Used: {max_used} MB")})
    return events


def emf_metric_data(record: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """What CloudWatch makes of one EMF line: (namespace, MetricDatum) per metric and dimension set.

    The values sit at the top level under each metric's name, a number or a list of numbers (Powertools
    puts every `add_metric` of an invocation in one list); each dimension's value also sits at the top."""
    directives = record.get("_aws", {})
    when = datetime.fromtimestamp(directives.get("Timestamp", time.time() * 1000) / 1000, tz=UTC)
    data = []
    for directive in directives.get("CloudWatchMetrics", []):
        for dimension_set in directive.get("Dimensions") or [[]]:
            dimensions = [{"Name": name, "Value": str(record[name])} for name in dimension_set if name in record]
            for metric in directive.get("Metrics", []):
                values = record.get(metric["Name"])
                values = values if isinstance(values, list) else [values]
                datum = {"MetricName": metric["Name"], "Dimensions": dimensions, "Timestamp": when,
                         "Values": [float(v) for v in values if isinstance(v, (int, float))],
                         "Unit": metric.get("Unit", "None")}
                if datum["Values"]:
                    data.append((directive["Namespace"], datum))
    return data


def lambda_metric_data(function_name: str, started: float, duration_ms: float,
                       errored: bool) -> list[tuple[str, dict[str, Any]]]:
    """Lambda's own per-invocation metrics (AWS/Lambda, dimension FunctionName), which the alarms watch."""
    when = datetime.fromtimestamp(started, tz=UTC)
    dimensions = [{"Name": "FunctionName", "Value": function_name}]
    return [("AWS/Lambda", {"MetricName": name, "Dimensions": dimensions, "Timestamp": when, "Value": value,
                            "Unit": unit})
            for name, value, unit in (("Invocations", 1.0, "Count"), ("Errors", float(errored), "Count"),
                                      ("Duration", duration_ms, "Milliseconds"))]


def template_alarms(resources) -> list[tuple[str, dict[str, Any]]]:
    """The template's AWS::CloudWatch::Alarm resources as put_metric_alarm arguments, resolved to the
    local names, each named as CloudFormation names an alarm without AlarmName."""
    alarms = []
    for logical_id, spec in resources.template["Resources"].items():
        if spec.get("Type") != "AWS::CloudWatch::Alarm":
            continue
        properties = resources.resolve({k: v for k, v in spec.get("Properties", {}).items() if k in ALARM_KEYS})
        arguments = {k: _NUMBERS[k](v) if k in _NUMBERS else v for k, v in properties.items()}
        name = spec.get("Properties", {}).get("AlarmName") or alarm_name(resources.stack_name, logical_id)
        alarms.append((str(name), arguments))
    return alarms


def alarm_name(stack_name: str, logical_id: str) -> str:
    suffix = hashlib.sha1(f"{stack_name}/{logical_id}".encode(), usedforsecurity=False).hexdigest()[:12].upper()
    return f"{stack_name}-{logical_id}-{suffix}"


def _json(line: str) -> dict | None:
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def _timestamp_ms(record: dict | None) -> int | None:
    """The line's own time: EMF's _aws.Timestamp, or the Logger's `timestamp` (2026-12-02 00:28:18,081+0000)."""
    if not record:
        return None
    if isinstance(record.get("_aws"), dict) and "Timestamp" in record["_aws"]:
        return int(record["_aws"]["Timestamp"])
    try:
        return int(datetime.strptime(str(record.get("timestamp")), "%Y-%m-%d %H:%M:%S,%f%z").timestamp() * 1000)
    except ValueError:
        return None
