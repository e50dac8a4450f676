"""A flaky cloud around the local stack, as issue 9 describes it, and what is left after it.

Used by tests/e2e/test_faults.py (a small run in `make test`) and bench/faults.py (a bigger one).

- Real partner drops (samples/, tests/corpus/drops/), several of them in two or three versions
  under the same key, uploaded to the versioned raw bucket of the local stack (moto server,
  resources from template.yaml, the real handlers).
- Every notification in the shape AWS sends it (moto leaves `versionId` and `sequencer` out, so
  they are rebuilt from the bucket's object versions: tests/aws_shapes.py), delivered several
  times and in a shuffled order.
- A share of the handlers' S3 and DynamoDB calls fails (botocore event hooks on the handlers' own
  clients), half before the call reaches the service and half after it took effect (the caller
  sees a timeout for a write that happened).
- A webhook receiver on 127.0.0.1 that first drops connections, then answers 503, then 200, and
  verifies every Standard Webhooks signature.
- After the drain: faults off, `synd redrive` once (as an operator would), drain again, and count.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError

from synd.local.runner import REPO, LocalStack

from tests.aws_shapes import object_versions, notification

DROP_ROOTS = (REPO / "samples", REPO / "tests" / "corpus" / "drops")
HOOK = "fault_hook"


# -- faults ----------------------------------------------------------------------------------------
class Faults:
    """Fail a share of the handlers' calls to some services: before they reach the service, or after
    they took effect (the write happened; the caller sees a read timeout)."""

    def __init__(self, rate: float, seed: int, services: tuple[str, ...] = ("s3", "dynamodb")):
        self.rate, self.services, self.rng = rate, services, random.Random(seed)
        self.enabled = False
        self.injected: Counter = Counter()

    def install(self) -> None:
        from synd.aws import client

        for service in self.services:
            events = client(service).meta.events
            events.register(f"before-call.{service}", self._before, unique_id=f"faults-before-{service}")
            events.register(f"after-call.{service}", self._after, unique_id=f"faults-after-{service}")

    def _roll(self, when: str, model) -> bool:
        if not self.enabled or self.rng.random() >= self.rate / 2:
            return False
        self.injected[(when, model.service_model.service_name, model.name)] += 1
        return True

    def _before(self, model, **_):
        if self._roll("before", model):
            raise EndpointConnectionError(endpoint_url=f"fault-injected:{model.name}")

    def _after(self, model, **_):
        if self._roll("after", model):
            raise ReadTimeoutError(endpoint_url=f"fault-injected:{model.name}")

    def count(self, when: str | None = None) -> int:
        return sum(n for (w, _, _), n in self.injected.items() if when in (None, w))


# -- the webhook partner -----------------------------------------------------------------------------
class FlakyReceiver:
    """Drops the first `refuse` connections, answers the next `unavailable` requests 503, then 200.

    Every request's signature is verified with the target's own key; `successes` counts the 200s
    per webhook-id, duplicates included, so a (version, target) delivered twice shows as 2."""

    def __init__(self, refuse: int = 4, unavailable: int = 4):
        self.refuse, self.unavailable = refuse, unavailable
        self.keys: list[bytes] = []
        self.requests = 0
        self.successes: Counter = Counter()
        self.bad_signatures = 0
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                from synd.publish.signing import Unverified, verify

                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._lock:
                    receiver.requests += 1
                    n = receiver.requests
                if n <= receiver.refuse:
                    self.close_connection = True  # no answer at all: the client sees the connection drop
                    return
                if n <= receiver.refuse + receiver.unavailable:
                    return self._answer(503)
                try:
                    msg_id = verify(receiver.keys, dict(self.headers.items()), body)
                except Unverified:
                    with receiver._lock:
                        receiver.bad_signatures += 1
                    return self._answer(401)
                with receiver._lock:
                    receiver.successes[msg_id] += 1
                return self._answer(200)

            def _answer(self, status: int) -> None:
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler

    def __enter__(self) -> "FlakyReceiver":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


# -- drops -----------------------------------------------------------------------------------------
@dataclass
class Drop:
    key: str
    versions: list[bytes]  # oldest first; the last is what the article must end up as


def partner_files(roots=DROP_ROOTS) -> list[tuple[str, bytes]]:
    """(key, bytes) of every file laid out <partner>/<path> below the roots (a key once: the first root wins)."""
    found: dict[str, bytes] = {}
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")):
            found.setdefault("incoming/" + path.relative_to(root).as_posix(), path.read_bytes())
    return list(found.items())


def parse(key: str, data: bytes):
    """What the core makes of a drop (the articles, or None when it is refused)."""
    from synd.errors import Rejected
    from synd.pipeline import make_source, parse_drop
    from synd.settings import partner_settings

    partner = key.split("/")[1]
    try:
        return parse_drop(data, make_source(data, key=key), partner_settings(partner)).articles
    except Rejected:
        return None


def edited(key: str, data: bytes, articles, version: int) -> bytes | None:
    """The drop with one word of its first article's body changed: the same article, another version."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    words = [w for w in articles[0].body_text.split() if len(w) >= 6 and w.isalpha() and text.count(w) == 1]
    for word in words[len(words) // 2:][:5]:
        candidate = text.replace(word, f"{word}{'x' * version}", 1).encode("utf-8")
        again = parse(key, candidate)
        if again and again[0].id == articles[0].id and again[0].content_hash != articles[0].content_hash:
            return candidate
    return None


def choose_drops(count: int, versioned: int, seed: int) -> list[Drop]:
    """`count` drops from several partners, `versioned` of them in two or three versions."""
    rng = random.Random(seed)
    files = partner_files()
    rng.shuffle(files)
    drops: list[Drop] = []
    for key, data in files:
        if len(drops) >= count:
            break
        articles = parse(key, data)
        drop = Drop(key, [data])
        if articles and sum(len(d.versions) > 1 for d in drops) < versioned:
            for version in range(2, 2 + rng.choice((1, 2))):
                newer = edited(key, drop.versions[-1], articles, version)
                if newer is None:
                    break
                drop.versions.append(newer)
        drops.append(drop)
    return drops


# -- the run ---------------------------------------------------------------------------------------
@dataclass
class Report:
    drops: int = 0
    object_versions: int = 0
    notifications: int = 0
    faults_before: int = 0
    faults_after: int = 0
    articles_expected: int = 0
    articles_stored: int = 0
    missing_articles: list[str] = field(default_factory=list)
    unexpected_articles: list[str] = field(default_factory=list)
    duplicate_versions: int = 0
    stale_latest: list[str] = field(default_factory=list)
    superseded_drops: int = 0
    double_successes: int = 0  # (version, target) pairs delivered twice (the "published" lines' deliveries)
    webhook_double_successes: int = 0  # webhook-ids the receiver answered 200 more than once
    webhook_bad_signatures: int = 0
    unrecorded_drops: int = 0  # object versions with no drop record and no message in a DLQ
    deliveries: dict[str, int] = field(default_factory=dict)
    non_final_deliveries: int = 0
    queues_left: dict[str, int] = field(default_factory=dict)
    error_lines: int = 0
    records_failed: int = 0
    redrive: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def problems(self) -> list[str]:
        """What breaks a promise (empty when every promise held)."""
        checks = {"missing articles": self.missing_articles, "unexpected articles": self.unexpected_articles,
                  "duplicate versions": self.duplicate_versions, "stale latest versions": self.stale_latest,
                  "double successes": self.double_successes,
                  "webhook double successes": self.webhook_double_successes,
                  "bad webhook signatures": self.webhook_bad_signatures,
                  "unrecorded drops": self.unrecorded_drops, "non-final deliveries": self.non_final_deliveries,
                  "messages left in queues": sum(self.queues_left.values())}
        return [f"{name}: {value}" for name, value in checks.items() if value]


def fault_config(folder: Path, hook_url: str) -> Path:
    """The repo's config/ with a webhook partner on; short timeouts so that the short function timeout
    of the run (and so short leases) leaves room for every target."""
    shutil.copytree(REPO / "config", folder)
    path = folder / "targets.yaml"
    targets = yaml.safe_load(path.read_text(encoding="utf-8"))
    for settings in targets["targets"].values():
        settings.setdefault("options", {})["timeout"] = 1
    targets["targets"][HOOK] = {"kind": "webhook", "enabled": True, "commercial": False, "excerpts": False,
                                "edits": False, "translates": False, "attribution_format": "html",
                                "options": {"url": hook_url, "timeout": 2, "max_attempts": 4, "backoff_base": 0.2,
                                            "backoff_cap": 1, "pause_after": 1000}}
    path.write_text(yaml.safe_dump(targets, allow_unicode=True), encoding="utf-8")
    return folder


def short_timeout_template(folder: Path, publish_seconds: int, ingest_seconds: int = 30) -> Path:
    """template.yaml with shorter function timeouts. Delivery leases follow the publish function's timeout,
    and a claim stranded by a fault is taken over once its lease is over, so a short one keeps the run short;
    the ingest function keeps room for a drop's parse budget (synd.ingest.parse_budget)."""
    text = (REPO / "template.yaml").read_text(encoding="utf-8")
    marker, publish = "    Timeout: 60\n", "      CodeUri: functions/publish/\n"
    assert marker in text and publish in text, "the functions' Timeout moved: update the fault harness"
    text = text.replace(marker, f"    Timeout: {ingest_seconds}\n", 1)
    text = text.replace(publish, f"{publish}      Timeout: {publish_seconds}\n", 1)
    path = folder / "template.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run(work: Path, *, drops: int = 30, versioned: int = 6, copies: int = 3, fault_rate: float = 0.1,
        seed: int = 9, function_timeout: int = 10, drain_seconds: float = 600.0) -> Report:
    """One fault-injection run on a fresh local stack in `work`; returns what was counted."""
    started = time.monotonic()
    rng = random.Random(seed)
    with FlakyReceiver() as receiver:
        config = fault_config(work / "config", receiver.url)
        stack = LocalStack.start(out_dir=work / "out", config_dir=config, fresh=True,
                                 template=short_timeout_template(work, function_timeout))
        try:
            from synd.targets.webhook import signing_keys

            receiver.keys = signing_keys(os.environ.get("WEBHOOK_SECRET_PREFIX"), HOOK)
            chosen = choose_drops(drops, versioned, seed)
            bodies = upload(stack, chosen)
            deliveries = [body for body in bodies for _ in range(copies)]
            rng.shuffle(deliveries)
            send_all(stack, "IngestQueue", deliveries)
            faults = Faults(fault_rate, seed)
            faults.install()
            faults.enabled = True
            try:
                stack.drain(timeout=drain_seconds)
            finally:
                faults.enabled = False
            report = Report(drops=len(chosen), object_versions=sum(len(d.versions) for d in chosen),
                            notifications=len(deliveries), faults_before=faults.count("before"),
                            faults_after=faults.count("after"))
            report.redrive = redrive(stack)
            stack.drain(timeout=drain_seconds)
            count(stack, chosen, receiver, report)
        finally:
            stack.stop()
    report.seconds = round(time.monotonic() - started, 1)
    return report


def upload(stack: LocalStack, drops: list[Drop]) -> list[dict[str, Any]]:
    """Put every version of every drop; the AWS-shaped notification of each object version.

    moto's own notifications (no versionId, no sequencer) are taken off the queue first."""
    s3, bucket = stack.client("s3"), os.environ["RAW_BUCKET"]
    for drop in drops:
        for data in drop.versions:
            s3.put_object(Bucket=bucket, Key=drop.key, Body=data)
    purge(stack, "IngestQueue")
    bodies = []
    for drop in drops:
        versions = object_versions(s3, bucket, drop.key)
        assert len(versions) == len(drop.versions), drop.key
        bodies += [notification(bucket, drop.key, v, i + 1) for i, v in enumerate(versions)]
    return bodies


def purge(stack: LocalStack, queue: str) -> int:
    sqs, url, taken = stack.client("sqs"), stack.resources.url(queue), 0
    while True:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", [])
        if not got:
            return taken
        for message in got:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            taken += 1


def send_all(stack: LocalStack, queue: str, bodies: list[dict[str, Any]]) -> None:
    sqs, url = stack.client("sqs"), stack.resources.url(queue)
    for start in range(0, len(bodies), 10):
        entries = [{"Id": str(i), "MessageBody": json.dumps(body)} for i, body in enumerate(bodies[start:start + 10])]
        assert not sqs.send_message_batch(QueueUrl=url, Entries=entries).get("Failed")


def redrive(stack: LocalStack) -> dict[str, Any]:
    """`synd redrive --json`, as an operator runs it after an incident."""
    import contextlib
    import io

    from synd.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["redrive", "--json", "--endpoint-url", stack.endpoint, "--table", os.environ["TABLE_NAME"],
                     "--publish-queue-url", os.environ["PUBLISH_QUEUE_URL"]])
    lines = [line for line in out.getvalue().splitlines() if line.startswith("{")]
    return {"exit": code, **(json.loads(lines[-1]) if lines else {})}


# -- counting --------------------------------------------------------------------------------------
def count(stack: LocalStack, drops: list[Drop], receiver: FlakyReceiver, report: Report) -> None:
    from synd.aws import reports
    from synd.aws.articles import from_item

    table, ddb = os.environ["TABLE_NAME"], stack.client("dynamodb")
    expected = expected_latest(drops)
    latest = {a["id"]: a for a in reports.articles(table, limit=1_000_000)}
    report.articles_expected, report.articles_stored = len(expected), len(latest)
    report.missing_articles = sorted(set(expected) - set(latest))
    report.unexpected_articles = sorted(set(latest) - set(expected))
    report.stale_latest = sorted(i for i in set(expected) & set(latest)
                                 if latest[i]["content_hash"] != expected[i])
    for article_id in latest:
        items = ddb.query(TableName=table, KeyConditionExpression="pk = :p AND begins_with(sk, :v)",
                          ExpressionAttributeValues={":p": {"S": f"ARTICLE#{article_id}"}, ":v": {"S": "V#"}})
        hashes = Counter(from_item(i)["content_hash"] for i in items["Items"])
        report.duplicate_versions += sum(n - 1 for n in hashes.values())
    report.superseded_drops = len(reports.drops(table, "superseded", limit=1_000_000))
    report.unrecorded_drops = unrecorded(stack, drops)
    rows = [from_item(i) for page in ddb.get_paginator("scan").paginate(
        TableName=table, FilterExpression="#t = :d", ExpressionAttributeNames={"#t": "type"},
        ExpressionAttributeValues={":d": {"S": "delivery"}}) for i in page["Items"]]
    report.deliveries = dict(Counter(r["state"] for r in rows))
    report.non_final_deliveries = sum(1 for r in rows if r["state"] not in ("delivered", "withheld", "withdrawn"))
    report.queues_left = {q: n for q, n in stack.queue_depths().items() if n}
    lines = log_lines(stack)
    delivered = Counter((line.get("correlation_id"), entry.get("target")) for line in lines  # at any log level
                        if line.get("message") == "published" for entry in line.get("deliveries", [])
                        if entry.get("state") == "delivered")
    report.double_successes = sum(1 for n in delivered.values() if n > 1)
    report.webhook_double_successes = sum(1 for n in receiver.successes.values() if n > 1)
    report.webhook_bad_signatures = receiver.bad_signatures
    report.error_lines = sum(1 for line in lines if line.get("level") == "ERROR")
    report.records_failed = int(sum(metric_sum(line, "RecordsFailed") for line in lines if "_aws" in line))


def metric_sum(emf: dict[str, Any], name: str) -> float:
    """The sum of one metric in an EMF line (a number, or a list of them)."""
    value = emf.get(name, 0)
    return float(sum(value)) if isinstance(value, list) else float(value or 0)


def expected_latest(drops: list[Drop]) -> dict[str, str]:
    """article id -> content hash of its newest version, from the core run on each drop's last version."""
    expected: dict[str, str] = {}
    for drop in drops:
        for article in parse(drop.key, drop.versions[-1]) or []:
            expected[article.id] = article.content_hash
    return expected


def unrecorded(stack: LocalStack, drops: list[Drop]) -> int:
    """Object versions that have neither a drop record nor a message waiting in the ingest DLQ."""
    import hashlib

    ddb, table, bucket = stack.client("dynamodb"), os.environ["TABLE_NAME"], os.environ["RAW_BUCKET"]
    in_dlq = set()
    sqs, dlq = stack.client("sqs"), stack.resources.url("IngestDLQ")
    for message in sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10, VisibilityTimeout=0).get("Messages", []):
        for record in json.loads(message["Body"]).get("Records", []):
            in_dlq.add(record["s3"]["object"].get("versionId"))
    missing = 0
    versions = {d.key: object_versions(stack.client("s3"), bucket, d.key) for d in drops}
    for drop in drops:
        for data, version in zip(drop.versions, versions[drop.key]):
            sha = hashlib.sha256(data).hexdigest()
            recorded = ddb.query(TableName=table, KeyConditionExpression="pk = :p",
                                 ExpressionAttributeValues={":p": {"S": f"DROP#{bucket}/{drop.key}"}})["Items"]
            shas = {i["sha256"]["S"] for i in recorded if "sha256" in i}
            rejected_unread = any(i.get("state", {}).get("S") == "rejected" and not i.get("source") for i in recorded)
            if sha not in shas and not rejected_unread and version["VersionId"] not in in_dlq:
                missing += 1
    return missing


def log_lines(stack: LocalStack) -> list[dict[str, Any]]:
    lines = []
    for text in stack.log_file.read_text(encoding="utf-8").splitlines():
        try:
            lines.append(json.loads(text))
        except ValueError:
            continue
    return lines

