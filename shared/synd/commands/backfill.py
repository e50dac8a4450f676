"""`synd backfill s3://bucket/prefix`: every object under a prefix through ingest, as a backfill.

Each object becomes a drop, ingested by the same core as a notification's object, and its
articles' publish messages say `"backfill": true`: the site writes each page but leaves feeds and
indexes to the renderer, which the backfill asks once when it is done. The partner is `--partner`,
or each key's first folder below the prefix (`<prefix><partner>/<path>`, as under incoming/);
keys are checked before they name anything. The raw objects are only read. Running it again is
harmless: a drop ingested before is a duplicate.

With `--state-machine` (or $BACKFILL_STATE_MACHINE_ARN, stack output BackfillStateMachineArn) it
starts the AWS form (a Step Functions Distributed Map) and follows it; without, it runs the same
batches through the same handler here, against the local stack (or whatever the endpoint is).
Exit codes: 0 every object ingested or a duplicate, 3 some objects rejected or keys refused,
1 some objects failed (or the execution did not succeed), 2 a usage error.
"""
from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

from synd.commands.status import add_publishing_arguments, missing_publishing_arguments, use_endpoint

NAME = "backfill"
HELP = "Ingest every object under s3://bucket/prefix as a backfill (Step Functions in AWS, a worker pool locally)."
REJECTED = 3


def add_arguments(parser) -> None:
    add_publishing_arguments(parser)  # locally the handler runs here: it needs what ingest needs
    parser.add_argument("url", metavar="s3://bucket/prefix", help="the objects to backfill (the prefix is a folder)")
    parser.add_argument("--partner", help="every object is this partner's (default: the first folder below the prefix)")
    parser.add_argument("--concurrency", type=int, default=4,
                        help="batches at a time, locally (default 4); in AWS the stack's BackfillConcurrency applies")
    parser.add_argument("--state-machine", default=os.environ.get("BACKFILL_STATE_MACHINE_ARN"),
                        help="the backfill state machine's ARN: run in AWS (default $BACKFILL_STATE_MACHINE_ARN)")
    parser.add_argument("--dry-run", action="store_true", help="list and check the keys; ingest nothing")
    parser.add_argument("--json", action="store_true", help="print one JSON object with the counts")


def run(args) -> int:
    from synd.backfill.items import BadKey, check_partner, parse_location

    try:
        location = parse_location(args.url)
        partner = check_partner(args.partner) if args.partner else None
    except BadKey as exc:
        print(f"synd backfill: {exc}", file=sys.stderr)
        return 2
    if args.concurrency < 1:
        print("synd backfill: --concurrency is at least 1", file=sys.stderr)
        return 2
    local = not args.dry_run and not args.state_machine
    if local and missing_publishing_arguments(args, NAME):
        return 2
    use_endpoint(args)
    if local:  # the handler reads its configuration from the environment, as in Lambda
        os.environ.update(TABLE_NAME=args.table, PROCESSED_BUCKET=args.processed_bucket,
                          PUBLISH_QUEUE_URL=args.publish_queue_url)
    if args.dry_run:
        report = dry_run(location, partner)
    elif args.state_machine:
        report = run_in_aws(args.state_machine, location, partner, quiet=args.json)
    else:
        report = run_here(location, partner, args.concurrency, quiet=args.json)
    print(json.dumps(report) if args.json else describe(report))
    return exit_code(report)


def dry_run(location, partner) -> dict:
    """What a backfill would take: objects per partner and the keys it would refuse."""
    from synd.backfill.items import BadKey, FolderMarker, partner_of
    from synd.backfill.local import list_items

    partners: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    problems: list[dict[str, str]] = []
    for item in list_items(location):
        counts["objects"] += 1
        try:
            partners[partner_of(item["Key"], location.prefix, partner)] += 1
        except FolderMarker:
            counts["skipped"] += 1
        except BadKey as exc:
            counts["bad_key"] += 1
            problems.append({"kind": "bad_key", "key": repr(item["Key"])[:300], "reason": str(exc)})
    return {"form": "dry-run", "bucket": location.bucket, "prefix": location.prefix,
            "objects": counts["objects"], "skipped": counts["skipped"], "bad_key": counts["bad_key"],
            "partners": dict(sorted(partners.items())), "problems": problems[:200]}


def run_here(location, partner, concurrency: int, quiet: bool) -> dict:
    """The handler's log lines and metrics (stdout in Lambda) go to the function log, not into our output."""
    import contextlib

    from synd.backfill.local import REPO, run_backfill
    from synd.commands.progress import progress

    log = Path(os.environ.get("SYND_LOG_FILE") or REPO / "out" / "logs" / "backfill.jsonl")
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "a", encoding="utf-8") as lines, contextlib.redirect_stdout(lines):
        report = run_backfill(location, partner=partner, concurrency=concurrency,
                              progress=None if quiet else _stderr_progress(progress))
    report["log_file"] = str(log)
    return report


def run_in_aws(state_machine_arn: str, location, partner, quiet: bool) -> dict:
    from synd.aws import client
    from synd.backfill import sfn
    from synd.commands.progress import progress

    stepfunctions = client("stepfunctions")
    execution = sfn.start(stepfunctions, state_machine_arn, location, partner)
    print(f"synd backfill: started {execution}", file=sys.stderr)
    return sfn.follow(stepfunctions, execution, progress=None if quiet else _stderr_progress(progress))


def _stderr_progress(progress):
    return lambda **kwargs: progress(file=sys.stderr, **kwargs)


def describe(report: dict) -> str:
    if report["form"] == "dry-run":
        lines = [f"{report['objects']} object(s) under s3://{report['bucket']}/{report['prefix']}: "
                 + (", ".join(f"{p} {n}" for p, n in report["partners"].items()) or "none to ingest")
                 + f"; {report['bad_key']} key(s) refused, {report['skipped']} folder marker(s)"]
    elif report["form"] == "aws":
        lines = [(f"{report['status']}: {report['succeeded']} of {report['objects']} object(s) done, "
                  f"{report['failed']} failed; rejected drops: synd status ({report['execution_arn']})")]
    else:
        lines = [(f"{report['objects']} object(s) in {report['batches']} batch(es), {report['seconds']} s: "
                  f"{report['ingested']} ingested ({report['articles']} articles, {report['articles_per_s']}/s), "
                  f"{report['duplicate']} duplicate, {report['superseded']} superseded, "
                  f"{report['rejected']} rejected, {report['bad_key']} key(s) refused, {report['failed']} failed; "
                  f"{report['render_requests']} render request(s)")]
    lines += [f"  {p['kind']}: {p['key']}: {p['reason']}" for p in report.get("problems", [])]
    return "\n".join(lines)


def exit_code(report: dict) -> int:
    if report.get("failed") or report.get("status") not in (None, "SUCCEEDED"):
        return 1
    if report.get("rejected") or report.get("bad_key"):
        return REJECTED
    return 0
