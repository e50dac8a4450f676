"""Author strings as partners write them -> a clean list of names."""
from __future__ import annotations

import re

BY_PREFIX = re.compile(
    r"^\s*(?:by|from|written by|author|authors|autor|auteur|autore|автор|авторы|"
    r"نویسنده|نویسندگان|نوشته|نوشتهٔ|بقلم|بقلم:|الكاتب|كتبه|مصنف|ليکوال|ليکنه)\b\s*:?\s*",
    re.IGNORECASE,
)
CAPITALISED_BY = re.compile(r"^(?:Von|Par|Por|Di|Da|Door|Av|Af)\s+(?=[A-ZÀ-ÖØ-Þ])")  # "Von Christian Hollmann, dpa"
SEPARATORS = re.compile(r"\s*(?:,|;|\||&|\u3000|\s{3,}|\band\b|\bund\b|\bet\b|\by\b|\bи\b|\sو\s|،|/)\s*", re.IGNORECASE)
EMPTY = {"", "[]", "-", "—", "n/a", "none", "unknown", "anonymous", "staff", "null"}
# An author field is short: a longer one is not a byline (and no pattern below ever sees more).
MAX_FIELD_CHARS = 1000
MAX_PART_CHARS = 200  # one name with its role and date; a name itself is at most 80 characters
# The patterns below start where a run of spaces starts ((?<!\s)\s++): a run is scanned once.
TRAILING_DATE = re.compile(r"(?<!\s)\s++\d[\d\s./:TZ+-]*+$")  # "联合国大会　2023-12-10"
NOT_A_NAME = re.compile(r"@|https?://|www\.|\d{3,}")
EMAIL = re.compile(r"<?\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+\b>?")  # RFC 5321 lengths: each start reads little
EMAIL_AND_NAME = re.compile(r"^[^\s@]++@[^\s(]++\s*+\((.+)\)$")  # RSS: "editor@site.org (Jane Doe)"
# What follows the names in a byline: `By Jane Doe on December 27, 2014`, `Jane Doe | Updated 5 May`.
AFTER_NAMES = re.compile(r"(?<!\s)\s++(?:(?:on|at)\s++(?=\S*\d|[A-Z][a-z]{2,8}\.?\s+\d)|[•·]\s+"
                         r"|(?:[Uu]pdated|[Pp]ublished|[Pp]osted)\b)")
PARENTHESES = re.compile(r"\([^()]*+\)")
# Job titles that follow or replace a name: `Jane Doe, Staff Writer`, `Reuters Staff`, `Political Editor`.
QUALIFIER = (r"(?:staff|senior|chief|contributing|special|political|foreign|national|business|sports?|science|"
             r"associate|managing|deputy|executive|guest|freelance|technology|health|investigative)")
ROLE_WORD = (r"(?:staff|writer|reporter|correspondent|editor|columnist|contributor|journalist|"
             r"photographer|analyst|producer|intern)s?")
ROLE = rf"(?:{QUALIFIER}\s+)*{ROLE_WORD}"
ROLE_ONLY = re.compile(rf"^{ROLE}$", re.IGNORECASE)
# After a dash: any job title; after a bare space only an unmistakable one (`Reuters Staff`, `Jo Lee
# Staff Writer`), since Writer, Editor or Reporter can be a family name.
# (`(?:{QUALIFIER}\s+)+` before ROLE's own `(?:{QUALIFIER}\s+)*` made every split of the qualifiers a try.)
TRAILING_ROLE = re.compile(rf"(?<!\s)\s++(?:[-–—]\s*+{ROLE}|(?:{QUALIFIER}\s++)+{ROLE_WORD}|staff)$", re.IGNORECASE)


def normalise_authors(value) -> list[str]:
    """Split and tidy an author field: no "By", "X and Y" split, ALL CAPS -> Title Case, no
    e-mail addresses, job titles ("Staff Writer") or the date that follows a byline."""
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("name") or item.get("byline") or ""
        text = " ".join(str(item).split())
        if len(text) > MAX_FIELD_CHARS:
            continue
        email_name = EMAIL_AND_NAME.match(text)
        text = email_name.group(1) if email_name else PARENTHESES.sub(" ", text)
        text = text.replace("[", " ").replace("]", " ").strip()
        text = BY_PREFIX.sub("", text, count=1)
        text = CAPITALISED_BY.sub("", text, count=1)
        text = AFTER_NAMES.split(EMAIL.sub(" ", text), maxsplit=1)[0]
        for part in SEPARATORS.split(text):
            name = _tidy(part)
            if name and name not in names:
                names.append(name)
    return _without_agency_credits(names)


def _without_agency_credits(names: list[str]) -> list[str]:
    """`Christian Hollmann, dpa`: a one-word acronym beside a person's name credits the agency, not an author."""
    if not any(" " in n for n in names):
        return names
    return [n for n in names if " " in n or len(n) > 5 or not (n.isupper() or n.islower())]


def _tidy(part: str) -> str | None:
    if len(part) > MAX_PART_CHARS:
        return None
    name = TRAILING_DATE.sub("", part).strip(" \t.,:;-–—|\"'“”")
    if ROLE_ONLY.match(name):
        return None
    name = TRAILING_ROLE.sub("", name).strip(" \t.,:;-–—|\"'“”")
    if name.casefold() in EMPTY or NOT_A_NAME.search(name) or len(name) > 80:
        return None
    if name.isupper() and len(name) <= 5 and " " not in name:
        return name  # an agency's acronym: AP, AFP, NTB
    if name.isupper() or (name.islower() and name.isascii() and " " in name):
        name = " ".join(_title_word(w) for w in name.split())
    return name


def _title_word(word: str) -> str:
    word = word.capitalize()
    # O'Brien, Jean-Paul
    return re.sub(r"(?<=[-'’])(\w)", lambda m: m.group(1).upper(), word)
