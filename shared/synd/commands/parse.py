"""`synd parse`: run the core on local files, with no AWS at all."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from synd.errors import Rejected
from synd.pipeline import make_source, parse_drop
from synd.settings import partner_settings, use_store

NAME = "parse"
HELP = ("Parse local drops into articles: one JSON object per article per line "
        "(exit 0: every input gave an article, 3: some were rejected, 2: usage error).")


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders (every file below them)")
    parser.add_argument("--partner", metavar="ID",
                        help="partner id (default: the name of each file's parent folder, "
                             "as incoming/<partner>/ in S3)")
    parser.add_argument("--no-body", action="store_true", help="leave body_text out of the output")
    parser.add_argument("--budget", type=float, metavar="SECONDS",
                        help="time one input may take before it is rejected as too_slow "
                             "(default: the partner's parse_budget_seconds, else 20)")


def input_files(paths: list[str]) -> list[Path]:
    files = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            files.append(path)
        else:
            raise FileNotFoundError(name)
    return files


def run(args) -> int:
    use_store(None)  # the config dir's files, even with out/stack.env sourced: synd parse needs no AWS
    try:
        files = input_files(args.paths)
    except FileNotFoundError as exc:
        print(f"synd parse: no such file or folder: {exc.args[0]}", file=sys.stderr)
        return 2
    rejected = 0
    for path in _progress(files):
        rejected += not parse_one(path, args.partner or path.resolve().parent.name, args.no_body, args.budget)
    return 3 if rejected else 0


def parse_one(path: Path, partner: str, no_body: bool = False, budget: float | None = None) -> bool:
    """Print the articles of one file (or its error line). True when it gave at least one article.

    Every rejection prints the same way, `too_slow` and `parser_error` included: the core turns
    every input into articles or a Rejected (see synd.pipeline.parse_drop)."""
    data = path.read_bytes()
    source = make_source(data, path=str(path))
    try:
        result = parse_drop(data, source, partner_settings(partner), budget_seconds=budget)
    except Rejected as exc:
        _emit({"source": source.to_record(), "partner": partner, "error": exc.to_record()})
        return False
    for article in result.articles:
        record = article.to_record()
        if no_body:
            record.pop("body_text")
        _emit(record)
    for error in result.errors:
        _emit({"source": result.source.to_record(), "partner": partner, "error": error.to_record()})
    return True


def _emit(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _progress(files):
    if len(files) > 20 and sys.stderr.isatty():
        from tqdm import tqdm

        return tqdm(files, unit="file", file=sys.stderr)
    return files
