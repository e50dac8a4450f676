"""Cold-start cost of each Lambda handler module: wall time of a fresh
interpreter importing it, and the slowest imports from `python -X importtime`.

    .venv/bin/python bench/startup.py
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HANDLERS = {"ingest": REPO / "functions/ingest/app.py", "publish": REPO / "functions/publish/app.py"}
ENV = {**os.environ, "TABLE_NAME": "t", "PROCESSED_BUCKET": "p", "PUBLISH_QUEUE_URL": "q", "SITE_BUCKET": "s",
       "AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_TRACE_DISABLED": "true"}


def import_once(path: Path) -> tuple[float, str]:
    code = (f"import importlib.util,sys; s=importlib.util.spec_from_file_location('app', {str(path)!r}); "
            "m=importlib.util.module_from_spec(s); s.loader.exec_module(m)")
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode:
        raise SystemExit(proc.stderr[-2000:])
    return elapsed, proc.stderr


def top_imports(importtime: str, n: int = 8) -> list[tuple[int, str]]:
    rows = []
    for line in importtime.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m and len(m.group(3)) <= 2:  # top-level packages only
            rows.append((int(m.group(2)), m.group(4)))
    return sorted(rows, reverse=True)[:n]


def main() -> None:
    print(f"{'handler':10} {'cold import (s)':>16}  slowest top-level imports (cumulative ms)")
    for name, path in HANDLERS.items():
        runs = [import_once(path) for _ in range(3)]
        best = min(r[0] for r in runs)
        top = ", ".join(f"{mod} {us / 1000:.0f}" for us, mod in top_imports(runs[0][1]))
        print(f"{name:10} {best:16.3f}  {top}")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"])
    print(f"{'(python)':10} {time.perf_counter() - started:16.3f}  bare interpreter start, for reference")


if __name__ == "__main__":
    main()
