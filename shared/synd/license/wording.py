"""Licence wording in many languages, as partners write it (and misspell it).

Everything is matched on *folded* text (`fold`): NFKC, case-folded, Persian and
Arabic digits made ASCII, Arabic and Persian letter variants made one, dashes,
slashes and joiners made spaces. Keyword lists are written naturally and folded
the same way, so "No Derivities", "NoDerivatives" and "no-derivs" all meet
one pattern.
"""
from __future__ import annotations

import re
import unicodedata

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫", "01234567890123456789.")
_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ە": "ه", "ۀ": "ه", "ہ": "ه", "ھ": "ه",
                          "\u200c": " ", "\u200d": "", "\u200f": "", "\u200e": "", "\u0640": "",
                          "’": "'", "‘": "'", "`": "'", "´": "'"})
_SEPARATORS = re.compile(r"[\-‐‑‒–—―_/|·・:;,()\[\]«»\"“”„]+")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().translate(_DIGITS).translate(_LETTERS)
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")  # harakat and other marks
    text = _SEPARATORS.sub(" ", text)
    return " ".join(text.split())


def _pattern(words: list[str]) -> re.Pattern[str]:
    """One regex for a keyword list; a space in a keyword also matches no space."""
    alts = []
    for word in words:
        folded = fold(word)
        alts.append(r"\s?".join(re.escape(part) for part in folded.split(" ")))
    return re.compile("|".join(sorted(alts, key=len, reverse=True)))


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
    "dovoljenj", "లైసెన్స్", "அனுமதி",
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
    "public domain", "domaine public", "gemeinfrei", "dominio público", "dominio publico",
    "общественное достояние", "الملك العام", "مالکیت عمومی", "公有领域", "公有領域", "公共领域",
])

# "CC BY-NC-ND 4.0", "CC-BY-SA-3.0-DE", "Creative Commons BY-NC-SA 4.0" (on folded text, dashes are spaces).
SHORT_CODE = re.compile(
    r"(?:\bcc\s?|creative\s?commons\s+(?:licen[cs]e\s+)?)(by(?:\s(?:nc|nd|sa)\b)*)(?=\s|$|\.)")

VERSION = re.compile(r"(?<![\d.])([1-4])\s?\.\s?([0-5])(?![\d])")

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
_PORT_AFTER_VERSION = re.compile(
    r"^\s?(" + "|".join(sorted((re.escape(fold(w)) for ws in PORTS.values() for w in ws), key=len, reverse=True))
    + r")\b")
_PORT_BY_WORD = {fold(w): code for code, ws in PORTS.items() for w in ws}

RESERVED = _pattern([
    "all rights reserved", "all right reserved", "alle rechte vorbehalten", "tous droits réservés",
    "tous droits reserves", "todos los derechos reservados", "все права защищены", "все права сохранены",
    "усі права захищені", "جميع الحقوق محفوظة", "كل الحقوق محفوظة", "الحقوق محفوظة", "حقوق محفوظة",
    "جملہ حقوق محفوظ", "حقونه خوندي", "版权所有", "版權所有", "保留所有权利", "保留一切权利", "著作权所有",
    "tutti i diritti riservati", "todos os direitos reservados", "alle rechten voorbehouden",
    "wszelkie prawa zastrzeżone",
])
# "کلیه حقوق این سایت محفوظ است": the words between vary.
# Reservations with words between "rights" and "reserved": "tous droits de reproduction et de diffusion
# réservés", "todos los derechos de autor reservados", "حقوق این مطلب محفوظ است".
RESERVED_SPREAD = re.compile("|".join([
    fold("حقوق") + r"(?:\s\S+){0,5}\s" + fold("محفوظ"),
    r"\bdroits(?:\s\S+){0,6}\sr[ée]serv[ée]s?\b",
    r"\bderechos(?:\s\S+){0,6}\sreservados\b",
    r"(?<!no )(?<!some )\brights(?:\s\S+){0,4}\sreserved\b",  # not CC's "some/no rights reserved"
    r"\brechte(?:\s\S+){0,4}\svorbehalten\b",
]))

# CC0's own waiver sentence: "To the extent possible under law, X has waived all copyright and
# related or neighboring rights to this work."
WAIVER = _pattern(["waived all copyright", "waived all copyright and related", "waives all copyright"])

COPYRIGHT = re.compile(r"©|\(c\)\s?\d{4}|\bcopyright\b|" + "|".join(
    re.escape(fold(w)) for w in ["版权", "版權", "авторское право", "حق نشر", "کپی رایت", "حق چاپ", "حقوق النشر"]))

# Words that make a line a credit for a picture, not a statement about the article.
IMAGE_CREDIT = _pattern([
    "photo", "photos", "photograph", "image", "images", "picture", "illustration", "cover image", "header image",
    "featured image", "foto", "bild", "bildquelle", "titelbild", "fotografía", "imagen", "фото", "изображение",
    "иллюстрация", "عکس", "تصویر", "صورة", "الصورة", "图片", "图像", "照片", "圖片", "wikimedia", "flickr",
    "getty", "unsplash", "shutterstock",
])

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
])

# Phrases that make a line a statement about the work it closes or opens.
STATEMENT = _pattern([
    "licensed under", "licenced under", "is licensed", "is licenced", "available under", "published under",
    "distributed under", "released under", "republished under", "shared under", "under a creative commons",
    "under the creative commons", "under the terms of", "this work", "this article", "this story", "this post",
    "this content", "this text", "this page", "this site", "content on this",
    "to the extent possible under law", "has waived", "have waived", "have dedicated", "has dedicated",
    "dedicated to the public domain", "released to the public domain", "released into the public domain", "sous licence", "sous la licence",
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
])

# "License: ...", "Lizenz ...", "© ..." at the start of a line.
LABEL = re.compile(r"^\W*(?:" + "|".join(re.escape(fold(w)) for w in [
    "license", "licence", "licensed", "lizenz", "licencia", "licença", "licenza", "лицензия", "ліцензія",
    "مجوز", "پروانه", "رخصة", "الرخصة", "الترخيص", "ترخيص", "لائسنس", "جواز", "许可", "許可", "授权",
    "copyright", "©", "rights", "droits", "rechte", "derechos", "права", "حقوق", "版权", "版權",
]) + r")")


def port_after(folded: str, end: int) -> str | None:
    m = _PORT_AFTER_VERSION.match(folded[end:])
    return _PORT_BY_WORD.get(m.group(1)) if m else None
