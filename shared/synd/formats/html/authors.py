"""The article's authors: JSON-LD, author <meta>, rel=author links, then a byline the page shows."""
from __future__ import annotations

import re

from synd.formats.html.declared import VISIBLE_TEXT, meta_values, name_of
from synd.text.authors import normalise_authors
from synd.text.labels import byline, labelled

AUTHOR_META = ("author", "dc.creator", "dcterms.creator", "byl", "sailthru.author", "parsely-author",
               "article:author", "citation_author", "twitter:creator")


def page_authors(tree, metas: dict[str, str], ld: dict) -> list[str]:
    """JSON-LD author (Person or Organization objects, names, lists), else the author <meta>
    (every one of them: some pages repeat the tag once per author), else rel=author links,
    else the byline the page shows."""
    author = ld.get("author") or ld.get("creator")
    if author:
        items = author if isinstance(author, list) else [author]
        names = normalise_authors([name_of(a) or "" for a in items])
        if names:
            return names
    by_name = meta_values(tree)
    for key in AUTHOR_META:
        values = [v for v in by_name.get(key, []) if "://" not in v and not v.startswith("@")]
        names = normalise_authors(values)
        if names:
            return names
    rel = [a.text_content() for a in tree.xpath('//a[contains(concat(" ", normalize-space(@rel), " "), " author ")]')]
    rel = [r for r in rel if r.strip()][:3]
    return (normalise_authors(rel) if rel else []) or visible_byline(tree)



# Elements whose class or itemprop names a byline, an author, an info or meta line, a writer, in page
# order; the marks are tested on the attributes, not on every element (about twice as fast in libxml2).
BYLINE_XPATH = ('//@class[contains(., "byline") or contains(., "author") or contains(., "info")'
                ' or contains(., "meta") or contains(., "writer")]/.. | //@itemprop[contains(., "author")]/..')
# An element that holds nothing but a name: `<span class="author vcard"><a>Jane Doe</a></span>`.
NAME_HOLDER = re.compile(r"(?:^|[\s_-])(?:author|byline|writer|fn)(?:[\s_-]|name|$)", re.I)
NAME_WORD = re.compile(r"^(?:[^\W\d_][\w'’.-]*|[A-Z]\.)$")


def visible_byline(tree) -> list[str]:
    """A byline the page shows without declaring it: a labelled line (`<p class="byline">بقلم: ...`,
    `作者：...`), a `By ...` line, or an author element holding just a name."""
    for element in tree.xpath(BYLINE_XPATH)[:20]:
        text = " ".join(" ".join(element.xpath(VISIBLE_TEXT)).split())  # `<br>` and tags part words too
        if not text or len(text) > 150:
            continue
        found = labelled(text)
        if found and found[0] == "authors":
            return normalise_authors(found[1])
        names = byline(text)
        if names:
            return normalise_authors(names)
        marks = f'{element.get("class", "")} {element.get("itemprop", "")}'
        if NAME_HOLDER.search(marks) and _looks_like_a_name(text):
            return normalise_authors(text)
    return []


def _looks_like_a_name(text: str) -> bool:
    """One to five words, each a capitalised word or an initial (Latin), no digits or sentence."""
    words = text.split()
    if not 1 <= len(words) <= 5 or (text.endswith((".", "!", "?", ":")) and not text.endswith(" Jr.")):
        return False
    if not all(NAME_WORD.match(w) for w in words):
        return False
    latin = [w for w in words if w[0].isascii()]
    return all(w[0].isupper() or w in ("de", "del", "van", "von", "da", "di", "la", "le", "bin", "al") for w in latin)

