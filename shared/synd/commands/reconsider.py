"""`synd reconsider`: decide withheld deliveries again, after an agreement or a licence changed.

Each withheld delivery of an article's latest version (of a partner, or to a target)
is decided again with the settings in force now; those the policy now allows are
sent to the publish queue naming their targets (`"reconsider": [...]`), and the
publish function decides once more and delivers them, once: a claim moves the
record from withheld to pending (the one way out of a final state). Earlier
versions are history and are not reconsidered, nor a withdrawn article.
"""
from __future__ import annotations

import json
from collections import defaultdict

from synd import policy
from synd.aws import client
from synd.aws.articles import ArticleStore
from synd.aws.deliveries import WITHHELD, DeliveryStore
from synd.aws.versions import ninjs_key, read_version
from synd.commands.progress import progress
from synd.commands.status import add_publishing_arguments, missing_publishing_arguments, use_endpoint
from synd.model import is_withdrawal
from synd.settings import partner_settings, target_settings, use_store

NAME = "reconsider"
HELP = "Decide withheld deliveries again with the current agreements and licences; deliver what is now allowed."


def add_arguments(parser) -> None:
    add_publishing_arguments(parser)
    parser.add_argument("--partner", help="only this partner's articles")
    parser.add_argument("--target", help="only deliveries to this target")
    parser.add_argument("--dry-run", action="store_true", help="say what would be delivered, send nothing")
    parser.add_argument("--json", action="store_true", help="one JSON object per delivery, then the counts")


def run(args) -> int:
    if missing_publishing_arguments(args, NAME):
        return 2
    use_endpoint(args)
    use_store(args.table)  # decide with the live agreements (the table's CONFIG# items), as the functions do
    decisions = reconsider(args.table, args.processed_bucket, partner=args.partner, target=args.target)
    allowed = [d for d in decisions if d["now"] != policy.WITHHOLD]
    if not args.dry_run:
        send(allowed, args.publish_queue_url)
    counts = {"withheld": len(decisions), "now_allowed": len(allowed), "still_withheld": len(decisions) - len(allowed),
              "sent": 0 if args.dry_run else len({(d["article_id"], d["version"]) for d in allowed})}
    if args.json:
        for decision in decisions:
            print(json.dumps(decision, ensure_ascii=False))
        print(json.dumps(counts))
    else:
        for decision in allowed:
            print(f"{decision['target']}: {decision['article_id']} v{decision['version']} — {decision['reason']}")
        print(f"withheld: {counts['withheld']}; now allowed: {counts['now_allowed']}"
              f"{' (dry run: nothing sent)' if args.dry_run else ''}; still withheld: {counts['still_withheld']}")
    return 0


def reconsider(table: str, processed_bucket: str, *, partner: str | None = None,
               target: str | None = None) -> list[dict]:
    """The current policy's answer for every withheld delivery of a latest version (filtered)."""
    targets = {t.name: t for t in target_settings() if t.enabled}
    rows = [r for r in DeliveryStore(table).by_state(WITHHELD, target, limit=1_000_000)
            if r.get("target") in targets and (partner is None or r.get("partner") == partner)]
    articles, out = ArticleStore(table), []
    latest_versions: dict[str, dict | None] = {}
    for row in progress(rows, desc="reconsidering", unit="delivery"):
        article_id, version = row["article_id"], int(row["version"])
        if article_id not in latest_versions:
            latest_versions[article_id] = articles.latest(article_id)
        latest = latest_versions[article_id]
        if not latest or int(latest["version"]) != version or is_withdrawal(latest):
            continue
        record = read_version(articles, processed_bucket, article_id, version, latest=latest).record
        decision = policy.decide(record, targets[row["target"]], partner_settings(record.get("partner") or ""))
        out.append({"article_id": article_id, "version": version, "partner": record.get("partner"),
                    "target": row["target"], "was": (row.get("decision") or {}).get("reason"),
                    "now": decision.action, "reason": decision.reason})
    return out


def send(allowed: list[dict], queue_url: str) -> None:
    by_version: dict[tuple[str, int, str], set[str]] = defaultdict(set)
    for decision in allowed:
        by_version[(decision["article_id"], decision["version"], decision.get("partner") or "")].add(decision["target"])
    sqs = client("sqs")
    for (article_id, version, partner), names in by_version.items():
        sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps({
            "type": "article.version", "article_id": article_id, "version": version, "partner": partner,
            "ninjs_key": ninjs_key(article_id, version),
            "reconsider": sorted(names)}))
