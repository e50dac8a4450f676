import json

import feedparser

from tests.unit.publish.publish_samples import CC_BY_ND, make_record, target
from synd.aws import client
from synd.targets import Delivery, deliver
from synd.targets.site import export_site, page_key, tombstone
from synd.publish import feeds
from synd.render.entries import EntryStore

SITE = target("site", "site", base_url="https://site.example", feed_size=20)


def publish(stack, record, attribution=None):
    from synd.ninjs import to_ninjs

    return deliver(Delivery(record=record, ninjs=to_ninjs(record), target=SITE, action="deliver_with_attribution",
                            attribution=attribution), stack.env)


def test_page_ninjs_feeds_and_indexes(stack):
    fa, en = make_record("fa", license=CC_BY_ND), make_record("en")
    assert publish(stack, fa).state == "delivered"
    assert publish(stack, en).state == "delivered"
    page = stack.text(page_key(fa["id"]))
    assert '<html lang="fa" dir="rtl">' in page and "unaltered" in page
    assert json.loads(stack.text(f"articles/{fa['id']}/ninjs.json"))["uri"].endswith(fa["id"])
    for lang, record in (("fa", fa), ("en", en)):
        rss = feedparser.parse(stack.text(f"feeds/{lang}/rss.xml"))
        assert [e.id for e in rss.entries] == [record["id"]]
        assert f"../articles/{record['id']}/index.html" in stack.text(f"{lang}/index.html")
    root = stack.text("index.html")
    assert 'href="fa/index.html"' in root and 'href="en/index.html"' in root
    assert f"../../articles/{fa['id']}/index.html" in stack.text("fa/archive/2018-03.html")
    assert 'href="archive/2018-03.html"' in stack.text("fa/index.html")
    head = stack.s3.head_object(Bucket=stack.site, Key=page_key(fa["id"]))
    assert head["ContentType"].startswith("text/html")


def test_new_version_updates_entry_and_page_older_version_does_not(stack):
    v1 = make_record("en")
    v2 = dict(v1, version=2, title="Universal Declaration, revised")
    publish(stack, v1)
    publish(stack, v2)
    late_v1 = publish(stack, v1)
    assert late_v1.detail.get("superseded") is True
    atom = feedparser.parse(stack.text("feeds/en/atom.xml"))
    assert [e.title for e in atom.entries] == ["Universal Declaration, revised"]
    assert "Universal Declaration, revised" in stack.text(page_key(v1["id"]))


def _entry(record, version=None):
    entry = feeds.make_entry(record, page_url=f"https://site.example/{page_key(record['id'])}",
                             updated="2026-01-01T00:00:00Z")
    return dict(entry, version=version or entry["version"])


def test_a_late_older_entry_never_replaces_a_newer_one_or_its_tombstone(stack):
    """The entry write is conditional on its version: the page check alone leaves a window (two versions
    past their page checks at once), the table closes it."""
    store, record = EntryStore(stack.table), make_record("fa")
    assert store.put_entry("fa", _entry(record, version=2))
    assert not store.put_entry("fa", _entry(record, version=1))
    assert store.put_entry("fa", tombstone(_entry(record, version=3)))
    assert not store.put_entry("fa", _entry(record, version=2))
    (stored,) = store.month_entries("fa", "2018-03")
    assert stored["withdrawn"] is True and stored["version"] == 3


def test_a_new_version_in_another_month_leaves_a_tombstone_where_it_was(stack):
    v1 = make_record("en", published="2018-03-28")
    v2 = dict(v1, version=2, published="2019-07-01", title="Moved")
    publish(stack, v1)
    assert v1["id"] in stack.text("en/archive/2018-03.html")
    publish(stack, v2)
    assert v1["id"] not in stack.text("en/archive/2018-03.html")
    assert "Moved" in stack.text("en/archive/2019-07.html")
    assert [e.title for e in feedparser.parse(stack.text("feeds/en/rss.xml")).entries] == ["Moved"]


def test_publishing_reads_nothing_of_the_site_back_and_rewrites_no_shared_object(stack):
    """Only the article's own object is written (its ninjs; its page, after a HEAD of the bucket's, waits in
    the table for the renderer), with a render request queued: no feed state is read, modified and written
    back by concurrent publishers."""
    from dataclasses import replace

    from synd.ninjs import to_ninjs

    s3, calls = client("s3"), []
    s3.meta.events.register("before-parameter-build.s3.*", lambda model, params, **_: calls.append(
        (model.name, params.get("Key") or params.get("Prefix"))), unique_id="site-test-calls")
    env = replace(stack.env, render_queue_url=stack.render_queue)
    record = make_record("ps")
    try:
        deliver(Delivery(record=record, ninjs=to_ninjs(record), target=SITE, action="deliver"), env)
    finally:
        s3.meta.events.unregister("before-parameter-build.s3.*", unique_id="site-test-calls")
    assert calls == [("HeadObject", page_key(record["id"])), ("PutObject", f"articles/{record['id']}/ninjs.json")]
    (message,) = stack.sqs.receive_message(QueueUrl=stack.render_queue, AttributeNames=["All"])["Messages"]
    assert json.loads(message["Body"])["language"] == "ps" and message["Attributes"]["MessageGroupId"] == "ps"


def test_a_backfilled_delivery_writes_its_entry_but_asks_for_no_render(stack):
    from dataclasses import replace

    from synd.ninjs import to_ninjs

    env, record = replace(stack.env, render_queue_url=stack.render_queue), make_record("en")
    deliver(Delivery(record=record, ninjs=to_ninjs(record), target=SITE, action="deliver", render=False), env)
    assert [e["id"] for e in EntryStore(stack.table).month_entries("en", "2018-03")] == [record["id"]]
    assert "Messages" not in stack.sqs.receive_message(QueueUrl=stack.render_queue)


def test_export_site(stack, tmp_path):
    publish(stack, make_record("ps"))
    count = export_site(stack.site, tmp_path / "site")
    assert count >= 8
    assert (tmp_path / "site" / "feeds" / "ps" / "feed.json").exists()
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8").count("ps/index.html") == 1


def test_missing_bucket_setting_fails_cleanly(stack):
    from dataclasses import replace

    from synd.ninjs import to_ninjs

    record = make_record("en")
    outcome = deliver(Delivery(record=record, ninjs=to_ninjs(record), target=SITE, action="deliver"),
                      replace(stack.env, site_bucket=None))
    assert outcome.state == "failed" and "SITE_BUCKET" in outcome.error
