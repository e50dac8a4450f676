"""Stop 19 (helper E): the site's feed entry items hold the entry's JSON compressed (synd.render.entries),
on moto in-process: a Persian article's item is at most half its plain size, every read gives back the
entry that was written, items written before compression still read, and the renderer's files from
compressed entries are byte for byte the ones from plain entries."""
import json

import boto3

from synd.ninjs import to_ninjs
from synd.publish.feeds import MAX_CONTENT_BYTES, make_entry
from synd.render.entries import EntryStore, entry_month
from synd.render.outputs import SiteOutputs
from synd.render.renderer import render_language
from synd.targets import Delivery, deliver
from synd.targets.site import page_key, render_options, tombstone

from tests.unit.publish.publish_samples import make_record, target

SITE = target("site", "site", base_url="https://site.example", feed_size=20)
OPTIONS = render_options(SITE.options)


def plain_item(language: str, entry: dict) -> dict:
    """The entry item as put_entry wrote it before compression (the form older tables hold)."""
    return {"pk": {"S": f"FEED#{language}#{entry_month(entry)}"}, "sk": {"S": f"ENTRY#{entry['id']}"},
            "type": {"S": "feed_entry"}, "version": {"N": str(entry["version"])},
            "withdrawn": {"BOOL": bool(entry.get("withdrawn"))}, "token": {"S": "0" * 32},
            "entry": {"S": json.dumps(entry, ensure_ascii=False, sort_keys=True)}}


def item_size(item: dict) -> int:
    """DynamoDB's size of an item: attribute names plus values (UTF-8 strings, bytes, ~1 byte per 2 digits)."""
    size = 0
    for name, value in item.items():
        (kind, data), = value.items()
        size += len(name.encode("utf-8")) + (len(data.encode("utf-8")) if kind == "S" else len(data) if kind == "B"
                                             else len(data) // 2 + 1 if kind == "N" else 1)
    return size


def entry_of(record: dict, **fields) -> dict:
    entry = make_entry(record, page_url=f"https://site.example/{page_key(record['id'])}",
                       updated="2026-01-02T03:04:05Z")
    return dict(entry, **fields)


def ddb():
    return boto3.client("dynamodb", region_name="us-east-1")


def raw_item(stack, language: str, entry: dict) -> dict:
    key = {"pk": {"S": f"FEED#{language}#{entry_month(entry)}"}, "sk": {"S": f"ENTRY#{entry['id']}"}}
    return ddb().get_item(TableName=stack.table, Key=key, ConsistentRead=True)["Item"]


def test_a_persian_articles_entry_item_is_at_most_half_its_plain_size(stack):
    record = make_record("fa")
    assert deliver(Delivery(record=record, ninjs=to_ninjs(record), target=SITE, action="deliver_with_attribution"),
                   stack.env).state == "delivered"
    (stored,) = EntryStore(stack.table).month_entries("fa", "2018-03")
    item = raw_item(stack, "fa", stored)
    assert "entry" not in item and isinstance(item["entry_z"]["B"], bytes)
    assert item_size(item) <= item_size(plain_item("fa", stored)) / 2


def test_every_entry_reads_back_as_it_was_written(stack):
    store = EntryStore(stack.table)
    big = make_record("ps", salt=" big", body="\n\n".join(f"{n} " + make_record("ps")["body_text"] for n in range(60)))
    written = [entry_of(make_record(lang, salt=f" {lang}")) for lang in ("fa", "ps", "ar", "en", "de")]
    written += [entry_of(big), tombstone(entry_of(make_record("fa", salt=" gone"), version=2))]
    assert written[5]["content_truncated"] and len(written[5]["content_text"].encode()) <= MAX_CONTENT_BYTES + 4
    for entry in written:
        assert store.put_entry("fa", entry)
        assert item_size(raw_item(stack, "fa", entry)) < item_size(plain_item("fa", entry))
    by_id = sorted(store.month_entries("fa", "2018-03"), key=lambda e: e["id"])
    assert by_id == sorted(written, key=lambda e: e["id"])


def test_an_item_written_before_compression_still_reads_and_a_newer_version_replaces_it(stack):
    store, old = EntryStore(stack.table), entry_of(make_record("fa"))
    ddb().put_item(TableName=stack.table, Item=plain_item("fa", old))
    assert store.month_entries("fa", "2018-03") == [old]
    assert not store.put_entry("fa", dict(old, version=0))  # the version condition still holds over old items
    newer = dict(old, version=2, title="نسخه دوم")
    assert store.put_entry("fa", newer)
    assert "entry" not in raw_item(stack, "fa", newer)  # the put replaces the item whole: no stale plain entry
    assert store.month_entries("fa", "2018-03") == [newer]


def snapshot(stack, bucket: str) -> dict[str, bytes]:
    keys = [o["Key"] for page in stack.s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
            for o in page.get("Contents", [])]
    return {key: stack.s3.get_object(Bucket=bucket, Key=key)["Body"].read() for key in keys}


def forget_renders(stack, language: str) -> None:
    """The table as if the language had never been rendered: no render state, no SITE item."""
    items = ddb().query(TableName=stack.table, KeyConditionExpression="pk = :p",
                            ExpressionAttributeValues={":p": {"S": f"RENDER#{language}"}})["Items"]
    for item in [*items, {"pk": {"S": "SITE"}, "sk": {"S": "LANGUAGES"}}]:
        ddb().delete_item(TableName=stack.table, Key={"pk": item["pk"], "sk": item["sk"]})


def render_into(stack, store: EntryStore, entries: list[dict], bucket: str) -> dict[str, bytes]:
    for month in sorted({entry_month(entry) for entry in entries}):
        store.bump("fa", month)
    assert not render_language("fa", store, SiteOutputs(bucket), OPTIONS).skipped
    return snapshot(stack, bucket)


def test_the_renderers_files_from_compressed_entries_are_the_ones_from_plain_entries(stack):
    entries = [entry_of(make_record("fa", salt=f" {n}", published=published))
               for n, published in enumerate(("2018-01-10", "2018-03-05", "2018-03-28", "2018-04-20"))]
    entries.append(tombstone(entry_of(make_record("fa", salt=" gone", published="2018-03-07"), version=2)))
    store = EntryStore(stack.table)
    for entry in entries:  # as a table written before compression holds them
        ddb().put_item(TableName=stack.table, Item=plain_item("fa", entry))
    from_plain = render_into(stack, store, entries, stack.site)
    assert {"feeds/fa/rss.xml", "feeds/fa/atom.xml", "feeds/fa/feed.json", "fa/index.html", "index.html",
            "fa/archive/2018-01.html", "fa/archive/2018-03.html", "fa/archive/2018-04.html"} <= set(from_plain)

    forget_renders(stack, "fa")
    for entry in entries:  # the same entries written again, compressed
        assert store.put_entry("fa", entry)
        assert "entry_z" in raw_item(stack, "fa", entry)
    stack.s3.create_bucket(Bucket="site-from-compressed")
    assert render_into(stack, store, entries, "site-from-compressed") == from_plain
