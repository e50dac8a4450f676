"""Speed of the checks every untrusted string passes (issue 9, item 5): synd.text.clean.clean_text
(once per text field of every article), synd.language.tags.safe_tag and synd.text.urls.safe_http_url.

The texts are made here from real Persian and English words (the README's sample titles),
about 10 M characters each (the default drop cap is 10 MiB), clean, with a control character
and a U+202E in every line, and with two emoji per line (astral characters take the slow path).

Run:  .venv/bin/python bench/untrusted_text.py
Prints one table; figures, not assertions (see tests/unit/text and tests/unit/language for behaviour).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "shared"))

from synd.language.tags import safe_tag  # noqa: E402
from synd.text.clean import clean_text  # noqa: E402
from synd.text.urls import safe_http_url  # noqa: E402

LINE = "ماده ۲۲: امنیت اجتماعی، می\u200cخواهم. ISIS's Last Gasps, the West focused on Afghanistan."
TEXTS = {
    "clean": (LINE + "\n") * 120_000,
    "dirty (\\x01 + U+202E per line, CR LF)": (LINE + "\x01\u202e\r\n") * 120_000,
    "emoji (2 per line)": (LINE + " 😀 🎉\n") * 120_000,
}


def timed(call, *args) -> float:
    start = time.perf_counter()
    call(*args)
    return time.perf_counter() - start


def main() -> None:
    print(f"{'what':<52} {'size':>12} {'seconds':>8}")
    for name, text in TEXTS.items():
        print(f"{'clean_text: ' + name:<52} {len(text):>10,} ch {timed(clean_text, text):>8.3f}")
    tags = [f"en-x-{n:08d}" for n in range(10_000)] + ["fa-af", "zh-hant", "../../x", 'en" onmouseover=x'] * 2_500
    print(f"{'safe_tag: 10,000 distinct + 10,000 repeated':<52} {len(tags):>10,} tg "
          f"{timed(lambda: [safe_tag(t) for t in tags]):>8.3f}")
    urls = [f"https://news.example/{n}/ماده-۲۲?id={n}" for n in range(10_000)] + ["javascript:alert(1)"] * 10_000
    print(f"{'safe_http_url: 10,000 good + 10,000 bad':<52} {len(urls):>10,} ur "
          f"{timed(lambda: [safe_http_url(u) for u in urls]):>8.3f}")


if __name__ == "__main__":
    main()
