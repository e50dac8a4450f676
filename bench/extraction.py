"""Extraction benchmark: our HTML parser against trafilatura (default and favor_precision),
readability-lxml and newspaper4k on real pages with known answers, in one run.

Page sets:
- `benchmark`: the development half of the scrapinghub article-extraction-benchmark
  (../shared/benchmarks/extraction: 90 pages, human-annotated bodies), scored with the
  benchmark's own metric (token 4-shingles, see `shingle_scores`), re-implemented here.
- `newspaper4k`: the test pages of the newspaper4k==0.9.6 sdist (fetched once with `pip download`
  into ~/.cache/synd-bench/; without network the six pages of tests/unit/formats/data/html),
  scored with the same metric, plus title / date / authors.
- `corpus`: the HTML drops of tests/corpus, scored as the share of their `body_contains` /
  `body_excludes` checks that hold.

Every system runs in a subprocess of its own per set (`--worker`), so the time shown is the
whole process: interpreter start, imports and every page; with --repeat the systems take
turns, and CPU seconds are shown next to wall seconds (the steadier figure on a loaded machine).
Last, the text, Markdown and Gopher parsers' ms per article on real drops (in process). Peers that are not installed
(`.venv/bin/pip install -e ".[bench]"` brings newspaper4k and html-text) are left out.

Run:  .venv/bin/python bench/extraction.py [--repeat N] [--sets benchmark,newspaper4k,corpus]
      .venv/bin/python bench/extraction.py --worst 10     # synd's worst benchmark pages
Prints tables; figures, not assertions (see tests/ for behaviour).
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCHMARK = REPO.parent / "shared" / "benchmarks" / "extraction"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "synd-bench"
SDIST = "newspaper4k==0.9.6"
FALLBACK = REPO / "tests" / "unit" / "formats" / "data" / "html"
CORPUS = REPO / "tests" / "corpus"
WORD = re.compile(r"\w+", re.UNICODE | re.IGNORECASE)  # the scorer's pattern; the flag changes nothing for \w


# --- the benchmark's metric -----------------------------------------------------------------------

def shingles(text: str) -> Counter:
    """The multiset of 4-token shingles of `text`; one shingle of all tokens when there are 1 to 3."""
    tokens = WORD.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < 4:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i:i + 4]) for i in range(len(tokens) - 3))


def page_counts(predicted: str, annotated: str) -> tuple[int, int, int]:
    """TP, FP, FN of one page over the shingle multisets."""
    got, want = shingles(predicted), shingles(annotated)
    tp = sum((got & want).values())
    return tp, sum((got - want).values()), sum((want - got).values())


def page_scores(predicted: str, annotated: str) -> tuple[float | None, float | None]:
    """(precision, recall) of one page; None where the page does not count for that mean."""
    tp, fp, fn = page_counts(predicted, annotated)
    if fp == fn == 0:
        return (1.0 if tp else None), (1.0 if tp else None)
    precision = tp / (tp + fp) if tp + fp else None  # no predicted text: left out of precision
    recall = tp / (tp + fn) if tp + fn else None
    return precision, recall


def shingle_scores(pairs: list[tuple[str, str]]) -> dict:
    """F1, precision, recall (the benchmark's averaging: means of per-page ratios, F1 of the means)."""
    per_page = [page_scores(p, a) for p, a in pairs]
    precisions = [p for p, _ in per_page if p is not None]
    recalls = [r for _, r in per_page if r is not None]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": f1, "precision": precision, "recall": recall, "per_page": per_page}


def bootstrap_f1(per_page: list, rounds: int = 1000, seed: int = 0) -> float:
    """Standard deviation of F1 over bootstrap resamples of the pages (the benchmark's ±)."""
    rng = random.Random(seed)  # noqa: S311  # a reproducible resample, not a secret
    values = []
    for _ in range(rounds):
        sample = [per_page[rng.randrange(len(per_page))] for _ in per_page]
        ps = [p for p, _ in sample if p is not None]
        rs = [r for _, r in sample if r is not None]
        p, r = (sum(ps) / len(ps) if ps else 0.0), (sum(rs) / len(rs) if rs else 0.0)
        values.append(2 * p * r / (p + r) if p + r else 0.0)
    mean = sum(values) / len(values)
    return (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5


def word_f1(got: str, want: str) -> float:
    """A bag-of-words F1 of one page (characters for Chinese/Japanese), for the unit tests'
    thresholds on single pages, where order does not matter and one shingle per CJK run is too coarse."""
    def bag(text: str) -> Counter:
        words = re.findall(r"\w+", (text or "").casefold())
        if len(words) < len(text or "") / 20:  # Chinese, Japanese, Thai: characters
            words = [ch for ch in (text or "") if ch.isalnum()]
        return Counter(words)

    g, w = bag(got), bag(want)
    overlap = sum((g & w).values())
    if not overlap:
        return 0.0
    p, r = overlap / sum(g.values()), overlap / sum(w.values())
    return 2 * p * r / (p + r)


# --- page sets -----------------------------------------------------------------------------------

def benchmark_pages() -> list[dict]:
    truth = json.loads((BENCHMARK / "ground-truth.json").read_text())
    return [{"id": key, "path": str(BENCHMARK / "html" / f"{key}.html.gz"), "url": value.get("url"),
             "gold": value["articleBody"]} for key, value in sorted(truth.items())]


def newspaper_dir() -> Path:
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
            tar.extractall(CACHE, members=members, filter="data")  # no links or paths out of the cache
        (CACHE / archive.name.replace(".tar.gz", "")).rename(CACHE / "newspaper4k")
        return target
    except (subprocess.SubprocessError, StopIteration, OSError) as exc:
        print(f"(could not fetch {SDIST}: {exc}; using the pages in {FALLBACK})")
        return FALLBACK


def newspaper_pages() -> list[dict]:
    folder = newspaper_dir()
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
            pages.append({"id": name, "path": str(html_path), "url": meta.get("url"), "gold": gold, "meta": meta})
    return pages


def corpus_pages() -> list[dict]:
    pages: list[dict] = []
    for expected in sorted((CORPUS / "expected").glob("*.json")):
        case = json.loads(expected.read_text())
        if case.get("format") != "html" or case.get("rejected"):
            continue
        pages.extend({"id": expected.stem, "path": str(CORPUS / case["drop"]), "url": None,
                      "contains": article.get("body_contains", []), "excludes": article.get("body_excludes", [])}
                     for article in case.get("articles", []))
    return pages


SETS = {"benchmark": benchmark_pages, "newspaper4k": newspaper_pages, "corpus": corpus_pages}


# --- the systems (run inside a worker process) ---------------------------------------------------------

EMPTY = {"body": "", "title": None, "date": None, "authors": None}


def run_synd(raw: bytes, url: str | None) -> dict:
    from synd.decode import decode_bytes
    from synd.formats import Decoded, parse

    text, encoding = decode_bytes(raw)
    draft = parse(Decoded(raw=raw, text=text, encoding=encoding))[1][0]
    return {"body": draft.body_text, "title": draft.title, "date": draft.published, "authors": draft.authors}


def _trafilatura(raw: bytes, url: str | None, **options) -> dict:
    import trafilatura

    doc = trafilatura.bare_extraction(raw, url=url, with_metadata=True, **options)
    if doc is None or isinstance(doc, dict):  # a dict only with as_dict=True, which is not asked for
        return dict(EMPTY)
    author = doc.author or ""
    return {"body": doc.text or "", "title": doc.title, "date": doc.date,
            "authors": [a.strip() for a in author.split(";") if a.strip()]}


def run_trafilatura(raw: bytes, url: str | None) -> dict:
    return _trafilatura(raw, url)


def run_trafilatura_precision(raw: bytes, url: str | None) -> dict:
    return _trafilatura(raw, url, favor_precision=True)


def run_readability(raw: bytes, url: str | None) -> dict:
    """The benchmark's own call: the summary's HTML to text with html-text (p/li/h* lines without it)."""
    from readability import Document

    document = Document(raw)
    summary = document.summary(html_partial=True)
    try:
        import html_text

        body = html_text.extract_text(summary, guess_layout=True)
    except ImportError:
        import lxml.html

        tree = lxml.html.fragment_fromstring(summary, create_parent="div")
        body = "\n".join(" ".join(p.text_content().split()) for p in tree.xpath("//p|//h2|//h3|//li"))
    return {"body": body, "title": document.short_title(), "date": None, "authors": None}


def run_newspaper(raw: bytes, url: str | None) -> dict:
    from newspaper import Article  # type: ignore[import-untyped]  # newspaper4k ships no type information

    article = Article(url or "https://example.com/article", fetch_images=False)
    article.download(input_html=raw.decode("utf-8", "replace"))
    article.parse()
    date = article.publish_date.isoformat() if article.publish_date else None
    return {"body": article.text or "", "title": article.title, "date": date, "authors": list(article.authors)}


SYSTEMS = {
    "synd": (run_synd, None),
    "trafilatura": (run_trafilatura, "trafilatura"),
    "trafilatura precision": (run_trafilatura_precision, "trafilatura"),
    "readability-lxml": (run_readability, "readability"),
    "newspaper4k": (run_newspaper, "newspaper"),
}


def worker(system: str, pages_file: str, out_file: str) -> int:
    """Extract every page of `pages_file` with one system; one JSON line per page."""
    import logging
    import warnings

    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")  # peers' import-time and dateutil warnings are not figures
    sys.path.insert(0, str(REPO / "shared"))
    extract = SYSTEMS[system][0]
    with open(pages_file) as f, open(out_file, "w") as out:
        for page in json.load(f):
            path = Path(page["path"])
            raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
            try:
                result = extract(raw, page.get("url"))
            except Exception as exc:  # noqa: BLE001  # any system's failure on a page: that page has no body
                result = {**EMPTY, "error": f"{type(exc).__name__}: {exc}"[:200]}
            out.write(json.dumps({"id": page["id"], **result}, default=str) + "\n")
    return 0


# --- the run -------------------------------------------------------------------------------------

def installed(module: str | None) -> bool:
    if module is None:
        return True
    import importlib.util

    return importlib.util.find_spec(module) is not None


def run_systems(systems: list[str], pages: list[dict], repeat: int) -> dict[str, tuple[list[dict], float, float]]:
    """Each system's outputs, best whole-process time and best CPU time over `repeat` runs.

    The runs take turns (synd, trafilatura, ..., then synd again), so that a burst of load from
    other processes on a shared machine falls on every system alike rather than on whichever
    ran its repeats at the time. CPU time (user + system of the worker and of every child it
    waited for, e.g. synd's readability fork) moves less than wall time under such load."""
    best = {system: (float("inf"), float("inf")) for system in systems}
    outputs: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        pages_file = Path(tmp) / "pages.json"
        pages_file.write_text(json.dumps([{k: p[k] for k in ("id", "path", "url")} for p in pages]))
        for _ in range(repeat):
            for system in systems:
                out_file = Path(tmp) / f"{system}.jsonl"
                start, cpu_start = time.perf_counter(), _children_cpu()
                subprocess.run([sys.executable, __file__, "--worker", system, str(pages_file), str(out_file)],
                               check=True, cwd=REPO)
                wall, cpu = time.perf_counter() - start, _children_cpu() - cpu_start
                best[system] = (min(best[system][0], wall), min(best[system][1], cpu))
                outputs[system] = [json.loads(line) for line in out_file.read_text().splitlines()]
    return {system: (outputs[system], *best[system]) for system in systems}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def fold(text) -> str:
    return " ".join(str(text or "").replace("’", "'").split()).casefold()


def metadata_scores(pages: list[dict], outputs: list[dict]) -> dict:
    titles = sum(fold(o["title"]) == fold(p["meta"]["title"]) for p, o in zip(pages, outputs, strict=True)) / len(pages)
    dated = [(p, o) for p, o in zip(pages, outputs, strict=True) if p["meta"].get("publish_date")]
    dates = sum(bool(o["date"]) and str(o["date"])[:10] == str(p["meta"]["publish_date"])[:10]
                for p, o in dated) / max(1, len(dated))
    authored = [(p, o) for p, o in zip(pages, outputs, strict=True) if p["meta"].get("authors")]
    authors = None if all(o["authors"] is None for o in outputs) else sum(
        [fold(a) for a in (o["authors"] or [])] == [fold(a) for a in p["meta"]["authors"]]
        for p, o in authored) / max(1, len(authored))
    return {"title": titles, "date": dates, "authors": authors}


def corpus_score(pages: list[dict], outputs: list[dict]) -> tuple[int, int]:
    ok = total = 0
    for page, out in zip(pages, outputs, strict=True):
        body = " ".join((out["body"] or "").split())
        for want in page["contains"]:
            ok += " ".join(want.split()) in body
        for unwanted in page["excludes"]:
            ok += " ".join(unwanted.split()) not in body
        total += len(page["contains"]) + len(page["excludes"])
    return ok, total


def report_text_set(name: str, pages: list[dict], systems: list[str], repeat: int) -> dict:
    print(f"\n## {name}: {len(pages)} pages, the benchmark's metric (4-token shingles)")
    header = (f"{'system':22} {'F1':>6} {'±':>6} {'P':>6} {'R':>6} {'empty':>6} {'seconds':>8} {'×traf':>6}"
              f" {'cpu s':>6} {'×traf':>6}")
    meta = name == "newspaper4k"
    print(header + (f" {'title':>6} {'date':>6} {'authors':>7}" if meta else ""))
    results = {}
    for system, (outputs, seconds, cpu) in run_systems(systems, pages, repeat).items():
        scores = shingle_scores([(o["body"] or "", p["gold"]) for p, o in zip(pages, outputs, strict=True)])
        empty = sum(not shingles(o["body"] or "") and bool(shingles(p["gold"]))
                    for p, o in zip(pages, outputs, strict=True))
        results[system] = {**scores, "seconds": seconds, "cpu": cpu, "empty": empty, "outputs": outputs}
    base = results.get("trafilatura", {})
    for system, r in results.items():
        ratio = f"{r['seconds'] / base['seconds']:6.2f}" if base else "   n/a"
        cpu_ratio = f"{r['cpu'] / base['cpu']:6.2f}" if base else "   n/a"
        line = (f"{system:22} {r['f1']:6.3f} {bootstrap_f1(r['per_page']):6.3f} {r['precision']:6.3f} "
                f"{r['recall']:6.3f} {r['empty']:6d} {r['seconds']:8.2f} {ratio} {r['cpu']:6.2f} {cpu_ratio}")
        if meta:
            m = metadata_scores(pages, r["outputs"])
            authors = "n/a" if m["authors"] is None else f"{m['authors']:.0%}"
            line += f" {m['title']:6.0%} {m['date']:6.0%} {authors:>7}"
        print(line)
    print("(empty: pages with an annotated body where the system gave no text, refusals included; seconds: one"
          " process per system over the set, start-up and imports included, best of --repeat; cpu s: that"
          " process's CPU time and its children's, best of --repeat, steadier on a shared machine)")
    return results


def report_corpus(pages: list[dict], systems: list[str], repeat: int) -> None:
    print(f"\n## tests/corpus HTML drops: {len(pages)} pages, body_contains/body_excludes checks that hold")
    print(f"{'system':22} {'checks':>9} {'share':>6} {'seconds':>8} {'cpu s':>6}")
    for system, (outputs, seconds, cpu) in run_systems(systems, pages, repeat).items():
        ok, total = corpus_score(pages, outputs)
        print(f"{system:22} {ok:4d}/{total:<4d} {ok / max(1, total):6.1%} {seconds:8.2f} {cpu:6.2f}")


def report_worst(pages: list[dict], count: int) -> None:
    outputs = run_systems(["synd"], pages, 1)["synd"][0]
    rows = []
    for page, out in zip(pages, outputs, strict=True):
        p, r = page_scores(out["body"] or "", page["gold"])
        f = 2 * p * r / (p + r) if p and r else 0.0
        rows.append((f, p, r, page["id"][:12], page.get("url"), out.get("error")))
    for f, p, r, key, url, error in sorted(rows, key=lambda row: row[0])[:count]:
        shown_p, shown_r = (None if v is None else round(v, 3) for v in (p, r))
        print(f"{f:.3f} P={shown_p} R={shown_r} {key} {url} {error or ''}")


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
    for label, module, path in [*cases, ("text", text, None)]:
        data = path.read_bytes() if path else plain
        decoded, encoding = decode_bytes(data)
        doc = Decoded(raw=data, text=decoded, encoding=encoding)
        module.parse(doc)
        start = time.perf_counter()
        for _ in range(repeat):
            module.parse(doc)
        out.append((label, 1000 * (time.perf_counter() - start) / repeat, len(decoded)))
    return out


def report_line_formats(repeat: int) -> None:
    sys.path.insert(0, str(REPO / "shared"))
    print(f"\n## line formats (in process)\n{'format':18} {'ms/article':>10} {'chars':>7}")
    for label, ms, chars in run_line_formats(repeat):
        print(f"{label:18} {ms:10.3f} {chars:7d}")


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        return worker(*sys.argv[2:5])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="run each process N times (time is the best run)")
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated: " + ", ".join(SETS))
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated: " + ", ".join(SYSTEMS))
    parser.add_argument("--worst", type=int, default=0, help="list synd's N worst benchmark pages and stop")
    args = parser.parse_args()
    if args.worst:
        report_worst(benchmark_pages(), args.worst)
        return 0
    systems = [s for s in args.systems.split(",") if s in SYSTEMS and installed(SYSTEMS[s][1])]
    missing = [s for s in args.systems.split(",") if s not in systems]
    if missing:
        print(f"(left out, not installed or unknown: {', '.join(missing)})")
    for name in args.sets.split(","):
        pages = SETS[name]()
        if name == "corpus":
            report_corpus(pages, systems, args.repeat)
        else:
            report_text_set(name, pages, systems, args.repeat)
    report_line_formats(50)
    return 0


if __name__ == "__main__":
    sys.exit(main())
