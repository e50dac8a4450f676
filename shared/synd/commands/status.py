"""`synd status`: what the pipeline made of the drops: articles, rejections, deliveries."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from synd.aws import reports
from synd.aws.deliveries import DeliveryStore

NAME = "status"
HELP = "Show articles (partner, title, language, licence, status, deliveries) and rejected drops."


def add_arguments(parser) -> None:
    add_stack_arguments(parser)
    parser.add_argument("--partner", help="only this partner's articles")
    parser.add_argument("--json", action="store_true", help="one JSON object per line instead of a table")


def add_stack_arguments(parser) -> None:
    """Where the pipeline lives: the local stack exports these in out/stack.env; in AWS, the stack outputs."""
    parser.add_argument("--endpoint-url", default=os.environ.get("AWS_ENDPOINT_URL"),
                        help="AWS endpoint (the local stack's, e.g. http://127.0.0.1:PORT); default $AWS_ENDPOINT_URL")
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
    if args.endpoint_url:
        os.environ["AWS_ENDPOINT_URL"] = args.endpoint_url
        os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
        os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")


def run(args) -> int:
    if not args.table:
        print("synd status: no table: pass --table or set TABLE_NAME (source out/stack.env for the local stack)",
              file=sys.stderr)
        return 2
    use_endpoint(args)
    rows = article_rows(args.table, args.partner)
    rejected = reports.drops(args.table, "rejected")
    if args.json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        for drop in rejected:
            print(json.dumps({"key": drop["key"], "state": "rejected", "error": drop.get("error")}, ensure_ascii=False))
        return 0
    print_articles(rows)
    print_rejected(rejected)
    return 0


def article_rows(table: str, partner: str | None = None) -> list[dict]:
    rows, store = [], DeliveryStore(table)
    for article in reports.articles(table, partner):
        deliveries = store.of_article(article["id"])
        latest = {}
        for d in sorted(deliveries, key=lambda d: d.get("version", 0)):
            latest[d.get("target", "?")] = d.get("state", "?")
        rows.append({"id": article["id"], "story_id": article.get("story_id"), "partner": article["partner"],
                     "title": article["title"],
                     "version": article.get("version"), "language": article.get("language"),
                     "license": (article.get("license") or {}).get("spdx"),
                     "status": (article.get("status") or {}).get("state"),
                     "deliveries": latest})
    return rows


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
        print("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def _clip(text: str, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"
