"""bench/scale.py counts what it says it counts (issue 11's measuring instrument).

The sizes and request units follow the DynamoDB developer guide on known items; the index costs
follow the projection and keys a template declares (read, not assumed); and on the local stack the
meter's S3 PUTs agree with an independent count: the object versions the versioned buckets hold
afterwards (every successful PUT makes one). No timing is asserted.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench import scale

S = lambda text: {"S": text}  # noqa: E731 - a typed string, as boto3's low-level client takes it


# -- sizes and units, no AWS ----------------------------------------------------------------------
def test_item_sizes_follow_the_developer_guide():
    assert scale.item_size({"pk": S("abc")}) == 2 + 3
    assert scale.item_size({"n": {"N": "12345"}}) == 1 + 4  # 5 significant digits: 3 bytes, plus 1
    assert scale.item_size({"n": {"N": "-0.00100"}}) == 1 + 2  # leading and trailing zeroes trimmed
    assert scale.item_size({"b": {"BOOL": True}, "z": {"NULL": True}}) == 2 + 2
    assert scale.item_size({"l": {"L": [S("ab"), {"N": "7"}]}}) == 1 + 3 + (1 + 2) + (1 + 2)
    assert scale.item_size({"m": {"M": {"k": S("v")}}}) == 1 + 3 + 1 + 1 + 1
    assert scale.item_size({"t": S("é")}) == 1 + 2  # UTF-8 bytes, not characters


def test_request_units_round_up_per_item_and_read():
    assert [scale.write_units(n) for n in (0, 1, 1024, 1025, 4096)] == [1, 1, 1, 2, 4]
    assert scale.read_units(0, "eventual") == 0.5  # a read of a missing item still costs
    assert scale.read_units(4097, "eventual") == 1.0
    assert scale.read_units(4097, "strong") == 2.0
    assert scale.read_units(100, "transactional") == 2.0


def test_a_batch_read_bills_every_key_it_read_a_missing_item_too():
    meter = scale.CallMeter()
    found = {"pk": S("TARGET#hook"), "sk": S("HEALTH"), "text": S("x" * 5000)}  # 2 units of 4 KB
    keys = [{"pk": S(f"TARGET#{name}"), "sk": S("HEALTH")} for name in ("hook", "site", "desk", "late")]
    meter._charge_reads("PublishFunction", "BatchGetItem",
                        {"RequestItems": {"t": {"Keys": keys, "ConsistentRead": True}}},
                        {"Responses": {"t": [found]}, "UnprocessedKeys": {"t": {"Keys": keys[-1:]}}})
    # the item read (2), two missing items (1 each, as GetItem bills them); the unprocessed key is not read
    assert meter.units[("PublishFunction", "RRU", "t")] == 2 + 1 + 1


def template_with(projection: dict) -> dict:
    return {"Resources": {"Table": {"Type": "AWS::DynamoDB::Table", "Properties": {
        "TableName": "t", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                        {"AttributeName": "sk", "KeyType": "RANGE"}],
        "GlobalSecondaryIndexes": [{"IndexName": "byState", "Projection": projection, "KeySchema": [
            {"AttributeName": "gsi1pk", "KeyType": "HASH"}, {"AttributeName": "gsi1sk", "KeyType": "RANGE"}]}]}}}}


def test_index_costs_follow_the_declared_projection_and_keys():
    big = S("x" * 3000)
    before = {"pk": S("A#1"), "sk": S("V#1"), "gsi1pk": S("DELIVERY#pending"), "gsi1sk": S("site#1"), "body": big}
    moved = dict(before, gsi1pk=S("DELIVERY#delivered"))
    edited = dict(before, body=S("y" * 3000))
    unindexed = {"pk": S("A#1"), "sk": S("V#1"), "body": big}
    everything = scale.table_shapes(template_with({"ProjectionType": "ALL"}))["t"]
    keys_only = scale.table_shapes(template_with({"ProjectionType": "KEYS_ONLY"}))["t"]
    included = scale.table_shapes(template_with({"ProjectionType": "INCLUDE", "NonKeyAttributes": ["state"]}))["t"]
    assert everything.keys == ("pk", "sk") and keys_only.indexes[0].projection == "KEYS_ONLY"
    assert included.indexes[0].included == ("state",)
    (all_index,), (keys_index,) = everything.indexes, keys_only.indexes
    assert scale.index_write_units(all_index, None, before, ("pk", "sk")) == 3  # enters with its 3 KB body
    assert scale.index_write_units(keys_index, None, before, ("pk", "sk")) == 1  # enters with its keys only
    assert scale.index_write_units(all_index, before, moved, ("pk", "sk")) == 3 + 3  # delete + put
    assert scale.index_write_units(keys_index, before, edited, ("pk", "sk")) == 0  # nothing projected changed
    assert scale.index_write_units(all_index, before, edited, ("pk", "sk")) == 3
    assert scale.index_write_units(keys_index, None, unindexed, ("pk", "sk")) == 0  # sparse: not in the index
    assert scale.index_write_units(keys_index, before, unindexed, ("pk", "sk")) == 1  # leaves the index


def test_the_shapes_are_the_ones_template_yaml_declares():
    """Read from the file at run time: whatever index the template has today is the one priced."""
    from synd.local.provision import load_template

    declared = load_template(scale.TEMPLATE)["Resources"]
    tables = {lid: r["Properties"] for lid, r in declared.items() if r["Type"] == "AWS::DynamoDB::Table"}
    shapes = scale.table_shapes(load_template(scale.TEMPLATE), names={lid: lid for lid in tables})
    for lid, properties in tables.items():
        gsis = properties.get("GlobalSecondaryIndexes") or []
        assert [i.name for i in shapes[lid].indexes] == [g["IndexName"] for g in gsis]
        assert [i.projection for i in shapes[lid].indexes] == [g["Projection"]["ProjectionType"] for g in gsis]


def test_s3_request_classes():
    assert [scale.s3_request_class(op) for op in ("PutObject", "ListObjectsV2", "CopyObject", "GetObject",
                                                    "HeadObject", "DeleteObject")] == \
        ["put", "put", "put", "get", "get", None]


# -- on the local stack ---------------------------------------------------------------------------
def object_versions(s3, bucket: str) -> int:
    return sum(len(page.get("Versions", [])) for page in
               s3.get_paginator("list_object_versions").paginate(Bucket=bucket))


def bucket_versioned(template: Path, logical_id: str) -> bool:
    from synd.local.provision import load_template

    properties = load_template(template)["Resources"][logical_id]["Properties"]
    return properties.get("VersioningConfiguration", {}).get("Status") == "Enabled"


@pytest.fixture(scope="module")
def one_article(tmp_path_factory):
    """One article through ingest and publish on a fresh local stack, with the meter on; the stack is
    kept up so the test can look at what is left in it."""
    from synd.local.runner import LocalStack

    with LocalStack.running(out_dir=tmp_path_factory.mktemp("scale"), fresh=True) as stack:
        stack.drain()  # S3's s3:TestEvent from setting up the notifications
        meter = scale.CallMeter(scale.stack_shapes(stack)).install()
        try:
            for function in stack.functions.values():
                function.handler = meter.timed(function.name, function.handler)
            scale.upload(stack, scale.article_drops(1, ["fr"]))
            stack.drain(timeout=120)
            yield stack, meter
        finally:
            meter.uninstall()


def calls(meter: scale.CallMeter, role: str, service: str, operation: str) -> int:
    return meter.calls.get((role, service, operation), 0)


def test_the_site_puts_counted_are_the_versions_the_site_bucket_holds(one_article):
    stack, meter = one_article
    assert bucket_versioned(scale.TEMPLATE, "SiteBucket"), "the independent count needs a versioned site bucket"
    assert scale.site_pages(stack), "the article was not published"
    assert not any(n for (_r, _s, what), n in meter.conditional.items() if what == "lost"), "no race with one writer"
    writers = ("PublishFunction", "RenderFunction")  # the page and ninjs; the feeds and indexes
    puts = sum(calls(meter, who, "s3", "PutObject") for who in writers)
    assert puts == object_versions(stack.client("s3"), os.environ["SITE_BUCKET"])
    lists = sum(calls(meter, who, "s3", "ListObjectsV2") for who in writers)
    assert sum(meter.s3_classes[(who, "put")] for who in writers) == puts + lists


def test_the_ingest_puts_counted_are_what_the_processed_bucket_holds(one_article):
    stack, meter = one_article
    s3, bucket = stack.client("s3"), os.environ["PROCESSED_BUCKET"]
    if bucket_versioned(scale.TEMPLATE, "ProcessedBucket"):
        held = object_versions(s3, bucket)
    else:
        held = s3.list_objects_v2(Bucket=bucket).get("KeyCount", 0)
    assert calls(meter, "IngestFunction", "s3", "PutObject") == held


def test_the_runner_s_polls_are_the_event_source_mapping_s_not_the_functions(one_article):
    _stack, meter = one_article
    assert calls(meter, "esm", "sqs", "ReceiveMessage") >= 2  # one batch per queue at least
    # one S3 notification, what ingest queued for publishing, what publish queued for rendering
    assert calls(meter, "esm", "sqs", "DeleteMessage") == 1 + calls(meter, "IngestFunction", "sqs", "SendMessage") + \
        calls(meter, "PublishFunction", "sqs", "SendMessage")
    assert not calls(meter, "PublishFunction", "sqs", "ReceiveMessage")


def test_write_units_of_a_known_item_with_and_without_the_index_keys(one_article):
    stack, meter = one_article
    shape = next(iter(scale.stack_shapes(stack).values()))
    index = shape.indexes[0]
    table = shape.name
    ddb = stack.client("dynamodb")  # made after install: watched
    plain = {"pk": S("SCALE#1"), "sk": S("X"), "filler": S("z" * 1800)}  # 1.8 KB: 2 WRU; none of the index keys
    with meter.role("probe"):
        ddb.put_item(TableName=table, Item=plain)
    assert meter.units[("probe", "WRU", table)] == 2
    assert meter.units.get(("probe", "WRU", f"{table}/{index.name}"), 0) == 0
    indexed = dict(plain, **{k: S(f"SCALE#{k}") for k in index.keys})
    with meter.role("probe"):
        ddb.put_item(TableName=table, Item=indexed)
    assert meter.units[("probe", "WRU", table)] == 2 + 2
    assert meter.units[("probe", "WRU", f"{table}/{index.name}")] == scale.write_units(
        scale.item_size(index.projected(indexed, shape.keys)))
    with meter.role("probe"):
        ddb.get_item(TableName=table, Key={"pk": S("SCALE#1"), "sk": S("X")})
        ddb.get_item(TableName=table, Key={"pk": S("SCALE#1"), "sk": S("X")}, ConsistentRead=True)
    assert meter.units[("probe", "RRU", table)] == 0.5 + 1.0


def test_two_concurrent_publishers_lose_no_entry(tmp_path):
    run = scale.measure_concurrency(2, 4, tmp_path, latency_scale=0.0, timeout=300)
    assert (run.articles, run.published, run.lost_entries, run.dead_letters) == (4, 4, 0, 0)
    # each article's feed entry and its page (kept for the renderer: synd.render.pages) under a condition
    assert run.conditional("dynamodb", "tried") >= 8
    assert run.meter.calls[("PublishFunction", "s3", "PutObject")] >= 4
