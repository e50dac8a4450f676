"""`synd alarms`: which of template.yaml's alarms would be in ALARM now.

Each AWS::CloudWatch::Alarm of the template (metric, namespace, dimensions, statistic, period,
threshold, comparison, evaluation periods, missing data) is evaluated against CloudWatch's metrics, as
CloudWatch evaluates it: the last `EvaluationPeriods` periods, ALARM when `DatapointsToAlarm` of them
breach. The dimension values the template leaves to CloudFormation (`!GetAtt IngestDLQ.QueueName`,
`!Ref IngestFunction`) are read from the stack's own alarms in CloudWatch (`<stack>-<LogicalId>-...`,
which `sam deploy` creates and the local stack mirrors on moto), so the same command answers for the
local stack and a deployed one.

moto makes no AWS/SQS metrics: against the local stack a queue's ApproximateNumberOfMessagesVisible
is read from its attributes (get_queue_attributes) and its ApproximateAgeOfOldestMessage is missing
data. Exit 0 when no alarm is in ALARM, 1 when one is (so a script or CI step can wait on it).
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from synd.aws import client, command_endpoint, use_endpoint

NAME = "alarms"
HELP = ("Say which of template.yaml's alarms would be in ALARM now, evaluated against CloudWatch "
        "(exit 1 when one is).")
LOCAL_STACK = "synd-local"  # the local stack's name (synd.local.provision)
IN_ALARM = 1
ALARM, OK, INSUFFICIENT = "ALARM", "OK", "INSUFFICIENT_DATA"
NOT_DEPLOYED = "NOT_DEPLOYED"  # in template.yaml, not (yet) in the stack
_COMPARE = {
    "GreaterThanThreshold": lambda v, t: v > t,
    "GreaterThanOrEqualToThreshold": lambda v, t: v >= t,
    "LessThanThreshold": lambda v, t: v < t,
    "LessThanOrEqualToThreshold": lambda v, t: v <= t,
}


def add_arguments(parser) -> None:
    add_monitoring_arguments(parser)
    parser.add_argument("--json", action="store_true", help="one JSON object per alarm instead of a table")


def add_monitoring_arguments(parser) -> None:
    parser.add_argument("--endpoint-url", default=command_endpoint(),
                        help="the local stack's endpoint; default $SYND_ENDPOINT_URL, else $AWS_ENDPOINT_URL "
                             "(none: AWS)")
    parser.add_argument("--stack", default=os.environ.get("SYND_STACK_NAME"),
                        help=f"the stack's name; default $SYND_STACK_NAME, else {LOCAL_STACK} with an endpoint")
    parser.add_argument("--template", type=Path, default=_template(), help="the template (default: template.yaml)")


# -- the template's alarms -------------------------------------------------------------------------
@dataclass
class AlarmRule:
    """One alarm as the template defines it; dimension values may still be intrinsic functions."""

    logical_id: str
    namespace: str
    metric: str
    dimensions: list[tuple[str, Any]]
    statistic: str
    period: int
    evaluation_periods: int
    datapoints_to_alarm: int
    threshold: float
    comparison: str
    treat_missing: str = "missing"


def template_rules(template: Path) -> list[AlarmRule]:
    from synd.local.provision import load_template

    rules = []
    for logical_id, spec in load_template(template)["Resources"].items():
        if spec.get("Type") != "AWS::CloudWatch::Alarm":
            continue
        p = spec["Properties"]
        evaluations = int(p.get("EvaluationPeriods", 1))
        rules.append(AlarmRule(
            logical_id, p["Namespace"], p["MetricName"], [(d["Name"], d["Value"]) for d in p.get("Dimensions", [])],
            p.get("Statistic", "Average"), int(p["Period"]), evaluations, int(p.get("DatapointsToAlarm", evaluations)),
            float(p["Threshold"]), p["ComparisonOperator"], p.get("TreatMissingData", "missing")))
    return rules


def evaluate(rule: AlarmRule, values: list[float | None]) -> str:
    """CloudWatch's verdict on the last `evaluation_periods` values (None: no datapoint in that period).

    Missing data counts as TreatMissingData says: `notBreaching` good, `breaching` bad, `ignore` and
    `missing` (the default) leave the periods out; with no value left the alarm has INSUFFICIENT_DATA."""
    window = (list(values) + [None] * rule.evaluation_periods)[: rule.evaluation_periods]
    compare = _COMPARE[rule.comparison]
    breaching = known = 0
    for value in window:
        if value is None:
            if rule.treat_missing in ("notBreaching", "breaching"):
                known += 1
                breaching += rule.treat_missing == "breaching"
            continue
        known += 1
        breaching += compare(value, rule.threshold)
    if breaching >= min(rule.datapoints_to_alarm, rule.evaluation_periods):
        return ALARM
    return OK if known else INSUFFICIENT


# -- the stack's names, the metrics -----------------------------------------------------------------
class StackMetrics:
    """CloudWatch (and, on the local stack, the queues' attributes) for one stack."""

    def __init__(self, stack: str, local: bool, rules: list[AlarmRule]):
        self.stack, self.local, self.cloudwatch = stack, local, client("cloudwatch")
        self.deployed = self._deployed_alarms()
        self.names = physical_names(rules, self.deployed)

    def _deployed_alarms(self) -> dict[str, dict]:
        """logical id -> the stack's alarm in CloudWatch (CloudFormation names it <stack>-<LogicalId>-<suffix>)."""
        found: dict[str, dict] = {}
        for page in self.cloudwatch.get_paginator("describe_alarms").paginate(AlarmNamePrefix=f"{self.stack}-"):
            for alarm in page.get("MetricAlarms", []):
                found[alarm["AlarmName"][len(self.stack) + 1:].rsplit("-", 1)[0]] = alarm
        return found

    def dimensions(self, rule: AlarmRule) -> list[dict[str, str]] | None:
        """The rule's dimensions with CloudFormation's values; None when a value cannot be resolved."""
        resolved = []
        for name, value in rule.dimensions:
            if not isinstance(value, str):
                referenced = _referenced(value)
                value = self.names.get(referenced) if referenced else None
            if value is None:
                return None
            resolved.append({"Name": name, "Value": value})
        return resolved

    def values(self, namespace: str, metric: str, dimensions: list[dict[str, str]], statistic: str,
               period: int, periods: int, now: datetime | None = None) -> list[float | None]:
        """One value per period, newest first, for the last `periods` periods."""
        now = now or datetime.now(UTC)
        if self.local and namespace == "AWS/SQS":
            return [self.queue_attribute(metric, dimensions)]
        points = self.cloudwatch.get_metric_statistics(
            Namespace=namespace, MetricName=metric, Dimensions=dimensions, Statistics=[statistic], Period=period,
            StartTime=now - timedelta(seconds=period * periods), EndTime=now + _NOW_INCLUDED)["Datapoints"]
        points.sort(key=lambda p: p["Timestamp"], reverse=True)
        return [p[statistic] for p in points][:periods]

    def total(self, namespace: str, metric: str, dimensions: list[dict[str, str]], since: timedelta) -> float:
        """The metric's Sum over the last `since` (in one period: CloudWatch periods are whole minutes)."""
        now = datetime.now(UTC)
        period = max(60, -(-int(since.total_seconds()) // 60) * 60)
        points = self.cloudwatch.get_metric_statistics(
            Namespace=namespace, MetricName=metric, Dimensions=dimensions, Statistics=["Sum"], Period=period,
            StartTime=now - since, EndTime=now + _NOW_INCLUDED)["Datapoints"]
        return float(sum(p["Sum"] for p in points))

    def queue_attribute(self, metric: str, dimensions: list[dict[str, str]]) -> float | None:
        """The local form of an AWS/SQS metric (moto makes none): the queue's attributes now."""
        attribute = {"ApproximateNumberOfMessagesVisible": "ApproximateNumberOfMessages",
                     "ApproximateNumberOfMessagesNotVisible": "ApproximateNumberOfMessagesNotVisible",
                     "ApproximateNumberOfMessagesDelayed": "ApproximateNumberOfMessagesDelayed"}.get(metric)
        queue = next((d["Value"] for d in dimensions if d["Name"] == "QueueName"), None)
        if attribute is None or queue is None:
            return None  # e.g. ApproximateAgeOfOldestMessage: SQS has no attribute for it
        sqs = client("sqs")
        url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
        return float(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[attribute])["Attributes"][attribute])


def physical_names(rules: list[AlarmRule], deployed: dict[str, dict]) -> dict[str, str]:
    """Logical id -> the name CloudFormation (or the local stack) gave it, read off the stack's alarms:
    where the template says `!GetAtt IngestDLQ.QueueName`, the deployed alarm says the queue's name."""
    names: dict[str, str] = {}
    for rule in rules:
        alarm = deployed.get(rule.logical_id)
        if alarm is None:
            continue
        values = {d["Name"]: d["Value"] for d in alarm.get("Dimensions", [])}
        for name, value in rule.dimensions:
            referenced = None if isinstance(value, str) else _referenced(value)
            if referenced and name in values:
                names[referenced] = values[name]
    return names


def _referenced(value: Any) -> str | None:
    if isinstance(value, dict) and "Ref" in value:
        return str(value["Ref"])
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        target = value["Fn::GetAtt"]
        return str(target[0] if isinstance(target, list) else target.split(".")[0])
    return None


def open_stack(args, command: str) -> tuple[StackMetrics | None, list[AlarmRule], int]:
    """The stack's metrics and the template's alarm rules, or an exit code after saying what is wrong."""
    stack = args.stack or (LOCAL_STACK if args.endpoint_url else None)
    if not stack:
        print(f"synd {command}: which stack? pass --stack NAME (or set SYND_STACK_NAME); for the local stack "
              "`source out/stack.env` (or pass --endpoint-url)", file=sys.stderr)
        return None, [], 2
    if not Path(args.template).is_file():
        print(f"synd {command}: no template at {args.template} (pass --template)", file=sys.stderr)
        return None, [], 2
    use_endpoint(args.endpoint_url)
    rules = template_rules(args.template)
    metrics = StackMetrics(stack, bool(args.endpoint_url), rules)
    if not metrics.deployed:
        where = args.endpoint_url or "AWS"
        print(f"synd {command}: no alarm of stack {stack} in CloudWatch at {where}: is it deployed (or the local "
              "stack running, and out/stack.env sourced)?", file=sys.stderr)
        return None, rules, 4
    return metrics, rules, 0


# -- the command -------------------------------------------------------------------------------------
def run(args) -> int:
    metrics, rules, code = open_stack(args, NAME)
    if metrics is None:
        return code
    results = [alarm_state(metrics, rule) for rule in rules]
    if args.json:
        for result in results:
            print(json.dumps(result))
    else:
        print_states(results)
    return IN_ALARM if any(r["state"] == ALARM for r in results) else 0


def alarm_state(metrics: StackMetrics, rule: AlarmRule) -> dict[str, Any]:
    dimensions = metrics.dimensions(rule)
    result: dict[str, Any] = {
        "alarm": rule.logical_id, "name": (metrics.deployed.get(rule.logical_id) or {}).get("AlarmName"),
        "namespace": rule.namespace, "metric": rule.metric, "dimensions": dimensions, "statistic": rule.statistic,
        "period": rule.period, "threshold": rule.threshold, "comparison": rule.comparison}
    if dimensions is None or rule.logical_id not in metrics.deployed:
        return {**result, "state": NOT_DEPLOYED, "value": None,
                "note": "the stack has no such alarm: template.yaml is newer than what runs (deploy, or restart the "
                        "local stack)"}
    values = metrics.values(rule.namespace, rule.metric, dimensions, rule.statistic, rule.period,
                            rule.evaluation_periods)
    state = evaluate(rule, values)
    note = ("no SQS metrics locally (moto): read from the queue's attributes"
            if metrics.local and rule.namespace == "AWS/SQS" else None)
    if metrics.local and rule.namespace == "AWS/SQS" and values == [None]:
        note = "not measured locally: SQS has no attribute for it and moto makes no SQS metrics"
    return {**result, "state": state, "value": values[0] if values else None, "note": note}


_NOW_INCLUDED = timedelta(seconds=1)  # the times go out in whole seconds: a datapoint of this second is in
_SIGNS = {"GreaterThanThreshold": ">", "GreaterThanOrEqualToThreshold": ">=", "LessThanThreshold": "<",
          "LessThanOrEqualToThreshold": "<="}


def print_states(results: list[dict[str, Any]]) -> None:
    from synd.commands.status import print_table

    rows = [["alarm", "state", "value", "fires when", "metric"]]
    for r in results:
        value = "-" if r["value"] is None else f"{r['value']:g}"
        dims = ",".join(d["Value"] for d in r["dimensions"] or [])
        rows.append([r["alarm"], r["state"], value,
                     (f"{r['statistic']} {_SIGNS.get(r['comparison'], r['comparison'])} {r['threshold']:g} "
                      f"in {r['period']} s"), f"{r['namespace']} {r['metric']} {dims}"])
    print_table(rows)
    notes: dict[str, list[str]] = {}
    for r in results:
        if r.get("note"):
            notes.setdefault(r["note"], []).append(r["alarm"])
    for note, alarms in notes.items():
        print(f"\n{', '.join(alarms)}: {note}")
    firing = [r["alarm"] for r in results if r["state"] == ALARM]
    print(f"\n{len(firing)} in ALARM{': ' + ', '.join(firing) if firing else ''}")


def _template() -> Path:
    from synd.local.runner import TEMPLATE

    return TEMPLATE
