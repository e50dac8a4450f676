"""`synd redrive`: recover every delivery that is not final, and move dead-letter messages back.

Every delivery record that is not final (delivered and withheld are) is sent
again to the publish queue as an `article.version` message naming the targets
to retry: `failed` ones, `retrying` ones (their message may be lost or in a
DLQ), and `pending` ones whose lease is over (their worker died); a `pending`
under a live lease is being delivered and is left alone. A paused target among
them is resumed. The claims make a duplicate message harmless. Each
dead-letter queue (found from the other queues' redrive policies, or named with
--dlq) is moved back with SQS's message move task, or, where that fails or is
not available (moto answers it with HTTP 500), by receive / send / delete.
"""
from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter, defaultdict

from botocore.exceptions import ClientError

from synd.aws import client
from synd.aws.deliveries import FAILED, PENDING, RETRYING, DeliveryStore
from synd.aws.versions import ninjs_key
from synd.commands.progress import progress
from synd.commands.status import add_stack_arguments, use_endpoint

NAME = "redrive"
HELP = ("Recover every delivery that is not final (failed, retrying, pending past its lease) and move "
        "dead-letter queue messages back to their source queues.")


def add_arguments(parser) -> None:
    add_stack_arguments(parser)
    parser.add_argument("--publish-queue-url", default=os.environ.get("PUBLISH_QUEUE_URL"),
                        help="the publish queue; default $PUBLISH_QUEUE_URL")
    parser.add_argument("--target", help="only deliveries to this target (resumes it if paused)")
    parser.add_argument("--dlq", action="append", default=[],
                        help="a dead-letter queue URL (repeatable); default: every queue that is another's DLQ")
    parser.add_argument("--skip-deliveries", action="store_true", help="do not re-drive deliveries")
    parser.add_argument("--skip-dlq", action="store_true", help="do not move dead-letter messages")
    parser.add_argument("--dry-run", action="store_true", help="say what would be done")
    parser.add_argument("--json", action="store_true", help="print one JSON object with the counts")


def run(args) -> int:
    use_endpoint(args)
    report: dict = {}
    if not args.skip_deliveries:
        if not args.table or not args.publish_queue_url:
            print("synd redrive: pass --table and --publish-queue-url (or TABLE_NAME, PUBLISH_QUEUE_URL), "
                  "or --skip-deliveries", file=sys.stderr)
            return 2
        found = redrive_deliveries(args.table, args.publish_queue_url, target=args.target, dry_run=args.dry_run)
        report["deliveries"] = found
        if not args.json:
            print(f"re-driven article versions: {found['messages']} "
                  f"({found['failed']} failed, {found['retrying']} retrying, "
                  f"{found['pending_expired']} pending past their lease; "
                  f"{found['pending_live']} pending under a live lease left alone)")
    if not args.skip_dlq:
        report["dead_letters"] = {}
        for dlq, moved in redrive_dead_letters(args.dlq or None, dry_run=args.dry_run):
            report["dead_letters"][dlq] = moved
            if not args.json:
                print(f"{dlq}: {moved}")
    if args.json:
        print(json.dumps(report))
    return 0


def redrive_deliveries(table: str, publish_queue_url: str, *, target: str | None = None,
                       dry_run: bool = False, now: float | None = None) -> dict[str, int]:
    """Send one message per article version with non-final deliveries, naming those targets; returns counts."""
    store, now = DeliveryStore(table), time.time() if now is None else now
    versions: dict[tuple[str, int, str], set[str]] = defaultdict(set)
    counts: Counter = Counter()
    for state in (FAILED, RETRYING, PENDING):
        for row in store.by_state(state, target, limit=1_000_000):
            if state == PENDING and float(row.get("lease_until", 0)) >= now:
                counts["pending_live"] += 1
                continue
            counts["pending_expired" if state == PENDING else state] += 1
            versions[(row["article_id"], int(row["version"]), row.get("partner") or "")].add(row["target"])
    counts["messages"] = len(versions)
    if dry_run:
        return _counts(counts)
    for name in sorted({t for targets in versions.values() for t in targets}):
        if store.health(name).get("paused"):
            store.resume(name)
            print(f"resumed target {name}", file=sys.stderr)
    sqs = client("sqs")
    for (article_id, version, partner), targets in progress(sorted(versions.items()), desc="deliveries", unit="msg"):
        sqs.send_message(QueueUrl=publish_queue_url, MessageBody=json.dumps(redrive_message(
            article_id, version, partner, sorted(targets))))
    return _counts(counts)


def _counts(counts: Counter) -> dict[str, int]:
    return {key: int(counts.get(key, 0)) for key in ("messages", "failed", "retrying", "pending_expired",
                                                       "pending_live")}


def redrive_message(article_id: str, version: int, partner: str, targets: list[str]) -> dict:
    """The publish-queue message of an article version (as synd.ingest sends it) with targets to retry."""
    return {"type": "article.version", "article_id": article_id, "version": version, "partner": partner,
            "ninjs_key": ninjs_key(article_id, version), "redrive": targets}


def dead_letter_sources() -> dict[str, list[str]]:
    """DLQ ARN -> URLs of the queues whose redrive policy points at it."""
    sqs, sources = client("sqs"), defaultdict(list)
    for page in sqs.get_paginator("list_queues").paginate():
        for url in page.get("QueueUrls", []):
            attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"]).get("Attributes", {})
            if "RedrivePolicy" in attributes:
                sources[json.loads(attributes["RedrivePolicy"])["deadLetterTargetArn"]].append(url)
    return dict(sources)


def redrive_dead_letters(dlq_urls: list[str] | None = None, *, dry_run: bool = False):
    """Move every DLQ's messages back to its source queue; yields (dlq url, moved count or task id)."""
    sqs, sources = client("sqs"), dead_letter_sources()
    by_arn = {_arn(url): url for url in dlq_urls} if dlq_urls else {arn: _url(arn) for arn in sources}
    for arn, dlq_url in by_arn.items():
        targets = sources.get(arn, [])
        if len(targets) != 1:
            yield dlq_url, f"skipped: {len(targets)} source queues"
            continue
        waiting = int(sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["ApproximateNumberOfMessages"])
                      ["Attributes"]["ApproximateNumberOfMessages"])
        if dry_run or not waiting:
            yield dlq_url, f"{waiting} message(s) waiting"
            continue
        try:
            task = sqs.start_message_move_task(SourceArn=arn)
            yield dlq_url, f"move task started ({waiting} messages): {task['TaskHandle'][:24]}…"
        except (ClientError, NotImplementedError) as exc:
            reason = exc.response["Error"]["Code"] if isinstance(exc, ClientError) else "not implemented"
            print(f"synd redrive: no message move task for {dlq_url} ({reason}); moving the messages one by one",
                  file=sys.stderr)
            yield dlq_url, f"moved {move_messages(dlq_url, targets[0], waiting)} message(s)"


def move_messages(dlq_url: str, source_url: str, expected: int) -> int:
    """Receive / send / delete, for endpoints without message move tasks; returns the count moved."""
    sqs, moved = client("sqs"), 0
    with progress(total=expected, desc="dead letters", unit="msg") as bar:
        while True:
            messages = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10, WaitTimeSeconds=0,
                                           MessageAttributeNames=["All"], AttributeNames=["MessageGroupId"]
                                           ).get("Messages", [])
            if not messages:
                return moved
            for message in messages:
                kwargs = {"MessageAttributes": message["MessageAttributes"]} if message.get("MessageAttributes") else {}
                sqs.send_message(QueueUrl=source_url, MessageBody=message["Body"], **kwargs,
                                 **fifo_arguments(source_url, message))
                sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=message["ReceiptHandle"])
                moved += 1
                bar.update(1)


def fifo_arguments(queue_url: str, message: dict) -> dict[str, str]:
    """A FIFO queue takes a message only with its group (the render queue's is the language); it gets a
    new deduplication id, since the first one may still be inside SQS's five-minute window."""
    if not queue_url.endswith(".fifo"):
        return {}
    group = message.get("Attributes", {}).get("MessageGroupId") or "redrive"
    return {"MessageGroupId": group, "MessageDeduplicationId": f"redrive-{message['MessageId']}"[:128]}


def _arn(url: str) -> str:
    return client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def _url(arn: str) -> str:
    _, _, _, _, account, name = arn.split(":", 5)
    return client("sqs").get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"]
