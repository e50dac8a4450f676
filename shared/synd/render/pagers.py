"""Previous/next links of a language's article pages: which pages a render must look at, and what each
should link to (pure: no AWS).

The order is the feeds' (synd.publish.feeds.sort_key, newest first) across month boundaries, over the
visible entries (withdrawn articles are skipped). A month's entries are its published month's, and
the sort key starts with the published date, so the months in order hold the entries in order.

A render reads the months that changed and, on each side, the months up to two visible entries
beyond them: the page next to a changed month needs both of its own neighbours. Every page of what
was read is then known on both sides except the outermost ones (their outer neighbour was not read),
which are left out. Only pages whose links differ from the ones recorded are rewritten, so most of
what is looked at costs nothing.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from synd.publish import feeds
from synd.publish.html import NavLink, Pager
from synd.render.entries import StoredEntry

NEIGHBOURS_READ = 2  # visible entries read beyond a changed month on each side


@dataclass(frozen=True)
class Link:
    """One page's wanted links: its entry (where it is, the token of its write) and the pager."""

    month: str
    stored: StoredEntry
    pager: Pager

    @property
    def changed(self) -> bool:
        return self.stored.pager != pager_hash(self.pager)


def pager_hash(pager: Pager) -> str:
    """What a page's pager shows, as recorded on its entry."""
    shown = [[link.id, link.title] if link else None for link in (pager.newer, pager.older)]
    return hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]


def nav_link(entry: dict | None) -> NavLink | None:
    return NavLink(id=entry["id"], title=entry.get("title") or "") if entry else None


def months_to_read(months: Sequence[str], changed: set[str], visible_count: Callable[[str], int]) -> list[list[str]]:
    """Runs of consecutive months (oldest first) covering each changed month and, on each side, the
    months up to NEIGHBOURS_READ visible entries beyond it. `visible_count(month)` reads a month."""
    ordered = sorted(months)
    chosen: set[int] = set()
    for index, month in enumerate(ordered):
        if month not in changed:
            continue
        chosen.add(index)
        for step in (-1, 1):
            found, other = 0, index + step
            while 0 <= other < len(ordered) and found < NEIGHBOURS_READ:
                chosen.add(other)
                found += visible_count(ordered[other])
                other += step
    runs: list[list[str]] = []
    for index in sorted(chosen):
        if runs and ordered.index(runs[-1][-1]) == index - 1:
            runs[-1].append(ordered[index])
        else:
            runs.append([ordered[index]])
    return runs


def links(run: list[str], all_months: Sequence[str], visible_of: Callable[[str], list[StoredEntry]]) -> list[Link]:
    """The wanted links of every page in a run of months whose neighbours on both sides are known."""
    ordered = sorted(all_months)
    reaches_oldest, reaches_newest = run[0] == ordered[0], run[-1] == ordered[-1]
    pages = sorted(((month, stored) for month in run for stored in visible_of(month)),
                   key=lambda page: feeds.sort_key(page[1].entry), reverse=True)  # newest first
    wanted = []
    for position, (month, stored) in enumerate(pages):
        if (position == 0 and not reaches_newest) or (position == len(pages) - 1 and not reaches_oldest):
            continue  # its outer neighbour is in a month not read: the render that reads it links it
        newer = pages[position - 1][1].entry if position > 0 else None
        older = pages[position + 1][1].entry if position + 1 < len(pages) else None
        wanted.append(Link(month, stored, Pager(newer=nav_link(newer), older=nav_link(older))))
    return wanted
