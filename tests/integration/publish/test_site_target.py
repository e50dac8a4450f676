import json

import feedparser

from tests.unit.publish.publish_samples import CC_BY_ND, make_record, target
from synd.aws import client
from synd.targets import Delivery, deliver
from synd.targets.site import export_site, page_key, read_entries, update_feeds
from synd.publish import feeds

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


class Interleaving:
    """An S3 client that lets a competing writer act at a chosen moment (a race made deterministic).

    moto's in-process S3 is not thread-safe, so real threads would test moto, not us.
    """

    def __init__(self, s3, before_put_of=None, after_put_of=None, competitor=None, times=1):
        self.s3, self.competitor, self.times = s3, competitor, times
        self.before_put_of, self.after_put_of = before_put_of, after_put_of

    def __getattr__(self, name):
        return getattr(self.s3, name)

    def put_object(self, **kwargs):
        if kwargs["Key"] == self.before_put_of and self.times:
            self.times -= 1
            self.competitor()
        response = self.s3.put_object(**kwargs)
        if kwargs["Key"] == self.after_put_of and self.times:
            self.times -= 1
            self.competitor()
        return response


def _entry(record):
    return feeds.make_entry(record, page_url=f"https://site.example/{page_key(record['id'])}",
                            updated="2026-01-01T00:00:00Z")


def _update(s3, site, record):
    return update_feeds(s3, site, "fa", _entry(record), size=50, site_url="https://site.example", title="t")


def test_lost_race_on_the_feed_state_is_retried_and_keeps_both_entries(stack):
    mine, theirs, first = (make_record("fa", salt=f" #{n}", published=f"2018-03-0{n + 1}") for n in range(3))
    s3 = client("s3")
    _update(s3, stack.site, first)
    racing = Interleaving(s3, before_put_of="feeds/fa/entries.json",
                          competitor=lambda: _update(s3, stack.site, theirs))
    _update(racing, stack.site, mine)
    state, _ = read_entries(s3, stack.site, "feeds/fa/entries.json")
    expected = sorted(r["id"] for r in (mine, theirs, first))
    assert sorted(e["id"] for e in state) == expected
    assert sorted(e.id for e in feedparser.parse(stack.text("feeds/fa/rss.xml")).entries) == expected


def test_state_moving_on_before_render_makes_the_writer_render_again(stack):
    """A competitor commits after our state write: our (stale) render must not be the last one."""
    mine, theirs = (make_record("fa", salt=f" #{n}", published=f"2018-03-0{n + 1}") for n in range(2))
    s3 = client("s3")
    stale_render = Interleaving(s3, before_put_of="feeds/fa/rss.xml", times=1,
                                competitor=lambda: _update(s3, stack.site, theirs))
    _update(stale_render, stack.site, mine)
    expected = sorted(r["id"] for r in (mine, theirs))
    for name in ("rss.xml", "atom.xml"):
        assert sorted(e.id.rsplit(":", 1)[-1] for e in feedparser.parse(stack.text(f"feeds/fa/{name}")).entries) \
            == expected
    assert sorted(i["id"] for i in json.loads(stack.text("feeds/fa/feed.json"))["items"]) == expected


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
