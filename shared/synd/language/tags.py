"""BCP 47 language tags from untrusted text: a valid tag in canonical form, or nothing.

A document says what language it is in (`<html lang>`, a feed's `<language>`,
ninjs `language`, front matter `lang`), and that value becomes an S3 key
(`feeds/<lang>/`), a folder of `synd run`'s export and an HTML attribute. So
every declared language passes `safe_tag` where it enters the core, and every
tag passes it again where it becomes a key or markup (defence in depth, for
records stored before the check).

Validity is checked by `langcodes` (each subtag against the IANA registry, so
`english`, `default` or `zz` are refused, not only `../..` or `en" onmouseover`),
which also gives the case of RFC 5646 (`fa-af` -> `fa-AF`, `zh-hant` -> `zh-Hant`).
Where a declared language enters the core, aliases are replaced too
(`replace_aliases=True`: `iw` -> `he`, `eng` -> `en`, `fa_IR` -> `fa-IR`, a script
the language implies dropped, `fa-Arab` -> `fa`), so a legacy declaration files
the article with the detector's answers. The edges only check and format: they
never rename a valid tag, so a page, its feed folder and the record agree (the
detector's `tl` stays `tl`, though CLDR would say `fil`). Writing our own would
mean keeping a copy of the registry. Our own check stays around it: the input
and the answer must be short ASCII letter-digit subtags joined by hyphens, so
even a library bug could not hand a path or a quote to a key or an attribute.
"""
from __future__ import annotations

import re
from functools import lru_cache

# RFC 5646 §4.4.1: 35 characters hold any tag without extensions or private use; we need no more.
MAX_TAG_LENGTH = 35
_SHAPE = re.compile(r"[A-Za-z0-9]{1,8}(?:-[A-Za-z0-9]{1,8})*")
# langcodes memoises every tag it parses, and every Language it makes, in unbounded class-level dicts:
# a hostile feed could declare a new private-use tag per item. Past this many entries those memos are
# emptied (they are only a speed-up; langcodes refills them on demand).
_LANGCODES_MEMOS = ("_PARSE_CACHE", "_INSTANCES")
_LANGCODES_MEMO_LIMIT = 4096


def safe_tag(value: object, *, replace_aliases: bool = False) -> str | None:
    """`value` as a valid BCP 47 tag in RFC 5646 case; None when it is not one (or not a string).

    `replace_aliases` also replaces deprecated and alias subtags (CLDR's canonical form),
    for a language a document declares; the edges leave it off and never rename a valid tag.
    """
    if not isinstance(value, str):
        return None
    text = value.strip().replace("_", "-")
    if not text or len(text) > MAX_TAG_LENGTH or not _SHAPE.fullmatch(text):
        return None
    return _canonical(text, replace_aliases)


def is_safe_tag(value: object) -> bool:
    """Is `value` already a valid tag in RFC 5646 case (as keys and folders of the site must be)?"""
    return isinstance(value, str) and safe_tag(value) == value


@lru_cache(maxsize=1024)
def _canonical(text: str, replace_aliases: bool) -> str | None:
    import langcodes  # here, not at the top: its tables take 0.14 s to import, paid at the first tag checked

    try:
        if not langcodes.tag_is_valid(text):
            tag = None
        elif replace_aliases:
            tag = langcodes.standardize_tag(text)
        else:
            tag = langcodes.Language.get(text, normalize=False).to_tag()
    except ValueError:  # langcodes.tag_parser.LanguageTagError is a ValueError
        tag = None
    finally:
        _bound_langcodes_memo()
    if tag is None or len(tag) > MAX_TAG_LENGTH or not _SHAPE.fullmatch(tag):
        return None
    return tag


def _bound_langcodes_memo() -> None:
    import langcodes

    for name in _LANGCODES_MEMOS:
        memo = getattr(langcodes.Language, name, None)
        if isinstance(memo, dict) and len(memo) > _LANGCODES_MEMO_LIMIT:
            memo.clear()
