"""How fast a backfill goes: the local form over N objects on the local stack, and the AWS form by arithmetic.

    .venv/bin/python bench/backfill.py [--objects 500] [--concurrency 1 4]

A fresh local stack (moto in server mode, template.yaml's resources); N Markdown articles (bench/scale.py's,
six languages, CC BY 4.0) put under backfill/scale-bench/ of the raw bucket (no notification there);
then `synd.backfill.local.run_backfill` for each concurrency (the stack is reset between runs so that
each ingests everything; the catch-up is answered at once, so only the map is timed). Printed per run:
objects/s, articles/s, the mean BackfillFunction batch duration (BATCH_SIZE keys), and per drop.

The AWS form's rate is arithmetic from the measured batch duration: MaxConcurrency batches at a time,
each BATCH_SIZE drops in `batch_seconds`, gives MaxConcurrency x BATCH_SIZE / batch_seconds drops/s
(moto in the same machine is slower than DynamoDB/S3 in-region, so the measured duration is an upper
bound, and the rate a lower bound), until another limit binds first (docs/scale.md). The last line is
one JSON object.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "shared")]

PREFIX = "backfill/"


def drops(count: int) -> list[tuple[str, bytes]]:
    from bench.scale import PARTNER, article_drops

    return [(key.replace("incoming/", PREFIX, 1), body) for key, body in article_drops(count)
            if key.startswith(f"incoming/{PARTNER}/")]


def timed_handler(durations: list[float]):
    from synd.backfill.local import load_handler

    handler = load_handler()

    def run(event, context):
        if event.get("CatchUp"):  # the catch-up waits for publishing, which this bench does not run
            return {"waiting": False, "render_requests": 0}
        started = time.monotonic()
        try:
            return handler(event, context)
        finally:
            durations.append(time.monotonic() - started)
    return run


def one_run(objects: list[tuple[str, bytes]], concurrency: int, work: Path) -> dict:
    import os

    from synd.aws import client
    from synd.backfill.items import BATCH_SIZE, Location
    from synd.backfill.local import run_backfill
    from synd.local.runner import LocalStack

    with LocalStack.running(out_dir=work, fresh=True):
        from synd import observability

        observability.logger.setLevel("INFO")  # prod's level
        bucket = os.environ["RAW_BUCKET"]
        s3 = client("s3")
        for key, body in objects:
            s3.put_object(Bucket=bucket, Key=key, Body=body)
        durations: list[float] = []
        with open(work / "functions.jsonl", "a", encoding="utf-8") as log:
            import contextlib

            with contextlib.redirect_stdout(log):
                report = run_backfill(Location(bucket, PREFIX), concurrency=concurrency,
                                      handler=timed_handler(durations))
    batch_seconds = statistics.mean(durations)
    return {"objects": report["objects"], "ingested": report["ingested"], "failed": report["failed"],
            "concurrency": concurrency, "seconds": report["seconds"], "objects_per_s": report["objects_per_s"],
            "articles_per_s": report["articles_per_s"], "batch_size": BATCH_SIZE,
            "batch_seconds_mean": round(batch_seconds, 3), "drop_seconds_mean": round(batch_seconds / BATCH_SIZE, 4)}


def aws_rate(batch_seconds: float, batch_size: int, max_concurrency: int) -> float:
    return max_concurrency * batch_size / batch_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--objects", type=int, default=500)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4])
    args = parser.parse_args()
    objects = drops(args.objects)
    runs = []
    with tempfile.TemporaryDirectory() as scratch:
        for concurrency in args.concurrency:
            run = one_run(objects, concurrency, Path(scratch))
            runs.append(run)
            print(f"local, {run['objects']} objects, concurrency {concurrency}: {run['seconds']} s, "
                  f"{run['objects_per_s']} objects/s, {run['articles_per_s']} articles/s; a batch of "
                  f"{run['batch_size']} took {run['batch_seconds_mean']} s ({run['drop_seconds_mean']} s a drop); "
                  f"{run['failed']} failed", flush=True)
    batch = min(r["batch_seconds_mean"] for r in runs)  # the least contended measurement
    size = runs[0]["batch_size"]
    print(f"AWS form, from a batch of {size} in {batch} s (moto: an upper bound):")
    table = {}
    for concurrency in (1, 10, 50, 100, 200):
        rate = aws_rate(batch, size, concurrency)
        table[concurrency] = round(rate, 1)
        print(f"  MaxConcurrency {concurrency:>3}: {concurrency} x {size} / {batch} s = {rate:,.1f} drops/s; "
              f"1,000,000 objects in {1_000_000 / rate / 3600:,.2f} h")
    print(json.dumps({"runs": runs, "aws_drops_per_s_by_max_concurrency": table}))


if __name__ == "__main__":
    main()
