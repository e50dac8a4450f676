"""Dates as partners write them -> truncated ISO 8601 keeping the source's precision.

`2021-12` stays `2021-12`; `MARCH 28, 2018` -> `2018-03-28`; `29.03.2018` ->
`2018-03-29`; RFC 822 feed dates and ISO date-times keep their time and zone.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime
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
# Gregorian month names in other scripts (Russian genitive, Arabic, Levantine Arabic, Persian, Urdu, Turkish).
MONTHS.update({
    name: number
    for number, names in enumerate([
        "января январь يناير كانون_الثاني ژانویه ژانویهٔ جنوری ocak",
        "февраля февраль فبراير شباط فوریه فروری şubat",
        "марта март مارس آذار مارچ mart",
        "апреля апрель أبريل ابريل إبريل نيسان آوریل اپریل nisan",
        "мая май مايو أيار مه مئی mayıs",
        "июня июнь يونيو يونيه حزيران ژوئن جون haziran",
        "июля июль يوليو يوليه تموز ژوئیه جولائی temmuz",
        "августа август أغسطس اغسطس آب اوت اگست ağustos",
        "сентября сентябрь سبتمبر أيلول سپتامبر ستمبر eylül",
        "октября октябрь أكتوبر اكتوبر تشرين_الأول اکتبر اکتوبر ekim",
        "ноября ноябрь نوفمبر تشرين_الثاني نوامبر نومبر kasım",
        "декабря декабрь ديسمبر كانون_الأول دسامبر دسمبر aralık",
    ], start=1)
    for name in names.replace("_", " ").split(" ") if name
})
# Solar Hijri months: Iranian names, then the Afghan (Dari) and Pashto names of the same months.
SOLAR_MONTHS = {
    name: number
    for number, names in enumerate([
        "فروردین حمل وری", "اردیبهشت ثور غویی", "خرداد جوزا غبرگولی", "تیر سرطان چنګاښ", "مرداد اسد زمری",
        "شهریور سنبله وږی", "مهر میزان تله", "آبان عقرب لړم", "آذر قوس لیندۍ", "دی جدی مرغومی",
        "بهمن دلو سلواغه", "اسفند حوت کب",
    ], start=1)
    for name in names.split()
}
DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
ARABIC_LETTER_FOLD = str.maketrans("يكى", "یکی")
MONTH_WORD = r"([^\W\d_]{3,10})\.?"
ISO = re.compile(
    r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?)?)?$"
)
DAY_MONTH_YEAR = re.compile(
    rf"^(?:[^\W\d_]+,?\s+)?(\d{{1,2}})(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?{MONTH_WORD},?\s+(?:de\s+)?(\d{{4}})(?:\s*(?:г\.?|года))?$")
CJK_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?$")
SOLAR_DATE = re.compile(r"^(\d{1,2})\s+(\S+)\s+(\d{4})(?:\s*(?:هـ\.?\s*ش|ه\.?\s*ش|ش)\.?)?$")
MONTH_DAY_YEAR = re.compile(rf"^(?:[^\W\d_]+,?\s+)?{MONTH_WORD}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})$")
MONTH_YEAR = re.compile(rf"^{MONTH_WORD},?\s+(\d{{4}})$")
CLOCK = r"(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?"  # `2018/6/19 5:50`: a wall-clock time, no zone
NUMERIC_DMY = re.compile(rf"^(\d{{1,2}})[./](\d{{1,2}})[./](\d{{4}}){CLOCK}$")
YEAR_MD_SLASH = re.compile(rf"^(\d{{4}})/(\d{{1,2}})/(\d{{1,2}}){CLOCK}$")


MAX_DATE_TEXT = 400


def parse_date(text: str | None) -> str | None:
    """A truncated ISO 8601 string, or None when `text` is not a date."""
    if not text or len(text) > MAX_DATE_TEXT:  # a date is a few words: no need to fold a whole paragraph to see it
        return None
    value = " ".join(text.translate(DIGITS).strip().strip("|•·*_").split())
    if not value or len(value) > 60:
        return None
    return _iso(value) or _words(value) or _numeric(value) or _cjk(value) or _solar(value) or _rfc822(value)


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
    return MONTHS.get(word.casefold().rstrip(".")) or MONTHS.get(word.translate(ARABIC_LETTER_FOLD))


def _cjk(value: str) -> str | None:
    match = CJK_DATE.match(value)
    if not match:
        return None
    year, month, day = match.groups()
    if day and _valid(int(year), int(month), int(day)):
        return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    return f"{int(year):04d}-{int(month):02d}" if _valid(int(year), int(month)) else None


def _solar(value: str) -> str | None:
    """`۱۹ قوس ۱۴۰۲` (Afghan) or `19 آذر 1402` (Iranian): Solar Hijri -> Gregorian."""
    match = SOLAR_DATE.match(value)
    if not match:
        return None
    day, month_name, year = int(match.group(1)), match.group(2).translate(ARABIC_LETTER_FOLD), int(match.group(3))
    month = SOLAR_MONTHS.get(month_name)
    if not month or not 1200 <= year <= 1600 or not 1 <= day <= 31:
        return None
    return solar_to_gregorian(year, month, day)


def solar_to_gregorian(year: int, month: int, day: int) -> str:
    """Solar Hijri (Jalali) date -> ISO Gregorian date (the arithmetic algorithm of Borkowski/jdf)."""
    year += 1595
    days = -355668 + 365 * year + (year // 33) * 8 + ((year % 33) + 3) // 4 + day
    days += (month - 1) * 31 if month < 7 else (month - 7) * 30 + 186
    g_year = 400 * (days // 146097)
    days %= 146097
    if days > 36524:
        days -= 1
        g_year += 100 * (days // 36524)
        days %= 36524
        if days >= 365:
            days += 1
    g_year += 4 * (days // 1461)
    days %= 1461
    if days > 365:
        g_year += (days - 1) // 365
        days = (days - 1) % 365
    leap = g_year % 4 == 0 and (g_year % 100 != 0 or g_year % 400 == 0)
    month_days = [0, 31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    g_month = 0
    day_of_month = days + 1
    for g_month in range(1, 13):
        if day_of_month <= month_days[g_month]:
            break
        day_of_month -= month_days[g_month]
    return f"{g_year:04d}-{g_month:02d}-{day_of_month:02d}"


def _words(value: str) -> str | None:
    for pattern, order in ((MONTH_DAY_YEAR, "mdy"), (DAY_MONTH_YEAR, "dmy")):
        match = pattern.match(value)
        if match:
            parts = dict(zip(order, match.groups(), strict=True))
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
        day, month, year = (int(g) for g in match.groups()[:3])
        if "/" in value and month > 12 >= day:  # 03/28/2018 is US order
            day, month = month, day
        if _valid(year, month, day):
            return f"{year:04d}-{month:02d}-{day:02d}" + _clock(*match.groups()[3:])
    match = YEAR_MD_SLASH.match(value)
    if match:
        year, month, day = (int(g) for g in match.groups()[:3])
        if _valid(year, month, day):
            return f"{year:04d}-{month:02d}-{day:02d}" + _clock(*match.groups()[3:])
    return None


def _clock(hour: str | None, minute: str | None, second: str | None) -> str:
    """`T05:50:00` for a time the text gives (no zone: the page did not say one), else ``."""
    if hour is None or minute is None or int(hour) > 23 or int(minute) > 59 or int(second or 0) > 59:
        return ""
    return f"T{int(hour):02d}:{minute}:{second or '00'}"


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
    if moment.utcoffset() == UTC.utcoffset(None) and re.search(r"\b(GMT|UT|UTC|Z)\b|[+-]0000", value):
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + "Z"
    return moment.isoformat()


DATE_IN_TEXT = re.compile(
    r"\d{4}-\d{2}(?:-\d{2}(?:(?:T|\s)\d{2}:\d{2}[\d:.]*(?:Z|[+-]\d{2}:?\d{2})?)?)?"
    rf"|{MONTH_WORD}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{MONTH_WORD},?\s+\d{{4}}"
    rf"|\d{{1,2}}\.?\s+(?:de\s+)?{MONTH_WORD}\s+(?:de\s+)?\d{{4}}"
    r"|\d{1,2}[./]\d{1,2}[./]\d{4}(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|\d{4}/\d{1,2}/\d{1,2}(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?)?|\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?")


def _dates_in(text: str):
    text = text.translate(DIGITS)
    for match in DATE_IN_TEXT.finditer(text):
        found = parse_date(match.group(0))
        if found:
            yield found, match.start(), match.end(), text


def find_date(text: str) -> str | None:
    """A date that a line states with a little noise around it (`Published: March 28, 2018 |`)."""
    direct = parse_date(text)
    if direct:
        return direct
    return next((found for found, *_ in _dates_in(text)), None)


def dateline(line: str, max_other_words: int = 3) -> str | None:
    """The date of a short dateline (`Publié le 10 décembre 2023`, `Posted on 2021-12-03 |`), else None."""
    direct = parse_date(line)
    if direct:
        return direct
    if len(line.split(None, 10)) > 10:  # more than ten words (counted without splitting a whole paragraph)
        return None
    for found, start, end, text in _dates_in(line):
        rest = (text[:start] + " " + text[end:]).strip(" |•·-–—,:")
        if len(rest.split()) <= max_other_words and not rest.endswith((".", "!", "?")):
            return found
    return None
