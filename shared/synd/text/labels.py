"""Labelled header lines (`Author: ...`, `Date: ...`, `License [2]: ...`) in the
languages partners write them in, and the fields they name."""
from __future__ import annotations

import re

LABELS = {
    "authors": "by author authors autor autores auteur auteurs autore autori verfasser yazar yazan "
               "автор авторы автори نویسنده نویسندگان نگارنده به_قلم الكاتب الكاتبة الكتاب كاتب المؤلف بقلم "
               "مصنف تحریر تحرير لیکوال ليکوال لیکنه 作者 記者 记者",
    "published": "date published pubdate posted dated datum fecha data date_de_publication publié publicado "
                 "veröffentlicht "
                 "tarih дата опубликовано تاریخ تاريخ التاريخ تاریخ_انتشار نشر 日期 发布时间",
    "modified": "updated modified last_updated aktualisiert обновлено",
    "license": "license licence licenses licences lizenz licencia licença licenza лицензия ліцензія "
               "مجوز پروانه لایسنس الترخيص ترخيص رخصة 许可 許可 copyright rights "
               "حق_نشر کپی‌رایت",
    "canonical_url": "url link canonical original source original_url source_url permalink origin "
                     "منبع لینک المصدر الرابط источник ссылка quelle fuente",
    "title": "title titre titel título titolo başlık заголовок عنوان 标题",
    "language": "language lang langue sprache idioma язык زبان اللغة",
    "publisher": "publisher publication ناشر الناشر издатель editeur éditeur verlag",
    "section": "section category rubrik rubrique категория рубрика دسته بخش القسم",
    "summary": "summary abstract description lead resumen résumé аннотация خلاصه چکیده ملخص",
}
ARABIC_LETTER_FOLD = str.maketrans("يكى", "یکی")  # Arabic yeh/kaf as windows-1256 texts write Persian ones


def _fold(text: str) -> str:
    return text.translate(ARABIC_LETTER_FOLD)


_LOOKUP = {_fold(word.replace("_", " ").casefold()): field for field, words in LABELS.items() for word in words.split()}
_LABEL_WORDS = "|".join(sorted((re.escape(w) for w in _LOOKUP), key=len, reverse=True))
# Linear in the line: no two quantifiers share a run of spaces, and the value's trailing spaces are
# taken off in Python (`\s*(?:\[n\])?\s*` and `.*?\s*$` rescanned a long run once per split of it).
LABEL_LINE = re.compile(rf"^\s*+[*_]*+(?P<label>{_LABEL_WORDS})[*_]*+\s*+(?:\[(?P<ref>\d++)\]\s*+)?"
                        r"[:：]\s*+(?P<value>.*)$", re.IGNORECASE)
BYLINE = re.compile(r"^\s*(?:by|written by|von|par|por|di|автор|نوشته|بقلم)\s+(?P<value>\S.{0,100})$", re.IGNORECASE)


def labelled(line: str) -> tuple[str, str, int | None] | None:
    """(field, value, reference number) for a `Label [n]: value` line, else None."""
    match = LABEL_LINE.match(_fold(line))  # same length: spans hold for the original line
    if not match:
        return None
    field = _LOOKUP[" ".join(match.group("label").split()).casefold()]
    ref = int(match.group("ref")) if match.group("ref") else None
    value = line[match.start("value"):match.end("value")]
    return field, value.rstrip(), ref


def byline(line: str) -> str | None:
    """The names of a bare byline (`by PATRICK COCKBURN`), else None. Short lines only."""
    match = BYLINE.match(line.strip())
    if not match or len(match.group("value").split()) > 8 or match.group("value").rstrip().endswith((".", "!", "?")):
        return None
    return match.group("value")
