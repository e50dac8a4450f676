"""`synd status`: what the pipeline made of the drops: articles, rejections, deliveries.

Answered with queries: the newest articles from the sparse index's listing
shards, their records and their latest version's delivery to each configured
target by key (BatchGetItem), rejected drops from their shards. No Scan, and no
query per article, however large the table.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from synd import aws
from synd.aws import command_endpoint, reports
from synd.aws.deliveries import delivery_key

NAME = "status"
HELP = "Show articles (partner, title, language, licence, status, deliveries) and rejected drops."


def add_arguments(parser) -> None:
    add_stack_arguments(parser)
    parser.add_argument("--partner", help="only this partner's articles and rejected drops")
    parser.add_argument("--limit", type=int, default=100, help="the newest this many articles (default 100)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line instead of a table; its "
                        "\"record\" is \"article\" or \"rejected_drop\"")


def add_stack_arguments(parser) -> None:
    """Where the pipeline lives: the local stack exports these in out/stack.env; in AWS, the stack outputs."""
    parser.add_argument("--endpoint-url", default=command_endpoint(),
                        help="AWS endpoint (the local stack's, e.g. http://127.0.0.1:PORT); "
                             "default $SYND_ENDPOINT_URL, else $AWS_ENDPOINT_URL")
    parser.add_argument("--table", default=os.environ.get("TABLE_NAME"), help="DynamoDB table; default $TABLE_NAME")


def add_publishing_arguments(parser) -> None:
    """Where article versions are kept and queued for publishing (commands that publish again)."""
    add_stack_arguments(parser)
    parser.add_argument("--processed-bucket", default=os.environ.get("PROCESSED_BUCKET"),
                        help="processed bucket; default $PROCESSED_BUCKET")
    parser.add_argument("--publish-queue-url", default=os.environ.get("PUBLISH_QUEUE_URL"),
                        help="the publish queue; default $PUBLISH_QUEUE_URL")


def missing_publishing_arguments(args, command: str) -> bool:
    """Say on stderr which of the publishing arguments are missing (True if any is)."""
    missing = [flag for flag, value in (("--table", args.table), ("--processed-bucket", args.processed_bucket),
                                        ("--publish-queue-url", args.publish_queue_url)) if not value]
    if missing:
        print(f"synd {command}: missing {', '.join(missing)} (source out/stack.env for the local stack)",
              file=sys.stderr)
    return bool(missing)


def use_endpoint(args) -> None:
    aws.use_endpoint(args.endpoint_url)


def run(args) -> int:
    if not args.table:
        print("synd status: no table: pass --table or set TABLE_NAME (source out/stack.env for the local stack)",
              file=sys.stderr)
        return 2
    use_endpoint(args)
    from synd.settings import use_store

    use_store(args.table)  # the targets in force (live settings in the table, else the config dir)
    rows = article_rows(args.table, args.partner, limit=args.limit)
    rejected = [d for d in reports.drops(args.table, "rejected")
                if not args.partner or d.get("partner") == args.partner]
    if args.json:  # JSON lines, each saying which record it is
        for row in rows:
            print(json.dumps({"record": "article", **row}, ensure_ascii=False))
        for drop in rejected:
            print(json.dumps(rejected_line(drop), ensure_ascii=False))
        return 0
    print_articles(rows)
    print_rejected(rejected)
    return 0


def rejected_line(drop: dict) -> dict:
    error = drop.get("error") or {}
    return {"record": "rejected_drop", "key": drop["key"], "partner": drop.get("partner"), "state": "rejected",
            "code": error.get("code"), "message": error.get("message"), "error": error}


def article_rows(table: str, partner: str | None = None, limit: int = 1000) -> list[dict]:
    """The newest `limit` articles, each with its latest version's delivery state per target."""
    rows, found = [], reports.articles(table, partner, limit=limit)
    states = delivery_states(table, [(a["id"], int(a["version"])) for a in found])
    for article in found:
        latest = states.get((article["id"], int(article["version"])), {})
        rows.append({"id": article["id"], "story_id": article.get("story_id"), "partner": article["partner"],
                     "title": article["title"],
                     "version": article.get("version"), "language": article.get("language"),
                     "license": (article.get("license") or {}).get("spdx"),
                     "status": (article.get("status") or {}).get("state"),
                     "deliveries": latest})
    return rows


def delivery_states(table: str, versions: list[tuple[str, int]]) -> dict[tuple[str, int], dict[str, str]]:
    """(article id, version) -> {target: state}, read by key for every configured target (one
    BatchGetItem per 100 keys, instead of a query per article)."""
    from synd.settings import target_settings

    names = sorted({t.name for t in target_settings()})
    keys = [delivery_key(article_id, name, version) for article_id, version in versions for name in names]
    projection = {"ProjectionExpression": "article_id, version, target, #state",
                  "ExpressionAttributeNames": {"#state": "state"}}
    states: dict[tuple[str, int], dict[str, str]] = {}
    for d in reports.get_items(table, keys, projection):
        states.setdefault((d["article_id"], int(d["version"])), {})[d["target"]] = d.get("state", "?")
    return states


def print_articles(rows: list[dict], site: str | None = None) -> None:
    """The article table; with `site` (where the site was exported) a column with each published page."""
    table = [["partner", "title", "lang", "licence", "v", "deliveries"] + (["page"] if site else [])]
    for r in rows:
        deliveries = " ".join(f"{t}:{s}" for t, s in sorted(r["deliveries"].items())) or "-"
        row = [r["partner"], _clip(r["title"], 48), r["language"] or "", r["license"] or "",
               str(r["version"] or ""), deliveries]
        if site:
            page = f"{site}/articles/{r['id']}/index.html"
            row.append(page if Path(page).is_file() else "-")
        table.append(row)
    print_table(table)


def print_rejected(drops: list[dict]) -> None:
    if not drops:
        return
    print("\nrejected drops:")
    print_table([["key", "code", "reason"]] + [[d["key"], (d.get("error") or {}).get("code", ""),
                                                _clip((d.get("error") or {}).get("message", ""), 70)] for d in drops])


def print_table(rows: list[list[str]]) -> None:
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        print("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=False)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def _clip(text: str, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"
