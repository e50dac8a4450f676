"""Fuzz the core: mutated real drops through `parse_drop`, as `synd parse` and the ingest Lambda call it.

The generator is tests/unit/fuzz_drops.py (the same one the 2,000-drop test in `make test` uses):
seeds from samples/, tests/corpus/drops/, the shared corpus and tests/unit/formats/data, one to
three mutations each (bit flips, truncation, splicing, duplicated and deleted chunks, nesting,
attack payloads). Every drop must end in articles or a documented rejection code.

Run:  .venv/bin/python bench/fuzz.py [--drops 100000] [--seed 1] [--max-payload 100000]
      .venv/bin/python bench/fuzz.py --seed 1 --only 4711 --save /tmp/drop   # make one drop again
Prints: count, outcomes by code, exceptions and parser_errors (both should be 0), p50/p99/max
seconds per drop, and the slowest drops with the recipe that makes each again. Figures, not
assertions; exits 1 when any drop failed.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.unit.fuzz_drops import fuzzed, generate, run, seeds  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drops", type=int, default=100_000, help="how many fuzzed drops (default 100,000)")
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed (default 1)")
    parser.add_argument("--start", type=int, default=0, help="index of the first drop (default 0)")
    parser.add_argument("--max-payload", type=int, default=100_000,
                        help="largest attack payload or duplicated run, in bytes (default 100,000; sizes "
                             "spread evenly on a log scale from 1 byte; 10000000 probes 10 MiB drops)")
    parser.add_argument("--budget", type=float, default=None,
                        help="per-drop budget in seconds passed to parse_drop (default: the core's, 20 s)")
    parser.add_argument("--slowest", type=int, default=10, help="how many of the slowest drops to list")
    parser.add_argument("--only", type=int, metavar="INDEX", help="make and run one drop, print its outcome")
    parser.add_argument("--save", type=Path, metavar="FILE", help="with --only: write the drop's bytes to FILE")
    args = parser.parse_args()

    from tqdm import tqdm

    if args.only is not None:
        drop = fuzzed(args.seed, args.only, seeds(), args.max_payload)
        if args.save:
            args.save.write_bytes(drop.data)
        outcome = run(drop, args.budget)
        print(f"{drop.describe()}\n{len(drop.data):,} bytes -> {outcome.kind} {outcome.detail} "
              f"{outcome.item_codes or ''} in {outcome.seconds:.3f} s")
        return 1 if outcome.failed else 0

    started = time.perf_counter()
    outcomes: Counter = Counter()
    item_codes: Counter = Counter()
    times: list[float] = []
    slowest: list[tuple[float, int, str]] = []
    failures: list[str] = []
    sizes = 0
    drops = generate(args.seed, args.drops, args.max_payload, start=args.start)
    for drop in tqdm(drops, total=args.drops, unit="drop", mininterval=1.0, file=sys.stderr):
        outcome = run(drop, args.budget)
        sizes += len(drop.data)
        outcomes[outcome.detail if outcome.kind == "rejected" else outcome.kind] += 1
        item_codes.update(outcome.item_codes)
        times.append(outcome.seconds)
        slowest = sorted(slowest + [(outcome.seconds, len(drop.data), drop.describe())], reverse=True)[:args.slowest]
        if outcome.failed:
            failures.append(f"{drop.describe()} -> {outcome.kind} {outcome.detail} {outcome.item_codes}")
    elapsed = time.perf_counter() - started
    report(args, outcomes, item_codes, times, slowest, failures, sizes, elapsed)
    return 1 if failures else 0


def report(args, outcomes, item_codes, times, slowest, failures, sizes, elapsed) -> None:
    count = len(times)
    ordered = sorted(times)
    exceptions = outcomes.get("exception", 0)
    parser_errors = outcomes.get("parser_error", 0) + item_codes.get("parser_error", 0)
    print(f"fuzzed drops: {count:,} (seed {args.seed}, from {args.start:,}, payloads up to {args.max_payload:,} bytes; "
          f"{sizes / max(count, 1) / 1024:.1f} KiB on average) in {elapsed:.0f} s")
    print(f"unhandled exceptions: {exceptions}    parser_error: {parser_errors}    failed drops: {len(failures)}")
    print("\noutcome              drops    share")
    for name, n in outcomes.most_common():
        print(f"{name:<18} {n:>7,}  {n / count:7.2%}")
    if item_codes:
        print("\nitems refused inside accepted drops: " + ", ".join(f"{c} {n:,}" for c, n in item_codes.most_common()))
    print(f"\nseconds per drop: p50 {statistics.median(ordered):.4f}  p99 {ordered[int(0.99 * (count - 1))]:.3f}  "
          f"max {ordered[-1]:.3f}  mean {statistics.fmean(ordered):.4f}")
    print(f"\nthe {len(slowest)} slowest drops (make one again with --seed {args.seed} --only INDEX):")
    for seconds, size, recipe in slowest:
        print(f"  {seconds:7.3f} s  {size:>10,} bytes  {recipe}")
    for line in failures[:50]:
        print("FAILED", line)


if __name__ == "__main__":
    sys.exit(main())
