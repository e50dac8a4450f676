"""The renderer's core (synd.render.renderer) on in-memory stand-ins for the table and the bucket:
coalescing, skipping unchanged files, archive pages that keep every article reachable, tombstones."""
import re
from collections import Counter

from synd.publish import feeds, webfont
from synd.render.entries import (LISTED_FIELDS, LanguageState, MonthState, NewestWhole, SiteView, StoredEntry,
                                  entry_month)
from synd.render.outputs import PageRewrite, digest
from synd.render.renderer import INDEX_SIZE, RELINK_THREADS, PassLimit, RenderOptions, render_language
from synd.targets.site import tombstone

from tests.unit.publish.publish_samples import make_record

OPTIONS = RenderOptions(site_url="https://site.example", title="t", feed_size=20)


class MemoryStore:
    """EntryStore's contract in memory: conditional entry puts, revisions, render state, pagers, the SITE item."""

    def __init__(self):
        self.entries, self.months, self.outputs, self.summaries = {}, {}, {}, {}
        self.pagers, self.site, self.assets, self.revision = {}, {}, {}, 0
        self.kept = {}  # article id -> PendingPage (synd.render.pages)

    def put_entry(self, language, entry):
        key = (language, entry_month(entry), entry["id"])
        if key in self.entries and self.entries[key]["version"] > entry["version"]:
            return False
        self.entries[key] = dict(entry)
        self.pagers.pop(key, None)  # a new write: its page is new too
        return True

    def bump(self, language, month):
        state = self.months.setdefault((language, month), MonthState())
        state.revision += 1
        return state.revision

    def publish(self, language, entry):
        if self.put_entry(language, entry):
            self.bump(language, entry_month(entry))

    def state(self, language):
        months = {m: MonthState(s.revision, s.rendered, s.page_hash, s.count, s.newest)
                  for (lang, m), s in self.months.items() if lang == language}
        return LanguageState(months, dict(self.outputs.get(language, {})), self.summaries.get(language))

    def month_items(self, language, month, whole=None):
        entries, newest = [], NewestWhole(whole)  # as EntryStore reads them: the older ones cut to LISTED_FIELDS
        for key, e in self.entries.items():
            if key[:2] == (language, month):
                newest.add(entries, dict(e), str(id(e)))
        return [StoredEntry(e, token=token, pager=self.pagers.get((language, month, e["id"])))
                for e, token in entries]

    def month_entries(self, language, month):
        return [stored.entry for stored in self.month_items(language, month)]

    def kept_page(self, article_id):
        return self.kept.get(article_id)

    def record_pager(self, language, month, stored, pager_hash):
        self.pagers[(language, month, stored.entry["id"])] = pager_hash
        return True

    def mark_rendered(self, language, months, outputs, summary=None, refreshed=None):
        for month, rendered in months.items():
            state = self.months[(language, month)]
            state.rendered = max(state.rendered, rendered.revision)
            state.page_hash, state.count, state.newest = rendered.page_hash, rendered.count, rendered.newest
        for month, seen in (refreshed or {}).items():  # re-rendered without marking: the revision stays
            state = self.months[(language, month)]
            state.page_hash, state.count, state.newest = seen.page_hash, seen.count, seen.newest
        self.outputs[language] = dict(outputs)
        self.summaries[language] = summary

    def publish_summary(self, language, count, newest):
        self.site[language], self.revision = (count, newest), self.revision + 1
        return SiteView(self.revision, dict(self.site), dict(self.assets))

    def record_asset(self, key, asset_hash):
        self.assets[key] = asset_hash


class MemoryBucket:
    def __init__(self):
        self.files, self.puts = {}, []

    def put_if_changed(self, key, body, known_hash, **extra):
        from synd.render.outputs import digest

        if digest(body) != known_hash:
            self.files[key] = body
            self.puts.append(key)
        return digest(body)

    def put_root(self, text, revision):
        self.files["index.html"] = text
        self.puts.append("index.html")
        return True

    def rewrite_page(self, key, rewrite, pending=None, version=0):
        if key not in self.files:  # (the bucket's version is not modelled: a page here is current)
            kept = pending() if pending else None
            if kept is None:
                return PageRewrite.LOST
            self.files[key] = rewrite(kept.html) or kept.html
            self.puts.append(key)
            return PageRewrite.WRITTEN
        new = rewrite(self.files[key])
        if new is None or new == self.files[key]:
            return PageRewrite.NO_PAGER if new is None else PageRewrite.UNCHANGED
        self.files[key] = new
        self.puts.append(key)
        return PageRewrite.WRITTEN


def entry(record, updated="2026-01-01T00:00:00Z"):
    return feeds.make_entry(record, page_url=f"https://site.example/articles/{record['id']}/index.html",
                            updated=updated)


def records(count, lang="en", months=3):
    return [make_record(lang, salt=f" #{n}", published=f"2020-{1 + n % months:02d}-{1 + n % 28:02d}")
            for n in range(count)]


def linked_ids(html):
    return set(re.findall(r'articles/([A-Za-z0-9_-]+)/index\.html', html))


def test_a_burst_of_requests_renders_once():
    store, bucket = MemoryStore(), MemoryBucket()
    for record in records(30):
        store.publish("en", entry(record))
    results = [render_language("en", store, bucket, OPTIONS) for _ in range(30)]  # one request per article
    assert [r.skipped for r in results] == [False] + [True] * 29
    assert sorted(bucket.puts) == sorted(["en/archive/2020-01.html", "en/archive/2020-02.html",
                                          "en/archive/2020-03.html", "feeds/en/rss.xml", "feeds/en/atom.xml",
                                          "feeds/en/feed.json", "en/index.html", "index.html", *webfont.site_assets()])


def test_a_new_article_rewrites_only_its_month_and_what_lists_the_newest():
    store, bucket = MemoryStore(), MemoryBucket()
    for record in records(9):
        store.publish("en", entry(record))
    render_language("en", store, bucket, OPTIONS)
    bucket.puts.clear()
    store.publish("en", entry(make_record("en", salt=" new", published="2020-02-27")))
    done = render_language("en", store, bucket, OPTIONS)
    assert done.months == ["2020-02"]
    assert sorted(bucket.puts) == sorted(["en/archive/2020-02.html", "feeds/en/rss.xml", "feeds/en/atom.xml",
                                          "feeds/en/feed.json", "en/index.html", "index.html"])  # a new count


def test_an_output_whose_bytes_would_not_change_is_not_written():
    """An older month changes (a redelivery with the same bytes): its page is rendered, compared, not written;
    the newest entries are the same, so the feeds and index are not written either."""
    store, bucket = MemoryStore(), MemoryBucket()
    rows = records(60, months=6)
    for record in rows:
        store.publish("en", entry(record))
    render_language("en", store, bucket, OPTIONS)
    bucket.puts.clear()
    store.publish("en", entry(rows[0]))  # the same entry again: its month's revision moves, no byte does
    done = render_language("en", store, bucket, OPTIONS)
    assert not done.skipped and done.months == ["2020-01"] and bucket.puts == [] and done.written == []


def test_archive_pages_keep_every_article_reachable_past_the_index():
    store, bucket = MemoryStore(), MemoryBucket()
    rows = records(130, months=4)
    for record in rows:
        store.publish("en", entry(record))
    render_language("en", store, bucket, OPTIONS)
    index = bucket.files["en/index.html"]
    assert len(linked_ids(index)) == INDEX_SIZE
    months = re.findall(r'href="archive/(\d{4}-\d{2})\.html"', index)
    assert months == ["2020-04", "2020-03", "2020-02", "2020-01"]
    archived = set().union(*(linked_ids(bucket.files[f"en/archive/{m}.html"]) for m in months))
    assert archived == {r["id"] for r in rows}
    assert len(feeds_ids(bucket.files["feeds/en/feed.json"])) == OPTIONS.feed_size


def feeds_ids(feed_json):
    import json

    return [item["id"] for item in json.loads(feed_json)["items"]]


def test_a_tombstone_takes_the_article_out_and_keeps_an_older_version_out():
    store, bucket = MemoryStore(), MemoryBucket()
    kept, withdrawn = records(2)
    for record in (kept, withdrawn):
        store.publish("en", entry(record))
    store.publish("en", tombstone(entry(dict(withdrawn, version=2))))
    store.publish("en", entry(withdrawn))  # a late message of version 1
    render_language("en", store, bucket, OPTIONS)
    for key in ("feeds/en/rss.xml", "feeds/en/atom.xml", "feeds/en/feed.json", "en/index.html",
                f"en/archive/{entry_month(entry(withdrawn))}.html"):
        assert withdrawn["id"] not in bucket.files[key], key
    assert kept["id"] in bucket.files["feeds/en/feed.json"]


def test_a_write_during_a_render_keeps_its_month_dirty_for_its_own_request():
    """The months are marked rendered at the revision read before rendering, so a write that lands while
    the renderer works is rendered by the next request, not lost."""
    store, bucket = MemoryStore(), MemoryBucket()
    first, late = records(2, months=1)
    store.publish("en", entry(first))
    original = store.month_items

    def landing_meanwhile(language, month, whole=None):
        found = original(language, month, whole)
        if not late_written:
            late_written.append(store.publish("en", entry(late)))
        return found

    late_written = []
    store.month_items = landing_meanwhile
    render_language("en", store, bucket, OPTIONS)
    store.month_items = original
    assert late["id"] not in bucket.files["en/archive/2020-01.html"]  # read before the write landed
    assert store.state("en").dirty_months() == ["2020-01"]
    again = render_language("en", store, bucket, OPTIONS)
    assert not again.skipped and late["id"] in bucket.files["en/archive/2020-01.html"]


def test_a_new_month_rerenders_the_archive_page_of_the_month_before_it_for_its_next_month_link():
    store, bucket = MemoryStore(), MemoryBucket()
    for record in records(4, months=2):
        store.publish("en", entry(record))
    render_language("en", store, bucket, OPTIONS)
    assert 'href="2020-03.html"' not in bucket.files["en/archive/2020-02.html"]
    bucket.puts.clear()
    store.publish("en", entry(make_record("en", salt=" march", published="2020-03-02")))
    done = render_language("en", store, bucket, OPTIONS)
    assert done.months == ["2020-03"]
    assert 'href="2020-03.html"' in bucket.files["en/archive/2020-02.html"]
    assert "en/archive/2020-01.html" not in bucket.puts  # not a neighbour of the new month
    assert store.state("en").months["2020-02"].page_hash == digest(bucket.files["en/archive/2020-02.html"])


def test_the_root_index_counts_only_visible_articles():
    store, bucket = MemoryStore(), MemoryBucket()
    kept, withdrawn = records(2)
    for record in (kept, withdrawn):
        store.publish("en", entry(record))
    render_language("en", store, bucket, OPTIONS)
    assert store.site["en"][0] == 2
    store.publish("en", tombstone(entry(dict(withdrawn, version=2))))
    render_language("en", store, bucket, OPTIONS)
    assert store.site["en"] == (1, entry(kept)["published_as"])  # the date as the partner wrote it


def test_pages_are_relinked_in_the_renderers_context():
    """The relinking threads run in a copy of the caller's context: Powertools' log keys and the bench's
    attribution of each AWS call to its function (bench/scale.py counted no relink before this)."""
    import contextvars

    caller = contextvars.ContextVar("caller", default=None)
    store, bucket = MemoryStore(), MemoryBucket()
    older, newer = records(2, months=1)
    for record in (older, newer):
        store.publish("en", entry(record))
        bucket.files[f"articles/{record['id']}/index.html"] = '<nav class="pager"></nav>'
    seen = []
    rewrite_page = bucket.rewrite_page

    def noting(key, rewrite, **kept):
        seen.append(caller.get())
        return rewrite_page(key, rewrite, **kept)

    bucket.rewrite_page = noting
    caller.set("RenderFunction")
    assert render_language("en", store, bucket, OPTIONS).relinked == 2
    assert seen == ["RenderFunction"] * 2


def site_with_pages(count, months):
    """A language's entries and their pages (in the bucket, without links yet), nothing rendered."""
    store, bucket = MemoryStore(), MemoryBucket()
    for record in records(count, months=months):
        store.publish("en", entry(record))
        bucket.files[f"articles/{record['id']}/index.html"] = '<nav class="pager"></nav>'
    return store, bucket


def page_puts(bucket):
    return Counter(key for key in bucket.puts if key.startswith("articles/"))


def test_a_catch_up_larger_than_a_pass_renders_the_newest_months_first_and_ends_as_one_render_would():
    """A backfill's catch-up finds every month dirty: each pass reads a bounded part of it (the months of
    at most `entries` entries, newest first), and the passes end where one unlimited render ends."""
    months_read = []
    store, bucket = site_with_pages(60, months=6)  # 10 entries in each of 2020-01 .. 2020-06
    month_items = store.month_items
    store.month_items = lambda language, month, whole=None: months_read.append(month) or month_items(language, month,
                                                                                                    whole)
    passes = []
    while not (done := render_language("en", store, bucket, OPTIONS, PassLimit(entries=15))).skipped:
        passes.append((done.months, done.more, sorted(set(months_read))))
        months_read.clear()
    assert [months for months, _, _ in passes] == [["2020-06"], ["2020-05"], ["2020-04"], ["2020-03"], ["2020-02"],
                                                    ["2020-01"]]
    assert [more for _, more, _ in passes] == [True] * 5 + [False]
    assert passes[0][2] == ["2020-05", "2020-06"]  # its month and the neighbour its oldest page links to
    assert not store.state("en").dirty_months()
    assert set(page_puts(bucket).values()) == {1} and len(page_puts(bucket)) == 60  # each page linked once
    at_once_store, at_once = site_with_pages(60, months=6)
    assert not render_language("en", at_once_store, at_once, OPTIONS).more
    assert bucket.files == at_once.files


def test_a_pass_out_of_time_keeps_its_months_dirty_and_the_next_pass_relinks_only_the_rest():
    store, bucket = site_with_pages(40, months=1)
    first = render_language("en", store, bucket, OPTIONS, PassLimit(out_of_time=lambda: True))
    assert first.relinked == RELINK_THREADS and first.more  # the first jobs of a pass always run
    assert store.state("en").dirty_months() == ["2020-01"]
    second = render_language("en", store, bucket, OPTIONS, PassLimit())
    assert second.relinked == 40 - RELINK_THREADS and not second.more
    assert not store.state("en").dirty_months()
    assert set(page_puts(bucket).values()) == {1} and len(page_puts(bucket)) == 40
    archive_puts = Counter(key for key in bucket.puts if "/archive/" in key)
    assert archive_puts == {"en/archive/2020-01.html": 1}  # the cut-short pass recorded the page it wrote
    assert render_language("en", store, bucket, OPTIONS).skipped


class WholeStore(MemoryStore):
    """Reads every entry whole, as the renderer did before it held the older ones as LISTED_FIELDS."""

    def month_items(self, language, month, whole=None):
        return super().month_items(language, month)


def test_a_render_holds_only_each_months_newest_entries_whole_and_writes_the_same_bytes():
    """A render held every entry of a changed month whole (~12 KB each, bench/render_month.py), so a large
    month ran the render function out of memory. Only the newest max(feed_size, INDEX_SIZE) visible entries
    of each month are held whole now; the files written are byte for byte the ones of the whole read."""
    rows = records(190, months=2)  # 95 per month, more than INDEX_SIZE
    sites = []
    for kind in (MemoryStore, WholeStore):
        store, bucket = kind(), MemoryBucket()
        for record in rows:
            store.publish("en", entry(record))
            bucket.files[f"articles/{record['id']}/index.html"] = '<nav class="pager"></nav>'
        store.publish("en", tombstone(entry(dict(rows[0], version=2))))
        held = []
        month_items = store.month_items
        store.month_items = lambda language, month, whole=None: held.append(month_items(language, month, whole)) \
            or held[-1]
        render_language("en", store, bucket, OPTIONS)
        sites.append((bucket.files, held))
    (files, held), (whole_files, whole_held) = sites
    assert files == whole_files
    assert {key for key in files if key.startswith("en/archive/")} == {"en/archive/2020-01.html",
                                                                       "en/archive/2020-02.html"}
    for month in held:
        shown = sorted((s.entry for s in month if not s.entry.get("withdrawn")), key=feeds.sort_key, reverse=True)
        assert len(shown) > INDEX_SIZE
        assert all("content_text" in e for e in shown[:INDEX_SIZE])
        assert all(set(e) <= LISTED_FIELDS for e in shown[INDEX_SIZE:])
    assert all("content_text" in s.entry for month in whole_held for s in month if not s.entry.get("withdrawn"))


def test_newest_whole_keeps_the_newest_visible_entries_whole_in_any_order_of_reading():
    entries = [entry(record) for record in records(40, months=1)]
    newest = sorted(entries, key=feeds.sort_key, reverse=True)[:7]
    withdrawn = tombstone(entry(dict(records(41, months=1)[40], version=2)))
    for order in (entries, entries[::-1], sorted(entries, key=lambda e: e["id"])):
        held, keeper = [], NewestWhole(7)
        for e in [*order[:20], withdrawn, *order[20:]]:
            keeper.add(held, dict(e), "token")
        whole = [e for e, _ in held if "content_text" in e and not e.get("withdrawn")]
        assert sorted(e["id"] for e in whole) == sorted(e["id"] for e in newest)
        assert [e for e, _ in held if e.get("withdrawn")] == [withdrawn]  # a tombstone is small: kept as read
        assert all(set(e) <= LISTED_FIELDS for e, _ in held if e["id"] not in {n["id"] for n in newest}
                   and not e.get("withdrawn"))
        assert [e["id"] for e, _ in held] == [e["id"] for e in [*order[:20], withdrawn, *order[20:]]]
    everything = []
    for e in entries:
        NewestWhole(None).add(everything, dict(e), "token")
    assert [e for e, _ in everything] == entries


def test_a_render_reports_the_largest_month_it_read():
    """A render's time and memory grow with the months it reads whole: it reports the largest one, which
    the render function sends as LargestMonthRead (RenderMonthSizeAlarm)."""
    store, bucket = MemoryStore(), MemoryBucket()
    for month, count in (("2020-01", 12), ("2020-02", 15)):
        for n in range(count):
            store.publish("en", entry(make_record("en", salt=f" {month} #{n}", published=f"{month}-{1 + n:02d}")))
    assert render_language("en", store, bucket, OPTIONS).largest_month == 15
    assert render_language("en", store, bucket, OPTIONS).largest_month == 0  # skipped: nothing read
