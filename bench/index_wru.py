"""DynamoDB write units per article, table and GSI, from the item sizes the pipeline writes (issue 11.2).

    .venv/bin/python bench/index_wru.py [--articles N] [--failing]

On moto in-process with the resources of this tree's template.yaml: N articles are
ingested as synd.ingest stores them (the version transaction, `enqueued`, the
drop record) and published by the publish function to the test targets (site,
two webhooks, SNS, EventBridge; `--failing`: the webhooks answer 400). Every
DynamoDB write is watched: the item before and after it are read back, and each
write is priced as DynamoDB prices it: the table 1 WRU per KB of the larger of
the two images (x2 in a transaction, 1 for a refused conditional write), and
each GSI 1 WRU per KB of the projected image put and of the one deleted (0
when neither image carries the index key, or no projected attribute changed).
Sizes: attribute names plus values (UTF-8 strings, ~half a byte per digit).

Prints the write units per article, the items in each index at the end, and the
distinct index partition keys. To measure the tree before a change, run the same
script from an export of it, e.g.
    git archive HEAD | tar -x -C /tmp/before && cp bench/index_wru.py bench/scale.py /tmp/before/bench/ &&
    (cd /tmp/before && PYTHONPATH=shared:functions:. /work/main/.venv/bin/python bench/index_wru.py)
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path

os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
ROOT = Path(__file__).resolve().parents[1]
sys.path = [str(ROOT), str(ROOT / "functions"), str(ROOT / "shared")] + [
    p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]  # not bench/publish.py

import boto3  # noqa: E402

from tests.integration.publish.publish_stack import (SECRET, LambdaContext, mocked_stack,  # noqa: E402
                                                     receive_as_event, write_config)
from tests.unit.publish.publish_samples import CC_BY, Receiver, make_record  # noqa: E402
from bench.scale import Index, index_write_units, item_size, write_units  # noqa: E402 (one copy of the rules)

WRITES = ("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems")


def kb(size: int) -> int:
    """Write units of one item image (none for no image): DynamoDB's sizing rules, as bench/scale.py has them."""
    return write_units(size) if size else 0


class Meter:
    """Prices each write of synd's DynamoDB client from the images before and after it."""

    def __init__(self, table: str):
        self.table, self.reader = table, boto3.client("dynamodb", region_name="us-east-1")
        described = self.reader.describe_table(TableName=table)["Table"]
        self.keys_of_table = tuple(k["AttributeName"] for k in described["KeySchema"])
        self.indexes = [Index(i["IndexName"], tuple(k["AttributeName"] for k in i["KeySchema"]),
                              i["Projection"]["ProjectionType"], tuple(i["Projection"].get("NonKeyAttributes", [])))
                        for i in described.get("GlobalSecondaryIndexes", [])]
        self.wru = Counter()
        self.by_item: Counter[tuple[str, str]] = Counter()  # (operation, item kind) -> table WRU
        self.sizes: dict[tuple[str, str], list[int]] = {}
        # per thread: the publisher delivers an article's targets in parallel, and a write's before and
        # after images must not pair with another thread's call (they did: SITEPAGE items showed as UpdateItem)
        self._call = threading.local()
        self._lock = threading.Lock()

    def install(self, ddb) -> None:
        ddb.meta.events.register("before-parameter-build.dynamodb.*", self.before)
        ddb.meta.events.register("after-call.dynamodb.*", self.after)

    def keys(self, name: str, params: dict) -> list[tuple[dict, int]]:
        if name == "PutItem":
            return [({"pk": params["Item"]["pk"], "sk": params["Item"]["sk"]}, 1)]
        if name in ("UpdateItem", "DeleteItem"):
            return [(params["Key"], 1)]
        found = []
        for entry in params["TransactItems"]:
            (op, body), = entry.items()
            if op != "ConditionCheck":
                found.append(({"pk": body["Item"]["pk"], "sk": body["Item"]["sk"]} if op == "Put" else body["Key"], 2))
        return found

    def image(self, key: dict) -> dict | None:
        return self.reader.get_item(TableName=self.table, Key=key, ConsistentRead=True).get("Item")

    def before(self, model, params, **_):
        if model.name in WRITES:
            self._call.operation = model.name
            self._call.before = [(key, self.image(key), factor) for key, factor in self.keys(model.name, params)]

    def after(self, model, http_response, parsed, **_):
        if model.name not in WRITES:
            return
        failed = "Error" in parsed
        for key, old, factor in getattr(self._call, "before", []):
            new = old if failed else self.image(key)
            units = factor * max(1, kb(max(item_size(old), item_size(new))))
            kind = (self._call.operation, item_kind(key))
            with self._lock:
                self.wru["table"] += units
                self.by_item[kind] += units
                self.sizes.setdefault(kind, []).append(max(item_size(old), item_size(new)))
                if not failed:
                    for index in self.indexes:
                        self.wru[index.name] += index_write_units(index, old, new, self.keys_of_table)
        self._call.before = []


def item_kind(key: dict) -> str:
    """`ARTICLE#* / DELIVERY#*`: an item's keys with their ids left out, to group writes by kind."""
    return "/".join(re.sub(r"#.*", "#*", key[name]["S"]) for name in ("pk", "sk"))


def ingest(stack, record) -> dict:
    from synd.aws.articles import ArticleStore

    articles = ArticleStore(stack.table)
    saved = articles.save_version(dict(record))
    articles.mark_enqueued(record["id"], saved.version)
    articles.record_drop("raw", record["source"]["key"], record["content_hash"], state="ingested",
                         partner=record["partner"], article_ids=[record["id"]], source=record["source"])
    return stack.put_version(dict(record, version=saved.version))


def publish_all(stack, app) -> None:
    while True:
        event = receive_as_event(stack.sqs, stack.publish_queue)
        if not event["Records"]:
            return
        with contextlib.redirect_stdout(io.StringIO()):
            app.lambda_handler(event, LambdaContext("PublishFunction"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--failing", action="store_true", help="the webhook targets answer 400 (failed deliveries)")
    args = parser.parse_args()
    import importlib
    import logging

    logging.disable(logging.WARNING)
    from synd import settings
    from synd.aws import client

    langs = ("fa", "en", "ps", "ar", "de")
    records = [make_record(langs[n % len(langs)], salt=f" [{n}]", license=CC_BY, partner=f"p{n % 2}")
               for n in range(args.articles)]
    script = {"/in": [400] * (10 * args.articles)} if args.failing else {}
    with mocked_stack() as stack, Receiver(SECRET, script) as receiver, tempfile.TemporaryDirectory() as tmp:
        os.environ.update(stack.environ())
        os.environ["SYND_CONFIG_DIR"] = str(write_config(Path(tmp) / "config", receiver.url + "/in"))
        settings.reload()
        app = importlib.import_module("publish.app")
        app.config.cache_clear()
        meter = Meter(stack.table)
        meter.install(client("dynamodb"))
        for record in records:
            stack.sqs.send_message(QueueUrl=stack.publish_queue, MessageBody=json.dumps(ingest(stack, record)))
        publish_all(stack, app)
        ddb = boto3.client("dynamodb", region_name="us-east-1")
        total = sum(p["Count"] for p in ddb.get_paginator("scan").paginate(TableName=stack.table, Select="COUNT"))
        n = args.articles
        print(f"{n} articles, 5 targets each{' (webhooks failing)' if args.failing else ''}; "
              f"{total} table items at the end")
        print(f"table: {meter.wru['table'] / n:.1f} WRU per article")
        for index in meter.indexes:
            name = index.name
            items = [i for p in ddb.get_paginator("scan").paginate(TableName=stack.table, IndexName=name)
                     for i in p["Items"]]
            keys = Counter(i[index.keys[0]]["S"] for i in items)
            print(f"GSI {name} ({index.projection}): {meter.wru[name] / n:.1f} WRU per article; "
                  f"{len(items)} items at the end in {len(keys)} partition keys; most on one key: "
                  f"{max(keys.values(), default=0)}")
        print("table WRU per article by write and item kind (median item size in bytes):")
        for (operation, kind), units in sorted(meter.by_item.items(), key=lambda kv: -kv[1]):
            sizes = sorted(meter.sizes[(operation, kind)])
            print(f"  {operation:<20} {kind:<32} {units / n:6.2f}   {sizes[len(sizes) // 2]:>6} {sizes[-1]:>6}")
        print(json.dumps({"articles": n, "table_wru_per_article": round(meter.wru["table"] / n, 2),
                          "gsi_wru_per_article": round(sum(v for k, v in meter.wru.items() if k != "table") / n, 2),
                          "total_wru_per_article": round(sum(meter.wru.values()) / n, 2)}))


if __name__ == "__main__":
    main()
