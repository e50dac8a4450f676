"""The site's words, dates, numbers and language names in each page's own language (pure, no AWS).

CLDR (through babel) gives what it knows: month names and date patterns (`format_skeleton`), the
default numbering system of each locale (Persian and Pashto write ۰۱۲۳۴۵۶۷۸۹; Arabic and Urdu
default to Latin digits in CLDR), plural categories ("1 article", "3 статьи", "11 статей") and
language names in their own script. The site's own words (home, archive, licence...) are written
here for SITE_LOCALES; any other language reads the English words and English dates, the same
locally and in the Lambda layer (which keeps only these locales' babel data, see shared/Makefile).

Which zone a date is shown in: the offset it was written in, never converted. An article published
at 2023-12-10T01:00:00+03:30 reads "10 December 2023" on its page in Kabul and everywhere else;
a UTC value (`Z`) reads as its UTC day. Only the calendar day is shown (no time of day), so a
reader never has to guess whose clock it is. A month-precision value ("2023-12") reads as a month
and a year-precision value ("2023") as a year: nothing is invented.

A date's machine form appears only inside `<time datetime>`, and the whole `<time>` sits in a
`<bdi>`: on a right-to-left page the bidi algorithm would otherwise reorder the digit runs of a
date around it (a Persian page once read `10T10:00:00+03:30-12-2023`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from html import escape

from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import format_decimal

# The languages whose CLDR data the site uses (shared/Makefile keeps exactly these in the layer).
SITE_LOCALES: tuple[str, ...] = ("en", "fa", "ps", "ar", "ur", "fr", "ru", "es", "de", "tr", "zh")
FALLBACK = "en"

# The digits of the CLDR numbering systems a site locale may default to.
DIGITS = {"latn": "0123456789", "arabext": "۰۱۲۳۴۵۶۷۸۹", "arab": "٠١٢٣٤٥٦٧٨٩"}


@dataclass(frozen=True)
class Labels:
    """The site's words in one language. `articles` maps a CLDR plural category to "{n} ..."."""

    lang: str
    site_title: str
    home: str
    languages: str
    latest: str
    archive: str
    previous_month: str
    next_month: str
    newer: str
    older: str
    feeds: str
    licence: str
    original: str
    via: str
    by: str
    published: str
    updated: str
    newest: str
    untitled: str
    correction: str
    withdrawn: str
    unaltered: str
    no_licence: str
    all_rights_reserved: str
    first_published_by: str
    colon: str
    separator: str
    articles: tuple[tuple[str, str], ...]

    def count(self, n: int) -> str:
        """"N articles" with the language's plural rule and digits."""
        forms = dict(self.articles)
        category = _locale(self.lang).plural_form(n)
        template = forms.get(category) or forms["other"]
        return template.format(n=number(n, self.lang))

    def label(self, word: str) -> str:
        """A field label followed by the language's colon ("Licence:", "Licence :", "许可：")."""
        return word + self.colon


_LABELS: dict[str, Labels] = {
    "en": Labels(lang="en",
               site_title="Syndicated articles", home="Home", languages="Languages", latest="Latest articles",
               archive="Archive", previous_month="Previous month", next_month="Next month", newer="Newer",
               older="Older", feeds="Feeds", licence="Licence", original="Original", via="Via", by="By",
               published="Published", updated="Updated", newest="Newest", untitled="Untitled",
               correction="Correction", withdrawn="This article has been withdrawn.",
               unaltered="This article is reproduced unaltered, as its licence does not allow derivative works.",
               no_licence="no licence stated",
               all_rights_reserved="all rights reserved (used under the partner's agreement)",
               first_published_by="first published by", colon=":", separator=" · ",
               articles=(("one", "{n} article"), ("other", "{n} articles"))),
    "fr": Labels(lang="fr",
               site_title="Articles syndiqués", home="Accueil", languages="Langues", latest="Derniers articles",
               archive="Archives", previous_month="Mois précédent", next_month="Mois suivant", newer="Plus récent",
               older="Plus ancien", feeds="Flux", licence="Licence", original="Original", via="Via", by="Par",
               published="Publié", updated="Mis à jour", newest="Le plus récent", untitled="Sans titre",
               correction="Correction", withdrawn="Cet article a été retiré.",
               unaltered=("Cet article est reproduit sans modification, sa licence"
                          " n’autorisant pas les œuvres dérivées."),
               no_licence="aucune licence indiquée",
               all_rights_reserved="tous droits réservés (utilisé selon l’accord avec le partenaire)",
               first_published_by="publié d’abord par", colon="\u00a0:", separator=" · ",
               articles=(("one", "{n} article"), ("other", "{n} articles"))),
    "de": Labels(lang="de",
               site_title="Syndizierte Artikel", home="Startseite", languages="Sprachen", latest="Neueste Artikel",
               archive="Archiv", previous_month="Voriger Monat", next_month="Nächster Monat", newer="Neuer",
               older="Älter", feeds="Feeds", licence="Lizenz", original="Original", via="Über", by="Von",
               published="Veröffentlicht", updated="Aktualisiert", newest="Neuester", untitled="Ohne Titel",
               correction="Korrektur", withdrawn="Dieser Artikel wurde zurückgezogen.",
               unaltered="Dieser Artikel wird unverändert wiedergegeben, da seine Lizenz keine Bearbeitungen erlaubt.",
               no_licence="keine Lizenz angegeben",
               all_rights_reserved="alle Rechte vorbehalten (nach Vereinbarung mit dem Partner verwendet)",
               first_published_by="zuerst veröffentlicht von", colon=":", separator=" · ",
               articles=(("one", "{n} Artikel"), ("other", "{n} Artikel"))),
    "es": Labels(lang="es",
               site_title="Artículos sindicados", home="Inicio", languages="Idiomas", latest="Últimos artículos",
               archive="Archivo", previous_month="Mes anterior", next_month="Mes siguiente", newer="Más reciente",
               older="Más antiguo", feeds="Fuentes", licence="Licencia", original="Original", via="Vía", by="Por",
               published="Publicado", updated="Actualizado", newest="Más reciente", untitled="Sin título",
               correction="Corrección", withdrawn="Este artículo ha sido retirado.",
               unaltered=("Este artículo se reproduce sin modificaciones, ya que su"
                          " licencia no permite obras derivadas."),
               no_licence="sin licencia indicada",
               all_rights_reserved="todos los derechos reservados (usado según el acuerdo con el socio)",
               first_published_by="publicado originalmente por", colon=":", separator=" · ",
               articles=(("one", "{n} artículo"), ("other", "{n} artículos"))),
    "ru": Labels(lang="ru", site_title="Статьи партнёров", home="Главная", languages="Языки", latest="Новые статьи",
               archive="Архив", previous_month="Предыдущий месяц", next_month="Следующий месяц", newer="Новее",
               older="Старее", feeds="Ленты", licence="Лицензия", original="Оригинал", via="Через", by="Автор:",
               published="Опубликовано", updated="Обновлено", newest="Последняя", untitled="Без названия",
               correction="Исправление", withdrawn="Эта статья отозвана.",
               unaltered="Статья воспроизводится без изменений: её лицензия не разрешает производные произведения.",
               no_licence="лицензия не указана",
               all_rights_reserved="все права защищены (используется по соглашению с партнёром)",
               first_published_by="впервые опубликовано:", colon=":", separator=" · ",
               articles=(("one", "{n} статья"), ("few", "{n} статьи"), ("many", "{n} статей"),
                         ("other", "{n} статьи"))),
    "tr": Labels(lang="tr",
               site_title="Ortak yayın makaleleri", home="Ana sayfa", languages="Diller", latest="Son makaleler",
               archive="Arşiv", previous_month="Önceki ay", next_month="Sonraki ay", newer="Daha yeni",
               older="Daha eski", feeds="Akışlar", licence="Lisans", original="Özgün", via="Aracılığıyla",
               by="Yazar:", published="Yayımlanma", updated="Güncellenme", newest="En yeni", untitled="Başlıksız",
               correction="Düzeltme", withdrawn="Bu makale yayından kaldırıldı.",
               unaltered="Lisansı türev eserlere izin vermediği için bu makale değiştirilmeden yayımlanmıştır.",
               no_licence="lisans belirtilmemiş",
               all_rights_reserved="tüm hakları saklıdır (ortakla yapılan anlaşmaya göre kullanılmıştır)",
               first_published_by="ilk yayımlayan:", colon=":", separator=" · ",
               articles=(("one", "{n} makale"), ("other", "{n} makale"))),
    "zh": Labels(lang="zh", site_title="联合发布文章", home="首页", languages="语言", latest="最新文章", archive="存档",
               previous_month="上个月", next_month="下个月", newer="较新", older="较早", feeds="订阅源",
               licence="许可", original="原文", via="转载途径", by="作者：", published="发布", updated="更新",
               newest="最新", untitled="无标题", correction="更正", withdrawn="本文已撤回。",
               unaltered="本文按原样转载，因其许可不允许演绎作品。", no_licence="未注明许可",
               all_rights_reserved="版权所有（根据与合作方的协议使用）", first_published_by="首发于",
               colon="：", separator=" · ", articles=(("other", "{n} 篇文章"),)),
    "fa": Labels(lang="fa",
               site_title="مقاله‌های هم‌رسانی‌شده", home="خانه", languages="زبان‌ها", latest="تازه‌ترین مقاله‌ها",
               archive="بایگانی", previous_month="ماه پیش", next_month="ماه بعد", newer="تازه‌تر", older="قدیمی‌تر",
               feeds="خوراک‌ها", licence="مجوز", original="اصل", via="از طریق", by="نوشتهٔ",
               published="انتشار", updated="به‌روزرسانی", newest="تازه‌ترین", untitled="بی‌عنوان",
               correction="اصلاحیه", withdrawn="این مقاله پس گرفته شده است.",
               unaltered="این مقاله بدون تغییر بازنشر شده است، زیرا مجوز آن اجازهٔ اثر اقتباسی نمی‌دهد.",
               no_licence="مجوزی ذکر نشده است",
               all_rights_reserved="کلیه حقوق محفوظ است (طبق توافق با شریک استفاده شده است)",
               first_published_by="نخستین بار منتشرشده در", colon=":", separator=" · ",
               articles=(("one", "{n} مقاله"), ("other", "{n} مقاله"))),
    "ar": Labels(lang="ar",
               site_title="مقالات منشورة بالشراكة", home="الرئيسية", languages="اللغات", latest="أحدث المقالات",
               archive="الأرشيف", previous_month="الشهر السابق", next_month="الشهر التالي", newer="الأحدث",
               older="الأقدم", feeds="الخلاصات", licence="الترخيص", original="الأصل", via="عبر", by="بقلم",
               published="نُشر", updated="حُدّث", newest="الأحدث", untitled="بلا عنوان",
               correction="تصحيح", withdrawn="سُحب هذا المقال.",
               unaltered="يُعاد نشر هذا المقال دون تعديل، لأن ترخيصه لا يسمح بالأعمال المشتقة.",
               no_licence="لم يُذكر ترخيص", all_rights_reserved="جميع الحقوق محفوظة (يُستخدم بموجب اتفاق مع الشريك)",
               first_published_by="نُشر أولاً في", colon=":", separator=" · ",
               articles=(("zero", "لا مقالات"), ("one", "مقالة واحدة"), ("two", "مقالتان"),
                         ("few", "{n} مقالات"), ("many", "{n} مقالة"), ("other", "{n} مقالة"))),
    "ps": Labels(lang="ps", site_title="ګډ خپاره شوي لیکنې", home="کور", languages="ژبې", latest="وروستۍ لیکنې",
               archive="آرشیف", previous_month="تېره میاشت", next_month="راتلونکې میاشت", newer="نوې",
               older="زړې", feeds="فیډونه", licence="جواز", original="اصلي متن", via="له لارې", by="لیکوال:",
               published="خپور شوی", updated="تازه شوی", newest="تر ټولو نوې", untitled="بې سرلیکه",
               correction="سمون", withdrawn="دا لیکنه بېرته اخیستل شوې ده.",
               unaltered="دا لیکنه پرته له بدلون بیا خپره شوې ده، ځکه چې جواز یې د بدل شویو بڼو اجازه نه ورکوي.",
               no_licence="هېڅ جواز نه دی ښودل شوی",
               all_rights_reserved="ټول حقونه خوندي دي (د شریک سره د تړون له مخې کارول شوی)",
               first_published_by="لومړنی خپرونکی:", colon=":", separator=" · ",
               articles=(("one", "{n} لیکنه"), ("other", "{n} لیکنې"))),
    "ur": Labels(lang="ur", site_title="شراکتی مضامین", home="صفحۂ اول", languages="زبانیں", latest="تازہ ترین مضامین",
               archive="آرکائیو", previous_month="پچھلا مہینہ", next_month="اگلا مہینہ", newer="نیا",
               older="پرانا", feeds="فیڈز", licence="لائسنس", original="اصل", via="بذریعہ", by="مصنف:",
               published="اشاعت", updated="تازہ کاری", newest="تازہ ترین", untitled="بلا عنوان",
               correction="تصحیح", withdrawn="یہ مضمون واپس لے لیا گیا ہے۔",
               unaltered=("یہ مضمون بغیر کسی تبدیلی کے شائع کیا گیا ہے، کیونکہ اس کا"
                          " لائسنس ماخوذ تخلیقات کی اجازت نہیں دیتا۔"),
               no_licence="کوئی لائسنس درج نہیں",
               all_rights_reserved="جملہ حقوق محفوظ ہیں (شراکت دار سے معاہدے کے تحت استعمال)",
               first_published_by="اولین ناشر:", colon=":", separator=" · ",
               articles=(("one", "{n} مضمون"), ("other", "{n} مضامین"))),
}


def site_language(tag: str | None) -> str:
    """The SITE_LOCALES language a tag reads in ("fa-AF" -> "fa", "prs" stays unknown -> "en")."""
    base = (tag or "").replace("_", "-").split("-")[0].lower()
    return base if base in SITE_LOCALES else FALLBACK


@cache
def labels(lang: str | None) -> Labels:
    """The site's words in `lang` (its base language), English when the site has none for it."""
    return _LABELS[site_language(lang)]


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def digits(text: str, lang: str | None) -> str:
    """Latin digits written in the default numbering system of the language's CLDR locale."""
    native = DIGITS.get(_locale(site_language(lang)).default_numbering_system, DIGITS["latn"])
    return text.translate(str.maketrans(DIGITS["latn"], native)) if native != DIGITS["latn"] else text


def number(n: int, lang: str | None) -> str:
    """An integer with the language's grouping and digits ("1٬234" in Persian digits)."""
    code = site_language(lang)
    return digits(format_decimal(n, locale=code, numbering_system="default"), code)


_PRECISION = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def parse_date(value: str | None) -> tuple[date, str] | None:
    """(calendar day in the value's own offset, precision "y" | "ym" | "ymd"), None for garbage."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    short = _PRECISION.fullmatch(value)
    try:
        if short:
            year, month, day = short.groups()
            precision = "ymd" if day else "ym" if month else "y"
            return date(int(year), int(month or 1), int(day or 1)), precision
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date(), "ymd"  # own offset, not converted
    except ValueError:
        return None


_SKELETONS = {"y": "y", "ym": "yMMMM", "ymd": "yMMMMd"}


def human_date(value: str | None, lang: str | None) -> str:
    """A date for people: "10 دسامبر ۲۰۲۳", "December 2023" for "2023-12"; "" for None or garbage.

    Shown on the day of the offset it was written in (see the module docstring)."""
    parsed = parse_date(value)
    if parsed is None:
        return ""
    day, precision = parsed
    code = site_language(lang)
    return digits(format_skeleton(_SKELETONS[precision], day, locale=code), code)


def month_name(month: str, lang: str | None) -> str:
    """"2023-12" as the month it names ("دسامبر ۲۰۲۳"); the value itself when it is no month."""
    return human_date(month, lang) if re.fullmatch(r"\d{4}-\d{2}", month or "") else (month or "")


def time_html(value: str | None, lang: str | None) -> str:
    """`<bdi><time datetime="MACHINE">HUMAN</time></bdi>`; "" without a valid date.

    The machine form only in the (escaped) attribute; `<bdi>` isolates the date from the text around it."""
    human = human_date(value, lang)
    if not human:
        return ""
    machine = escape(str(value).strip(), quote=True)
    return f'<bdi><time datetime="{machine}">{escape(human)}</time></bdi>'


@cache
def language_name(tag: str | None) -> str:
    """The language's own name in its own script ("فارسی", "پښتو", "Français"); the tag if unknown.

    The first letter is capitalised (CLDR writes "français" for use inside a sentence; a list of
    languages shows it as a name). Needs the tag's own locale data: a language outside SITE_LOCALES
    whose babel data the layer pruned reads as its tag, here as in the layer. Only the base locale's
    data is read (a region's name comes from it too), so the layer needs no regional .dat files."""
    parts = (tag or "").replace("_", "-").split("-")
    base = parts[0].lower()
    if base not in SITE_LOCALES:
        return tag or ""
    locale = _locale(base)
    region = next((p.upper() for p in parts[1:] if re.fullmatch(r"[A-Za-z]{2}|\d{3}", p)), None)
    script = next((p.title() for p in parts[1:] if re.fullmatch(r"[A-Za-z]{4}", p)), None)
    name = next((locale.languages[key] for key in (f"{base}_{region}", f"{base}_{script}")
                 if key in locale.languages), None)  # fa_AF: "دری", zh_Hant: "繁体中文"
    if not name:
        name = locale.languages.get(base) or tag or ""
        if region and region in locale.territories:
            name += f" ({locale.territories[region]})"
    return name[:1].upper() + name[1:]
