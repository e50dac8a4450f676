"""Fault injection on the local stack at a bigger size than `make test` runs (tests/e2e/test_faults.py).

    .venv/bin/python bench/faults.py [--drops 60] [--versioned 15] [--copies 3] [--fault-rate 0.1] [--seed 9]

Real drops from samples/ and tests/corpus/drops/ (some in several versions under one key) go to the
local stack (moto server, resources from template.yaml, the real handlers); every notification is
AWS-shaped (versionId, sequencer) and delivered `--copies` times in a shuffled order; `--fault-rate`
of the handlers' S3 and DynamoDB calls fail (half before, half after they take effect); a webhook
partner on 127.0.0.1 drops connections, then answers 503, then 200. After the drain, faults off,
one `synd redrive`, a second drain. Prints what was counted (JSON) and exits 1 if a promise broke.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the test helpers: tests.e2e.fault_harness, tests.aws_shapes
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "INFO")

from tests.e2e import fault_harness  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drops", type=int, default=60, help="distinct keys dropped (at most the corpus size)")
    parser.add_argument("--versioned", type=int, default=15, help="keys that get two or three versions")
    parser.add_argument("--copies", type=int, default=3, help="deliveries of every notification")
    parser.add_argument("--fault-rate", type=float, default=0.1, help="share of S3/DynamoDB calls that fail")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--function-timeout", type=int, default=10,
                        help="the functions' Timeout in this run's template (leases follow it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        report = fault_harness.run(Path(work), drops=args.drops, versioned=args.versioned, copies=args.copies,
                                   fault_rate=args.fault_rate, seed=args.seed, function_timeout=args.function_timeout)
    print(json.dumps(report.__dict__, indent=1, ensure_ascii=False))
    problems = report.problems()
    print("promises held" if not problems else "BROKEN: " + "; ".join(problems), file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
