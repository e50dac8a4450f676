"""Issue 13, the site's navigation data, on moto in-process: previous/next links between the article
pages of a language (across months, withdrawn articles skipped, only changed pages rewritten), the
root index's counts and newest dates (right under concurrent renderers of two languages), and the
site's assets in the bucket and in the exported site."""
import re
from collections import Counter

from synd.aws import client
from synd.ninjs import to_ninjs
from synd.publish import webfont
from synd.render.entries import EntryStore
from synd.render.outputs import SiteOutputs
from synd.render.renderer import render_language
from synd.targets import Delivery, deliver
from synd.targets.site import export_site, page_key, render_options, withdraw

from tests.unit.publish.publish_samples import make_record, target

SITE = target("site", "site", base_url="https://site.example", feed_size=20)
OPTIONS = render_options(SITE.options)  # what the publishers' in-process renders use
PAGER = re.compile(r'<nav class="pager">(.*?)</nav>')
LINK = re.compile(r'<a href="\.\./([A-Za-z0-9_-]+)/index\.html" rel="(prev|next)">')


def publish(stack, record):
    """Deliver to the site; without a render queue the language is rendered at once, in process."""
    return deliver(Delivery(record=record, ninjs=to_ninjs(record), target=SITE, action="deliver_with_attribution"),
                   stack.env)


def take_back(stack, record):
    withdrawn = dict(record, version=record["version"] + 1, withdrawal={"reason": "retracted"})
    return withdraw(Delivery(record=withdrawn, ninjs=to_ninjs(withdrawn), target=SITE, action="withdraw"),
                    stack.env)


def pager_of(stack, record) -> tuple[str | None, str | None]:
    """(newer id, older id) the article's stored page links to."""
    (block,) = PAGER.findall(stack.text(page_key(record["id"])))
    links = {rel: article_id for article_id, rel in LINK.findall(block)}
    return links.get("prev"), links.get("next")


def count_s3_calls():
    calls = Counter()
    client("s3").meta.events.register("before-parameter-build.s3.*",
                                      lambda model, params, **_: calls.update([(model.name, params.get("Key", ""))]),
                                      unique_id="navigation-s3-calls")
    return calls


def dated(lang, name, published):
    return make_record(lang, salt=f" {name}", published=published)


def test_neighbours_are_linked_across_months_whatever_the_publishing_order(stack):
    january, march, april = (dated("fa", "a", "2018-01-10"), dated("fa", "b", "2018-03-05"),
                             dated("fa", "c", "2018-04-20"))
    for record in (march, april, january):  # out of order: the oldest last
        assert publish(stack, record).state == "delivered"
    assert pager_of(stack, april) == (None, march["id"])
    assert pager_of(stack, march) == (april["id"], january["id"])
    assert pager_of(stack, january) == (march["id"], None)
    page = stack.text(page_key(march["id"]))
    head = stack.s3.head_object(Bucket=stack.site, Key=page_key(march["id"]))
    assert head["Metadata"] == {"synd-version": "1", "synd-feed": "fa/2018-03"}  # the page's metadata is kept
    assert page.count('<nav class="pager">') == 1 and march["title"] in page


def test_a_withdrawal_links_its_neighbours_to_each_other(stack):
    old, middle, new = (dated("en", "a", "2018-02-01"), dated("en", "b", "2018-03-01"), dated("en", "c", "2018-03-09"))
    for record in (old, middle, new):
        publish(stack, record)
    assert pager_of(stack, new) == (None, middle["id"])
    assert take_back(stack, middle).state == "delivered"
    assert pager_of(stack, new) == (None, old["id"])
    assert pager_of(stack, old) == (new["id"], None)
    assert '<nav class="pager">' not in stack.text(page_key(middle["id"]))  # the notice has no pager


def test_a_render_with_nothing_new_around_a_page_touches_no_page(stack):
    records = [dated("en", str(n), f"2018-0{1 + n % 2}-1{n}") for n in range(4)]
    for record in records:
        publish(stack, record)
    store = EntryStore(stack.table)
    store.bump("en", "2018-01")  # the month is dirty again, its entries and their neighbours the same
    calls = count_s3_calls()
    done = render_language("en", store, SiteOutputs(stack.site), OPTIONS)
    assert not done.skipped and done.relinked == 0
    assert [key for _, key in calls if key.startswith("articles/")] == []
    assert not calls  # and nothing else either: every output has the bytes it had


def test_a_new_article_rewrites_only_the_pages_whose_neighbours_changed(stack):
    records = [dated("en", str(n), f"2018-03-1{n}") for n in range(4)]
    for record in records:
        publish(stack, record)
    calls = count_s3_calls()
    newest = dated("en", "newest", "2018-03-28")
    publish(stack, newest)
    rewritten = sorted(key for (operation, key), n in calls.items() if operation == "PutObject"
                       and key.startswith("articles/") and key.endswith("index.html") for _ in range(n))
    # the new page, once (kept by the publisher, written linked by the renderer), and the page before it
    # (a new newer link): no other page
    assert rewritten == sorted([page_key(newest["id"]), page_key(records[-1]["id"])])
    assert pager_of(stack, records[-1]) == (newest["id"], records[-2]["id"])


def root_languages(stack) -> dict[str, str]:
    """lang -> the text of its line on the root index."""
    root = stack.text("index.html")
    return dict(re.findall(r'<li lang="([^"]+)"[^>]*>(.*?)</li>', root, re.S))


def test_the_root_index_shows_each_languages_count_and_newest_date(stack):
    for record in (dated("en", "a", "2018-01-10"), dated("en", "b", "2018-05-02"), dated("fa", "a", "2018-02-01")):
        publish(stack, record)
    lines = root_languages(stack)
    assert set(lines) == {"en", "fa"}
    assert "2 articles" in lines["en"] and 'datetime="2018-05-02' in lines["en"]
    assert 'datetime="2018-02-01' in lines["fa"] and "فارسی" in lines["fa"]
    assert "2018-01-10" not in lines["en"]  # the newest date only


def test_concurrent_renderers_of_two_languages_leave_both_on_the_root_index(stack):
    """Renderer A writes its summary, then B writes its own and the root index before A writes the
    root from its older view: A must not replace B's root index."""
    publish(stack, dated("en", "a", "2018-01-10"))
    publish(stack, dated("fa", "a", "2018-02-01"))
    store_a, store_b = EntryStore(stack.table), EntryStore(stack.table)
    store_a.put_entry("en", _entry(dated("en", "b", "2018-06-01")))
    store_a.bump("en", "2018-06")
    store_b.put_entry("fa", _entry(dated("fa", "b", "2018-07-01")))
    store_b.bump("fa", "2018-07")
    published = store_a.publish_summary

    def b_renders_in_between(language, count, newest):
        view = published(language, count, newest)
        assert not render_language("fa", store_b, SiteOutputs(stack.site), OPTIONS).skipped
        return view

    store_a.publish_summary = b_renders_in_between
    render_language("en", store_a, SiteOutputs(stack.site), OPTIONS)
    lines = root_languages(stack)
    assert "2 articles" in lines["en"] and 'datetime="2018-06-01' in lines["en"]
    assert 'datetime="2018-07-01' in lines["fa"]


def _entry(record):
    from synd.publish import feeds

    return feeds.make_entry(record, page_url=f"https://site.example/{page_key(record['id'])}",
                            updated="2026-01-01T00:00:00Z")


def test_the_site_assets_are_in_the_bucket_and_the_exported_site(stack, tmp_path):
    publish(stack, dated("ps", "a", "2018-01-10"))
    out = tmp_path / "site"
    export_site(stack.site, out)
    for key, (body, content_type) in webfont.site_assets().items():
        assert (out / key).read_bytes() == body
        assert stack.s3.head_object(Bucket=stack.site, Key=key)["ContentType"] == content_type
    calls = count_s3_calls()
    publish(stack, dated("ps", "b", "2018-01-11"))
    assert not [key for _, key in calls if key in webfont.site_assets()]  # written once, not per render


def test_a_version_a_publisher_kept_during_a_render_is_written_by_the_next_render(stack):
    """A publisher keeps version 2 while the renderer writes version 1's kept page: the version 2 entry
    write leaves the month dirty, and the next render writes version 2 (the bucket's page is older than
    the entry) with its links. (Before pages were kept for the renderer, the publisher wrote version 2 to
    the bucket and the renderer's PUT on the ETag it read lost to it.)"""
    older, newer = dated("en", "a", "2018-03-01"), dated("en", "b", "2018-03-02")
    publish(stack, older)
    quietly(stack, newer)  # its kept page and entry, no render yet
    outputs, store, raced = SiteOutputs(stack.site), EntryStore(stack.table), []
    rewrite_page = outputs.rewrite_page

    def publisher_in_between(key, rewrite, **kept):
        def rewrite_then_race(html):
            if key == page_key(newer["id"]) and not raced:
                raced.append(quietly(stack, dict(newer, version=2, title="Revised")))
            return rewrite(html)
        return rewrite_page(key, rewrite_then_race, **kept)

    outputs.rewrite_page = publisher_in_between
    render_language("en", store, outputs, OPTIONS)
    assert raced and "Revised" not in stack.text(page_key(newer["id"]))  # version 1, as read
    render_language("en", store, SiteOutputs(stack.site), OPTIONS)
    assert pager_of(stack, newer) == (None, older["id"]) and "Revised" in stack.text(page_key(newer["id"]))


def quietly(stack, record):
    """A delivery that asks for no render (as a backfill's)."""
    return deliver(Delivery(record=record, ninjs=to_ninjs(record), target=SITE, action="deliver_with_attribution",
                            render=False), stack.env)
