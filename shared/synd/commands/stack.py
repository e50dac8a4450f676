"""`synd stack`: keep the local stack up, and process whatever is dropped into it."""
from __future__ import annotations

import os
import shlex
import time
from pathlib import Path

from synd.aws import reports
from synd.local.runner import REPO, LocalStack

NAME = "stack"
HELP = "Keep the local stack running: drop files with `aws s3 cp --endpoint-url ...` and watch them processed (Ctrl-C stops)."


def add_arguments(parser) -> None:
    parser.add_argument("--port", type=int, default=0, help="port for moto on 127.0.0.1 (default: a free one)")
    parser.add_argument("--out", type=Path, default=REPO / "out", help="where stack.env, logs and the site go")
    parser.add_argument("--samples", action="store_true", help="drop samples/ at start")


def run(args) -> int:
    stack = LocalStack.start(out_dir=args.out, port=args.port)
    env_file = write_env(stack, args.out)
    raw = os.environ["RAW_BUCKET"]
    print(f"local stack at {stack.endpoint} (moto server; Ctrl-C stops it)\n")
    print(f"  source {env_file}   # sets AWS_ENDPOINT_URL, TABLE_NAME, bucket names and fake credentials")
    print(f"  aws s3 cp article.html s3://{raw}/incoming/<partner>/article.html --endpoint-url {stack.endpoint}")
    print(f"  synd status            # articles, deliveries, rejected drops")
    print(f"  synd deliveries --state failed\n")
    if args.samples:
        stack.upload(REPO / "samples")
    seen: set[str] = set()
    try:
        while True:
            if stack.poll_once(wait_seconds=1):
                report_new_drops(os.environ["TABLE_NAME"], seen)
                stack.export_site(args.out / "site")
            else:
                time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nstopping")
    finally:
        stack.stop()
    return 0


def write_env(stack: LocalStack, out: Path) -> Path:
    described = stack.describe()
    out.mkdir(parents=True, exist_ok=True)
    env = {"AWS_ENDPOINT_URL": stack.endpoint, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
           "AWS_DEFAULT_REGION": "us-east-1", **described["environment"]}
    path = out / "stack.env"
    path.write_text("".join(f"export {k}={shlex.quote(str(v))}\n" for k, v in env.items()))
    return path


def report_new_drops(table: str, seen: set[str]) -> None:
    for state in ("ingested", "rejected"):
        for drop in reports.drops(table, state):
            ident = f"{drop['key']}#{drop['sk']}"
            if ident in seen:
                continue
            seen.add(ident)
            detail = (f"{len(drop.get('article_ids', []))} article(s)" if state == "ingested"
                      else f"{drop['error']['code']}: {drop['error']['message']}")
            print(f"{time.strftime('%H:%M:%S')}  {state:8}  {drop['key']}  {detail}", flush=True)
