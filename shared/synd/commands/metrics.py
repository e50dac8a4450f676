"""`synd metrics`: the dashboard's figures over a recent span, from CloudWatch.

Drops (received, duplicate, articles ingested, versions created, items rejected) and rejected drops by
code; deliveries by state (the metrics) and by target and state (the publish log group's `published`
lines: no metric has a target dimension); the queues' depth and the age of their oldest message; the
functions' errors and the records failed in their batch. The same for the local stack (moto's CloudWatch,
which the local runner fills; queue depths from the queues' attributes, as moto makes no SQS metrics)
and a deployed one; names are resolved as `synd alarms` resolves them.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from synd import observability as obs
from synd.aws import client
from synd.commands.alarms import StackMetrics, add_monitoring_arguments, open_stack

NAME = "metrics"
HELP = "Print the dashboard's figures from CloudWatch: drops, rejections by code, deliveries, queues, errors."
INGEST = (obs.DROPS_RECEIVED, obs.DROPS_DUPLICATE, obs.ARTICLES_INGESTED, obs.ARTICLE_VERSIONS, obs.ITEMS_REJECTED)
PUBLISH = (obs.ARTICLES_PUBLISHED, obs.DELIVERIES_WITHHELD, obs.DELIVERIES_FAILED, obs.DELIVERIES_PAUSED)


def add_arguments(parser) -> None:
    add_monitoring_arguments(parser)
    parser.add_argument("--since", type=span, default="1h", help="how far back: 30m, 1h, 2d (default 1h)")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of the tables")


def span(text: str) -> timedelta:
    """`90s`, `30m`, `1h`, `2d` as a timedelta (argparse's type: a bad value is a usage error)."""
    import argparse

    match = re.fullmatch(r"\s*(\d+)\s*([smhd])\s*", str(text))
    if not match or int(match.group(1)) == 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a span like 30m, 1h or 2d")
    return timedelta(seconds=int(match.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)])


def run(args) -> int:
    metrics, _, code = open_stack(args, NAME)
    if metrics is None:
        return code
    figures = dashboard(metrics, args.since, Layout.of(args.template, metrics.stack))
    if args.json:
        print(json.dumps(figures))
    else:
        print_figures(figures, args.since)
    return 0


@dataclass
class Layout:
    """What the template has: its queues, its functions and their service names, the publish log group."""

    queues: list[str]
    services: dict[str, str]  # function logical id -> POWERTOOLS_SERVICE_NAME
    publish_log_group: str | None

    @classmethod
    def of(cls, template: Path, stack: str) -> Layout:
        from synd.local.provision import load_template

        resources = load_template(template)["Resources"]
        functions = {k: v.get("Properties", {}) for k, v in resources.items()
                     if v.get("Type") in ("AWS::Serverless::Function", "AWS::Lambda::Function")}
        services = {k: str(p.get("Environment", {}).get("Variables", {}).get("POWERTOOLS_SERVICE_NAME", k))
                    for k, p in functions.items()}
        queues = [k for k, v in resources.items() if v.get("Type") == "AWS::SQS::Queue"]
        return cls(queues, services, _log_group(resources.get("PublishLogGroup", {}), stack))


def dashboard(metrics: StackMetrics, since: timedelta, layout: Layout) -> dict[str, Any]:
    def service(name: str) -> list[dict[str, str]]:
        return [{"Name": "service", "Value": name}]

    publish_log_group = layout.publish_log_group

    figures: dict[str, Any] = {
        "drops": {m: metrics.total(obs.NAMESPACE, m, service("ingest"), since) for m in INGEST},
        "rejected_by_code": rejected_by_code(metrics, since),
        "deliveries": {m: metrics.total(obs.NAMESPACE, m, service("publish"), since) for m in PUBLISH},
        "deliveries_by_target": deliveries_by_target(publish_log_group, since) if publish_log_group else {},
        "queues": {q: queue_figures(metrics, q, since) for q in layout.queues if q in metrics.names},
        "errors": {f: metrics.total("AWS/Lambda", "Errors", [{"Name": "FunctionName", "Value": metrics.names[f]}],
                                    since) for f in layout.services if f in metrics.names},
        "records_failed": {s: metrics.total(obs.NAMESPACE, obs.RECORDS_FAILED, service(s), since)
                           for s in layout.services.values()},
    }
    return figures


def rejected_by_code(metrics: StackMetrics, since: timedelta) -> dict[str, float]:
    """DropsRejected per `reason` (the dashboard's SEARCH over that dimension: every code that occurred)."""
    counts: dict[str, float] = {}
    pages = metrics.cloudwatch.get_paginator("list_metrics").paginate(Namespace=obs.NAMESPACE,
                                                                    MetricName=obs.DROPS_REJECTED)
    for page in pages:
        for metric in page.get("Metrics", []):
            dims = {d["Name"]: d["Value"] for d in metric.get("Dimensions", [])}
            if "reason" in dims:
                total = metrics.total(obs.NAMESPACE, obs.DROPS_REJECTED, metric["Dimensions"], since)
                if total:
                    counts[dims["reason"]] = counts.get(dims["reason"], 0.0) + total
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def deliveries_by_target(log_group: str, since: timedelta) -> dict[str, dict[str, int]]:
    """target -> state -> count, from the `published` lines' `deliveries` lists in the publish log group."""
    logs, counts = client("logs"), Counter[tuple[str, str]]()
    start = int((datetime.now(UTC) - since).timestamp() * 1000)
    try:
        pages = logs.get_paginator("filter_log_events").paginate(logGroupName=log_group, startTime=start,
                                                                 filterPattern='"published"')
        for page in pages:
            for event in page.get("events", []):
                line = _json(event.get("message", ""))
                if line and line.get("message") == "published":
                    counts.update((d.get("target"), d.get("state")) for d in line.get("deliveries") or [])
    except logs.exceptions.ResourceNotFoundException:
        return {}
    by_target: dict[str, dict[str, int]] = {}
    for (target, state), n in sorted(counts.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        by_target.setdefault(str(target), {})[str(state)] = n
    return by_target


def queue_figures(metrics: StackMetrics, logical_id: str, since: timedelta) -> dict[str, Any]:
    dims = [{"Name": "QueueName", "Value": metrics.names[logical_id]}]
    period = max(60, int(since.total_seconds()) // 60 * 60)
    visible = metrics.values("AWS/SQS", "ApproximateNumberOfMessagesVisible", dims, "Maximum", 60, 5)
    age = metrics.values("AWS/SQS", "ApproximateAgeOfOldestMessage", dims, "Maximum", period, 1)
    return {"name": metrics.names[logical_id], "visible": visible[0] if visible else None,
            "oldest_age_seconds": age[0] if age else None}


def print_figures(figures: dict[str, Any], since: timedelta) -> None:
    from synd.commands.status import print_table

    print(f"last {_span_text(since)}\n")
    rows = [["drops", "count"]] + [[m, f"{v:g}"] for m, v in figures["drops"].items()]
    rows += [[f"DropsRejected {code}", f"{v:g}"] for code, v in figures["rejected_by_code"].items()]
    print_table(rows)
    print()
    print_table([["deliveries", "count"]] + [[m, f"{v:g}"] for m, v in figures["deliveries"].items()])
    if figures["deliveries_by_target"]:
        print()
        states = sorted({s for by_state in figures["deliveries_by_target"].values() for s in by_state})
        print_table([["target", *states]] + [[t] + [str(by_state.get(s, 0)) for s in states]
                                             for t, by_state in figures["deliveries_by_target"].items()])
    print()
    print_table([["queue", "visible", "oldest (s)"]] + [
        [q, _number(f["visible"]), _number(f["oldest_age_seconds"])] for q, f in figures["queues"].items()])
    print()
    rows = [["errors", "count"]] + [[f"{f} Errors", f"{v:g}"] for f, v in figures["errors"].items()]
    rows += [[f"RecordsFailed {s}", f"{v:g}"] for s, v in figures["records_failed"].items()]
    print_table(rows)


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:g}"


def _span_text(since: timedelta) -> str:
    seconds = int(since.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _log_group(spec: dict, stack: str) -> str | None:
    """A log group's name from the template (`!Sub "/aws/lambda/${AWS::StackName}-publish"`) for this stack."""
    name = spec.get("Properties", {}).get("LogGroupName")
    if isinstance(name, dict) and "Fn::Sub" in name:
        name = name["Fn::Sub"]
    return name.replace("${AWS::StackName}", stack) if isinstance(name, str) else None


def _json(text: str) -> dict | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
