"""The backfill in AWS: start the state machine's execution and follow its map run.

The execution input names what the ItemReader lists and what every batch gets as BatchInput
(template.yaml, BackfillStateMachine). The map run's item counts (DescribeMapRun) drive the
progress bar; the execution's status (DescribeExecution) says when it is over.
"""
from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable

from synd.backfill.items import Location

FINAL = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}
POLL_SECONDS = 5.0


def execution_input(location: Location, partner: str | None) -> dict:
    return {"Bucket": location.bucket, "Prefix": location.prefix, "Partner": partner or ""}


def start(sfn, state_machine_arn: str, location: Location, partner: str | None) -> str:
    name = f"backfill-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    return sfn.start_execution(stateMachineArn=state_machine_arn, name=name,
                               input=json.dumps(execution_input(location, partner)))["executionArn"]


def map_counts(sfn, execution_arn: str) -> dict:
    """The item counts of the execution's map run ({} before the map has started)."""
    runs = sfn.list_map_runs(executionArn=execution_arn).get("mapRuns", [])
    if not runs:
        return {}
    return sfn.describe_map_run(mapRunArn=runs[0]["mapRunArn"]).get("itemCounts", {})


def follow(sfn, execution_arn: str, *, progress: Callable | None = None, poll: float = POLL_SECONDS,
           sleep: Callable[[float], None] = time.sleep) -> dict:
    """Poll until the execution ends; returns its status and the map run's final counts."""
    bar, done = None, 0
    try:
        while True:
            status = sfn.describe_execution(executionArn=execution_arn)["status"]
            counts = map_counts(sfn, execution_arn)
            if progress and counts.get("total") and bar is None:
                bar = progress(total=counts["total"], unit="obj", desc="backfill")
            finished = sum(counts.get(k, 0) for k in ("succeeded", "failed", "timedOut", "aborted"))
            if bar is not None and finished > done:
                bar.update(finished - done)
                done = finished
            if status in FINAL:
                return summary(execution_arn, status, counts)
            sleep(poll)
    finally:
        if bar is not None:
            bar.close()


def summary(execution_arn: str, status: str, counts: dict) -> dict:
    failed = sum(int(counts.get(k, 0)) for k in ("failed", "timedOut", "aborted"))
    return {"form": "aws", "execution_arn": execution_arn, "status": status,
            "objects": int(counts.get("total", 0)), "succeeded": int(counts.get("succeeded", 0)),
            "failed": failed}
