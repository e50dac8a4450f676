"""`synd withdraw`: take articles back from every target that has them (a kill, a takedown).

A withdrawal is a new version of the article (`pubStatus: canceled`, the reason, no
text) that goes through publishing like any version: every target that has an
earlier version takes it back (the site shows a withdrawal notice and drops the
feed entries, webhooks get the signed canceled ninjs, SNS and EventBridge carry
`article.withdrawn`), each recorded as a `withdrawn` delivery. The raw drops and
the earlier versions stay. A withdrawn article stays withdrawn: later drops of it
are recorded as superseded. A partner withdraws through a drop: ninjs with the
article's `uri` and `pubStatus: canceled` (the reason in `edNote`).
"""
from __future__ import annotations

import json
import sys

from synd.aws.articles import ArticleStore, now_iso, record_metadata
from synd.commands.status import add_publishing_arguments, missing_publishing_arguments, use_endpoint
from synd.ingest import IngestConfig, store_version, withdrawal_of
from synd.model import PUB_CANCELED, is_withdrawal

NAME = "withdraw"
HELP = "Withdraw articles from every target that has them (a kill or takedown), with the reason."


def add_arguments(parser) -> None:
    add_publishing_arguments(parser)
    parser.add_argument("article_ids", nargs="+", metavar="ARTICLE", help="article id (synd status lists them)")
    parser.add_argument("--reason", required=True, help="why: shown on the site's notice and sent to every target")
    parser.add_argument("--json", action="store_true", help="one JSON object per article")


def run(args) -> int:
    if missing_publishing_arguments(args, NAME):
        return 2
    if not args.reason.strip():
        print("synd withdraw: --reason must say why", file=sys.stderr)
        return 2
    use_endpoint(args)
    config = IngestConfig(table=args.table, processed_bucket=args.processed_bucket,
                          publish_queue_url=args.publish_queue_url)
    status = 0
    for article_id in args.article_ids:
        outcome = withdraw(article_id, args.reason.strip(), config)
        status = max(status, 1 if outcome["state"] == "not_found" else 0)
        version = f" (version {outcome['version']})" if outcome.get("version") else ""
        print(json.dumps(outcome, ensure_ascii=False) if args.json else f"{article_id}: {outcome['state']}{version}")
    return status


def withdraw(article_id: str, reason: str, config: IngestConfig) -> dict:
    """Store and queue the version that withdraws `article_id`; what happened, as a small dict."""
    store = ArticleStore(config.table)
    latest = store.latest(article_id)
    if latest is None:
        return {"article_id": article_id, "state": "not_found"}
    if is_withdrawal(latest):
        return {"article_id": article_id, "state": "already_withdrawn", "version": int(latest["version"])}
    record = record_metadata(latest)  # withdrawal_of keeps its metadata and none of its text
    record.pop("version", None)
    record.update(pub_status=PUB_CANCELED, withdrawal={"reason": reason, "by": "operator", "at": now_iso()},
                  correction=None)
    saved = store_version(withdrawal_of(record, latest), store, config)
    return {"article_id": article_id, "state": "withdrawn" if saved.created else "already_withdrawn",
            "version": saved.version}
