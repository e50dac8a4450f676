"""Licence wording in many languages, as partners write it (and misspell it): the one table.

Both sides of a licence line read these words: `synd.license.detect.read_licence_line`
decides with them whether a line at the edge of an article is a licence line, and what
it states; the format parsers (through `synd.text.header.licence_line`) take a line out
of the body only when that function reads it. A word added here is therefore both
stripped and recognised, never one without the other.

Everything is matched on *folded* text (`fold`): NFKC, case-folded, Persian and
Arabic digits made ASCII, Arabic and Persian letter variants made one, dashes,
slashes and joiners made spaces. Keyword lists are written naturally and folded
the same way, so "No Derivities", "NoDerivatives" and "no-derivs" all meet
one pattern.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫", "01234567890123456789.")
_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ە": "ه", "ۀ": "ه", "ہ": "ه", "ھ": "ه",
                          "\u200c": " ", "\u200d": "", "\u200f": "", "\u200e": "", "\u0640": "",
                          "’": "'", "‘": "'", "`": "'", "´": "'"})
_SEPARATORS = re.compile(r"[\-‐‑‒–—―_/|·・:;,()\[\]«»\"“”„]+")


class _LazyPattern:
    """A regex built and compiled on its first use, not at import: the tables below are about 40
    large alternations whose folding and compiling took ~65 ms of every cold start, the publish
    function's too, which imports this module (through synd.policy) but never reads a licence line.
    `source` is the pattern or a function making it; `.pattern` makes it, anything else compiles
    it, once, and keeps its methods."""

    def __init__(self, source: str | Callable[[], str], flags: int = 0):
        self._source, self._flags = source, flags

    def __getattr__(self, name: str):
        if name == "pattern":
            self.pattern = self._source if isinstance(self._source, str) else self._source()
            return self.pattern
        if name.startswith("_"):  # copy, pickle and the like probe for these (and _source before __init__)
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self._flags)
        for method in ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split"):
            setattr(self, method, getattr(compiled, method))
        self.compiled = compiled
        return compiled if name == "compiled" else getattr(compiled, name)


def _lazy(source: str | Callable[[], str], flags: int = 0) -> re.Pattern[str]:
    return _LazyPattern(source, flags)  # type: ignore[return-value]  # quacks like re.Pattern


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().translate(_DIGITS).translate(_LETTERS)
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")  # harakat and other marks
    text = _SEPARATORS.sub(" ", text)
    return " ".join(text.split())


def _pattern(words: list[str]) -> re.Pattern[str]:
    """One regex for a keyword list; a space in a keyword also matches no space."""
    def source() -> str:
        alts = [r"\s?".join(re.escape(part) for part in fold(word).split(" ")) for word in words]
        return "|".join(sorted(alts, key=len, reverse=True))

    return _lazy(source)


def _names(words: list[str]) -> re.Pattern[str]:
    """Like `_pattern`, but whole words only ("ogl" must not match inside "google"); a name that
    starts or ends in a script written without spaces (Chinese) is bounded only on its Latin side."""
    def source() -> str:
        alts = []
        for word in words:
            folded = fold(word)
            body = r"\s?".join(re.escape(part) for part in folded.split(" "))
            start = r"(?<!\w)" if folded[0].isascii() else ""
            end = r"(?!\w)" if folded[-1].isascii() else ""
            alts.append((len(folded), start + body + end))
        return "|".join(alt for _, alt in sorted(alts, reverse=True))

    return _lazy(source)


# Naming Creative Commons at all (transliterations and translations included).
CREATIVE_COMMONS = _pattern([
    "creative commons", "creativecommons", "creative-commons",
    "کریتیو کامنز", "کرییتیو کامنز", "کرتیو کامنز", "کریتیو کامانز", "کرییتیو کامانز", "کریئیتیو کامنز",
    "المشاع الإبداعي", "المشاع الابداعي", "الإبداع المشاع", "كرييتف كومنز", "کریئیٹو کامنز",
    "криэйтив коммонс", "креатив коммонс", "крієйтив комонс",
    "知识共享", "知識共享", "创作共用", "創用cc", "创用cc", "크리에이티브 커먼즈", "கிரியேட்டிவ் காமன்ஸ்",
    "క్రియేటివ్ కామన్స్",
])

# Words for "licence" itself: with element words and a version they name a CC licence without saying CC.
LICENSE_WORD = _pattern([
    "license", "licence", "lizenz", "licencia", "licença", "licenza", "licentie", "licens", "лицензи", "ліцензі",
    "رخصة", "الرخصة", "ترخيص", "مجوز", "پروانه", "لائسنس", "许可", "許可", "授权", "授權",
    "licenc", "lisans", "lisenssi", "licensierat", "licenza", "licenciran", "άδεια", "αδειοδοτ", "라이선스",
    "dovoljenj", "లైసెన్స్", "அனுமதி", "trwydded",
])

ATTRIBUTION = _pattern([
    "attribution", "attributions", "atribución", "atribucion", "reconocimiento", "paternité", "paternite",
    "namensnennung", "атрибуция", "указание авторства", "указанием авторства", "зазначення авторства",
    "نسب المصنف", "نسبة المصنف", "النسبة", "انتساب", "تخصیص", "اختصاص", "ارجاع", "ذکر منبع", "انتساب به",
    "署名", "姓名标示", "姓名標示", "attribuzione", "naamsvermelding", "uznanie autorstwa", "atribuição",
    "atribució", "kreditering", "nimeä", "imenovanje", "nevezd meg", "저작자표시", "erkännande", "atribuire",
    "priznanje avtorstva",
])

NONCOMMERCIAL = _pattern([
    "noncommercial", "non commercial", "non-commercial", "pas d'utilisation commerciale",
    "pas dutilisation commerciale", "nicht kommerziell", "nichtkommerziell", "keine kommerzielle",
    "no comercial", "nocomercial", "некоммерческ", "не коммерческ", "некомерційн",
    "غیر تجاری", "غير تجاري", "غیرتجاری", "لا تجاري", "غير التجاري", "غیر انتفاعی", "غیر تجارتی",
    "非商业", "非商業", "non commerciale", "niet commercieel", "niekomercyjn", "não comercial", "nãocomercial",
])

NODERIVATIVES = _pattern([
    "noderiv", "no deriv", "no-deriv", "derivities", "pas de modification", "pas d'œuvre dérivée",
    "pas de travaux dérivés", "keine bearbeitung", "sin obra derivada", "sin obras derivadas", "sin derivadas",
    "sinderivadas", "sin derivar", "без производных", "без производн", "без похідних",
    "بدون اشتقاق", "منع الاشتقاق", "لا اشتقاق", "غير اشتقاقي", "غیر مشتق", "بدون مشتق", "بدون انشقاق",
    "بدون اشتقاق", "禁止演绎", "禁止演繹", "禁止改作", "禁止衍生", "non opere derivate",
    "geen afgeleide", "bez utworów zależnych", "sem derivações",
])

SHAREALIKE = _pattern([
    "sharealike", "share alike", "share-alike", "partage dans les mêmes conditions",
    "partage des conditions initiales à l'identique", "partage à l'identique",
    "weitergabe unter gleichen bedingungen", "compartir igual", "compartirigual", "compartir-igual",
    "на тех же условиях", "с сохранением условий", "на тих самих умовах",
    "المشاركة بالمثل", "الترخيص بالمثل", "الترخیص بالمثل", "اشتراک یکسان", "سهم یکسان",
    "اشتراک گذاری یکسان", "اشتراک گذاری مشابه", "اشتراک مشابه",
    "相同方式共享", "相同方式分享", "condividi allo stesso modo", "gelijk delen",
    "na tych samych warunkach", "compartilha igual", "compartilhada igual", "partilhada igual",
    "deling på samme vilkår", "tarttuva", "dijeli pod istim uvjetima", "így add tovább", "동일조건변경허락",
    "delalika", "dela lika", "distribuire în condiții identice", "deljenje pod enakimi pogoji",
])

ZERO = _pattern(["cc0", "cc zero", "cc-zero", "creative commons zero", "public domain dedication",
                 "publicdomain zero", "cc 0 1.0"])
MARK = _pattern(["public domain mark", "publicdomain mark", "marque du domaine public",
                 "public domain marke"])
PUBLIC_DOMAIN = _pattern([
    "public domain", "domaine public", "gemeinfrei", "dominio público", "dominio publico", "dominio pubblico",
    "domínio público", "общественное достояние", "общественным достоянием", "общественном достоянии",
    "всеобщее достояние", "الملك العام", "مالکیت عمومی", "دامنه عمومی", "پبلک ڈومین", "kamu malı",
    "公有领域", "公有領域", "公共领域",
])
# "This work is not in the public domain", "ist nicht gemeinfrei", "не является общественным достоянием".
PUBLIC_DOMAIN_DENIED = _lazy(lambda: (
    r"(?<!\w)(?:not|no longer|nicht|kein|keine|no est[aá]n?|no es|no son|non|pas|не)(?:\s\S++){0,3}?\s(?:"
    + PUBLIC_DOMAIN.pattern + r")|(?:" + PUBLIC_DOMAIN.pattern + r")\S*+\s(?:değil|nicht)"))

# "CC BY-NC-ND 4.0", "CC-BY-SA-3.0-DE", "Creative Commons BY-NC-SA 4.0" (on folded text, dashes are spaces).
SHORT_CODE = _lazy(
    r"(?:\bcc\s?|creative\s?commons\s+(?:licen[cs]e\s+)?)(by(?:\s(?:nc|nd|sa)\b)*)(?=\s|$|\.)")

VERSION = _lazy(r"(?<![\d.])([1-4])\s?\.\s?([0-5])(?![\d])")

# A port (jurisdiction) right after the version: "3.0 DE", "3.0 Deutschland", "2.0 England & Wales".
PORTS = {
    "de": ["de", "germany", "deutschland", "allemagne", "alemania", "германия"],
    "at": ["at", "austria", "österreich", "oesterreich"],
    "au": ["au", "australia"],
    "nl": ["nl", "netherlands", "nederland"],
    "us": ["us", "united states", "usa"],
    "fr": ["fr", "france"],
    "uk": ["uk", "england", "england and wales", "england & wales"],
    "jp": ["jp", "japan"],
    "igo": ["igo", "intergovernmental"],
}
_PORT_AFTER_VERSION = _lazy(
    r"^\s?(" + "|".join(sorted((re.escape(fold(w)) for ws in PORTS.values() for w in ws), key=len, reverse=True))
    + r")\b")
_PORT_BY_WORD = {fold(w): code for code, ws in PORTS.items() for w in ws}

RESERVED = _pattern([
    "all rights reserved", "all right reserved", "alle rechte vorbehalten", "tous droits réservés",
    "tous droits reserves", "todos los derechos reservados", "все права защищены", "все права сохранены",
    "усі права захищені", "جميع الحقوق محفوظة", "كل الحقوق محفوظة", "الحقوق محفوظة", "حقوق محفوظة",
    "جملہ حقوق محفوظ", "حقونه خوندي", "版权所有", "版權所有", "保留所有权利", "保留一切权利", "著作权所有",
    "tutti i diritti riservati", "todos os direitos reservados", "alle rechten voorbehouden",
    "wszelkie prawa zastrzeżone", "все права принадлежат", "حق نشر محفوظ", "حق چاپ محفوظ",
    "禁止转载", "严禁转载", "不得转载", "禁止轉載", "嚴禁轉載", "不得轉載",
])
# "کلیه حقوق این سایت محفوظ است": the words between vary.
# Reservations with words between "rights" and "reserved": "tous droits de reproduction et de diffusion
# réservés", "todos los derechos de autor reservados", "حقوق این مطلب محفوظ است".
RESERVED_SPREAD = _lazy("|".join([
    fold("حقوق") + r"(?:\s\S++){0,5}\s" + fold("محفوظ"),
    r"\bdroits(?:\s\S++){0,6}\sr[ée]serv[ée]s?\b",
    r"\bderechos(?:\s\S++){0,6}\sreservados\b",
    r"(?<!no )(?<!some )\brights(?:\s\S++){0,4}\sreserved\b",  # not CC's "some/no rights reserved"
    r"\brechte(?:\s\S++){0,4}\svorbehalten\b",
    r"\bправа(?:\s\S++){0,4}\s(?:защищены|сохранены|охраняются законом)",
    # Turkish "Tüm hakları saklıdır", "Her hakkı saklıdır"; upper case folds ı and İ both to i.
    r"\bhak(?:lar[ıi]|k[ıi])(?:\s\S++){0,4}\ssakl[ıi]d[ıi]r\b",
    r"حقو(?:ق|نه)(?:\s\S++){0,5}\s" + fold("خوندي"),  # Pashto "ټول حقونه خوندي دي"
    r"版[权權][归歸]\S{1,30}?所有",  # "版权归本公司所有": the holder's name sits in between
]))

# CC0's own waiver sentence: "To the extent possible under law, X has waived all copyright and
# related or neighboring rights to this work."
WAIVER = _pattern(["waived all copyright", "waived all copyright and related", "waives all copyright"])

COPYRIGHT = _lazy(r"©|\(c\)\s?\d{4}|\bcopyright\b|" + "|".join(
    re.escape(fold(w)) for w in ["版权", "版權", "авторское право", "حق نشر", "کپی رایت", "حق چاپ", "حقوق النشر"]))

# Words that make a line a credit for a picture, not a statement about the article.
IMAGE_CREDIT = _pattern([
    "photo", "photos", "photograph", "image", "images", "picture", "illustration", "cover image", "header image",
    "featured image", "foto", "bild", "bildquelle", "titelbild", "fotografía", "imagen", "фото", "изображение",
    "иллюстрация", "عکس", "تصویر", "صورة", "الصورة", "图片", "图像", "照片", "圖片", "wikimedia", "flickr",
    "getty", "unsplash", "shutterstock",
])
# ... but "(photo)copy", "fotocopia", "Fotokopie" are copying, not a picture (the Free Art License notice).
_PICTURE_WORDS = IMAGE_CREDIT


def _image_credit() -> str:
    return r"(?!(?:photo|foto|фото)\s?(?:cop|kop|коп))(?:" + _PICTURE_WORDS.pattern + ")"


IMAGE_CREDIT = _lazy(_image_credit)

# Words that go with a licence name and say nothing more ("4.0 International", "Unported", "国际").
LICENSE_FILLER = _pattern([
    "international", "internacional", "international", "int'l", "intl", "unported", "generic", "universal",
    "lizenz", "license", "licence", "licencia", "deed", "legal code", "国际", "國際", "بین المللی", "بینالمللی",
    "دولي", "международная", "не адаптированная", "non transposé", "no portada", "cc", "creative commons",
])

# Phrases that say the licence is that of material the article took from elsewhere (data, quotes).
THIRD_PARTY = _pattern([
    "taken from", "obtained from", "sourced from", "data from", "data source", "adapted from", "entnommen",
    "tiré de", "tirées de", "tirés de", "datos de", "взяты из", "заимствован", "گرفته شده", "اخذ شده",
    "برگرفته از", "مأخوذ", "مأخوذة", "مصدر البيانات", "数据来源", "取自", "资料来源",
    # The credits UK re-users must give for public sector information their text *contains* (OGL v3.0,
    # "Conditions"): they license that information, not the article, and travel with the text.
    "contains public sector information", "contains os data", "contains ordnance survey data",
    "contains royal mail data", "contains national statistics data", "yn cynnwys gwybodaeth y sector cyhoeddus",
])

# Phrases that make a line a statement about the work it closes or opens.
STATEMENT = _pattern([
    "licensed under", "licenced under", "is licensed", "is licenced", "available under", "published under",
    "distributed under", "released under", "republished under", "shared under", "under a creative commons",
    "under the creative commons", "under the terms of", "this work", "this article", "this story", "this post",
    "this content", "this text", "this page", "this site", "content on this",
    "to the extent possible under law", "has waived", "have waived", "have dedicated", "has dedicated",
    "dedicated to the public domain", "released to the public domain", "released into the public domain",
    "sous licence", "sous la licence",
    "mis à disposition selon", "mise à disposition selon", "est distribué", "est publié", "est diffusé",
    "lizenziert", "lizenzvertrag", "veröffentlicht unter", "steht unter", "unter einer", "unter der",
    "dieses werk", "dieser artikel", "dieser beitrag", "wird unter", "verbreitet",
    "bajo una licencia", "bajo la licencia", "licenciado bajo", "está bajo", "esta obra", "este trabajo",
    "este artículo", "publicado bajo", "под лицензией", "распространяется", "доступен по лицензии",
    "доступно по лицензии", "лицензировано", "опубликовано", "данное", "эта статья", "это произведение",
    "تحت رخصة", "مرخص", "منشور تحت", "هذا العمل", "هذه المقالة", "هذا المقال", "بموجب", "تحت ترخيص",
    "تحت مجوز", "تحت پروانه", "منتشر شده تحت", "تحت لیسانس", "منتشر می شود", "این اثر", "این مقاله",
    "این کار", "این مطلب", "تحت", "کے تحت", "یہ مضمون", "دا اثر", "دا لیکنه", "لاندې",
    "许可协议", "许可协议授权", "采用", "授权", "授權", "許可", "本作品", "本文", "本站",
    "under the terms", "selon les termes", "sous les termes", "bajo los términos", "unter den bedingungen",
    "на условиях", "ar gael o dan", "ce texte", "cette œuvre", "cette oeuvre", "cet article",
    "ce document", "ce contenu", "dieser text", "dieses dokument", "este texto", "este documento",
    "este contenido", "этот текст", "этот материал", "данный", "данная", "bu eser", "bu makale",
    "bu içerik", "bu haber", "bu metin", "این نوشته", "یہ تحریر", "هذا النص", "本文章",
])

# "License: ...", "Lizenz ...", "© ..." at the start of a line.
LABEL = _lazy(r"^\W*(?:" + "|".join(re.escape(fold(w)) for w in [
    "license", "licence", "licensed", "lizenz", "licencia", "licença", "licenza", "лицензия", "ліцензія",
    "مجوز", "پروانه", "رخصة", "الرخصة", "الترخيص", "ترخيص", "لائسنس", "جواز", "许可", "許可", "授权",
    "copyright", "©", "rights", "droits", "rechte", "derechos", "права", "حقوق", "版权", "版權",
    "lisans", "telif",
]) + r")")

# "License: …", "Rights [2]: …": a licence line even when the licence it names is not one we read. Read on
# the line with only its letters folded (the colon is what makes it a label, and `fold` drops colons).
_LICENCE_LABEL = _lazy(r"^\W*+(?:" + "|".join(sorted((re.escape(w.casefold().translate(_LETTERS)) for w in [
    "license", "licence", "licenses", "licences", "licensed", "lizenz", "licencia", "licença", "licenza", "лицензия",
    "ліцензія", "مجوز", "پروانه", "لایسنس", "رخصة", "الرخصة", "الترخيص", "ترخيص", "لائسنس", "许可", "許可", "授权",
    "copyright", "rights", "droits", "rechte", "derechos", "права", "حقوق", "حق نشر", "کپی‌رایت", "کپی رایت",
    "版权", "版權", "lisans",
]), key=len, reverse=True)) + r")\s*+(?:\[\d++\]\s*+)?[:：]")


def licence_label(line: str) -> bool:
    return bool(_LICENCE_LABEL.match(line.casefold().translate(_LETTERS)))


# A copyright *notice* ("© 2020 X", "Copyright 2020 X", "(c) X", "版权 …"), on the raw line.
COPYRIGHT_NOTICE = _lazy(
    r"©|\(c\)|\bcopyright\s*+(?:(?:©|\(c\))\s*+)?\d{4}|^\W*+copyright\s*+[:：]|版权|版權|^\W*+(?:حق\s?نشر|کپی\s?رایت)",
    re.IGNORECASE)
_NAMED_COPYRIGHT = _lazy(r"^\W*+copyright\s", re.IGNORECASE)


def copyright_notice(line: str) -> bool:
    """A copyright notice, not a sentence about copyright: "Copyright Reuters" is one,
    "Copyright law in Afghanistan protects few writers." is not (more than six words, or a full stop)."""
    text = line.strip()
    if COPYRIGHT_NOTICE.search(text):
        return True
    return bool(_NAMED_COPYRIGHT.match(text)) and len(text.split()) <= 6 and not text.endswith((".", "!", "?"))


# Licences that are not Creative Commons, as partners name and link them. The SPDX ids and what each
# licence permits are in `synd.license.catalog` (`family_license`); here are only the words and URLs.
@dataclass(frozen=True)
class Family:
    """One licence family: its names (folded, several languages) and its URLs.

    Each URL pattern comes with the version it stands for; None means the pattern's first
    group holds it ("/version/3/"). A versionless URL stands for the version the page serves."""

    key: str  # OGL-UK | GFDL | LAL | etalab
    names: re.Pattern[str]
    urls: tuple[tuple[re.Pattern[str], str | None], ...]


def _url(pattern: str) -> re.Pattern[str]:
    return _lazy(pattern, re.IGNORECASE)


# Module constants, so that the regex audit (tests/unit/test_regex_linear.py) runs every one of them.
OGL_NAMES = _names([
    "open government licence", "open government license", "ogl", "ogl uk", "trwydded llywodraeth agored",
])
OGL_URL = _url(r"nationalarchives\.gov\.uk/doc/open-government-licence(?:-cymraeg)?/version/(\d)")
GFDL_NAMES = _names([
    "gnu free documentation license", "gnu free documentation licence", "free documentation license", "gnu fdl",
    "gfdl", "licencia de documentación libre de gnu", "licencia de documentación libre",
    "licence de documentation libre gnu", "licence de documentation libre de gnu", "licence de documentation libre",
    "gnu lizenz für freie dokumentation", "lizenz für freie dokumentation", "licenza per la documentazione libera",
    "лицензия свободной документации gnu", "лицензии свободной документации", "رخصة جنو للوثائق الحرة",
    "رخصة غنو للوثائق الحرة", "مجوز مستندات آزاد گنو",
    "gnu自由文档许可证", "gnu自由文件授權條款", "gnu自由文档许可协议",
    "gnu özgür belgeleme lisansı",
])
GFDL_URL = _url(r"gnu\.org/licenses/(?:old-licenses/)?fdl-(1\.[123])")
GFDL_URL_CURRENT = _url(r"gnu\.org/(?:licenses|copyleft)/fdl(?:\.[a-z]{2})?\.html")  # serves v1.3
LAL_NAMES = _names([
    "licence art libre", "licence de l'art libre", "free art license", "free art licence", "licencia arte libre",
    "licença arte livre", "licenza arte libera", "lizenz freie kunst", "lal 1.3", "lal 1.2", "fal 1.3",
])
LAL_URL = _url(r"artlibre\.org/licence/lal/licence-art-libre-(1[23])")
LAL_URL_CURRENT = _url(r"artlibre\.org/licence/lal(?![\w-])")  # serves 1.3 (and its translations, /en/ ...)
ETALAB_NAMES = _names([
    "licence ouverte", "licence etalab", "etalab licence", "etalab open licence", "open licence etalab",
    "etalab 2.0", "etalab 1.0",
])
ETALAB_URL = _url(r"etalab\.gouv\.fr/wp-content/uploads/\d{4}/\d{2}/ETALAB-Licence-Ouverte-v(\d\.\d)")
ETALAB_URL_1 = _url(r"etalab\.gouv\.fr/wp-content/uploads/\d{4}/\d{2}/Licence_Ouverte\.pdf")
ETALAB_URL_CURRENT = _url(r"etalab\.gouv\.fr/licence-ouverte-open-licence")  # serves 2.0

FAMILIES = (
    Family("OGL-UK", OGL_NAMES, ((OGL_URL, None),)),
    Family("GFDL", GFDL_NAMES, ((GFDL_URL, None), (GFDL_URL_CURRENT, "1.3"))),
    Family("LAL", LAL_NAMES, ((LAL_URL, None), (LAL_URL_CURRENT, "1.3"))),
    Family("etalab", ETALAB_NAMES, ((ETALAB_URL, None), (ETALAB_URL_1, "1.0"), (ETALAB_URL_CURRENT, "2.0"))),
)

# A version as the non-CC licences write theirs: "v3.0", "version 3", "Versión 1.3", "1.2".
FAMILY_VERSION = _lazy(
    r"(?:(?<!\w)v\s?|(?<!\w)(?:version|versión|versao|versão|versio|версия|версии|sürüm)\s?)(\d)(?:\s?\.\s?(\d))?(?!\d)"
    r"|(?<![\d.])(\d)\s?\.\s?(\d)(?![\d.])")
# GFDL "Version 1.3 or any later version", in the languages its translations use.
OR_LATER = _pattern([
    "or any later version", "or later", "or any later", "or newer", "o posterior", "o cualquier versión posterior",
    "ou toute version ultérieure", "ou quelconque autre version", "ou ultérieure", "ou plus récente",
    "oder jeder späteren version", "oder später", "oder einer späteren", "или любой более поздней",
    "или более поздней", "或任何后续版本", "或更高版本", "或更新版本", "veya daha sonraki", "ya da daha sonraki",
    "أو أي إصدار لاحق", "یا هر نسخه بعدی", "o qualsiasi versione successiva",
])
# GFDL invariant sections: "with no Invariant Sections" (SPDX -no-invariants-) or some named (-invariants-).
NO_INVARIANTS = _pattern([
    "no invariant sections", "no invariants", "without invariant sections", "sin secciones invariantes",
    "sans sections invariantes", "ohne unveränderliche abschnitte", "ohne unveränderliche", "без неизменяемых разделов",
    "senza sezioni non modificabili",
])
WITH_INVARIANTS = _pattern([
    "invariant sections being", "with the invariant sections", "invariants", "secciones invariantes siendo",
    "les sections invariantes étant", "unveränderlichen abschnitte sind",
])

_MENTIONS = (CREATIVE_COMMONS, LICENSE_WORD, RESERVED, RESERVED_SPREAD, ZERO, MARK, PUBLIC_DOMAIN, WAIVER, SHORT_CODE,
             COPYRIGHT, *(family.names for family in FAMILIES))


def mentions_licence(text: str) -> bool:
    """Does the text name a licence, a reservation or a copyright at all (not: is it a licence line)?
    For parsers that must not take such a line for something else (a relay's "originally published" note)."""
    folded = fold(text)
    return any(pattern.search(folded) for pattern in _MENTIONS) or bool(COPYRIGHT_NOTICE.search(text))


def port_after(folded: str, end: int) -> str | None:
    m = _PORT_AFTER_VERSION.match(folded[end:])
    return _PORT_BY_WORD.get(m.group(1)) if m else None
