"""A render reads a month of feed entries from the table (synd.render.entries.EntryStore.month_items) and,
with `whole`, holds only the month's newest visible entries whole (bench/render_month.py: a render held
~12 KB per entry of a changed month, so a large month ran the 1,024 MB render function out of memory).
On moto in-process, the entries as put_entry writes them (compressed) and the pagers recorded beside them."""
from synd.publish import feeds
from synd.render.entries import LISTED_FIELDS, EntryStore, StoredEntry
from synd.targets.site import tombstone

from tests.unit.publish.publish_samples import make_record


def test_a_months_read_holds_its_newest_visible_entries_whole_and_lists_the_others(stack):
    store = EntryStore(stack.table)
    written = [feeds.make_entry(make_record("fa", salt=f" #{n}", published=f"2026-11-{1 + n:02d}"),
                                page_url=f"https://site.example/articles/{n}/index.html",
                                updated="2026-11-30T00:00:00Z") for n in range(12)]
    for entry in written:
        assert store.put_entry("fa", entry)
    gone = tombstone(dict(written[11], version=2))  # the newest article, withdrawn
    assert store.put_entry("fa", gone)
    store.record_pager("fa", "2026-11", StoredEntry(written[0], token=_token(store, written[0])), "shown")

    items = {s.entry["id"]: s for s in store.month_items("fa", "2026-11", whole=3)}
    newest = [e["id"] for e in written[8:11]]  # the three newest visible ones
    assert {i for i, s in items.items() if "content_text" in s.entry} == set(newest)
    assert all(items[e["id"]].entry == e for e in written[8:11])
    assert all(set(items[e["id"]].entry) <= LISTED_FIELDS and items[e["id"]].entry["title"] == e["title"]
               for e in written[:8])
    assert items[gone["id"]].entry == gone
    assert items[written[0]["id"]].pager == "shown"
    assert {s.entry["id"]: s.entry for s in store.month_items("fa", "2026-11")} == {
        **{e["id"]: e for e in written[:11]}, gone["id"]: gone}  # without `whole`: every entry whole


def _token(store: EntryStore, entry: dict) -> str:
    return next(s.token for s in store.month_items("fa", "2026-11") if s.entry["id"] == entry["id"])
