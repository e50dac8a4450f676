"""Dates as partners write them -> truncated ISO 8601 keeping the source's precision.

`2021-12` stays `2021-12`; `MARCH 28, 2018` -> `2018-03-28`; `29.03.2018` ->
`2018-03-29`; RFC 822 feed dates and ISO date-times keep their time and zone.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

MONTHS = {
    name: number
    for number, names in enumerate([
        "january jan janvier janv enero ene januar jänner gennaio janeiro",
        "february feb feb. février févr fevrier febrero februar febbraio fevereiro",
        "march mar mars marzo märz marz março",
        "april apr avril abril aprile",
        "may mai mayo maggio maio",
        "june jun juin junio juni giugno junho",
        "july jul juillet julio juli luglio julho",
        "august aug août aout agosto",
        "september sep sept septembre septiembre settembre setembro",
        "october oct octobre octubre oktober ottobre outubro",
        "november nov novembre noviembre novembro",
        "december dec décembre decembre diciembre dezember dicembre dezembro",
    ], start=1)
    for name in names.split()
}
MONTH_WORD = r"([^\W\d_]{3,10})\.?"
ISO = re.compile(
    r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?)?)?$"
)
DAY_MONTH_YEAR = re.compile(rf"^(?:[^\W\d_]+,?\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\.?\s+{MONTH_WORD},?\s+(\d{{4}})$")
MONTH_DAY_YEAR = re.compile(rf"^(?:[^\W\d_]+,?\s+)?{MONTH_WORD}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})$")
MONTH_YEAR = re.compile(rf"^{MONTH_WORD},?\s+(\d{{4}})$")
NUMERIC_DMY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
YEAR_MD_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")


def parse_date(text: str | None) -> str | None:
    """A truncated ISO 8601 string, or None when `text` is not a date."""
    if not text:
        return None
    value = " ".join(text.strip().strip("|•·").split())
    if not value or len(value) > 60:
        return None
    return (_iso(value) or _words(value) or _numeric(value) or _rfc822(value))


def _valid(year: int, month: int = 1, day: int = 1) -> bool:
    try:
        datetime(year, month, day)
    except ValueError:
        return False
    return 1800 <= year <= 2200


def _iso(value: str) -> str | None:
    match = ISO.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    if not _valid(int(year), int(month or 1), int(day or 1)):
        return None
    if month is None:
        return year
    if day is None:
        return f"{year}-{month}"
    if hour is None:
        return f"{year}-{month}-{day}"
    out = f"{year}-{month}-{day}T{hour}:{minute}:{second or '00'}"
    if zone:
        out += "Z" if zone == "Z" else f"{zone[:3]}:{zone[-2:]}"
    return out


def _month(word: str) -> int | None:
    return MONTHS.get(word.casefold().rstrip("."))


def _words(value: str) -> str | None:
    for pattern, order in ((MONTH_DAY_YEAR, "mdy"), (DAY_MONTH_YEAR, "dmy")):
        match = pattern.match(value)
        if match:
            parts = dict(zip(order, match.groups()))
            month = _month(parts["m"])
            day, year = int(parts["d"]), int(parts["y"])
            if month and _valid(year, month, day):
                return f"{year:04d}-{month:02d}-{day:02d}"
    match = MONTH_YEAR.match(value)
    if match and _month(match.group(1)) and _valid(int(match.group(2))):
        return f"{int(match.group(2)):04d}-{_month(match.group(1)):02d}"
    return None


def _numeric(value: str) -> str | None:
    match = NUMERIC_DMY.match(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
        if "/" in value and month > 12 >= day:  # 03/28/2018 is US order
            day, month = month, day
        if _valid(year, month, day):
            return f"{year:04d}-{month:02d}-{day:02d}"
    match = YEAR_MD_SLASH.match(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
        if _valid(year, month, day):
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def _rfc822(value: str) -> str | None:
    if not re.search(r"\d{1,2}\s+[A-Za-z]{3}\s+\d{4}", value):
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    if not re.search(r"\d{1,2}:\d{2}", value):
        return moment.strftime("%Y-%m-%d")
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.utcoffset() == timezone.utc.utcoffset(None) and re.search(r"\b(GMT|UT|UTC|Z)\b|[+-]0000", value):
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + "Z"
    return moment.isoformat()


def find_date(text: str) -> str | None:
    """A date that a line states with a little noise around it (`Published: March 28, 2018 |`)."""
    direct = parse_date(text)
    if direct:
        return direct
    for match in re.finditer(r"\d{4}-\d{2}(?:-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)?"
                             rf"|{MONTH_WORD}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{MONTH_WORD},?\s+\d{{4}}"
                             r"|\d{1,2}[./]\d{1,2}[./]\d{4}", text):
        found = parse_date(match.group(0))
        if found:
            return found
    return None
