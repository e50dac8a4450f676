"""`synd withheld`: which articles were withheld from which target, and why (the licence decision)."""
from __future__ import annotations

import json
import sys

from synd.aws.deliveries import DeliveryStore
from synd.commands.status import _clip, add_stack_arguments, print_table, use_endpoint

NAME = "withheld"
HELP = "List the articles withheld from each target, with the licence decision's reason."


def add_arguments(parser) -> None:
    add_stack_arguments(parser)
    parser.add_argument("--target", help="only this target")
    parser.add_argument("--partner", help="only this partner's articles")
    parser.add_argument("--json", action="store_true", help="one JSON object per line instead of a table")


def run(args) -> int:
    if not args.table:
        print("synd withheld: no table: pass --table or set TABLE_NAME", file=sys.stderr)
        return 2
    use_endpoint(args)
    rows = [r for r in DeliveryStore(args.table).by_state("withheld", args.target)
            if not args.partner or r.get("partner") == args.partner]
    if args.json:
        for r in rows:
            decision = r.get("decision") or {}
            print(json.dumps({"article_id": r["article_id"], "version": r.get("version"), "partner": r.get("partner"),
                              "target": r["target"], "license": decision.get("license"),
                              "reason": decision.get("reason"), "decided_at": r.get("updated_at")}, ensure_ascii=False))
        return 0
    table = [["target", "partner", "article", "v", "reason"]]
    table += [[r["target"], r.get("partner") or "", r["article_id"][:12], str(r.get("version", "")),
               _clip((r.get("decision") or {}).get("reason", ""), 80)] for r in rows]
    print_table(table)
    return 0
