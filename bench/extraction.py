"""Extraction benchmark: our HTML parser against plain trafilatura and readability-lxml
on real news pages with known answers, plus the speed of the text and Markdown parsers.

Pages: the test data of the PyPI sdist newspaper4k==0.9.6 (tests/data/html + the expected
text in tests/data/txt + expected metadata in tests/data/metadata). The sdist is fetched
once with `pip download` into ~/.cache/synd-bench/; without network the six pages kept in
tests/unit/formats/data/html are used.

Run:  .venv/bin/python bench/extraction.py [--repeat N]
Prints one table; figures, not assertions (see tests/ for behaviour).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "synd-bench"
SDIST = "newspaper4k==0.9.6"
FALLBACK = REPO / "tests" / "unit" / "formats" / "data" / "html"


# --- data -----------------------------------------------------------------------------------

def pages_dir() -> Path:
    """Folder holding html/, txt/, metadata/ of the newspaper4k test data (downloaded once)."""
    target = CACHE / "newspaper4k" / "tests" / "data"
    if target.exists():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", SDIST,
                        "-d", str(CACHE), "-q"], check=True, capture_output=True, timeout=300)
        archive = next(CACHE.glob("newspaper4k-*.tar.gz"))
        with tarfile.open(archive) as tar:
            members = [m for m in tar.getmembers() if "/tests/data/" in m.name]
            tar.extractall(CACHE, members=members)
        (CACHE / archive.name.replace(".tar.gz", "")).rename(CACHE / "newspaper4k")
        return target
    except (subprocess.SubprocessError, StopIteration, OSError) as exc:
        print(f"(could not fetch {SDIST}: {exc}; using the pages in {FALLBACK})")
        return FALLBACK


def load_pages(folder: Path) -> list[dict]:
    if folder == FALLBACK:
        html_dir = txt_dir = meta_dir = folder
    else:
        html_dir, txt_dir, meta_dir = folder / "html", folder / "txt", folder / "metadata"
    pages = []
    for meta_path in sorted(meta_dir.glob("*.json")):
        name = meta_path.stem
        html_path, txt_path = html_dir / f"{name}.html", txt_dir / f"{name}.txt"
        if not (html_path.exists() and txt_path.exists()):
            continue
        meta = json.loads(meta_path.read_text())
        gold = txt_path.read_text()
        if meta.get("title") and len(gold) > 200:
            pages.append({"name": name, "raw": html_path.read_bytes(), "meta": meta, "gold": gold})
    return pages


# --- scoring -----------------------------------------------------------------------------------

def tokens(text: str) -> Counter:
    words = re.findall(r"\w+", (text or "").casefold())
    if len(words) < len(text or "") / 20:  # Chinese, Japanese, Thai: characters
        words = [ch for ch in (text or "") if ch.isalnum()]
    return Counter(words)


def f1(got: str, want: str) -> float:
    g, w = tokens(got), tokens(want)
    overlap = sum((g & w).values())
    if not overlap:
        return 0.0
    p, r = overlap / sum(g.values()), overlap / sum(w.values())
    return 2 * p * r / (p + r)


def fold(text) -> str:
    return " ".join(str(text or "").replace("’", "'").split()).casefold()


def same_day(got, want) -> bool:
    return bool(got) and str(got)[:10] == str(want)[:10]


# --- extractors ---------------------------------------------------------------------------------

def ours(raw: bytes) -> dict:
    from synd.decode import decode_bytes
    from synd.formats import Decoded, parse

    text, encoding = decode_bytes(raw)
    doc = Decoded(raw=raw, text=text, encoding=encoding)
    draft = parse(doc)[1][0]
    return {"body": draft.body_text, "title": draft.title, "date": draft.published, "authors": draft.authors}


def plain_trafilatura(raw: bytes) -> dict:
    import trafilatura

    doc = trafilatura.bare_extraction(raw, with_metadata=True)
    if doc is None:
        return {"body": "", "title": None, "date": None, "authors": []}
    author = doc.author or ""
    return {"body": doc.text or "", "title": doc.title, "date": doc.date,
            "authors": [a.strip() for a in author.split(";") if a.strip()]}


def readability_lxml(raw: bytes) -> dict:
    import lxml.html
    from readability import Document

    document = Document(raw)
    summary = document.summary(html_partial=True)
    try:
        tree = lxml.html.fragment_fromstring(summary, create_parent="div")
        body = "\n".join(" ".join(p.text_content().split()) for p in tree.xpath("//p|//h2|//h3|//li")) \
            or tree.text_content()
    except Exception:
        body = ""
    return {"body": body, "title": document.short_title(), "date": None, "authors": None}


EXTRACTORS = {"synd (ours)": ours, "trafilatura": plain_trafilatura, "readability-lxml": readability_lxml}


def run_html(pages: list[dict], repeat: int) -> list[tuple]:
    """Score every extractor on every page; time is the best of `repeat` runs per page, the
    extractors interleaved page by page so that a busy machine slows them all alike."""
    for extract in EXTRACTORS.values():
        extract(pages[0]["raw"])  # warm up imports and lazy tables
    outputs = {label: [] for label in EXTRACTORS}
    best = {label: [float("inf")] * len(pages) for label in EXTRACTORS}
    for round_ in range(repeat):
        for index, page in enumerate(pages):
            for label, extract in EXTRACTORS.items():
                start = time.perf_counter()
                try:
                    out = extract(page["raw"])
                except Exception as exc:  # a refused page scores zero
                    out = {"body": "", "title": None, "date": None, "authors": [], "error": str(exc)}
                best[label][index] = min(best[label][index], time.perf_counter() - start)
                if round_ == 0:
                    outputs[label].append(out)
    rows = []
    for label in EXTRACTORS:
        scores, titles, dates, authors = [], 0, [], []
        for page, out in zip(pages, outputs[label]):
            meta = page["meta"]
            scores.append(f1(out["body"], page["gold"]))
            titles += fold(out["title"]) == fold(meta["title"])
            if meta.get("publish_date"):
                dates.append(same_day(out["date"], meta["publish_date"]))
            if meta.get("authors"):
                authors.append(out["authors"] is not None
                               and [fold(a) for a in out["authors"]] == [fold(a) for a in meta["authors"]])
        n = len(pages)
        seconds = sum(best[label])
        rows.append((label, sum(scores) / n, titles / n, sum(dates) / max(1, len(dates)),
                     sum(authors) / max(1, len(authors)) if label != "readability-lxml" else None,
                     1000 * seconds / n, 1000 * seconds))
    return rows


def run_line_formats(repeat: int) -> list[tuple[str, float, int]]:
    """ms per article for the text and Markdown parsers on the real drops."""
    from synd.decode import decode_bytes
    from synd.formats import Decoded, gopher, markdown, text

    drops = REPO / "tests" / "unit" / "formats" / "data" / "drops"
    cases = [("markdown", markdown, drops / "afgazad.txt"), ("gopher", gopher, drops / "opendemocracy.txt")]
    raw = (drops / "opendemocracy.txt").read_text()
    body = raw.split("------------------------", 1)[1].split("[END]", 1)[0]
    plain = body.encode()
    out = []
    for label, module, path in cases + [("text", text, None)]:
        data = path.read_bytes() if path else plain
        decoded, encoding = decode_bytes(data)
        doc = Decoded(raw=data, text=decoded, encoding=encoding)
        module.parse(doc)
        start = time.perf_counter()
        for _ in range(repeat):
            module.parse(doc)
        out.append((label, 1000 * (time.perf_counter() - start) / repeat, len(decoded)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="parse each page N times (time is the best run)")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "shared"))
    pages = load_pages(pages_dir())
    print(f"{len(pages)} real news pages with expected text/metadata ({SDIST} test data)\n")
    print(f"{'extractor':18} {'body F1':>8} {'title':>7} {'date':>7} {'authors':>8} {'ms/page':>8} {'total ms':>9}")
    for label, body, title, date, authors, per_page, total in run_html(pages, args.repeat):
        shown = "n/a" if authors is None else f"{authors:.0%}"
        print(f"{label:18} {body:8.3f} {title:7.0%} {date:7.0%} {shown:>8} {per_page:8.1f} {total:9.0f}")
    print("\n(date: same day as expected, on pages with an expected date; authors: exact list, on pages with"
          " expected authors; newspaper4k's expected authors are themselves noisy)\n")
    print(f"{'line format':18} {'ms/article':>10} {'chars':>7}")
    for label, ms, chars in run_line_formats(max(50, args.repeat * 50)):
        print(f"{label:18} {ms:10.3f} {chars:7d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
