"""Cold-start cost of each Lambda handler module: wall time of a fresh interpreter importing it,
and the slowest imports from `python -X importtime`.

    .venv/bin/python bench/startup.py            # handlers from the source tree and .venv
    .venv/bin/python bench/startup.py --layer    # from the BUILT layer (make build), as in Lambda

`--layer` imports each handler the way Lambda does: no site-packages, sys.path = the function's
directory, the layer's python/ (/opt/python), then the runtime's SDK (boto3, botocore, s3transfer,
which the layer does not ship; .venv's copies of the pinned versions stand in, with their
bytecode as the runtime's have), and no bytecode written (/opt and /var/task are read-only). Next
to each handler it times `import boto3` alone on the same path, prints the ratio (the target is
at most 1.5) and the layer's size; best of N runs each. Tracing is off as in dev
(POWERTOOLS_TRACE_DISABLED=true); `--tracing` adds a row per handler with tracing on (prod).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LAYER = REPO / ".aws-sam" / "build" / "SyndLayer"
HANDLERS = {"ingest": REPO / "functions/ingest/app.py", "publish": REPO / "functions/publish/app.py"}
RUNTIME_SDK = ("boto3", "botocore", "s3transfer")  # what the python3.11 runtime provides
ENV = {**os.environ, "TABLE_NAME": "t", "PROCESSED_BUCKET": "p", "PUBLISH_QUEUE_URL": "q", "SITE_BUCKET": "s",
       "AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_TRACE_DISABLED": "true"}
LAMBDA_ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1", "LAMBDA_TASK_ROOT": "/var/task",
              "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1", "TABLE_NAME": "t", "PROCESSED_BUCKET": "p",
              "PUBLISH_QUEUE_URL": "q", "SITE_BUCKET": "s", "POWERTOOLS_TRACE_DISABLED": "true"}


def import_once(path: Path) -> tuple[float, str]:
    code = (f"import importlib.util,sys; s=importlib.util.spec_from_file_location('app', {str(path)!r}); "
            "m=importlib.util.module_from_spec(s); s.loader.exec_module(m)")
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode:
        raise SystemExit(proc.stderr[-2000:])
    return elapsed, proc.stderr


def top_imports(importtime: str, n: int = 8, under: str | None = None) -> list[tuple[int, str]]:
    """The n slowest top-level imports (cumulative µs), or those made directly by module `under`."""
    rows, indent = [], 4 if under else 2
    for line in importtime.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m and len(m.group(3)) <= indent and m.group(4) != under:
            rows.append((int(m.group(2)), m.group(4)))
    return sorted(rows, reverse=True)[:n]


def runtime_sdk_dir(into: Path) -> Path:
    """A stand-in for the runtime's site-packages: links to .venv's boto3, botocore and s3transfer."""
    for name in RUNTIME_SDK:
        package = Path(importlib.util.find_spec(name).origin).parent
        (into / name).symlink_to(package)
    return into


def timed_import(statement: str, pythonpath: list[Path], *options: str, **env: str) -> tuple[float, float, str]:
    """CPU time (user + system) and wall time of `statement` in a fresh `python -S` on `pythonpath`,
    the interpreter's own start left out, and its stderr (the importtime with -X importtime)."""
    code = ("import time; cpu, wall = time.process_time(), time.perf_counter()\n" + statement +
            "\nprint(time.process_time() - cpu, time.perf_counter() - wall)")
    proc = subprocess.run([sys.executable, "-S", *options, "-c", code],
                          env={**LAMBDA_ENV, **env, "PYTHONPATH": os.pathsep.join(map(str, pythonpath))},
                          capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(proc.stderr[-2000:])
    cpu, wall = map(float, proc.stdout.split()[-2:])
    return cpu, wall, proc.stderr


def size_mb(path: Path) -> tuple[float, float]:
    """(MB on disk as `du` counts it, MB of file contents)."""
    du = subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True, check=True).stdout.split()[0]
    contents = sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())
    return int(du) / 1024, contents / 1e6


def layer_report(layer: Path, runs: int, tracing: bool) -> dict:
    """Rounds of: `import boto3`, then each handler, each in a fresh interpreter. A handler's ratio
    is the median over rounds of its CPU time over boto3's in the same round, so a burst of load
    from other processes (2 shared cores) moves both sides; times are the best of the rounds.
    CPU time is compared: on a loaded host wall time mostly measures the other processes, on an
    idle one the two agree."""
    if not layer.is_dir():
        raise SystemExit(f"no {layer}: run `make build` first")
    python = layer / "python"
    shipped = [name for name in RUNTIME_SDK if (python / name).is_dir()]
    cases = {"boto3": ("import boto3", [], {})}
    for name, handler in HANDLERS.items():
        cases[name] = ("import app", [handler.parent], {})
        if tracing:
            cases[f"{name} (tracing on)"] = ("import app", [handler.parent], {"POWERTOOLS_TRACE_DISABLED": "false"})
    with tempfile.TemporaryDirectory() as tmp:
        path = [python, runtime_sdk_dir(Path(tmp))]
        rounds = [{case: timed_import(statement, [*first, *path], **env)[:2]
                   for case, (statement, first, env) in cases.items()} for _ in range(runs)]
        slowest = {case: top_imports(timed_import(statement, [*first, *path], "-X", "importtime", **env)[2], 5, "app")
                   for case, (statement, first, env) in cases.items() if case != "boto3"}
    du_mb, content_mb = size_mb(layer)
    print(f"layer {layer}: {du_mb:.1f} MB (du), {content_mb:.1f} MB of files; "
          f"SDK in the layer: {', '.join(shipped) or 'none (the runtime provides boto3, botocore, s3transfer)'}")
    print(f"{runs} rounds of fresh interpreters, their start left out: best CPU s (user+sys), best wall s, "
          "median CPU ratio to boto3's in the same round")
    print(f"{'import':24} {'CPU (s)':>8} {'wall (s)':>9} {'/ boto3':>8}  slowest imports under it (cumulative ms)")
    result = {"layer_mb": round(du_mb, 1), "layer_content_mb": round(content_mb, 1)}
    for case in cases:
        cpu, wall = min(r[case][0] for r in rounds), min(r[case][1] for r in rounds)
        ratio = statistics.median(r[case][0] / r["boto3"][0] for r in rounds)
        top = ", ".join(f"{mod} {us / 1000:.0f}" for us, mod in slowest.get(case, []))
        print(f"{case:24} {cpu:8.3f} {wall:9.3f} {ratio:8.2f}  {top}")
        if case in HANDLERS:
            result[f"{case}_import_over_boto3"] = round(ratio, 2)
        elif case == "boto3":
            result["boto3_cpu_s"] = round(cpu, 3)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--layer", action="store_true", help="import the handlers from the built layer")
    parser.add_argument("--runs", type=int, default=7, help="runs per import; the best counts (--layer)")
    parser.add_argument("--tracing", action="store_true", help="also time each handler with tracing on (--layer)")
    parser.add_argument("--layer-dir", type=Path, default=LAYER, help="another built layer, e.g. an older copy")
    args = parser.parse_args()
    if args.layer:
        print(json.dumps(layer_report(args.layer_dir, args.runs, args.tracing)))
        return
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
