"""Licence detection accuracy on the real statements in tests/data/license/statements.json.

Usage: .venv/bin/python bench/license_accuracy.py [--misses]
Prints overall accuracy, accuracy per language and per kind (statement / trap), the
time per statement, and the same statements as the last line of a real article (read from
the body, and through the format parsers' footer rules), with how many lines left the body
without being kept in `license.evidence`. Not a test: it reports figures.
"""
from __future__ import annotations

import argparse
import json
import re
import time
from collections import defaultdict
from pathlib import Path

from synd.license import license_from_hints, tag_license
from synd.model import Draft, LicenseHint
from synd.pipeline import make_source, parse_drop
from synd.settings import PartnerSettings

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "license" / "statements.json"
_AFGAZAD = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "drops" / "afgazad" / "000_afb5d5d29ecc6f79.txt"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every wrong answer")
    args = parser.parse_args()
    cases = json.loads(DATA.read_text(encoding="utf-8"))["cases"]
    partner = PartnerSettings(id="bench")
    by_lang, by_kind, misses = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0]), []
    start = time.perf_counter()
    for case in cases:
        hint = LicenseHint(text=case["text"], url=case["url"], where=case["where"])
        got = license_from_hints([hint], partner).spdx
        ok = got == case["expect"]
        for table, key in ((by_lang, case["lang"]), (by_kind, case["kind"])):
            table[key][0] += ok
            table[key][1] += 1
        if not ok:
            misses.append((case["id"], got, case["expect"]))
    elapsed = time.perf_counter() - start
    right = len(cases) - len(misses)
    print(f"licence detection: {right}/{len(cases)} correct ({right / len(cases):.1%}), "
          f"{len(by_lang)} languages, {elapsed / len(cases) * 1000:.2f} ms per statement")
    print("by kind:     " + ", ".join(f"{k} {a}/{n}" for k, (a, n) in sorted(by_kind.items())))
    print("by language: " + ", ".join(f"{k} {a}/{n}" for k, (a, n) in sorted(by_lang.items())))
    body_right, body_total, lost = _as_last_line(cases, partner)
    if body_total:
        print(f"as the last line of a real article body: {body_right}/{body_total} correct "
              f"(licence read and line removed; traps left alone); "
              f"lines removed but missing from license.evidence: {lost}")
    drop_right, drop_total, drop_lost = _as_footer_of_a_real_drop(cases)
    if drop_total:
        print(f"as the footer of the real afgazad drop, through synd's parsers: {drop_right}/{drop_total} correct; "
              f"lines removed but missing from license.evidence: {drop_lost}")
    if args.misses or misses:
        for case_id, got, expected in misses:
            print(f"MISS {case_id}: got {got}, expected {expected}")
    return 0


def _as_footer_of_a_real_drop(cases: list[dict]) -> tuple[int, int, int]:
    """Each text line appended as the last paragraph of the afgazad drop's bytes and parsed whole (format
    sniffing, the parsers' footer rules, then licence tagging): right answers, lines tried, lines lost."""
    drop = _AFGAZAD
    if not drop.exists():
        return 0, 0, 0
    raw = drop.read_bytes().rstrip()
    partner = PartnerSettings(id="afgazad")
    right = total = lost = 0
    for case in cases:
        if not case["text"] or case["where"] in ("image", "feed") or case["url"]:
            continue
        total += 1
        data = raw + b"\n\n" + case["text"].encode("utf-8") + b"\n"
        [article] = parse_drop(data, make_source(data), partner).articles
        line = _key(case["text"])  # the Markdown parser renders "**bold**" and "<url>" in the line
        removed = line not in _key(article.body_text)
        right += article.license.spdx == case["expect"] and removed == (case["expect"] != "NOASSERTION")
        lost += removed and line not in _key(article.license.evidence or "")
    return right, total, lost


def _key(text: str) -> str:
    """Letters and digits only: a line compared with what a parser made of its markup."""
    return re.sub(r"[\W_]++", "", text.casefold())


def _as_last_line(cases: list[dict], partner: PartnerSettings) -> tuple[int, int, int]:
    """Each text line appended to the afgazad article (a real drop): right answers, lines tried, and lines
    taken out of the body that the licence's evidence does not keep; 0, 0, 0 when the corpus is absent."""
    drop = _AFGAZAD
    if not drop.exists():
        return 0, 0, 0
    body = drop.read_text(encoding="utf-8").strip()
    right = total = lost = 0
    for case in cases:
        if not case["text"] or case["where"] in ("image", "feed") or case["url"]:
            continue  # a URL-only hint or a feed's rights are not body lines
        total += 1
        licence, cleaned = tag_license(Draft(body_text=f"{body}\n\n{case['text']}"), partner)
        removed = case["text"] not in cleaned
        right += licence.spdx == case["expect"] and removed == (case["expect"] != "NOASSERTION")
        lost += removed and case["text"].strip() not in (licence.evidence or "")
    return right, total, lost


if __name__ == "__main__":
    raise SystemExit(main())
