"""Render one language of the site from its stored feed entries, once for every burst of changes.

A request says only "this language changed". The renderer reads the language's render state (one
Query): each month's revision (bumped by every entry write) and the revision last rendered. Nothing
newer than what was rendered: the request is already covered, and nothing is written (a burst of N
articles queues N requests; the first one renders them all and the others are skipped). Otherwise:

- each changed month's archive page, `<lang>/archive/YYYY-MM.html`, from every entry of the month;
- the RSS, Atom and JSON Feed of the newest `feed_size` entries, and `<lang>/index.html` (the newest
  entries and a link to every month's page), read from the newest months until enough are found;
- the root index, when the site has a language it does not list yet;

each written only when its bytes change (its hash is kept in the render state). Then the months are
marked rendered at the revision read before rendering: a write that landed meanwhile keeps its
month dirty, and its own request renders it. One renderer per language runs at a time (the FIFO
queue's message group is the language), so nothing here races with itself; the entries are written
by publishers that never read them back.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from synd.publish import feeds
from synd.publish.html import render_archive_page, render_language_index, render_root_index
from synd.render.entries import EntryStore, LanguageState, MonthState
from synd.render.outputs import SiteOutputs

INDEX_SIZE = 50  # entries on a language's index page (the archive pages hold the rest)


@dataclass(frozen=True)
class RenderOptions:
    """What the site target's options say about the rendered files (targets.yaml `site` options)."""

    site_url: str = ""
    title: str = "Syndicated articles"
    feed_size: int = feeds.DEFAULT_SIZE

    @classmethod
    def from_target_options(cls, options: dict[str, Any], site_url: str) -> "RenderOptions":
        return cls(site_url=site_url, title=str(options.get("title", "Syndicated articles")),
                   feed_size=int(options.get("feed_size", feeds.DEFAULT_SIZE)))

    def as_message(self) -> dict[str, Any]:
        return {"site_url": self.site_url, "title": self.title, "feed_size": self.feed_size}

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> "RenderOptions | None":
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


def render_language(language: str, store: EntryStore, outputs: SiteOutputs, options: RenderOptions) -> Rendered:
    state = store.state(language)
    dirty = state.dirty_months()
    if not dirty:
        return Rendered(language, skipped=True)
    done, written = Rendered(language, months=dirty), []
    rendered = {month: _render_month(language, month, state.months[month], store, outputs, written) for month in dirty}
    hashes = _render_feeds_and_index(language, state, store, outputs, options, written)
    store.mark_rendered(language, rendered, hashes)
    _render_root(language, store, outputs, written)
    done.written = written
    return done


def visible(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Newest first, tombstones (withdrawn articles) left out."""
    return sorted((e for e in entries if not e.get("withdrawn")), key=feeds.sort_key, reverse=True)


def direction_of(entries: list[dict[str, Any]]) -> str:
    return entries[0].get("direction", "ltr") if entries else "ltr"


def _render_month(language: str, month: str, month_state: MonthState, store: EntryStore, outputs: SiteOutputs,
                  written: list[str]) -> MonthState:
    entries = visible(store.month_entries(language, month))
    key = archive_key(language, month)
    page_hash = outputs.put_if_changed(key, render_archive_page(language, direction_of(entries), month, entries),
                                       month_state.page_hash)
    if page_hash != month_state.page_hash:
        written.append(key)
    return MonthState(month_state.revision, month_state.revision, page_hash)


def newest_entries(language: str, months: list[str], store: EntryStore, size: int) -> list[dict[str, Any]]:
    """The newest `size` visible entries, reading months newest first until there are enough."""
    found: list[dict[str, Any]] = []
    for month in sorted(months, reverse=True):
        found += visible(store.month_entries(language, month))
        if len(found) >= size:
            break
    return visible(found)[:size]


def _render_feeds_and_index(language: str, state: LanguageState, store: EntryStore, outputs: SiteOutputs,
                            options: RenderOptions, written: list[str]) -> dict[str, str]:
    months = list(state.months)
    entries = newest_entries(language, months, store, max(options.feed_size, INDEX_SIZE))
    in_feed, feed_title = entries[:options.feed_size], f"{options.title} ({language})"
    files = {f"feeds/{language}/{name}": render(language, in_feed, site_url=options.site_url, title=feed_title)
             for name, render in feeds.RENDERERS.items()}
    files[f"{language}/index.html"] = render_language_index(language, direction_of(entries), entries[:INDEX_SIZE],
                                                            months)
    hashes = {}
    for key, text in files.items():
        hashes[key] = outputs.put_if_changed(key, text, state.outputs.get(key))
        if hashes[key] != state.outputs.get(key):
            written.append(key)
    return hashes


def _render_root(language: str, store: EntryStore, outputs: SiteOutputs, written: list[str]) -> None:
    languages, listed = store.register_language(language)
    if listed >= len(languages):
        return
    if outputs.put_root(render_root_index(sorted(languages)), len(languages)):
        written.append("index.html")
    store.set_root_count(len(languages))


def archive_key(language: str, month: str) -> str:
    return f"{language}/archive/{month}.html"
