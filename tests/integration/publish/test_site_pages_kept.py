"""Issue 11, S3 PUT-class per article: the site target keeps a new page in the table and the renderer
writes it to the bucket once, linked (synd.render.pages), on moto in-process. Before, the publisher
wrote the page with an empty pager and the renderer wrote it again to link it: two PUTs per page."""
import re
from collections import Counter
from dataclasses import replace

import pytest
from botocore.exceptions import ClientError

from synd.aws import client
from synd.ninjs import to_ninjs
from synd.render.entries import EntryStore
from synd.render.outputs import SiteOutputs
from synd.render.pages import MAX_KEPT_BYTES, PageStore
from synd.render.renderer import render_language
from synd.targets import Delivery, deliver
from synd.targets.site import page_key, render_options, withdraw

from tests.unit.publish.publish_samples import make_record, target

SITE = target("site", "site", base_url="https://site.example", feed_size=20)
OPTIONS = render_options(SITE.options)
LINK = re.compile(r'<a href="\.\./([A-Za-z0-9_-]+)/index\.html" rel="(prev|next)">')


@pytest.fixture
def queued(stack):
    """The stack's target environment with a render queue: publishing asks for renders, it does not render."""
    return replace(stack.env, render_queue_url=stack.render_queue)


def publish(env, record):
    return deliver(Delivery(record=record, ninjs=to_ninjs(record), target=SITE, action="deliver_with_attribution"),
                   env)


def take_back(env, record, version):
    withdrawn = dict(record, version=version, withdrawal={"reason": "retracted"})
    return withdraw(Delivery(record=withdrawn, ninjs=to_ninjs(withdrawn), target=SITE, action="withdraw"), env)


def render(stack, language="fa"):
    return render_language(language, EntryStore(stack.table), SiteOutputs(stack.site), OPTIONS)


def in_bucket(stack, record) -> dict | None:
    try:
        return stack.s3.head_object(Bucket=stack.site, Key=page_key(record["id"]))
    except ClientError:
        return None


def count_page_puts():
    puts = Counter()
    client("s3").meta.events.register(
        "provide-client-params.s3.PutObject",
        lambda params, **_: puts.update([params["Key"]]) if params["Key"].startswith("articles/") else None,
        unique_id="kept-page-puts")
    return puts


def links(stack, record) -> dict[str, str]:
    return {rel: article_id for article_id, rel in LINK.findall(stack.text(page_key(record["id"])))}


def test_a_new_page_waits_in_the_table_and_is_written_once_with_its_links(stack, queued):
    older, newer = make_record("fa", salt=" a", published="2018-01-10"), make_record("fa", salt=" b",
                                                                                      published="2018-02-10")
    puts = count_page_puts()
    for record in (older, newer):
        assert publish(queued, record).state == "delivered"
    assert in_bucket(stack, older) is None and in_bucket(stack, newer) is None  # 404 until rendered
    assert PageStore(stack.table).get(newer["id"]).version == 1
    render(stack)
    assert links(stack, newer) == {"next": older["id"]} and links(stack, older) == {"prev": newer["id"]}
    assert in_bucket(stack, newer)["Metadata"] == {"synd-version": "1", "synd-feed": "fa/2018-02"}
    assert puts == {page_key(older["id"]): 1, page_key(newer["id"]): 1, f"articles/{older['id']}/ninjs.json": 1,
                    f"articles/{newer['id']}/ninjs.json": 1}


def test_a_new_version_of_a_linked_page_is_written_from_the_table_and_keeps_its_links(stack, queued):
    older, v1 = make_record("fa", salt=" a", published="2018-01-10"), make_record("fa", salt=" b",
                                                                                   published="2018-02-10")
    for record in (older, v1):
        publish(queued, record)
    render(stack)
    v2 = dict(v1, version=2, title="اعلامیه، ویراست دوم")
    publish(queued, v2)
    assert v1["title"] in stack.text(page_key(v1["id"]))  # the bucket keeps showing v1 until the render
    render(stack)
    page = stack.text(page_key(v1["id"]))
    assert v2["title"] in page and links(stack, v1) == {"next": older["id"]}
    assert in_bucket(stack, v1)["Metadata"]["synd-version"] == "2"


def test_a_late_older_version_never_replaces_a_newer_page_kept_or_written(stack, queued):
    v1 = make_record("fa")
    v2 = dict(v1, version=2, title="اعلامیه، ویراست دوم")
    publish(queued, v2)
    assert publish(queued, v1).detail.get("superseded") is True  # the kept v2 wins
    assert PageStore(stack.table).get(v1["id"]).version == 2
    render(stack)
    assert publish(queued, v1).detail.get("superseded") is True  # the bucket's v2 wins
    render(stack)
    assert v2["title"] in stack.text(page_key(v1["id"]))


def test_a_withdrawal_before_the_first_render_takes_the_kept_page_away(stack, queued):
    record = make_record("fa")
    publish(queued, record)
    assert take_back(queued, record, version=2).state == "delivered"
    assert PageStore(stack.table).get(record["id"]) is None  # the withdrawn text does not wait in the table
    page = stack.text(page_key(record["id"]))  # the notice is written at once
    render(stack)
    assert stack.text(page_key(record["id"])) == page and record["body_text"][:60] not in page
    assert EntryStore(stack.table).month_entries("fa", "2018-03")[0]["withdrawn"] is True


def test_a_version_that_moved_month_before_its_first_render_leaves_no_entry_behind(stack, queued):
    """The kept page names its entry's month: v2 in another month tombstones v1's entry although no page of
    v1 ever reached the bucket."""
    v1 = make_record("fa", published="2018-01-10")
    v2 = dict(v1, version=2, published="2018-05-01")
    publish(queued, v1)
    publish(queued, v2)
    render(stack)
    january = EntryStore(stack.table).month_entries("fa", "2018-01")
    assert all(entry.get("withdrawn") for entry in january)
    assert [e["id"] for e in EntryStore(stack.table).month_entries("fa", "2018-05")] == [v1["id"]]


def test_a_page_too_large_for_an_item_is_written_to_the_bucket_at_once(stack, queued, monkeypatch):
    import synd.targets.site as site

    monkeypatch.setattr(site, "MAX_KEPT_BYTES", 100)  # a real page over 300 KB compressed takes MBs of text
    assert MAX_KEPT_BYTES == 300_000
    record = make_record("fa")
    publish(queued, record)
    assert in_bucket(stack, record)["Metadata"]["synd-version"] == "1" and PageStore(stack.table).get(record["id"]) is None
    render(stack)
    assert record["title"] in stack.text(page_key(record["id"]))


def test_a_page_whose_kept_copy_expired_is_reported_and_left_to_the_next_render(stack, queued, caplog):
    """The kept item expires after 30 days (the table's TTL): a render that finds neither page nor item
    says so (the page needs republishing) and records no link, so a later render tries again rather than
    believe the page linked."""
    record = make_record("fa")
    publish(queued, record)
    client("dynamodb").delete_item(TableName=stack.table,
                                   Key={"pk": {"S": f"SITEPAGE#{record['id']}"}, "sk": {"S": "PAGE"}})
    with caplog.at_level("WARNING", logger="synd.render.renderer"):
        render(stack)
    assert in_bucket(stack, record) is None
    assert [r.article_id for r in caplog.records if "republish" in r.getMessage()] == [record["id"]]
    assert not [item for item in client("dynamodb").scan(TableName=stack.table)["Items"]
                if item["sk"]["S"] == f"PAGER#{record['id']}"]
