"""`synd run`: the whole pipeline on the embedded local stack, once (what `make run` calls)."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from synd.aws import reports
from synd.commands.status import article_rows, print_articles, print_rejected
from synd.local.runner import REPO, LocalStack

NAME = "run"
HELP = ("Start the local stack (moto on 127.0.0.1, resources from template.yaml), drop the samples into the raw "
        "bucket, run the handlers until the queues are drained, print the articles and export the site to out/site/.")


def add_arguments(parser) -> None:
    parser.add_argument("--samples", type=Path, default=REPO / "samples", help="folder of <partner>/<file> drops")
    parser.add_argument("--out", type=Path, default=REPO / "out", help="where the site and logs go")


def run(args) -> int:
    started = time.monotonic()
    stack = LocalStack.start(out_dir=args.out)
    try:
        keys = stack.upload(args.samples)
        print(f"local stack at {stack.endpoint}; dropped {len(keys)} files into s3://{os.environ['RAW_BUCKET']}/incoming/")
        drain_with_progress(stack)
        site = args.out / "site"
        shutil.rmtree(site, ignore_errors=True)
        files = stack.export_site(site)
        table = os.environ["TABLE_NAME"]
        print_articles(article_rows(table), site=_shown(site))
        print_rejected(reports.drops(table, "rejected"))
        print(f"\npublished site: {files} files in {_shown(site)}/ (open {_shown(site)}/index.html); "
              f"feeds per language in {_shown(site)}/feeds/<lang>/")
        print(f"Lambda logs (JSON lines): {stack.log_file}")
        dlq = {q: n for q, n in stack.queue_depths().items() if n}
        print(f"queues left: {dlq or 'none'}; took {time.monotonic() - started:.1f}s")
    finally:
        stack.stop()
    return 0


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def drain_with_progress(stack: LocalStack, timeout: float = 300.0) -> None:
    from tqdm import tqdm

    with tqdm(unit="msg", desc="processing", leave=False, disable=None) as bar:
        stack.drain(timeout=timeout, on_progress=bar.update)
