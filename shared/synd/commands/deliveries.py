"""`synd deliveries`: delivery records (one per article version and target), by state and target."""
from __future__ import annotations

import json
import sys

from synd.aws.deliveries import DeliveryStore
from synd.aws.index import INDEXED_DELIVERY_STATES
from synd.commands.status import _clip, add_stack_arguments, print_table, use_endpoint

NAME = "deliveries"
HELP = ("List deliveries (article version x target) that are pending, retrying, failed or withheld, with their "
        "attempts and last error.")


def add_arguments(parser) -> None:
    add_stack_arguments(parser)
    parser.add_argument("--state", choices=INDEXED_DELIVERY_STATES,
                        help="only deliveries in this state (delivered and withdrawn ones are not listed by state: "
                             "`synd status` shows each article's)")
    parser.add_argument("--target", help="only deliveries to this target")
    parser.add_argument("--limit", type=int, default=1000, help="at most this many (newest first)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line instead of a table")


def run(args) -> int:
    if not args.table:
        print("synd deliveries: no table: pass --table or set TABLE_NAME", file=sys.stderr)
        return 2
    use_endpoint(args)
    store = DeliveryStore(args.table)
    rows = store.list(state=args.state, target=args.target, limit=args.limit)
    if args.json:
        for row in rows:
            print(json.dumps(public_fields(row), ensure_ascii=False))
    else:
        print_rows(rows)
        paused = store.paused_targets()
        if paused:
            print("\npaused targets (resume with: synd redrive --target NAME): "
                  + ", ".join(p["target"] for p in paused))
    return 0


def public_fields(row: dict) -> dict:
    keep = ("article_id", "version", "target", "state", "attempts", "last_error", "status_code", "partner",
            "language", "updated_at", "decision", "detail")
    return {k: row.get(k) for k in keep if k in row}


def print_rows(rows: list[dict]) -> None:
    table = [["updated", "target", "article", "v", "state", "tries", "reason"]]
    for r in rows:
        reason = r.get("last_error") or (r.get("decision") or {}).get("reason") or ""
        table.append([r.get("updated_at", "")[:19], r.get("target", ""), r.get("article_id", "")[:12],
                      str(r.get("version", "")), r.get("state", ""), str(r.get("attempts", 0)), _clip(reason, 60)])
    print_table(table)
