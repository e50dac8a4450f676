"""A backfill's catch-up render of one language, pass after pass (synd.render.renderer.PassLimit).

    .venv/bin/python bench/render_catchup.py [--articles 2000] [--months 8] [--entries-per-pass N]
                                             [--pass-seconds 40] [--aws-latency-scale 1.0]

A backfill publishes its articles without asking for renders (the site target keeps each new page in the
table, synd.render.pages), then asks for one render per language: that render finds every month of the
archive dirty. Here `--articles` articles of one language over `--months` months are published to the
site target (moto in-process, not timed), the render queue is emptied as after a backfill, and the
language is rendered the way the render function does it: passes of at most `--entries-per-pass` entries
(default the renderer's ENTRIES_PER_PASS), each stopping its relinking after `--pass-seconds` (the render
function's 60 s Timeout less its 20 s PASS_RESERVE_MS), until a pass says nothing is left.

Every AWS call waits a typical in-region round trip first (bench/scale.py's LATENCY_MS: S3 25 ms,
DynamoDB 6 ms; times --aws-latency-scale), as in bench/publish.py: an assumption of the bench, not a
measurement of AWS. Counts are exact; the pages per second are this machine's (moto in-process shares
the interpreter with the renderer's 16 relinking threads: a lower bound for AWS).

Printed: each pass (months, entries read, pages relinked, seconds, calls), then the pages per second, the
AWS calls per page, and the time a catch-up of 1,000,000 pages in one language would take at that rate.
The last line is one JSON object with those figures.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import os
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the test helpers (tests.unit.publish, tests.integration.publish) and bench.*

LANGUAGE = "fa"


def publish_site(stack, records: list[dict], backfill: bool = True) -> None:
    """The site target's work for each article: the entry and the kept page; as a backfill does it (its
    render requests dropped: a backfill asks for none per article), or, `backfill=False`, as publishing
    does (they stay queued)."""
    from synd.publish.publisher import PublishConfig, publish_message

    from tests.unit.publish.publish_samples import decide_by_target, target

    site = target("site", "site", base_url="https://site.example", feed_size=50)
    config = PublishConfig(table=stack.table, env=replace(stack.env, render_queue_url=stack.render_queue))
    with contextlib.redirect_stdout(io.StringIO()):  # Powertools prints EMF when its buffer fills
        for record in records:
            publish_message(stack.put_version(record), config, decide=decide_by_target(), targets=[site])
    if backfill:
        stack.sqs.purge_queue(QueueUrl=stack.render_queue)


def render_passes(stack, meter, entries_per_pass: int, pass_seconds: float) -> list[dict]:
    from synd.render.entries import EntryStore
    from synd.render.outputs import SiteOutputs
    from synd.render.renderer import PassLimit, RenderOptions, render_language

    options = RenderOptions(site_url="https://site.example", title="Syndicated articles", feed_size=50)
    store, outputs, passes = EntryStore(stack.table), SiteOutputs(stack.site), []
    read: Counter = Counter()
    month_items = store.month_items
    store.month_items = lambda language, month, whole=None: _counted(  # type: ignore[method-assign]
        read, month_items(language, month, whole))
    while True:
        started = time.monotonic()
        limit = PassLimit(entries=entries_per_pass,
                          out_of_time=lambda began=started: time.monotonic() - began > pass_seconds)
        read.clear()
        with meter.stage() as found, contextlib.redirect_stdout(io.StringIO()):
            done = render_language(LANGUAGE, store, outputs, options, limit)
        if done.skipped:
            return passes
        passes.append({"months": len(done.months), "entries_read": read["entries"], "relinked": done.relinked,
                       "seconds": time.monotonic() - started, "calls": found["calls"], "more": done.more})
        if not done.more:
            return passes


def _counted(read: Counter, items: list) -> list:
    read["entries"] += len(items)
    return items


def main(argv: list[str] | None = None) -> int:
    from synd.render import renderer

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--months", type=int, default=8, help="the archive's months the articles spread over")
    parser.add_argument("--entries-per-pass", type=int, default=renderer.ENTRIES_PER_PASS)
    parser.add_argument("--pass-seconds", type=float, default=40.0,
                        help="relinking stops after this (the render function: 60 s Timeout less its 20 s reserve)")
    parser.add_argument("--aws-latency-scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    from bench.publish import LatencyMeter
    from bench.scale import LATENCY_MS

    from synd.local import moto_fixes

    from tests.integration.publish.publish_stack import mocked_stack
    from tests.unit.publish.publish_samples import make_record

    moto_fixes.apply()
    records = [make_record(LANGUAGE, salt=f" #{n}",
                           published=f"20{10 + (n % args.months) // 12:02d}-{1 + (n % args.months) % 12:02d}-"
                                     f"{1 + n % 28:02d}") for n in range(args.articles)]
    meter = LatencyMeter(LATENCY_MS, args.aws_latency_scale)
    with mocked_stack() as stack:
        os.environ["TABLE_NAME"] = stack.table
        started = time.monotonic()
        publish_site(stack, records)
        print(f"published {args.articles} articles of '{LANGUAGE}' over {args.months} months to the site target "
              f"in {time.monotonic() - started:.0f} s (not timed below); AWS round trips: "
              + ", ".join(f"{s} {ms * args.aws_latency_scale:g} ms" for s, ms in LATENCY_MS.items()))
        meter.install()
        try:
            passes = render_passes(stack, meter, args.entries_per_pass, args.pass_seconds)
        finally:
            meter.uninstall()
    print(f"\ncatch-up render: entries per pass {args.entries_per_pass}, relinking stops after {args.pass_seconds:g} s")
    print(f"  {'pass':>4} {'months':>6} {'entries read':>12} {'relinked':>8} {'seconds':>8}  more")
    for n, done in enumerate(passes, 1):
        print(f"  {n:>4} {done['months']:>6} {done['entries_read']:>12} {done['relinked']:>8} "
              f"{done['seconds']:>8.1f}  {done['more']}")
    relinked = sum(p["relinked"] for p in passes)
    seconds = sum(p["seconds"] for p in passes)
    calls = sum((p["calls"] for p in passes), Counter())
    rate = relinked / seconds if seconds else 0.0
    print(f"  {relinked} pages relinked in {seconds:.1f} s: {rate:.1f} pages/s")
    print("  calls per page: " + ", ".join(f"{service} {operation} {n / max(relinked, 1):.2f}"
                                           for (service, operation), n in sorted(calls.items())))
    hours = 1_000_000 / rate / 3600 if rate else float("inf")
    print(f"  1,000,000 pages in one language at this rate: {hours:.1f} h "
          f"({1_000_000 / max(relinked / len(passes), 1):.0f} passes of this size)")
    print(json.dumps({"pages": relinked, "passes": len(passes), "pages_per_second": round(rate, 1),
                      "million_pages_hours": round(hours, 2),
                      "calls_per_page": round(sum(calls.values()) / max(relinked, 1), 2)}))
    return 0 if relinked == args.articles else 1


if __name__ == "__main__":
    sys.exit(main())
