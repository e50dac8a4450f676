"""What one live render costs as its month grows: the limit the month-wide archive page sets.

    .venv/bin/python bench/render_month.py [--sizes 1000 5000 20000] [--burst 10] [--text FILE]
                                           [--aws-latency-scale 1.0]

A render re-reads every entry of each month that changed (its archive page lists them all, and the feeds
look for the newest entries in the newest months), so the work of a render of one language grows with the
entries its current month holds, not only with the articles that changed. Here one month of one language
is filled to each of `--sizes` entries, cloned from a real site entry and written straight to the table,
then rendered once (not timed). `--text FILE`: each clone carries that file's text as its feed content,
e.g. a corpus drop of ../shared/corpus (the sample entry's UDHR text is short). Then a burst of `--burst`
new articles is published to the site target and the language rendered, timed: seconds, the AWS calls
(every call first waits bench/scale.py's in-region round trip, times --aws-latency-scale), the entries
read, the bytes and read units of the month's Query, the archive page's size, the Python memory the
render allocated at its peak (tracemalloc, after a second burst), and the renderer's own CPU over the
entries (decoding, sorting, the archive page), apart from any AWS.

From the growth per entry it prints the entries a month can hold before a render takes 40 s (the render
function's 60 s Timeout less the third it keeps in reserve), here and in a 1,024 MB function (its
MemorySize: 0.58 of a vCPU, by which the growth, CPU, is divided), and before it needs 1,024 MB, with
the articles per day in one language that fill such a month (the smaller of the function's two). moto
in-process answers the Query in this interpreter (its time is measured and left out of "without moto");
the modelled round trip is per call, not per megabyte, so a Query page of 1 MB waits as long as a small
one (a lower bound for AWS's transfer). The last line is one JSON object.
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import logging
import math
import os
import sys
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the test helpers (tests.unit.publish, tests.integration.publish) and bench.*

LANGUAGE = "fa"
MONTH = "2026-11"
PASS_SECONDS = 40.0  # the render function's 60 s Timeout less RESERVE_SHARE (a third)
MEMORY_MB = 1024  # the functions' MemorySize (template.yaml Globals)
LAMBDA_VCPU = MEMORY_MB / 1769  # of a vCPU at that MemorySize (1,769 MB is one: the Lambda developer guide)


def fill(stack, template: dict, start: int, stop: int) -> None:
    """Entries start..stop-1 of the month, cloned from `template` with their own ids and dates, written as
    EntryStore.put_entry writes them, and the month's revision bumped by as many."""
    from synd.render.entries import entry_attribute

    requests = []
    for n in range(start, stop):
        minute = n % (29 * 24 * 60)  # spread over the month, oldest first; the bursts come after them
        published = f"{MONTH}-{1 + minute // 1440:02d}T{minute // 60 % 24:02d}:{minute % 60:02d}:00Z"
        entry = {**template, "id": f"bench-{n:07d}", "title": f"{template['title']} {n}", "published": published,
                 "updated": published, "url": f"https://site.example/articles/bench-{n:07d}/"}
        requests.append({"PutRequest": {"Item": {
            "pk": {"S": f"FEED#{LANGUAGE}#{MONTH}"}, "sk": {"S": f"ENTRY#{entry['id']}"},
            "type": {"S": "feed_entry"}, "version": {"N": "1"}, "withdrawn": {"BOOL": False},
            "token": {"S": f"t{n}"}, **entry_attribute(entry)}}})
    for at in range(0, len(requests), 25):
        stack.ddb.batch_write_item(RequestItems={stack.table: requests[at:at + 25]})
    stack.ddb.update_item(TableName=stack.table,
                          Key={"pk": {"S": f"RENDER#{LANGUAGE}"}, "sk": {"S": f"MONTH#{MONTH}"}},
                          UpdateExpression="ADD revision :n",
                          ExpressionAttributeValues={":n": {"N": str(stop - start)}})


def render_untimed(stack, store, options) -> None:
    """Render what was filled without touching the filled articles' pages (they are not in the bucket):
    their pagers are recorded as if rewritten, so the timed render relinks only what its burst changes."""
    from synd.render.outputs import PageRewrite, SiteOutputs
    from synd.render.renderer import render_language

    outputs = SiteOutputs(stack.site)
    outputs.rewrite_page = lambda *args, **kwargs: PageRewrite.WRITTEN  # type: ignore[method-assign]
    render_language(LANGUAGE, store, outputs, options)


def burst(stack, records: list[dict]) -> None:
    """The site target's work for each article, as publishing does it (the render requests stay queued)."""
    from bench.render_catchup import publish_site

    publish_site(stack, records, backfill=False)


def month_bytes(stack) -> int:
    """Bytes of the month's items, as its Query reads them (DynamoDB's sizes: names plus values)."""
    from bench.scale import item_size

    from synd.render.entries import EntryStore

    return sum(item_size(item) for item in EntryStore(stack.table, stack.ddb)._query(f"FEED#{LANGUAGE}#{MONTH}"))


def pure_cpu(store) -> float:
    """The renderer's own work over the month's entries, no AWS: decode, hold (the newest whole, where the
    tree has synd.render.entries.NewestWhole), sort, the archive page."""
    from synd.publish.html import render_archive_page
    from synd.render import entries as stored
    from synd.render.renderer import INDEX_SIZE, visible

    items = [item for item in store._query(f"FEED#{LANGUAGE}#{MONTH}") if item["sk"]["S"].startswith("ENTRY#")]
    started = time.process_time()
    if hasattr(stored, "NewestWhole"):
        held: list = []
        newest = stored.NewestWhole(INDEX_SIZE)
        for item in items:
            newest.add(held, stored.stored_entry(item), "")
        entries = [entry for entry, _token in held]
    else:  # a tree from before stop 24 held every entry whole
        entries = [stored.stored_entry(item) for item in items]
    render_archive_page(LANGUAGE, "rtl", MONTH, visible(entries), months=[MONTH])
    return time.process_time() - started


def measure(stack, meter, store, options, records: list[dict]) -> dict:
    """One timed render after half of `records` is published, then one under tracemalloc after the other half."""
    from synd.render.outputs import SiteOutputs
    from synd.render.renderer import archive_key, render_language

    read: dict[str, float] = defaultdict(float)
    month_items = store.month_items

    def timed_read(language: str, month: str, whole: int | None = None) -> list:
        started, moto = time.perf_counter(), meter.moto  # the month is read in the render's own thread
        items = month_items(language, month, whole)
        read["entries"] += len(items)
        read["seconds"] += time.perf_counter() - started
        read["moto"] += meter.moto - moto
        return items

    store.month_items = timed_read
    burst(stack, records[:len(records) // 2])
    started = time.perf_counter()
    with meter.stage() as found, contextlib.redirect_stdout(io.StringIO()):
        render_language(LANGUAGE, store, SiteOutputs(stack.site), options)
    seconds = time.perf_counter() - started
    store.month_items = month_items
    burst(stack, records[len(records) // 2:])
    gc.collect()
    tracemalloc.start()
    with contextlib.redirect_stdout(io.StringIO()):
        render_language(LANGUAGE, store, SiteOutputs(stack.site), options)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    size = month_bytes(stack)
    page = stack.s3.head_object(Bucket=stack.site, Key=archive_key(LANGUAGE, MONTH))["ContentLength"]
    return {"seconds": seconds, "read_seconds": read["seconds"], "read_moto": read["moto"],
            "queries": found["calls"][("dynamodb", "Query")], "s3_puts": found["calls"][("s3", "PutObject")],
            "entries_read": int(read["entries"]), "rru": size / 4096, "page_bytes": page, "peak_mb": peak / 2**20,
            "pure_cpu": pure_cpu(store)}


def limit(sizes: list[int], values: list[float], bound: float) -> float:
    """The size at which a straight line through the first and last figures reaches `bound`."""
    slope = (values[-1] - values[0]) / (sizes[-1] - sizes[0])
    return sizes[-1] + (bound - values[-1]) / slope if slope > 0 else float("inf")


def _whole(value: float) -> int | None:
    """A figure for the JSON line: None where it never binds (the run's figures did not grow)."""
    return round(value) if math.isfinite(value) else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--burst", type=int, default=10, choices=range(1, 31), metavar="1..30",
                        help="articles published before each timed render")
    parser.add_argument("--text", type=Path, help="a text file each filled entry carries as its feed content")
    parser.add_argument("--aws-latency-scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    sizes = sorted(args.sizes)
    if not 2 <= len(sizes) <= 24:
        parser.error("--sizes takes 2 to 24 sizes (the growth per entry is measured between them; each size's "
                     "burst is published in its own hour of the month's last day)")
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    quiet = logging.getLogger("synd")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # the filled articles' pages are not in the bucket: a warning each
    try:
        return _run(args, sizes)
    finally:
        quiet.setLevel(level)


def _run(args: argparse.Namespace, sizes: list[int]) -> int:
    import boto3
    from bench.publish import LatencyMeter
    from bench.scale import LATENCY_MS

    from synd.local import moto_fixes
    from synd.render.entries import EntryStore
    from synd.render.renderer import RenderOptions

    from tests.integration.publish.publish_stack import mocked_stack
    from tests.unit.publish.publish_samples import make_record

    moto_fixes.apply()
    options = RenderOptions(site_url="https://site.example", title="Syndicated articles", feed_size=50)
    meter = LatencyMeter(LATENCY_MS, args.aws_latency_scale)
    rows = []
    with mocked_stack() as stack:
        os.environ["TABLE_NAME"] = stack.table
        stack.ddb = boto3.client("dynamodb", region_name=stack.s3.meta.region_name)  # the bench's own: not counted
        burst(stack, [make_record(LANGUAGE, salt=" #template", published=f"{MONTH}-01")])
        template = EntryStore(stack.table, stack.ddb).month_entries(LANGUAGE, MONTH)[0]
        if args.text:
            template["content_text"] = args.text.read_text(encoding="utf-8")
        print(f"filled entries carry {len(json.dumps(template, ensure_ascii=False).encode('utf-8')):,} bytes of JSON "
              f"(feed content {len(template['content_text'].encode('utf-8')):,} bytes)", flush=True)
        filled = 0
        meter.install()
        store = EntryStore(stack.table)  # after install: its calls wait the round trips and are counted
        try:
            for step, size in enumerate(sizes):
                fill(stack, template, filled, size)
                filled = size
                render_untimed(stack, store, options)
                records = [make_record(LANGUAGE, salt=f" #{size}-{n}", published=f"{MONTH}-30T{step:02d}:{n:02d}:00Z")
                           for n in range(2 * args.burst)]  # newer than all before: only the newest page relinks
                row = {"entries": size, **measure(stack, meter, store, options, records)}
                rows.append(row)
                print(f"  {size:>7} entries: render {row['seconds']:6.2f} s, of it the month's read "
                      f"{row['read_seconds']:5.2f} s ({row['read_moto']:5.2f} s of it moto's), {row['queries']} Query "
                      f"calls, {row['entries_read']} entries read, {row['s3_puts']} S3 PUTs, "
                      f"{row['rru']:,.0f} RRU, archive page {row['page_bytes'] / 1e6:.1f} MB, "
                      f"peak {row['peak_mb']:.0f} MB, renderer CPU {row['pure_cpu']:.2f} s", flush=True)
        finally:
            meter.uninstall()
    entries = [row["entries"] for row in rows]
    without_moto = [row["seconds"] - row["read_moto"] for row in rows]
    at_time = limit(entries, without_moto, PASS_SECONDS)
    # The growth with the month is CPU (botocore's parsing, decoding, the page), at a share of a vCPU there;
    # the smallest month's time is kept as measured.
    in_lambda = [without_moto[0] + (s - without_moto[0]) / LAMBDA_VCPU for s in without_moto]
    at_time_lambda = limit(entries, in_lambda, PASS_SECONDS)
    at_memory = limit(entries, [row["peak_mb"] for row in rows], MEMORY_MB)
    at_cpu = limit(entries, [row["pure_cpu"] for row in rows], PASS_SECONDS)
    per_entry = {"ms_without_moto": 1000 * (without_moto[-1] - without_moto[0]) / (entries[-1] - entries[0]),
                 "kb_peak": 1024 * (rows[-1]["peak_mb"] - rows[0]["peak_mb"]) / (entries[-1] - entries[0]),
                 "rru": (rows[-1]["rru"] - rows[0]["rru"]) / (entries[-1] - entries[0])}
    print(f"\nper entry of the month: {per_entry['ms_without_moto']:.3f} ms of render without moto, "
          f"{per_entry['kb_peak']:.1f} KB of peak memory, {per_entry['rru']:.2f} RRU per render")
    print(f"a render of a {args.burst}-article burst reaches {PASS_SECONDS:g} s at about {at_time:,.0f} entries in "
          f"the month on this machine (renderer CPU alone: {at_cpu:,.0f}), at about {at_time_lambda:,.0f} in a "
          f"{MEMORY_MB} MB function ({LAMBDA_VCPU:.2f} vCPU), and {MEMORY_MB} MB at about {at_memory:,.0f}")
    bound = min(at_time_lambda, at_memory)
    print(f"  = {bound / 30:,.0f} articles per day in one language, filling a month; "
          f"{bound / 30 / 86400:.2f} per second")
    print(json.dumps({"sizes": entries, "seconds_without_moto": [round(s, 2) for s in without_moto],
                      "peak_mb": [round(r["peak_mb"], 1) for r in rows], "rru": [round(r["rru"]) for r in rows],
                      "s3_puts": [r["s3_puts"] for r in rows], "rru_per_entry": round(per_entry["rru"], 3),
                      "peak_kb_per_entry": round(per_entry["kb_peak"], 2),
                      "entries_at_pass_seconds": _whole(at_time),
                      "entries_at_pass_seconds_in_lambda": _whole(at_time_lambda),
                      "entries_at_memory": _whole(at_memory),
                      "articles_per_day_at_limit": _whole(bound / 30)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
