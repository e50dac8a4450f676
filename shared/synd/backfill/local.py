"""The backfill without Step Functions: the AWS form's batches, run by a bounded pool of workers.

moto's Step Functions (its ASL interpreter, `execute_state_machine`) cannot run the state machine:
it has no ItemBatcher, and its Lambda tasks need Docker. So this lists the prefix as the
ItemReader does (ListObjectsV2, every page), cuts the same batches (`BATCH_SIZE`), hands each, as
the same event, to the same handler (functions/backfill/app.py) with a Lambda context, retries a
batch that raised `BatchIncomplete` as the state machine's Retry does, and at the end invokes it
with {"CatchUp": true} until it has asked the renderer, as the state machine's last steps do. Not exercised here: the
ItemReader, the map run's bookkeeping and ToleratedFailurePercentage, the ResultWriter, IAM.

The workers are threads of one process: the handlers' AWS calls overlap (that is where their time
goes), while they share one Powertools Logger and Metrics, so a log line may carry another batch's
keys. In Lambda each batch has its own execution environment.
"""
from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from synd.backfill.core import COUNTED, BatchIncomplete
from synd.backfill.items import BATCH_SIZE, Location, batch_event, batches, listed_item
from synd.commands.progress import Silent

REPO = Path(__file__).resolve().parents[3]
HANDLER = REPO / "functions" / "backfill" / "app.py"
TIMEOUT_SECONDS = 300  # BackfillFunction's Timeout in template.yaml (the tests check they agree)
ATTEMPTS = 3  # 1 + the state machine's Retry MaxAttempts for BatchIncomplete
RETRY_SECONDS = 1.0  # the state machine waits 2 s, then 4 s
CATCH_UP_POLL_SECONDS = 1.0  # between catch-up tries while the publish queue drains (30 s in AWS)


def list_items(location: Location) -> Iterator[dict]:
    """Every object under the prefix, as the ItemReader (s3:listObjectsV2) lists them."""
    from synd.aws import client

    for page in client("s3").get_paginator("list_objects_v2").paginate(Bucket=location.bucket,
                                                                       Prefix=location.prefix):
        for obj in page.get("Contents", []):
            yield listed_item(obj)


def load_handler() -> Callable[[dict, object], dict]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("synd_local_backfillfunction", HANDLER)
    if spec is None or spec.loader is None:
        raise ImportError(f"{HANDLER} cannot be loaded as a module")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.lambda_handler


def context():
    from synd.local.runner import LambdaContext

    return LambdaContext("BackfillFunction", timeout_seconds=TIMEOUT_SECONDS)


def run_batch(handler, event: dict, attempts: int = ATTEMPTS, wait: float = RETRY_SECONDS) -> dict:
    """One batch, retried as the state machine retries it; a batch that still fails comes back with
    `failed_batch` set and the counts of its last attempt (a map run counts all its items failed)."""
    for attempt in range(1, attempts + 1):
        try:
            return handler(event, context())
        except BatchIncomplete as exc:
            if attempt == attempts:
                return {**(_summary_in(exc) or {"failed": len(event["Items"])}), "failed_batch": True}
            time.sleep(wait * attempt)
        except Exception as exc:  # noqa: BLE001 - another error of the function: not retried (as in the Retry list)
            key = (event["Items"] or [{}])[0].get("Key", "")
            return {"failed": len(event["Items"]), "failed_batch": True,
                    "problems": [{"kind": "failed", "key": f"{key} (its batch)",
                                  "reason": f"{type(exc).__name__}: {exc}"[:300]}]}
    raise AssertionError("unreachable")


def run_backfill(location: Location, *, partner: str | None = None, concurrency: int = 4,
                 handler: Callable | None = None, progress: Callable | None = None,
                 batch_size: int = BATCH_SIZE) -> dict:
    """Backfill every object under `location`; returns the summary `synd backfill --json` prints."""
    from synd.aws import client

    started = time.monotonic()
    items = list(list_items(location))
    events = [batch_event(batch, location, partner) for batch in batches(items, batch_size)]
    handler = handler or load_handler()
    for service in ("s3", "dynamodb", "sqs"):  # made once here: creating clients is not thread-safe
        client(service)
    totals: Counter[str] = Counter()
    problems: list[dict[str, Any]] = []
    failed_batches = 0
    bar = (progress or Silent)(total=len(items), unit="obj", desc="backfill")
    with bar, ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        futures = {pool.submit(run_batch, handler, event): event for event in events}
        for future in as_completed(futures):
            summary = future.result()
            failed_batches += bool(summary.get("failed_batch"))
            totals.update({kind: summary.get(kind, 0) for kind in (*COUNTED, "articles")})
            problems += summary.get("problems", [])
            bar.update(len(futures[future]["Items"]))
    render_requests = catch_up(handler)
    seconds = time.monotonic() - started
    return {"form": "local", "bucket": location.bucket, "prefix": location.prefix, "partner": partner,
            "objects": len(items), "batches": len(events), "batch_size": batch_size, "concurrency": concurrency,
            **{kind: int(totals.get(kind, 0)) for kind in COUNTED}, "articles": int(totals.get("articles", 0)),
            "failed_batches": failed_batches, "render_requests": render_requests, "seconds": round(seconds, 2),
            "objects_per_s": round(len(items) / seconds, 2) if seconds else None,
            "articles_per_s": round(totals.get("articles", 0) / seconds, 2) if seconds else None,
            "problems": problems[:200]}


def catch_up(handler) -> int:
    """The state machine's last step: ask until the handler sends the render requests (it waits for the
    publish queue to empty, which the local stack's runner drains meanwhile)."""
    waits = 0
    while True:
        answer = handler({"CatchUp": True, "Waits": waits}, context())
        if not answer.get("waiting"):
            return answer["render_requests"]
        time.sleep(CATCH_UP_POLL_SECONDS)
        waits += 1


def _summary_in(exc: BatchIncomplete) -> dict:
    try:
        return json.loads(str(exc))
    except ValueError:
        return {}
