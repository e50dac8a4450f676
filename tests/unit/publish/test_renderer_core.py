"""The renderer's core (synd.render.renderer) on in-memory stand-ins for the table and the bucket:
coalescing, skipping unchanged files, archive pages that keep every article reachable, tombstones."""
import re

from synd.publish import feeds
from synd.render.entries import LanguageState, MonthState, entry_month
from synd.render.renderer import INDEX_SIZE, RenderOptions, render_language
from synd.targets.site import tombstone
from tests.unit.publish.publish_samples import make_record

OPTIONS = RenderOptions(site_url="https://site.example", title="t", feed_size=20)


class MemoryStore:
    """EntryStore's contract in memory: conditional entry puts, revisions, render state, languages."""

    def __init__(self):
        self.entries, self.months, self.outputs, self.languages, self.root_count = {}, {}, {}, set(), 0

    def put_entry(self, language, entry):
        key = (language, entry_month(entry), entry["id"])
        if key in self.entries and self.entries[key]["version"] > entry["version"]:
            return False
        self.entries[key] = dict(entry)
        return True

    def bump(self, language, month):
        state = self.months.setdefault((language, month), MonthState())
        state.revision += 1
        return state.revision

    def publish(self, language, entry):
        if self.put_entry(language, entry):
            self.bump(language, entry_month(entry))

    def state(self, language):
        months = {m: MonthState(s.revision, s.rendered, s.page_hash) for (lang, m), s in self.months.items()
                  if lang == language}
        return LanguageState(months, dict(self.outputs.get(language, {})))

    def month_entries(self, language, month):
        return [dict(e) for (lang, m, _), e in self.entries.items() if (lang, m) == (language, month)]

    def mark_rendered(self, language, months, outputs):
        for month, rendered in months.items():
            state = self.months[(language, month)]
            state.rendered, state.page_hash = max(state.rendered, rendered.revision), rendered.page_hash
        self.outputs[language] = dict(outputs)

    def register_language(self, language):
        self.languages.add(language)
        return set(self.languages), self.root_count

    def set_root_count(self, count):
        self.root_count = max(self.root_count, count)


class MemoryBucket:
    def __init__(self):
        self.files, self.puts = {}, []

    def put_if_changed(self, key, text, known_hash):
        from synd.render.outputs import digest

        if digest(text) != known_hash:
            self.files[key] = text
            self.puts.append(key)
        return digest(text)

    def put_root(self, text, languages):
        self.files["index.html"] = text
        self.puts.append("index.html")
        return True


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
                                          "feeds/en/feed.json", "en/index.html", "index.html"])


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
                                          "feeds/en/feed.json", "en/index.html"])


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
    original = store.month_entries

    def landing_meanwhile(language, month):
        found = original(language, month)
        if not late_written:
            late_written.append(store.publish("en", entry(late)))
        return found

    late_written = []
    store.month_entries = landing_meanwhile
    render_language("en", store, bucket, OPTIONS)
    store.month_entries = original
    assert late["id"] not in bucket.files["en/archive/2020-01.html"]  # read before the write landed
    assert store.state("en").dirty_months() == ["2020-01"]
    again = render_language("en", store, bucket, OPTIONS)
    assert not again.skipped and late["id"] in bucket.files["en/archive/2020-01.html"]
