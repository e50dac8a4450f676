"""What the pipeline costs and where it stops scaling, measured on the local stack (issue 11).

    .venv/bin/python bench/scale.py [--drops 40] [--publishers 1 4 16] [--concurrent-articles 48]
                                    [--aws-latency-scale 10] [--no-imports]
    .venv/bin/python bench/scale.py --drops 100 500 2000      # the sizes issue 11 names

The local stack is moto in server mode on 127.0.0.1 with the resources of template.yaml and the real
handlers (synd.local.runner). Every AWS call the code makes is counted by botocore event hooks on
every boto3 client (`before-parameter-build.*.*`, `after-call.*.*`), with who made it: a function
(a handler is running), the event source mapping (the runner's receive/delete on the queues), or the
bench itself (uploads, checks: not counted).

1. Pipeline (per N of --drops): N small Markdown articles with distinct canonical URLs in six
   languages, CC BY 4.0 (so every enabled target takes them), dropped into the raw bucket, then
   ingest and publish through the local runner until the queues are empty. Reported per article:
   calls by service and operation; DynamoDB WRU/RRU for the table and each GSI, computed from item
   sizes (the items before and after each write are read with an unhooked client; the GSIs, their
   keys and projections come from template.yaml at run time); S3 PUT-class and GET-class requests;
   Lambda duration per function (the sizing reads taken out).
2. Concurrency: for K in --publishers, a fresh stack, --concurrent-articles articles in ONE language
   ingested, then K publisher processes (each its own interpreter and clients, as Lambda's execution
   environments are) take the publish queue at once. Reported: conditional writes tried and lost
   (S3 412/409, DynamoDB ConditionalCheckFailed/TransactionCanceled), receives per message,
   throughput, and lost feed entries (articles published in the run that are missing from
   feeds/<lang>/feed.json once every queue, the render queue too, is drained). The run keeps the article count at or
   below the site's feed_size, so every one of them belongs in the feed. moto answers in
   microseconds, so each call of a publisher is delayed by a typical in-region AWS latency
   (LATENCY_MS, times --aws-latency-scale; 0 turns it off). The scale is 10 by default: the K
   publishers and moto's one server process share this machine's cores, and at the in-region
   latency (scale 1) 16 publishers keep them ~95% busy, so K16/K1 would measure the local CPU
   (about 2x on 2 cores), not contention between publishers; in Lambda each execution environment
   has its own CPU and waits on AWS, which the longer waits stand for. The table prints how busy the
   cores were (CPU time of the publishers and of this process over the run's wall time) and says
   when a run was CPU-bound. What the run checks either way: conditional writes lost, tries per
   article, receives per message, lost entries.
3. Cold start: each handler module imported in a fresh interpreter from the built layer
   (.aws-sam/build/SyndLayer, no site-packages, no bytecode written: /opt is read-only in Lambda)
   against `import boto3` alone from the same layer; best of 5. Without a built layer, the repo's
   shared/ and the venv (said so).
4. Cost per 100,000 articles at us-east-1 list prices (the constants below), with its arithmetic.

The last line printed is one JSON object: cost_per_100k_usd, s3_put_class_per_article, k16_over_k1,
lost_entries, ingest_import_over_boto3, publish_import_over_boto3, layer_mb. Two shared cores and moto
make durations noisy and slow (an upper bound on the code's own time); counts are exact.
"""
from __future__ import annotations

import argparse
import contextlib
import contextvars
import functools
import json
import math
import multiprocessing
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the test helpers (tests.e2e.fault_harness: the corpus)

LAYER = ROOT / ".aws-sam" / "build" / "SyndLayer"
TEMPLATE = ROOT / "template.yaml"
PARTNER = "scale-bench"  # not in config/partners.yaml: the `default` partner settings
LANGUAGES = ("en", "fa", "ar", "ru", "fr", "es")
CONCURRENT_LANGUAGE = "en"

# -- us-east-1 list prices (USD), read from the pages named, as listed in 2025 (re-check before quoting) --
LAMBDA_GB_SECOND = 0.0000166667  # x86, first 6 billion GB-s/month: https://aws.amazon.com/lambda/pricing/
LAMBDA_REQUEST = 0.20 / 1e6  # per request: https://aws.amazon.com/lambda/pricing/
SQS_REQUEST = 0.40 / 1e6  # standard queue, per request (64 KB chunk): https://aws.amazon.com/sqs/pricing/
DYNAMODB_WRU = 0.625 / 1e6  # on-demand, Standard table class (price of 2024-11-01): https://aws.amazon.com/dynamodb/pricing/on-demand/
DYNAMODB_RRU = 0.125 / 1e6  # on-demand, Standard table class: https://aws.amazon.com/dynamodb/pricing/on-demand/
S3_PUT_CLASS = 0.005 / 1000  # S3 Standard PUT, COPY, POST, LIST: https://aws.amazon.com/s3/pricing/
S3_GET_CLASS = 0.0004 / 1000  # S3 Standard GET, SELECT and all other requests: https://aws.amazon.com/s3/pricing/
SNS_PUBLISH = 0.50 / 1e6  # standard topic, per publish (64 KB chunk): https://aws.amazon.com/sns/pricing/
EVENTBRIDGE_EVENT = 1.00 / 1e6  # custom events, per event (64 KB chunk): https://aws.amazon.com/eventbridge/pricing/
SECRETS_MANAGER_CALL = 0.05 / 10000  # API calls: https://aws.amazon.com/secrets-manager/pricing/
LOGS_INGESTED_GB = 0.50  # CloudWatch Logs standard ingestion: https://aws.amazon.com/cloudwatch/pricing/
ARTICLES_PRICED = 100_000

# Typical in-region round trips (ms) added to each call of a concurrent publisher. An assumption of
# the bench, not a measurement: moto answers in microseconds, Lambda waits on the network.
LATENCY_MS = {"s3": 25.0, "dynamodb": 6.0, "sqs": 10.0, "sns": 15.0, "eventbridge": 15.0, "secrets-manager": 15.0}
CPU_BOUND = 0.85  # a concurrency run that kept the cores this busy measures the CPU
SERVER_BOUND = 0.85  # ... and one that kept moto's one server process this busy measures moto
CONCURRENCY_LATENCY_SCALE = 10.0  # waits that dominate the local CPU, as in Lambda (module docstring, 2.)

WRITE_OPERATIONS = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}
READ_OPERATIONS = {"GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"}
S3_FREE = {"DeleteObject", "DeleteObjects", "AbortMultipartUpload"}  # DELETE and CANCEL are free
S3_PUT_CLASS_OPERATIONS = {"CopyObject", "CreateMultipartUpload", "UploadPart", "UploadPartCopy",
                           "CompleteMultipartUpload", "RestoreObject", "SelectObjectContent"}
ESM_OPERATIONS = {"ReceiveMessage", "DeleteMessage", "DeleteMessageBatch", "ChangeMessageVisibility",
                  "ChangeMessageVisibilityBatch"}
LOST_RACE_CODES = {"PreconditionFailed", "ConditionalRequestConflict", "ConditionalCheckFailedException",
                   "TransactionCanceledException"}


# == DynamoDB capacity from item sizes ===============================================================
def attribute_value_size(value: dict[str, Any]) -> int:
    """Bytes of one typed attribute value, by the rules of the DynamoDB developer guide
    ("Item sizes and formats"): strings and binaries their length, numbers about one byte per two
    significant digits plus one, booleans and nulls one byte, lists and maps 3 bytes plus 1 per element."""
    (kind, data), = value.items()
    if kind == "S":
        return len(data.encode("utf-8"))
    if kind == "B":
        return len(data if isinstance(data, (bytes, bytearray)) else str(data).encode())
    if kind == "N":
        return number_size(data)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(s.encode("utf-8")) for s in data)
    if kind == "NS":
        return sum(number_size(n) for n in data)
    if kind == "BS":
        return sum(len(b) for b in data)
    if kind == "L":
        return 3 + sum(1 + attribute_value_size(v) for v in data)
    if kind == "M":
        return 3 + sum(1 + len(k.encode("utf-8")) + attribute_value_size(v) for k, v in data.items())
    raise ValueError(f"unknown DynamoDB type {kind}")


def number_size(text: str) -> int:
    digits = re.sub(r"[^0-9]", "", str(text).split("e")[0].split("E")[0]).strip("0") or "0"
    return (len(digits) + 1) // 2 + 1


def item_size(item: dict[str, Any] | None) -> int:
    """Bytes of an item in DynamoDB's typed JSON: attribute names plus values."""
    return sum(len(name.encode("utf-8")) + attribute_value_size(value) for name, value in (item or {}).items())


def write_units(size: int) -> int:
    """Write request units of one item write: 1 per KB, rounded up, at least 1."""
    return max(1, math.ceil(size / 1024))


def read_units(size: int, consistency: str) -> float:
    """Read request units of `size` bytes read at once: per 4 KB (at least one), 0.5 eventually
    consistent, 1 strongly, 2 transactional."""
    factor = {"eventual": 0.5, "strong": 1.0, "transactional": 2.0}[consistency]
    return factor * max(1, math.ceil(size / 4096))


@dataclass(frozen=True)
class Index:
    """A global secondary index as the template declares it."""

    name: str
    keys: tuple[str, ...]  # its hash (and range) key attributes
    projection: str  # ALL | KEYS_ONLY | INCLUDE
    included: tuple[str, ...] = ()

    def holds(self, item: dict[str, Any] | None) -> bool:
        """A sparse index holds only the items that have all its key attributes."""
        return bool(item) and all(k in item for k in self.keys)

    def projected(self, item: dict[str, Any], table_keys: tuple[str, ...]) -> dict[str, Any]:
        if self.projection == "ALL":
            return dict(item)
        names = set(table_keys) | set(self.keys) | (set(self.included) if self.projection == "INCLUDE" else set())
        return {k: v for k, v in item.items() if k in names}


@dataclass(frozen=True)
class TableShape:
    name: str
    keys: tuple[str, ...]
    indexes: tuple[Index, ...] = ()

    def key_of(self, item: dict[str, Any]) -> dict[str, Any]:
        return {k: item[k] for k in self.keys if k in item}


def table_shapes(template: dict[str, Any], resolve=lambda v: v, names: dict[str, str] | None = None
                 ) -> dict[str, TableShape]:
    """Physical table name -> its key attributes and GSIs, read from the (translated) template.

    `resolve` turns intrinsic functions into values (the local stack's resolver); `names` maps a
    logical id to its physical name (else the resolved TableName, else the logical id)."""
    shapes = {}
    for logical_id, resource in template.get("Resources", {}).items():
        if resource.get("Type") != "AWS::DynamoDB::Table":
            continue
        properties = resource.get("Properties", {})
        name = (names or {}).get(logical_id) or str(resolve(properties.get("TableName", logical_id)))
        indexes = tuple(Index(
            name=str(gsi["IndexName"]), keys=tuple(k["AttributeName"] for k in gsi["KeySchema"]),
            projection=str(gsi.get("Projection", {}).get("ProjectionType", "ALL")),
            included=tuple(gsi.get("Projection", {}).get("NonKeyAttributes", [])))
            for gsi in properties.get("GlobalSecondaryIndexes", []) or [])
        shapes[name] = TableShape(name, tuple(k["AttributeName"] for k in properties["KeySchema"]), indexes)
    return shapes


def index_write_units(index: Index, before: dict | None, after: dict | None, table_keys: tuple[str, ...]) -> int:
    """WRU the index takes for one item changing from `before` to `after` (None: no item).

    An item enters (put), leaves (delete), moves to another index key (delete + put) or changes
    a projected attribute (update); an item the index does not hold, or a change to attributes it
    does not project, costs the index nothing."""
    held_before, held_after = index.holds(before), index.holds(after)
    old = index.projected(before, table_keys) if held_before else None
    new = index.projected(after, table_keys) if held_after else None
    if old is None and new is None:
        return 0
    if old is None:
        return write_units(item_size(new))
    if new is None:
        return write_units(item_size(old))
    if any(before[k] != after[k] for k in index.keys):
        return write_units(item_size(old)) + write_units(item_size(new))
    if old == new:
        return 0
    return write_units(max(item_size(old), item_size(new)))


# == the call meter ==================================================================================
def s3_request_class(operation: str) -> str | None:
    """S3's price class of an operation: "put" (PUT, COPY, POST, LIST), "get" (GET and all other), None (free)."""
    if operation in S3_FREE:
        return None
    if operation.startswith(("Put", "List")) or operation in S3_PUT_CLASS_OPERATIONS:
        return "put"
    return "get"


def caller_role(frame) -> str | None:
    """Which code is calling AWS, from the Python stack: a function's handler (functions/<name>/),
    the local runner (synd/local/runner.py: the event source mapping), or None (the bench)."""
    runner = False
    while frame is not None:
        path = frame.f_code.co_filename.replace("\\", "/")
        match = re.search(r"/functions/([^/]+)/app\.py$", path)
        if match:
            return match.group(1)
        runner = runner or path.endswith("synd/local/runner.py")
        frame = frame.f_back
    return "runner" if runner else None


class CallMeter:
    """Counts the AWS calls of every boto3 client created after `install()`.

    Counts by (role, service, operation); S3 request classes; conditional writes tried and lost;
    billable units of SNS and EventBridge; and, with `capacity=True`, DynamoDB WRU/RRU per table and
    index, from the sizes of the items involved (read before and after each write with an unhooked
    client, whose time is kept apart in `overhead` so durations can leave it out)."""

    def __init__(self, shapes: dict[str, TableShape] | None = None, *, capacity: bool = True,
                 latency_scale: float = 0.0):
        self.shapes, self.capacity, self.latency_scale = shapes or {}, capacity, latency_scale
        self.calls: Counter = Counter()  # (role, service, operation) -> calls
        self.s3_classes: Counter = Counter()  # (role, class) -> requests
        self.units: Counter = Counter()  # (role, "WRU"|"RRU", table or index) -> request units
        self.billed: Counter = Counter()  # (role, "sns"|"events"|"secretsmanager") -> billable units
        self.conditional: Counter = Counter()  # (role, service, "tried"|"lost") -> conditional writes
        self.delayed: set[str] = set()  # receipt handles whose visibility a handler set itself
        self.durations: dict[str, list[float]] = defaultdict(list)  # function -> seconds per invocation
        self._local = threading.local()
        # who is calling: a contextvar, so that the publisher's target threads (each run in a copy of the
        # handler's context) are counted as the function that started them
        self._caller = contextvars.ContextVar(f"synd_scale_role_{id(self)}", default=None)
        self._lock = threading.Lock()
        self._raw = None
        self._original = None

    # -- installing -------------------------------------------------------------------------------
    def install(self) -> "CallMeter":
        import boto3

        if self._original is not None:
            return self
        self._original = original = boto3.session.Session.client
        meter = self

        @functools.wraps(original)
        def client(session, *args, **kwargs):
            made = original(session, *args, **kwargs)
            meter.watch(made)
            return made

        boto3.session.Session.client = client
        from synd.aws import reset_clients

        reset_clients()  # the cached clients of synd.aws are made again, watched
        return self

    def uninstall(self) -> None:
        import boto3

        if self._original is not None:
            boto3.session.Session.client = self._original
            self._original = None
        from synd.aws import reset_clients

        reset_clients()

    def watch(self, client) -> None:
        events = client.meta.events
        events.register("before-parameter-build.*.*", self._before, unique_id="synd-scale-before")
        events.register("after-call.*.*", self._after, unique_id="synd-scale-after")
        if self.latency_scale:
            events.register("before-send.*.*", self._wait, unique_id="synd-scale-latency")

    # -- who is calling ---------------------------------------------------------------------------
    @contextlib.contextmanager
    def role(self, name: str):
        token = self._caller.set(name)
        try:
            yield
        finally:
            self._caller.reset(token)

    def _role(self) -> str | None:
        return self._caller.get() or caller_role(sys._getframe(2))

    def timed(self, function: str, handler):
        """`handler` wrapped: its calls are the function's, its duration recorded without the meter's reads
        (those made in the handler's own thread: the publisher's target threads' reads stay in, an upper bound)."""
        meter = self

        @functools.wraps(handler)
        def run(event, context):
            with meter.role(function):
                overhead, started = meter.overhead, time.perf_counter()
                try:
                    return handler(event, context)
                finally:
                    elapsed = time.perf_counter() - started - (meter.overhead - overhead)
                    with meter._lock:
                        meter.durations[function].append(elapsed)
        return run

    @property
    def overhead(self) -> float:
        return getattr(self._local, "overhead", 0.0)

    # -- the hooks --------------------------------------------------------------------------------
    def _wait(self, event_name: str = "", **_: Any) -> None:
        """before-send.<service id>.<operation>: one HTTP attempt leaving for AWS."""
        service = event_name.split(".")[1] if event_name.count(".") >= 2 else ""
        time.sleep(LATENCY_MS.get(service, 10.0) * self.latency_scale / 1000)

    def _before(self, params: dict[str, Any], model, context: dict[str, Any], **_: Any) -> None:
        role = self._role()
        if role is None:
            return
        service, operation = model.service_model.endpoint_prefix, model.name
        if service == "sqs" and operation in ESM_OPERATIONS and role == "runner":
            role = "esm"  # Lambda's event source mapping does these in AWS
        context["synd_scale"] = {"role": role, "service": service, "operation": operation, "params": params}
        with self._lock:
            self.calls[(role, service, operation)] += 1
            if service == "s3" and s3_request_class(operation):
                self.s3_classes[(role, s3_request_class(operation))] += 1
            self._count_billed(role, service, operation, params)
            if self._is_conditional(service, operation, params):
                self.conditional[(role, service, "tried")] += 1
                context["synd_scale"]["conditional"] = True
        if service == "sqs" and operation == "ChangeMessageVisibility" and role not in ("runner", "esm"):
            self.delayed.add(params.get("ReceiptHandle", ""))
        if service == "dynamodb" and self.capacity and operation in WRITE_OPERATIONS:
            context["synd_scale"]["before"] = self._snapshot(self._written_keys(operation, params))

    def _after(self, http_response, parsed, model, context: dict[str, Any], **_: Any) -> None:
        call = context.pop("synd_scale", None)
        if call is None:
            return
        status = getattr(http_response, "status_code", 200)
        code = (parsed or {}).get("Error", {}).get("Code", "")
        lost = status in (409, 412) or code in LOST_RACE_CODES
        if call.get("conditional") and lost:
            with self._lock:
                self.conditional[(call["role"], call["service"], "lost")] += 1
        if call["role"] == "esm" and call["operation"] == "ReceiveMessage" and not (parsed or {}).get("Messages"):
            with self._lock:  # an empty poll: Lambda's poller makes them too, but not per article
                self.calls[("esm", "sqs", "ReceiveMessage")] -= 1
                self.calls[("esm", "sqs", "ReceiveMessage (empty)")] += 1
        if call["service"] == "dynamodb" and self.capacity:
            self._capacity(call, parsed or {}, ok=200 <= status < 300)

    def _count_billed(self, role: str, service: str, operation: str, params: dict[str, Any]) -> None:
        if service == "sns" and operation in ("Publish", "PublishBatch"):
            self.billed[(role, "sns")] += len(params.get("PublishBatchRequestEntries", [])) or 1
        elif service == "events" and operation == "PutEvents":
            self.billed[(role, "events")] += len(params.get("Entries", []))
        elif service == "secretsmanager":
            self.billed[(role, "secretsmanager")] += 1

    @staticmethod
    def _is_conditional(service: str, operation: str, params: dict[str, Any]) -> bool:
        if service == "s3":
            return operation in ("PutObject", "CopyObject", "CompleteMultipartUpload") and bool(
                params.get("IfMatch") or params.get("IfNoneMatch"))
        if service == "dynamodb":
            if operation == "TransactWriteItems":
                return any("ConditionExpression" in body for item in params.get("TransactItems", [])
                           for body in item.values())
            return operation in WRITE_OPERATIONS and "ConditionExpression" in params
        return False

    # -- DynamoDB sizes ---------------------------------------------------------------------------
    def _raw_client(self):
        """A client the meter does not watch, for its own reads of the items written."""
        if self._raw is None:
            import botocore.session

            self._raw = botocore.session.Session().create_client(
                "dynamodb", region_name=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
                endpoint_url=os.environ.get("AWS_ENDPOINT_URL"), aws_access_key_id="testing",
                aws_secret_access_key="testing", aws_session_token="testing")
        return self._raw

    def _written_keys(self, operation: str, params: dict[str, Any]) -> list[tuple[str, str, dict]]:
        """(kind, table, key) of every item a write touches; kind is how it is billed."""
        found = []
        if operation == "TransactWriteItems":
            for entry in params.get("TransactItems", []):
                (kind, body), = entry.items()
                item_key = body.get("Key") or self._key(body["TableName"], body.get("Item", {}))
                found.append(("transactional", body["TableName"], item_key))
        elif operation == "BatchWriteItem":
            for table, requests in params.get("RequestItems", {}).items():
                for request in requests:
                    body = request.get("PutRequest") or request.get("DeleteRequest")
                    found.append(("standard", table, body.get("Key") or self._key(table, body.get("Item", {}))))
        else:
            found.append(("standard", params["TableName"], params.get("Key") or self._key(params["TableName"],
                                                                                          params.get("Item", {}))))
        return found

    def _key(self, table: str, item: dict[str, Any]) -> dict[str, Any]:
        shape = self.shapes.get(table)
        return shape.key_of(item) if shape else {k: item[k] for k in ("pk", "sk") if k in item}

    def _snapshot(self, targets: list[tuple[str, str, dict]]) -> list[tuple[str, str, dict, dict | None]]:
        started = time.perf_counter()
        try:
            return [(kind, table, key, self._raw_client().get_item(TableName=table, Key=key,
                                                                     ConsistentRead=True).get("Item"))
                    for kind, table, key in targets]
        finally:
            self._local.overhead = self.overhead + time.perf_counter() - started

    def _capacity(self, call: dict[str, Any], parsed: dict[str, Any], ok: bool) -> None:
        role, operation, params = call["role"], call["operation"], call["params"]
        if operation in WRITE_OPERATIONS:
            before = call.get("before") or []
            after = self._snapshot([(kind, table, key) for kind, table, key, _ in before]) if ok else []
            self._charge_writes(role, before, after, ok)
        elif operation in READ_OPERATIONS:
            self._charge_reads(role, operation, params, parsed)

    def _charge_writes(self, role: str, before: list, after: list, ok: bool) -> None:
        with self._lock:
            for i, (kind, table, _key, old) in enumerate(before):
                factor = 2 if kind == "transactional" else 1
                new = after[i][3] if ok else None
                # a failed conditional write still takes the existing item's size (at least 1 WRU)
                size = max(item_size(old), item_size(new)) if ok else item_size(old)
                self.units[(role, "WRU", table)] += factor * write_units(size)
                shape = self.shapes.get(table)
                if ok and shape:
                    for index in shape.indexes:
                        self.units[(role, "WRU", f"{table}/{index.name}")] += index_write_units(
                            index, old, new, shape.keys)

    def _charge_reads(self, role: str, operation: str, params: dict[str, Any], parsed: dict[str, Any]) -> None:
        consistency = "strong" if params.get("ConsistentRead") else "eventual"
        charges: list[tuple[str, float]] = []
        if operation == "GetItem":
            item = parsed.get("Item")
            if item is not None and "ProjectionExpression" in params:
                item = self._full_items("get_item", params, "Item")
            charges.append((params["TableName"], read_units(item_size(item), consistency)))
        elif operation in ("Query", "Scan"):
            items = parsed.get("Items", [])
            if {"ProjectionExpression", "FilterExpression", "Select", "AttributesToGet"} & set(params):
                items = self._full_items(operation.lower(), params, "Items")
            where = params["TableName"] + (f"/{params['IndexName']}" if params.get("IndexName") else "")
            charges.append((where, read_units(sum(item_size(i) for i in items), consistency)))
        elif operation == "BatchGetItem":  # each key is billed as a GetItem would be, a missing item too
            for table, request in params["RequestItems"].items():
                consistency = "strong" if request.get("ConsistentRead") else "eventual"
                items = parsed.get("Responses", {}).get(table, [])
                unprocessed = len(parsed.get("UnprocessedKeys", {}).get(table, {}).get("Keys", []))
                missing = len(request["Keys"]) - unprocessed - len(items)
                charges += [(table, read_units(item_size(i), consistency)) for i in items]
                charges += [(table, read_units(0, consistency))] * max(0, missing)
        elif operation == "TransactGetItems":
            for entry, response in zip(params.get("TransactItems", []), parsed.get("Responses", [])):
                charges.append((entry["Get"]["TableName"], read_units(item_size(response.get("Item")), "transactional")))
        with self._lock:
            for where, units in charges:
                self.units[(role, "RRU", where)] += units

    def _full_items(self, method: str, params: dict[str, Any], field_name: str):
        """What the read read (billed on whole items, before any projection or filter)."""
        started = time.perf_counter()
        try:
            bare = without_projection(params)
            return getattr(self._raw_client(), method)(**bare).get(field_name) or ([] if field_name == "Items" else None)
        finally:
            self._local.overhead = self.overhead + time.perf_counter() - started

    # -- results ----------------------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        """Everything counted, as plain data (to send from a worker process)."""
        return {"calls": dict(self.calls), "s3_classes": dict(self.s3_classes), "units": dict(self.units),
                "billed": dict(self.billed), "conditional": dict(self.conditional),
                "durations": {k: list(v) for k, v in self.durations.items()}}

    def merge(self, snapshot: dict[str, Any]) -> None:
        for name in ("calls", "s3_classes", "units", "billed", "conditional"):
            getattr(self, name).update(snapshot[name])
        for function, seconds in snapshot["durations"].items():
            self.durations[function].extend(seconds)


def without_projection(params: dict[str, Any]) -> dict[str, Any]:
    """A read's parameters with projection and filter taken out (and the names and values only they used)."""
    bare = {k: v for k, v in params.items()
            if k not in ("ProjectionExpression", "FilterExpression", "Select", "AttributesToGet")}
    used = " ".join(str(bare.get(k, "")) for k in ("KeyConditionExpression",))
    if "ExpressionAttributeNames" in bare:
        bare["ExpressionAttributeNames"] = {k: v for k, v in bare["ExpressionAttributeNames"].items() if k in used}
        if not bare["ExpressionAttributeNames"]:
            del bare["ExpressionAttributeNames"]
    if "ExpressionAttributeValues" in bare:
        bare["ExpressionAttributeValues"] = {k: v for k, v in bare["ExpressionAttributeValues"].items() if k in used}
        if not bare["ExpressionAttributeValues"]:
            del bare["ExpressionAttributeValues"]
    return bare


# == the articles ===================================================================================
@functools.lru_cache(maxsize=1)
def corpus_words() -> dict[str, list[str]]:
    """Words of the corpus's article bodies (samples/, tests/corpus/drops/), per detected language."""
    from tests.e2e.fault_harness import parse, partner_files

    words: dict[str, list[str]] = defaultdict(list)
    for key, data in partner_files():
        for article in parse(key, data) or []:
            words[article.language.language] += article.body_text.split()
    return dict(words)


def article_drop(n: int, language: str, seed: int = 11) -> tuple[str, bytes]:
    """The n-th article: a Markdown drop with its own canonical URL, title, date and a window of
    the language's corpus text (60 to 220 words), CC BY 4.0."""
    words = corpus_words()[language]
    rng = random.Random(f"{seed}/{language}/{n}")
    length = rng.randint(60, 220)
    start = rng.randrange(len(words))
    body = [words[(start + i) % len(words)] for i in range(length)]
    paragraphs = [" ".join(body[i:i + 40]) for i in range(0, len(body), 40)]
    title = " ".join(body[:6]).strip(" .,:;") + f" ({n})"
    published = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00Z"
    text = (f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\nauthor: Scale Bench Desk\n"
            f"date: {published}\nlang: {language}\nlicense: CC-BY-4.0\n"
            f"canonical_url: https://scale.example/{language}/{n:06d}\n---\n\n" + "\n\n".join(paragraphs) + "\n")
    return f"incoming/{PARTNER}/{language}/{n:06d}.md", text.encode("utf-8")


def article_drops(count: int, languages: Iterable[str] = LANGUAGES, first: int = 0) -> list[tuple[str, bytes]]:
    languages = list(languages)
    return [article_drop(first + i, languages[i % len(languages)]) for i in range(count)]


# == the local stack ================================================================================
@contextlib.contextmanager
def local_stack(work: Path):
    """A fresh local stack (moto reset), stopped afterwards; the environment restored."""
    from synd.local.runner import LocalStack

    with LocalStack.running(out_dir=work, fresh=True) as stack:
        quiet_logs()
        like_lambda(stack)
        yield stack


def like_lambda(stack) -> None:
    """What differs between the local stack and AWS and changes the counts: the functions keep the
    live settings 60 s as in AWS (2 s locally, so `synd partners set` shows at once)."""
    for function in stack.functions.values():
        function.environment["SYND_CONFIG_MAX_AGE"] = "60"
    os.environ["SYND_CONFIG_MAX_AGE"] = "60"


def quiet_logs() -> None:
    """The production log level (the template's IsProd: INFO): what CloudWatch Logs would ingest."""
    from synd import observability

    observability.logger.setLevel("INFO")


def stack_shapes(stack) -> dict[str, TableShape]:
    resources = stack.resources
    names = {lid: resources.ref(lid) for lid in resources.ids_of_type("AWS::DynamoDB::Table")}
    return table_shapes(resources.template, resources.resolve, names)


def upload(stack, drops: list[tuple[str, bytes]]) -> None:
    s3, bucket = stack.client("s3"), os.environ["RAW_BUCKET"]
    for key, data in drops:
        s3.put_object(Bucket=bucket, Key=key, Body=data)


def site_pages(stack) -> set[str]:
    """Article ids with a page in the site bucket."""
    s3, ids = stack.client("s3"), set()
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=os.environ["SITE_BUCKET"], Prefix="articles/"):
        for obj in page.get("Contents", []):
            match = re.fullmatch(r"articles/([^/]+)/index\.html", obj["Key"])
            if match:
                ids.add(match.group(1))
    return ids


def feed_entry_ids(stack, language: str) -> set[str]:
    """Article ids in the language's rendered JSON Feed (the renderer's output, once every queue is drained)."""
    s3 = stack.client("s3")
    try:
        body = s3.get_object(Bucket=os.environ["SITE_BUCKET"], Key=f"feeds/{language}/feed.json")["Body"].read()
    except s3.exceptions.NoSuchKey:
        return set()
    return {item["id"] for item in json.loads(body)["items"]}


def log_bytes(stack) -> int:
    """Bytes of the functions' log lines and EMF metrics so far (both are CloudWatch Logs ingestion).

    The logger opens $SYND_LOG_FILE once per process, so every stack of one run must use the same
    out dir (the file is emptied when a stack starts, and appended to)."""
    return stack.log_file.stat().st_size if stack.log_file.exists() else 0


# == 1. the pipeline ================================================================================
@dataclass
class PipelineRun:
    drops: int
    articles: int  # articles with a site page at the end
    seconds: float
    meter: CallMeter
    memory_mb: dict[str, int]
    log_bytes: int
    shapes: dict[str, TableShape] = field(default_factory=dict)

    def per_article(self, value: float) -> float:
        return value / max(1, self.articles)


def measure_pipeline(count: int, work: Path, drops: list[tuple[str, bytes]] | None = None,
                     timeout: float = 3600.0) -> PipelineRun:
    """Drop `count` articles into a fresh local stack, run ingest and publish until drained, count."""
    drops = drops if drops is not None else article_drops(count)
    with local_stack(work) as stack:
        shapes = stack_shapes(stack)
        stack.drain()  # S3's s3:TestEvent from setting up the notifications: not an article's
        meter = CallMeter(shapes).install()
        try:
            for function in stack.functions.values():
                function.handler = meter.timed(function.name, function.handler)
            memory = {name: f.memory_mb for name, f in stack.functions.items()}
            logs_before = log_bytes(stack)
            upload(stack, drops)
            started = time.perf_counter()
            stack.drain(timeout=timeout)
            seconds = time.perf_counter() - started
        finally:
            meter.uninstall()
        return PipelineRun(len(drops), len(site_pages(stack)), seconds, meter, memory,
                           log_bytes(stack) - logs_before, shapes)


# == 2. concurrent publishers =======================================================================
@dataclass
class ConcurrencyRun:
    publishers: int
    articles: int
    seconds: float
    meter: CallMeter
    receives: int  # messages received (a message received twice counts twice)
    published: int  # of the run's articles, those with a site page
    lost_entries: int  # published in the run, missing from the language's rendered feed.json
    dead_letters: int
    timed_out: bool
    batch_size: int = 10
    cpu_seconds: float = 0.0  # CPU time of the K publishers and of this process (moto's server, the poll)
    server_cpu_seconds: float = 0.0  # CPU time of this process alone: moto's server (and the light poll)

    @property
    def cpu_busy(self) -> float:
        """Share of this machine's cores the run kept busy: near 1, the throughput measures the cores."""
        return self.cpu_seconds / (self.seconds * (os.cpu_count() or 1)) if self.seconds else 0.0

    @property
    def server_busy(self) -> float:
        """Share of ONE core that moto's server used: it is one Python process, whose threads take turns
        on one interpreter lock, so near 1 every AWS call of every publisher waits for it: the
        throughput then measures moto, not the publishers (in AWS each service scales out)."""
        return self.server_cpu_seconds / self.seconds if self.seconds else 0.0

    def cpu_per_article(self) -> tuple[float, float]:
        """CPU seconds per published article: (the publishers', moto's server's)."""
        n = max(1, self.published)
        return (self.cpu_seconds - self.server_cpu_seconds) / n, self.server_cpu_seconds / n

    def ceiling(self) -> float:
        """The most articles/s this machine could publish with that CPU per article: its cores, and
        moto's server on at most one of them (its interpreter lock), each at full use."""
        publishers, server = self.cpu_per_article()
        total = publishers + server
        return min((os.cpu_count() or 1) / total if total else math.inf, 1 / server if server else math.inf)

    @property
    def throughput(self) -> float:
        return self.published / self.seconds if self.seconds else 0.0

    def conditional(self, service: str, what: str) -> int:
        """Conditional writes of the publishers to `service` ("s3": the site's objects; "dynamodb":
        delivery records), `what` = "tried" or "lost" (refused: another writer got there first)."""
        return sum(n for (_r, s, w), n in self.meter.conditional.items() if s == service and w == what)


def publisher_worker(environment: dict[str, str], queue_url: str, queue_arn: str, timeout_seconds: float,
                     memory_mb: int, latency_scale: float, batch_size: int, ready, go, stop, out) -> None:
    """One publish function's execution environment: its own interpreter, clients and handler module,
    polling the publish queue as Lambda's poller does (batches of up to 10, partial failures)."""
    sys.stdout = open(os.devnull, "w")  # EMF and stray prints; the logs go to $SYND_LOG_FILE
    os.environ.update(environment)
    from synd.local.runner import FUNCTIONS, RETRY_AFTER_SECONDS, LambdaContext, _load_module, sqs_record

    meter = CallMeter(capacity=False, latency_scale=latency_scale).install()
    module = _load_module("synd_scale_publish", FUNCTIONS["PublishFunction"][1])
    quiet_logs()
    handler = meter.timed("PublishFunction", module.lambda_handler)
    import boto3

    sqs = boto3.client("sqs")
    seen: set[str] = set()
    receives = 0
    ready.set()
    go.wait()
    cpu_started = time.process_time()
    while not stop.is_set():
        with meter.role("esm"):
            messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=batch_size, WaitTimeSeconds=1,
                                           AttributeNames=["All"], MessageAttributeNames=["All"]).get("Messages", [])
        if not messages:
            continue
        event = {"Records": [sqs_record(m, queue_arn) for m in messages]}
        receives += len(messages)
        seen.update(json.loads(m["Body"]).get("article_id", "") for m in messages)
        context = LambdaContext("PublishFunction", memory_limit_in_mb=memory_mb, timeout_seconds=timeout_seconds)
        try:
            response = handler(event, context)
            failed = {f["itemIdentifier"] for f in (response or {}).get("batchItemFailures", [])}
        except Exception:  # noqa: BLE001 - an invocation error returns the whole batch, as in Lambda
            failed = {m["MessageId"] for m in messages}
        with meter.role("esm"):
            for message in messages:
                if message["MessageId"] not in failed:
                    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
                elif message["ReceiptHandle"] not in meter.delayed:
                    sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"],
                                                  VisibilityTimeout=RETRY_AFTER_SECONDS)
    out.put({"meter": meter.snapshot(), "seen": sorted(seen - {""}), "receives": receives,
             "cpu": time.process_time() - cpu_started})


def ingest_only(stack, timeout: float = 600.0) -> None:
    """Run the ingest function alone until its queue is empty: the publish queue fills up."""
    ingest, deadline = stack.functions["IngestFunction"], time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not stack._invoke_batch(ingest, 0) and stack.queue_depths()["IngestQueue"] == 0:
            return
    raise TimeoutError("ingest did not finish")


def measure_concurrency(publishers: int, articles: int, work: Path, latency_scale: float = 1.0,
                        timeout: float = 600.0) -> ConcurrencyRun:
    """`articles` in one language ingested, then `publishers` processes publish them at once.

    Each receive takes at most articles/K messages (10 at most, the template's BatchSize), so that
    all K publishers have work at once, as Lambda's poller spreads a burst over its invocations."""
    context = multiprocessing.get_context("spawn")
    batch_size = max(1, min(10, articles // publishers))
    with local_stack(work) as stack:
        upload(stack, article_drops(articles, [CONCURRENT_LANGUAGE], first=500_000))
        ingest_only(stack)
        publish = stack.functions["PublishFunction"]
        ready = [context.Event() for _ in range(publishers)]
        go, stop, out = context.Event(), context.Event(), context.Queue()
        workers = [context.Process(target=publisher_worker, daemon=True, args=(
            publish.environment, publish.queue_url, publish.queue_arn, publish.timeout_seconds, publish.memory_mb, latency_scale,
            batch_size, ready[i], go, stop, out)) for i in range(publishers)]
        for worker in workers:
            worker.start()
        for event in ready:
            if not event.wait(300):
                raise TimeoutError("a publisher process did not start")
        started, cpu_started = time.perf_counter(), time.process_time()
        go.set()
        timed_out = not wait_for_empty(stack, "PublishQueue", timeout)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        server_cpu = cpu
        stop.set()
        meter, seen, receives = CallMeter(capacity=False), set(), 0
        for _ in workers:
            result = out.get(timeout=120)
            meter.merge(result["meter"])
            seen.update(result["seen"])
            receives += result["receives"]
            cpu += result["cpu"]  # a publisher's CPU after the queue emptied (a last empty poll) is noise
        for worker in workers:
            worker.join(timeout=30)
        stack.drain(timeout=timeout)  # anything else the publishers left (a renderer, a retry) settles
        entries = feed_entry_ids(stack, CONCURRENT_LANGUAGE)
        pages = site_pages(stack)
        dead = stack.queue_depths().get("PublishDLQ", 0)
    return ConcurrencyRun(publishers, len(seen), seconds, meter, receives, len(seen & pages), len(seen - entries),
                          dead, timed_out, batch_size, cpu, server_cpu)


def wait_for_empty(stack, queue_id: str, timeout: float) -> bool:
    """Wait until the queue holds no message, visible or in flight (one client, a light poll: the
    moto server shares this process)."""
    sqs, url, deadline = stack.client("sqs"), stack.resources.url(queue_id), time.monotonic() + timeout
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"]
    while time.monotonic() < deadline:
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
        if all(int(attributes.get(name, 0)) == 0 for name in names):
            return True
        time.sleep(0.5)  # each answer costs moto ~9 ms of its one core (it walks every message)
    return False


# == 3. cold start ==================================================================================
IMPORT_ENV = {"TABLE_NAME": "t", "PROCESSED_BUCKET": "p", "PUBLISH_QUEUE_URL": "q", "SITE_BUCKET": "s",
              "RAW_BUCKET": "r", "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1",
              "POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_METRICS_DISABLED": "true"}


@dataclass
class Imports:
    source: str  # "layer" or "repo"
    seconds: dict[str, float]  # "boto3", "ingest", "publish" -> best import time in a fresh interpreter
    layer_mb: float | None

    def ratio(self, handler: str) -> float:
        return self.seconds[handler] / self.seconds["boto3"]


def import_seconds(statement: str, paths: list[Path], isolated: bool, env: dict[str, str]) -> float:
    """Seconds `statement` takes in a fresh interpreter (its start not included), no bytecode written."""
    code = ("import sys, time; sys.path[:0] = " + repr([str(p) for p in paths]) + "\n"
            "started = time.perf_counter()\n" + statement + "\nprint(time.perf_counter() - started)")
    flags = ["-B", "-S"] if isolated else ["-B"]
    proc = subprocess.run([sys.executable, *flags, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    if proc.returncode:
        raise RuntimeError(proc.stderr[-2000:])
    return float(proc.stdout.strip().splitlines()[-1])


def handler_import(path: Path) -> str:
    return (f"import importlib.util; spec = importlib.util.spec_from_file_location('app', {str(path)!r}); "
            "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)")


RUNTIME_SDK = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six")  # python3.11 runtime ships them


def runtime_sdk(layer_python: Path, scratch: Path) -> Path:
    """A folder standing for the Lambda runtime's own packages (/var/runtime): the venv's copies of
    what the runtime ships and the layer does not, linked. It comes after the layer on sys.path,
    as in Lambda, so a layer that bundles boto3 still wins."""
    import importlib.util

    scratch.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME_SDK:
        if (layer_python / name).exists() or (layer_python / f"{name}.py").exists() or (scratch / name).exists():
            continue
        spec = importlib.util.find_spec(name)
        if spec and spec.origin:
            origin = Path(spec.origin)
            source = origin.parent if origin.name == "__init__.py" else origin
            (scratch / source.name).symlink_to(source, target_is_directory=source.is_dir())
    return scratch


def measure_imports(runs: int = 5, layer: Path = LAYER, scratch: Path | None = None) -> Imports:
    built = (layer / "python").is_dir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "AWS_", "SYND_", "POWERTOOLS_"))}
    env.update(IMPORT_ENV)
    if built:
        env.update({"SYND_CONFIG_DIR": str(layer / "config"), "SYND_LID_MODEL": str(layer / "model" / "lid.176.ftz")})
        base = [layer / "python", runtime_sdk(layer / "python", scratch or ROOT / "out" / "scale" / "runtime")]
    else:
        base = [ROOT / "shared"]
    handlers = {"ingest": ROOT / "functions/ingest/app.py", "publish": ROOT / "functions/publish/app.py"}
    seconds = {"boto3": min(import_seconds("import boto3", base, built, env) for _ in range(runs))}
    for name, path in handlers.items():
        built_copy = ROOT / ".aws-sam/build" / f"{name.capitalize()}Function" / "app.py"
        path = built_copy if built and built_copy.exists() else path
        seconds[name] = min(import_seconds(handler_import(path), [path.parent, *base], built, env) for _ in range(runs))
    size = sum(p.stat().st_size for p in layer.rglob("*") if p.is_file()) / 2**20 if built else None
    return Imports("layer" if built else "repo", seconds, size)


# == 4. cost ========================================================================================
@dataclass
class Line:
    item: str
    per_article: float  # units per article
    unit_price: float
    note: str = ""

    @property
    def usd(self) -> float:
        return self.per_article * ARTICLES_PRICED * self.unit_price


def function_roles(meter: CallMeter) -> set[str]:
    return {role for role, _s, _o in meter.calls if role not in ("esm", "runner")} | set(meter.durations)


def cost_lines(run: PipelineRun) -> list[Line]:
    meter, per = run.meter, run.per_article
    lines = []
    gb_seconds = 0.0
    for function, seconds in sorted(meter.durations.items()):
        memory = run.memory_mb.get(function, 1024) / 1024
        gb_seconds += sum(math.ceil(s * 1000) / 1000 for s in seconds) * memory
    invocations = sum(len(s) for s in meter.durations.values())
    lines.append(Line("Lambda GB-s", per(gb_seconds), LAMBDA_GB_SECOND,
                      "measured handler time x MemorySize (moto is slower than AWS: an upper bound)"))
    lines.append(Line("Lambda requests", per(invocations), LAMBDA_REQUEST, "invocations (batches of up to 10)"))
    sqs = sum(n for (role, service, op), n in meter.calls.items()
              if service == "sqs" and role != "runner" and not op.endswith("(empty)"))
    lines.append(Line("SQS requests", per(sqs + run.drops), SQS_REQUEST,
                      "the functions' and the event source mapping's calls, + 1 S3 notification per drop"))
    wru = sum(n for (role, kind, _w), n in meter.units.items() if kind == "WRU" and role != "runner")
    rru = sum(n for (role, kind, _w), n in meter.units.items() if kind == "RRU" and role != "runner")
    lines.append(Line("DynamoDB WRU", per(wru), DYNAMODB_WRU, "table and GSIs, from item sizes"))
    lines.append(Line("DynamoDB RRU", per(rru), DYNAMODB_RRU, "from item sizes"))
    puts = sum(n for (role, kind), n in meter.s3_classes.items() if kind == "put" and role != "runner")
    gets = sum(n for (role, kind), n in meter.s3_classes.items() if kind == "get" and role != "runner")
    lines.append(Line("S3 PUT-class", per(puts + run.drops), S3_PUT_CLASS, "the functions' + the drop's own upload"))
    lines.append(Line("S3 GET-class", per(gets), S3_GET_CLASS, "incl. HEAD"))
    for service, label, price in (("sns", "SNS publishes", SNS_PUBLISH), ("events", "EventBridge events", EVENTBRIDGE_EVENT),
                                  ("secretsmanager", "Secrets Manager calls", SECRETS_MANAGER_CALL)):
        count = sum(n for (role, s), n in meter.billed.items() if s == service)
        lines.append(Line(label, per(count), price))
    lines.append(Line("CloudWatch Logs GB", per(run.log_bytes / 1e9), LOGS_INGESTED_GB,
                      "the functions' JSON log lines at INFO (platform START/END/REPORT lines not included)"))
    return lines


def s3_put_class_per_article(run: PipelineRun) -> float:
    """The functions' S3 PUT-class requests (PUT, COPY, POST, LIST) per published article."""
    puts = sum(n for (role, kind), n in run.meter.s3_classes.items() if kind == "put" and role not in ("runner", "esm"))
    return run.per_article(puts)


# == reporting ======================================================================================
def print_pipeline(run: PipelineRun) -> None:
    meter = run.meter
    print(f"\n== pipeline: {run.drops} drops -> {run.articles} articles published to the site "
          f"in {run.seconds:.1f} s ({run.articles / run.seconds:.2f}/s on moto) ==")
    print("AWS calls per article (by the functions and the event source mapping):")
    print(f"  {'who':16} {'service':15} {'operation':30} {'calls/article':>13}")
    for (role, service, operation), n in sorted(meter.calls.items()):
        if role != "runner" and n:
            print(f"  {role:16} {service:15} {operation:30} {run.per_article(n):13.2f}")
    print("DynamoDB request units per article (GSIs from template.yaml: " + ", ".join(
        f"{t}/{i.name} {i.projection} on {'+'.join(i.keys)}" for t, s in run.shapes.items() for i in s.indexes) + "):")
    for (role, kind, where), n in sorted(meter.units.items()):
        if role != "runner":
            print(f"  {role:16} {kind:4} {where:48} {run.per_article(n):9.2f}")
    for kind in ("WRU", "RRU"):
        table = sum(n for (r, k, w), n in meter.units.items() if k == kind and "/" not in w and r != "runner")
        index = sum(n for (r, k, w), n in meter.units.items() if k == kind and "/" in w and r != "runner")
        print(f"  total {kind}: table {run.per_article(table):.2f} + GSIs {run.per_article(index):.2f} per article")
    print("S3 requests per article:")
    for (role, kind), n in sorted(meter.s3_classes.items()):
        if role != "runner":
            print(f"  {role:16} {kind.upper()}-class {run.per_article(n):6.2f}")
    print("Lambda duration per invocation (ms, moto):")
    for function, seconds in sorted(meter.durations.items()):
        ms = [s * 1000 for s in seconds]
        print(f"  {function:16} n={len(ms):<5} median={statistics.median(ms):8.1f} max={max(ms):8.1f} "
              f"total per article={run.per_article(sum(ms)):8.1f}")


def print_cost(run: PipelineRun, lines: list[Line]) -> float:
    print(f"\n== cost per {ARTICLES_PRICED:,} articles at us-east-1 list prices (from the {run.drops}-drop run) ==")
    for line in lines:
        print(f"  {line.item:22} {line.per_article:12.6g}/article x {ARTICLES_PRICED:,} x ${line.unit_price:.10g}"
              f" = ${line.usd:8.4f}   {line.note}")
    total = sum(line.usd for line in lines)
    print(f"  {'total':22} ${total:.4f}")
    print("  not included: X-Ray traces (Tracing: Active), CloudWatch metrics and alarms, S3 storage and "
          "CloudFront, KMS, free tiers")
    return total


def print_concurrency(runs: list[ConcurrencyRun], latency_scale: float) -> None:
    print(f"\n== concurrent publishers, one language ({CONCURRENT_LANGUAGE}); each call delayed by "
          f"{'no latency' if not latency_scale else ', '.join(f'{s} {ms * latency_scale:.0f} ms' for s, ms in LATENCY_MS.items())} ==")
    print("  S3 conditional PUTs (If-Match / If-None-Match) and DynamoDB conditional writes: tried, and lost to "
          "another writer (412/409, ConditionalCheckFailed, TransactionCanceled)")
    print(f"  {'K':>3} {'batch':>5} {'articles':>8} {'seconds':>8} {'articles/s':>10} {'S3 tried':>8} {'S3 lost':>7} "
          f"{'S3 tries/art':>12} {'DDB tried':>9} {'DDB lost':>8} {'receives/msg':>12} {'published':>9} "
          f"{'lost entries':>12} {'DLQ':>4} {'CPU busy':>8} {'moto busy':>9}")
    for r in runs:
        print(f"  {r.publishers:>3} {r.batch_size:>5} {r.articles:>8} {r.seconds:>8.1f} {r.throughput:>10.2f} "
              f"{r.conditional('s3', 'tried'):>8} {r.conditional('s3', 'lost'):>7} "
              f"{r.conditional('s3', 'tried') / max(1, r.articles):>12.2f} {r.conditional('dynamodb', 'tried'):>9} "
              f"{r.conditional('dynamodb', 'lost'):>8} {r.receives / max(1, r.articles):>12.2f} {r.published:>9} "
              f"{r.lost_entries:>12} {r.dead_letters:>4} {r.cpu_busy:>8.0%} {r.server_busy:>9.0%}" + ("  (timed out)" if r.timed_out else ""))
    busy = [r for r in runs if r.cpu_busy > CPU_BOUND]
    if busy:
        which = ", ".join(str(r.publishers) for r in busy)
        print(f"  CPU busy above {CPU_BOUND:.0%} (K = {which}): these publishers and "
              f"moto's one server process share {os.cpu_count()} cores, so that throughput measures this machine's "
              "CPU, not contention between publishers; in Lambda each environment has its own CPU. A larger "
              "--aws-latency-scale makes the waits dominate as they do there.")
    for r in runs:
        publishers, server = r.cpu_per_article()
        print(f"  K={r.publishers}: CPU per article: publishers {publishers * 1000:.0f} ms + moto's server "
              f"{server * 1000:.0f} ms; at full use this machine allows at most {r.ceiling():.2f} articles/s"
              + (f" ({r.ceiling() / runs[0].throughput:.1f}x K={runs[0].publishers})"
                 if runs[0].publishers == 1 and runs[0].throughput else ""))
    bound = [r for r in runs if r.server_busy > SERVER_BOUND]
    if bound:
        which = ", ".join(str(r.publishers) for r in bound)
        print(f"  moto busy above {SERVER_BOUND:.0%} of one core (K = {which}): moto's server is one process with "
              "one interpreter lock, so every publisher's calls queued for it and that throughput is moto's; "
              "in AWS the services scale out.")


def print_imports(imports: Imports) -> None:
    where = "the built layer (.aws-sam/build/SyndLayer, no site-packages)" if imports.source == "layer" else \
        "layer not built: the repo's shared/ and the venv's site-packages"
    print(f"\n== cold-start imports from {where}; what the runtime ships and the layer does not "
          f"(boto3...) from the venv, after the layer; best of 5, no bytecode written ==")
    for name, seconds in imports.seconds.items():
        ratio = "" if name == "boto3" else f"  {imports.ratio(name):.2f}x import boto3"
        print(f"  {name:8} {seconds * 1000:8.0f} ms{ratio}")
    if imports.layer_mb is not None:
        print(f"  layer size (unzipped): {imports.layer_mb:.1f} MiB")


def main(argv: list[str] | None = None) -> int:
    # figures only: no EMF lines on stdout (set here, not at import: a test importing this module
    # must not switch metrics off for every other test of its session)
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drops", type=int, nargs="*", default=[40],
                        help="pipeline sizes (N drops each; none: skip the pipeline and the cost)")
    parser.add_argument("--publishers", type=int, nargs="*", default=[1, 4, 16],
                        help="K concurrent publishers (none: skip the concurrency runs)")
    parser.add_argument("--concurrent-articles", type=int, default=48,
                        help="articles per concurrency run (at most the site's feed_size: all belong in the feed)")
    parser.add_argument("--aws-latency-scale", type=float, default=CONCURRENCY_LATENCY_SCALE,
                        help="multiplies LATENCY_MS for the concurrent publishers (0: none; 1: in-region "
                             "latency, CPU-bound on a small machine: see the module docstring)")
    parser.add_argument("--no-imports", action="store_true", help="skip the cold-start measurement")
    parser.add_argument("--work", type=Path, default=ROOT / "out" / "scale")
    args = parser.parse_args(argv)
    import logging
    import warnings

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="There are unpublished metrics")
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"moto {__import__('moto').__version__} in server mode on 127.0.0.1; {os.cpu_count()} cores shared "
          "with other work: durations are noisy, counts are exact")
    runs = []
    for count in args.drops:
        run = measure_pipeline(count, args.work / "pipeline")  # one log file: the logger keeps its handle
        print_pipeline(run)
        runs.append(run)
    run = runs[-1] if runs else None
    total = print_cost(run, cost_lines(run)) if run else None
    concurrency = [measure_concurrency(k, args.concurrent_articles, args.work / f"publishers-{k}",
                                       args.aws_latency_scale) for k in args.publishers]
    if concurrency:
        print_concurrency(concurrency, args.aws_latency_scale)
    imports = None if args.no_imports else measure_imports()
    if imports:
        print_imports(imports)
    by_k = {r.publishers: r for r in concurrency}
    ratio = by_k[16].throughput / by_k[1].throughput if 1 in by_k and 16 in by_k and by_k[1].throughput else None
    summary = {
        "cost_per_100k_usd": None if run is None else round(total, 4),
        "s3_put_class_per_article": None if run is None else round(s3_put_class_per_article(run), 3),
        "k16_over_k1": None if ratio is None else round(ratio, 3),
        "lost_entries": sum(r.lost_entries for r in concurrency) if concurrency else None,
        "ingest_import_over_boto3": None if imports is None else round(imports.ratio("ingest"), 3),
        "publish_import_over_boto3": None if imports is None else round(imports.ratio("publish"), 3),
        "layer_mb": None if imports is None or imports.layer_mb is None else round(imports.layer_mb, 1),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
