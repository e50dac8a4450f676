"""Render one language of the site from its stored feed entries, once for every burst of changes.

A request says only "this language changed". The renderer reads the language's render state (one
Query): each month's revision (bumped by every entry write) and the revision last rendered. Nothing
newer than what was rendered: the request is already covered, and nothing is written (a burst of N
articles queues N requests; the first one renders them all and the others are skipped). Otherwise:

- each changed month's archive page, `<lang>/archive/YYYY-MM.html`, from every entry of the month,
  with links to the language's other months (a month that comes or goes re-renders its neighbours);
- the previous/next links of the article pages around what changed (synd.render.pagers): only the
  pages whose links differ from what their entries record are rewritten, in place (GET, replace the
  pager block, PUT on the ETag read; synd.render.outputs.SiteOutputs.rewrite_page); a page published
  since (kept in the table by the site target, synd.render.pages) is written to the bucket here, once;
- the RSS, Atom and JSON Feed of the newest `feed_size` entries, and `<lang>/index.html` (the newest
  entries and a link to every month's page), read from the newest months until enough are found;
- when the language's count or newest date changed: its line in the SITE item and the root index
  from the view that write returns, written only over an older view (a revision in the object's
  metadata), so concurrent renderers of two languages never leave a root index missing either;
  with it, the site's assets (the font and its licence) when their bytes changed;

each written only when its bytes change (its hash is kept in the render state). Then the months are
marked rendered at the revision read before rendering: a write that landed meanwhile keeps its
month dirty, and its own request renders it. One renderer per language runs at a time (the FIFO
queue's message group is the language), so nothing here races with itself; the entries are written
by publishers that never read them back, and a page a publisher rewrote during a render is linked
again by the render its entry write asks for.

A render is one pass of bounded work (`PassLimit`), because a catch-up after a large backfill finds
every month of an archive dirty at once, more than one function's time and memory. A pass takes the
dirty months newest first, up to `PassLimit.entries` entries (one month at least), and stops
relinking pages when `PassLimit.out_of_time()` says so; it reports `more`, and the render function
asks for another pass of the language. Every relinked page is recorded on its entry, so a pass cut
short leaves its months dirty and the next pass relinks only the pages still to do.
"""
from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from synd.publish import feeds, webfont
from synd.publish.html import (
    LanguageSummary,
    render_archive_page,
    render_language_index,
    render_root_index,
    replace_pager,
)
from synd.render import pagers
from synd.render.entries import EntryStore, LanguageState, MonthState, StoredEntry
from synd.render.outputs import PageRewrite, SiteOutputs, digest

INDEX_SIZE = 50  # entries on a language's index page (the archive pages hold the rest)
RELINK_THREADS = 16  # article pages relinked at once (S3 and DynamoDB round trips, not CPU)
ENTRIES_PER_PASS = 5000  # entries of dirty months one render pass reads: ~6 MB of items, ~20 s of relinking in AWS


def _never() -> bool:
    return False


@dataclass(frozen=True)
class PassLimit:
    """How much one render pass may do. `entries`: the dirty months it takes (newest first) hold at most
    this many entries, or it takes one month; `out_of_time()`: stop relinking pages (after the first
    RELINK_THREADS of the pass, so that every pass makes progress). The default is no limit (a render in
    process, a test)."""

    entries: int | None = None
    out_of_time: Callable[[], bool] = _never


logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderOptions:
    """What the site target's options say about the rendered files (targets.yaml `site` options)."""

    site_url: str = ""
    title: str = "Syndicated articles"
    feed_size: int = feeds.DEFAULT_SIZE

    @classmethod
    def from_target_options(cls, options: dict[str, Any], site_url: str) -> RenderOptions:
        return cls(site_url=site_url, title=str(options.get("title", "Syndicated articles")),
                   feed_size=int(options.get("feed_size", feeds.DEFAULT_SIZE)))

    def as_message(self) -> dict[str, Any]:
        return {"site_url": self.site_url, "title": self.title, "feed_size": self.feed_size}

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> RenderOptions | None:
        if "site_url" not in message:
            return None
        return cls(site_url=str(message["site_url"]), title=str(message.get("title") or "Syndicated articles"),
                   feed_size=int(message.get("feed_size") or feeds.DEFAULT_SIZE))


@dataclass
class Rendered:
    """What one render request did: skipped (already covered), or which months and files it wrote."""

    language: str
    skipped: bool = False
    months: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    relinked: int = 0  # article pages whose previous/next links were rewritten
    more: bool = False  # work left for another pass: dirty months not taken, or pages not relinked in time
    largest_month: int = 0  # entries (tombstones too) of the largest month read: a render holds each one it reads


def render_language(language: str, store: EntryStore, outputs: SiteOutputs, options: RenderOptions,
                    limit: PassLimit = PassLimit()) -> Rendered:
    state = store.state(language)
    all_dirty = state.dirty_months()
    if not all_dirty:
        return Rendered(language, skipped=True)
    dirty = months_for_pass(state, all_dirty, limit.entries)
    done = Rendered(language, months=dirty)
    months = MonthReader(language, store, whole=max(options.feed_size, INDEX_SIZE))
    counted = {month: seen if seen.dirty and month not in dirty else months.counted(month, seen)
               for month, seen in state.months.items()}  # a dirty month left for a later pass is not read
    listed = sorted(month for month, seen in counted.items() if seen.count)
    refresh = _neighbours_of_changed(state, listed)
    for month in dirty + refresh:
        counted[month] = _render_month(language, month, counted[month], months, outputs, listed, done.written)
    hashes = _render_feeds_and_index(language, state, months, outputs, options, listed, done.written)
    done.relinked, relinked_all = _relink(language, state, set(dirty), months, store, outputs, limit.out_of_time)
    summary = _render_root(language, state, counted, store, outputs, done.written)
    rendered = {month: counted[month] for month in dirty} if relinked_all else {}
    store.mark_rendered(language, rendered, hashes, summary,
                        refreshed={month: seen for month, seen in counted.items()
                                   if month not in rendered and seen != state.months[month]})
    done.more = not relinked_all or len(dirty) < len(all_dirty)
    done.largest_month = months.largest
    return done


def months_for_pass(state: LanguageState, dirty: list[str], entries: int | None) -> list[str]:
    """The dirty months one pass renders: newest first while their entries fit `entries` (at least one).
    A month's entries are counted without reading it: those it had when last rendered, plus the entry
    writes since (each bumps its revision), so an update counts as a new entry: an upper bound."""
    if entries is None:
        return dirty
    taken: list[str] = []
    total = 0
    for month in sorted(dirty, reverse=True):
        seen = state.months[month]
        total += (seen.count or 0) + seen.revision - seen.rendered
        if taken and total > entries:
            break
        taken.append(month)
    return sorted(taken)


class MonthReader:
    """A month's stored entries, read once per render (the archive page, the pagers and the feeds share them).
    Only each month's newest `whole` visible entries are held whole: the feeds and the language index take
    the language's newest, and those are among the newest of their month; the rest is held as what the
    archive pages and pagers show (synd.render.entries.LISTED_FIELDS)."""

    def __init__(self, language: str, store: EntryStore, whole: int | None = None):
        self.language, self.store, self.whole = language, store, whole
        self._read: dict[str, list[StoredEntry]] = {}

    def items(self, month: str) -> list[StoredEntry]:
        if month not in self._read:
            self._read[month] = self.store.month_items(self.language, month, whole=self.whole)
        return self._read[month]

    @property
    def largest(self) -> int:
        """Entries of the largest month read so far (what the render's time and memory grow with)."""
        return max(map(len, self._read.values()), default=0)

    def visible_items(self, month: str) -> list[StoredEntry]:
        return [stored for stored in self.items(month) if not stored.entry.get("withdrawn")]

    def visible(self, month: str) -> list[dict[str, Any]]:
        return visible([stored.entry for stored in self.items(month)])

    def counted(self, month: str, seen: MonthState) -> MonthState:
        """The month's state with its count and newest date as they are now when it changed (or was never
        counted: a state older than counts), else as recorded."""
        if not seen.dirty and seen.count is not None:
            return seen
        entries = self.visible(month)
        newest = feeds.display_date(entries[0]) if entries else None
        return MonthState(seen.revision, seen.revision if seen.dirty else seen.rendered, seen.page_hash,
                          len(entries), newest)


def visible(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Newest first, tombstones (withdrawn articles) left out."""
    return sorted((e for e in entries if not e.get("withdrawn")), key=feeds.sort_key, reverse=True)


def direction_of(entries: list[dict[str, Any]]) -> str:
    return entries[0].get("direction", "ltr") if entries else "ltr"


def _neighbours_of_changed(state: LanguageState, listed: list[str]) -> list[str]:
    """Months not changed themselves whose archive page links a month that came or went (its neighbours
    in the listed months)."""
    before = {month for month, seen in state.months.items() if seen.count}
    moved = before.symmetric_difference(listed)
    refresh: set[str] = set()
    for month in moved:
        earlier = [m for m in listed if m < month]
        later = [m for m in listed if m > month]
        refresh.update(([earlier[-1]] if earlier else []) + ([later[0]] if later else []))
    return sorted(m for m in refresh if not state.months[m].dirty and m not in moved)


def _render_month(language: str, month: str, seen: MonthState, months: MonthReader, outputs: SiteOutputs,
                  listed: list[str], written: list[str]) -> MonthState:
    entries = months.visible(month)
    key = archive_key(language, month)
    page = render_archive_page(language, direction_of(entries), month, entries, months=listed)
    page_hash = outputs.put_if_changed(key, page, seen.page_hash)
    if page_hash != seen.page_hash:
        written.append(key)
    return MonthState(seen.revision, seen.rendered, page_hash, seen.count, seen.newest)


def _relink(language: str, state: LanguageState, dirty: set[str], months: MonthReader, store: EntryStore,
            outputs: SiteOutputs, out_of_time: Callable[[], bool] = _never) -> tuple[int, bool]:
    """Rewrite the pager of each page around the changed months whose links changed, RELINK_THREADS at a
    time (a burst links as many pages as it has articles, and one language renders in one function at
    a time: one after the other they would cost a GET and a PUT round trip each), until `out_of_time()`;
    returns how many were rewritten, and whether every page was done."""
    runs = pagers.months_to_read(list(state.months), dirty, lambda month: len(months.visible_items(month)))
    changed = [link for run in runs for link in pagers.links(run, list(state.months), months.visible_items)
               if link.changed]
    if not changed:
        return 0, True
    budget = _RelinkBudget(out_of_time)
    with ThreadPoolExecutor(max_workers=min(RELINK_THREADS, len(changed)), thread_name_prefix="synd-pager") as pool:
        # each job in a copy of this thread's context (Powertools' log keys, the bench's call attribution)
        futures = [pool.submit(contextvars.copy_context().run, budget.run, _relink_page, language, link, store,
                               outputs) for link in changed]
        outcomes = [future.result() for future in futures]
    return outcomes.count(PageRewrite.WRITTEN), None not in outcomes


class _RelinkBudget:
    """Runs relink jobs until out of time; the first RELINK_THREADS always run, so a pass makes progress."""

    def __init__(self, out_of_time: Callable[[], bool]):
        self.out_of_time, self.started, self.lock = out_of_time, 0, threading.Lock()

    def run(self, job: Callable[..., PageRewrite], *args: Any) -> PageRewrite | None:
        with self.lock:
            if self.started >= RELINK_THREADS and self.out_of_time():
                return None
            self.started += 1
        return job(*args)


def _relink_page(language: str, link: pagers.Link, store: EntryStore, outputs: SiteOutputs) -> PageRewrite:
    """One page's pager rewritten, then recorded on its entry. A page that cannot be rewritten now (a
    publisher wrote it meanwhile) keeps no record, so a later render tries again."""
    article_id = link.stored.entry["id"]
    outcome = outputs.rewrite_page(page_key(article_id), _pager_rewrite(link, language),
                                   pending=lambda: store.kept_page(article_id),
                                   version=int(link.stored.entry.get("version") or 0))
    if outcome is PageRewrite.MISSING:
        logger.warning("site page %s is neither in the bucket nor kept in the table: republish the article",
                       article_id, extra={"article_id": article_id, "language": language})
    elif outcome is not PageRewrite.LOST:
        store.record_pager(language, link.month, link.stored, pagers.pager_hash(link.pager))
    return outcome


def _pager_rewrite(link: pagers.Link, language: str):
    """The page's new text with the link's pager, in the page's language (None: the page has no pager)."""
    page_language = str(link.stored.entry.get("language") or language)
    return lambda html: replace_pager(html, page_language, link.pager)


def newest_entries(months: MonthReader, listed: list[str], size: int) -> list[dict[str, Any]]:
    """The newest `size` visible entries, reading months newest first until there are enough."""
    found: list[dict[str, Any]] = []
    for month in sorted(listed, reverse=True):
        found += months.visible(month)
        if len(found) >= size:
            break
    return visible(found)[:size]


def _render_feeds_and_index(language: str, state: LanguageState, months: MonthReader, outputs: SiteOutputs,
                            options: RenderOptions, listed: list[str], written: list[str]) -> dict[str, str]:
    entries = newest_entries(months, listed, max(options.feed_size, INDEX_SIZE))
    in_feed, feed_title = entries[:options.feed_size], f"{options.title} ({language})"
    files = {f"feeds/{language}/{name}": render(language, in_feed, site_url=options.site_url, title=feed_title)
             for name, render in feeds.RENDERERS.items()}
    files[f"{language}/index.html"] = render_language_index(language, direction_of(entries), entries[:INDEX_SIZE],
                                                            listed)
    hashes = {}
    for key, text in files.items():
        hashes[key] = outputs.put_if_changed(key, text, state.outputs.get(key))
        if hashes[key] != state.outputs.get(key):
            written.append(key)
    return hashes


def language_summary(language: str, counted: dict[str, MonthState]) -> LanguageSummary:
    """The language's line on the root index: its visible articles and the newest one's date."""
    months = sorted(month for month, seen in counted.items() if seen.count and seen.newest)
    return LanguageSummary(tag=language, count=sum(seen.count or 0 for seen in counted.values()),
                           newest=counted[months[-1]].newest if months else None)  # the newest month's newest


def _render_root(language: str, state: LanguageState, counted: dict[str, MonthState], store: EntryStore,
                 outputs: SiteOutputs, written: list[str]) -> str:
    """The root index (and the site's assets) when the language's summary changed; returns the summary's
    hash (the render state keeps it)."""
    summary = language_summary(language, counted)
    summary_hash = digest(f"{summary.count}|{summary.newest or ''}")
    if summary_hash == state.summary:
        return summary_hash
    view = store.publish_summary(language, summary.count, summary.newest)
    for key, (body, kind) in webfont.site_assets().items():
        asset_hash = outputs.put_if_changed(key, body, view.assets.get(key), ContentType=kind,
                                            CacheControl="max-age=86400")
        if asset_hash != view.assets.get(key):
            store.record_asset(key, asset_hash)
            written.append(key)
    languages = [LanguageSummary(tag=tag, count=count, newest=newest)
                 for tag, (count, newest) in sorted(view.summaries.items()) if count]
    if outputs.put_root(render_root_index(languages), view.revision):
        written.append("index.html")
    return summary_hash


def page_key(article_id: str) -> str:
    return f"articles/{article_id}/index.html"


def archive_key(language: str, month: str) -> str:
    return f"{language}/archive/{month}.html"
