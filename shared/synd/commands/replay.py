"""`synd replay`: send drops that are already in the raw bucket through ingest again.

After a parser fix, the rejected drops (`--rejected`); for a backfill or a new
rule, every object under a prefix (`--prefix incoming/<partner>/`). Each object
gets an S3-shaped notification on the ingest queue, so it takes the very path a
fresh drop takes (idempotent: unchanged articles keep their version). For
millions of objects, S3 Batch Operations with the same queue is the tool; this
command is for the thousands an operator re-drives by hand.
"""
from __future__ import annotations

import json
import os
import sys

from botocore.exceptions import ClientError

from synd.aws import client, reports
from synd.aws.s3_events import ObjectRef, notification_for
from synd.commands.status import add_stack_arguments, use_endpoint

NAME = "replay"
HELP = "Send drops already in the raw bucket through ingest again (rejected ones after a fix, or a whole prefix)."


def add_arguments(parser) -> None:
    add_stack_arguments(parser)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--rejected", action="store_true", help="every drop whose record says rejected")
    which.add_argument("--prefix", help="every object under this key prefix, e.g. incoming/afgazad/")
    parser.add_argument("--code", help="with --rejected: only drops rejected with this code (e.g. unknown_format)")
    parser.add_argument("--bucket", default=os.environ.get("RAW_BUCKET"), help="raw bucket; default $RAW_BUCKET")
    parser.add_argument("--queue-url", default=os.environ.get("INGEST_QUEUE_URL"),
                        help="ingest queue; default $INGEST_QUEUE_URL (stack output IngestQueueUrl)")
    parser.add_argument("--dry-run", action="store_true", help="list what would be replayed, send nothing")


def run(args) -> int:
    missing = [flag for flag, value in (("--bucket", args.bucket), ("--queue-url", args.queue_url)) if not value]
    if args.rejected and not args.table:
        missing.append("--table")
    if missing:
        print(f"synd replay: missing {', '.join(missing)} (source out/stack.env for the local stack)", file=sys.stderr)
        return 2
    use_endpoint(args)
    if args.rejected:
        refs = rejected_drops(args.table, args.bucket, args.code)
    else:
        refs = objects_under(args.bucket, args.prefix)
    if args.dry_run:
        for ref in refs:
            print(ref.key)
        return 0
    sent = send(refs, args.queue_url)
    print(f"replayed {sent} drop(s) onto the ingest queue", file=sys.stderr)
    return 0


def rejected_drops(table: str, bucket: str, code: str | None) -> list[ObjectRef]:
    keys = {d["key"] for d in reports.drops(table, "rejected", limit=1_000_000)
            if d.get("bucket", bucket) == bucket and (code is None or (d.get("error") or {}).get("code") == code)}
    return [ref for ref in (_head(bucket, key) for key in sorted(keys)) if ref]


def objects_under(bucket: str, prefix: str) -> list[ObjectRef]:
    refs = []
    for page in client("s3").get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        refs += [ObjectRef(bucket, o["Key"], size=o["Size"], etag=o["ETag"].strip('"'))
                 for o in page.get("Contents", [])]
    return refs


def _head(bucket: str, key: str) -> ObjectRef | None:
    try:
        head = client("s3").head_object(Bucket=bucket, Key=key)
    except ClientError:
        print(f"synd replay: s3://{bucket}/{key} is gone; skipped", file=sys.stderr)
        return None
    return ObjectRef(bucket, key, size=head["ContentLength"], etag=head["ETag"].strip('"'),
                     version_id=head.get("VersionId"))


def send(refs: list[ObjectRef], queue_url: str) -> int:
    from tqdm import tqdm

    sqs, sent = client("sqs"), 0
    with tqdm(total=len(refs), unit="drop", desc="replaying", disable=None, file=sys.stderr) as bar:
        for start in range(0, len(refs), 10):
            batch = refs[start:start + 10]
            entries = [{"Id": str(i), "MessageBody": json.dumps(notification_for(ref))} for i, ref in enumerate(batch)]
            failed = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries).get("Failed", [])
            if failed:
                raise RuntimeError(f"the ingest queue refused {len(failed)} message(s): {failed[0].get('Message')}")
            sent += len(batch)
            bar.update(len(batch))
    return sent
