"""Rebuild ui_samples.jsonl: short real texts of another kind (software messages),
from the translations Debian ships in binary packages (gettext .mo catalogues).

    apt-get download libgtk-3-common libglib2.0-data libgtk2.0-common software-properties-common \\
        packagekit shared-mime-info libpam-runtime
    for f in *.deb; do dpkg-deb -x "$f" root; done
    python tests/data/language/build_ui_samples.py root/usr/share/locale

(or point it at /usr/share/locale where those packages are installed). English
samples are the catalogues' own msgids. Messages with placeholders, markup,
context markers, or left untranslated are skipped; nothing is rewritten.
"""
from __future__ import annotations

import gettext
import json
import re
import sys
from pathlib import Path

LOCALES = {"en": "fr", "fa": "fa", "ps": "ps", "ar": "ar", "ur": "ur", "fr": "fr", "de": "de", "es": "es",
           "ru": "ru", "tr": "tr", "zh": "zh_CN"}
DOMAINS = {"gtk30": "libgtk-3-common", "glib20": "libglib2.0-data", "gtk20": "libgtk2.0-common",
           "software-properties": "software-properties-common", "PackageKit": "packagekit",
           "shared-mime-info": "shared-mime-info", "Linux-PAM": "libpam-runtime"}
PER_LANGUAGE = 40
_NOT_PROSE = re.compile(r"[%<>_\n\\{}=/|@$]|\.\.\.|::|--|[A-Z]{3,}")


def messages(folder: Path, locale: str, english: bool) -> list[tuple[str, str]]:
    found = []
    for domain, package in DOMAINS.items():
        path = folder / locale / "LC_MESSAGES" / f"{domain}.mo"
        if not path.exists():
            continue
        with path.open("rb") as fh:
            catalog = gettext.GNUTranslations(fh)._catalog
        for msgid, msgstr in catalog.items():
            if not isinstance(msgid, str) or not msgid or "\x04" in msgid or msgstr == msgid:
                continue
            found.append((msgid if english else msgstr, f"debian:{package} {locale}/{domain}.mo"))
    return found


def prose(text: str, lang: str) -> bool:
    low, high = (12, 60) if lang == "zh" else (35, 90)
    letters = sum(ch.isalpha() for ch in text)
    if lang == "zh" and sum("\u4e00" <= ch <= "\u9fff" for ch in text) < 3:
        return False  # left in English by the translator
    return low <= len(text) <= high and letters >= 0.7 * len(text.replace(" ", "")) and not _NOT_PROSE.search(text)


def main(folder: str) -> None:
    rows = []
    for lang, locale in LOCALES.items():
        seen, picked = set(), []
        for text, source in messages(Path(folder), locale, english=(lang == "en")):
            if prose(text, lang) and text not in seen:
                seen.add(text)
                picked.append((text, source))
        picked.sort()
        step = max(1, len(picked) // PER_LANGUAGE)
        rows += [{"lang": lang, "length": "ui", "text": t, "source": s} for t, s in picked[::step][:PER_LANGUAGE]]
        print(lang, min(len(picked), PER_LANGUAGE))
    with (Path(__file__).parent / "ui_samples.jsonl").open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
