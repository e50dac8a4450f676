"""The article's publication date: declared (JSON-LD, <meta>, <time>), shown in an element marked
as a date, or, failing both, htmldate's guess."""
from __future__ import annotations

import re
from collections import Counter
from itertools import islice

from synd.budget import checkpoint
from synd.formats.html.declared import VISIBLE_TEXT, meta
from synd.text.dates import dateline, find_date, parse_date

PUBLISHED_META = ("article:published_time", "og:article:published_time", "datePublished", "dcterms.issued",
                  "dcterms.date", "dc.date", "dc.date.issued", "date", "pubdate", "publish-date", "publication_date",
                  "sailthru.date", "parsely-pub-date")
MODIFIED_META = ("article:modified_time", "og:updated_time", "dcterms.modified", "last-modified")


def published(tree, metas: dict[str, str], ld: dict) -> str | None:
    """The first date found: JSON-LD, <meta>, <time>, an element showing the date, htmldate."""
    return (as_date(ld.get("datePublished")) or as_date(meta(metas, *PUBLISHED_META)) or _time_element(tree)
            or _shown_date(tree) or _guessed_date(tree))


def modified(metas: dict[str, str], ld: dict) -> str | None:
    return as_date(ld.get("dateModified")) or as_date(meta(metas, *MODIFIED_META))


def as_date(value) -> str | None:
    if not value:
        return None
    return parse_date(str(value)) or find_date(str(value))


def _time_element(tree) -> str | None:
    for element in tree.xpath("//article//time[@datetime] | //time[@pubdate] | //time[@datetime]"):
        found = as_date(element.get("datetime"))
        if found:
            return found
    return None


PUBLISHED_CLASS = re.compile(r"publi|posted|submitted|pubdate|created|entry-date", re.I)
DATE_CLASS = re.compile(r"date|time|fecha|datum", re.I)
NOT_PUBLISHED_CLASS = re.compile(r"updat|modif|edit|comment|reply|expir|timeline|runtime", re.I)
UPDATED_LINE = re.compile(r"^\W*+(?:last\s++)?(?:updated|modified|edited|actualizado|mis à jour|aktualisiert)\b", re.I)


def _shown_date(tree) -> str | None:
    """The date an element shows when its class or id says that is what it holds and its text
    is little more than that date (`<dd class="publish">2018/6/19 5:50</dd>`), with its time.

    Marks that say "published" come before the ones that only say "date" (a masthead shows
    today's date above the article's own), marks inside <article> before the others, and a
    mark the page repeats more than twice is a list of other stories, not this one."""
    candidates = []
    for element in tree.xpath("//body//*[@class or @id]"):
        if element.tag in ("script", "style") or not isinstance(element.tag, str):
            continue
        marks = f'{element.get("class", "")} {element.get("id", "")}'
        if NOT_PUBLISHED_CLASS.search(marks):
            continue
        strong = bool(PUBLISHED_CLASS.search(marks))
        if strong or DATE_CLASS.search(marks):
            candidates.append((marks, strong, element))
    repeats = Counter(marks for marks, _, _ in candidates)
    in_article = set(tree.xpath("//article//*[@class or @id]"))
    ranked = sorted((c for c in candidates if repeats[c[0]] <= 2),
                    key=lambda c: (not c[1], c[2] not in in_article))  # stable: page order within a rank
    for _, _, element in ranked:
        checkpoint("html shown date")
        text = _short_text(element, 60)
        if text and len(text) >= 6 and not UPDATED_LINE.match(text):
            found = dateline(text, max_other_words=3)
            if found:
                return found
    return None


def _short_text(element, limit: int, max_nodes: int = 200) -> str | None:
    """The visible text of an element when it is at most `limit` characters, else None.

    An element above a big subtree (255 nested `<span class="date">` over a whole page) is not
    a date: it is refused after `max_nodes` steps instead of having all its text joined."""
    if next(islice(element.iter(), max_nodes, None), None) is not None:
        return None
    text = " ".join(" ".join(element.xpath(VISIBLE_TEXT)).split())
    return text if len(text) <= limit else None


def _guessed_date(tree) -> str | None:
    """No declared or shown date: htmldate's reading of the page (URL, visible dates), original
    date first, to the day (its fast search: the extensive one falls back on the copyright year)."""
    from htmldate import find_date as htmldate_find

    checkpoint("html htmldate")
    try:
        found = htmldate_find(tree, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except Exception:  # noqa: BLE001  # htmldate is best effort; a page it cannot read has no guessed date
        return None
    return parse_date(found) if found else None

