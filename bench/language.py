"""Language detection, side by side: synd (fastText lid.176 + letter rules),
the same model alone (its label mapped, no rules), py3langid and langdetect, on the labelled set tests/data/language/samples.jsonl.

Also on tests/data/language/ui_samples.jsonl (software messages from Debian's
translations, length "ui"), and on the Persian samples respelt with Arabic
ي and ك (length "legacy"). Prints accuracy per language and length, the Persian/Pashto/Arabic/Urdu
confusion matrix, short texts per second after load, load time and memory
(each detector loaded in a fresh interpreter, peak RSS over a bare one).

    .venv/bin/python bench/language.py
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "language"
SETS = [DATA / "samples.jsonl", DATA / "ui_samples.jsonl"]  # UDHR short/long; Debian software messages
LENGTHS = ("short", "long", "ui", "legacy")
FAMILY = ["fa", "ps", "ar", "ur"]
SPEED_ROUNDS = 5

LOADERS = {
    "synd": "from synd.language import load, detect; load(); detect('warm up the model')",
    "synd (model file only)": "from synd.language import model; t = time.perf_counter(); model.load()",
    "py3langid": "import py3langid; py3langid.classify('warm up the model')",
    "langdetect": ("from langdetect import DetectorFactory, detect; DetectorFactory.seed = 0; "
                   "detect('warm up the model')"),
}


def detectors():
    from langdetect import DetectorFactory
    from langdetect import detect as langdetect_detect
    from langdetect.lang_detect_exception import LangDetectException
    import py3langid

    from synd.language import detect, model
    from synd.language.labels import newsroom_tag

    DetectorFactory.seed = 0

    def with_langdetect(text: str) -> str:
        try:
            return langdetect_detect(text)
        except LangDetectException:
            return "und"

    return {
        "synd": lambda text: detect(text).language,
        "lid176 alone": lambda text: newsroom_tag(model.predict(text, k=1)[0][0]),  # no letter rules, no und
        "py3langid": lambda text: py3langid.classify(text)[0],
        "langdetect": with_langdetect,
    }


def base(tag: str) -> str:
    return tag.split("-")[0].lower()


_PEAK_RSS = "int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])"


def load_cost(name: str, runs: int = 3) -> tuple[float, float]:
    """Median seconds to import and load the detector in a fresh interpreter, and MB of
    peak RSS (VmHWM, which unlike ru_maxrss starts afresh at exec) above a bare interpreter."""
    code = "import time; t = time.perf_counter(); " + LOADERS[name] + f"; print(time.perf_counter() - t, {_PEAK_RSS})"
    bare = f"print(0, {_PEAK_RSS})"

    def measure(snippet: str) -> tuple[float, float]:
        out = subprocess.run([sys.executable, "-c", snippet], capture_output=True, text=True, check=True, cwd=REPO)
        seconds, kb = out.stdout.split()
        return float(seconds), float(kb)

    rss0 = measure(bare)[1]
    timings = sorted(measure(code) for _ in range(runs))
    seconds, rss1 = timings[len(timings) // 2]
    return seconds, (rss1 - rss0) / 1024


def main() -> None:
    samples = [json.loads(line) for path in SETS for line in path.open(encoding="utf-8")]
    # Persian as typed on Arabic keyboards / in windows-1256: Arabic ي and ك for ی and ک
    samples += [{**s, "length": "legacy", "text": s["text"].replace("ی", "ي").replace("ک", "ك")}
                for s in samples if s["lang"] == "fa" and s["length"] != "ui"]
    languages = sorted({s["lang"] for s in samples})
    costs = {name: load_cost(name) for name in LOADERS}  # before this process grows
    results = {}
    for name, fn in detectors().items():
        fn("warm up")
        answers = [base(fn(s["text"])) for s in samples]
        shorts = [s["text"] for s in samples if s["length"] == "short"]
        started = time.perf_counter()
        for _ in range(SPEED_ROUNDS):
            for text in shorts:
                fn(text)
        rate = SPEED_ROUNDS * len(shorts) / (time.perf_counter() - started)
        results[name] = (answers, rate)

    sets = ", ".join(str(p.relative_to(REPO)) for p in SETS)
    print(f"labelled sets: {len(samples)} samples, {len(languages)} languages ({sets})\n")
    names = list(results)
    print("accuracy per language and length (% right)")
    print(f"{'lang':6}{'length':8}{'n':>5}" + "".join(f"{n:>14}" for n in names))
    for lang in languages:
        for length in LENGTHS:
            idx = [i for i, s in enumerate(samples) if s["lang"] == lang and s["length"] == length]
            if not idx:
                continue
            cells = [100 * sum(results[n][0][i] == lang for i in idx) / len(idx) for n in names]
            print(f"{lang:6}{length:8}{len(idx):5}" + "".join(f"{c:14.1f}" for c in cells))
    for length in LENGTHS:
        idx = [i for i, s in enumerate(samples) if s["length"] == length]
        cells = [100 * sum(results[n][0][i] == samples[i]["lang"] for i in idx) / len(idx) for n in names]
        print(f"{'ALL':6}{length:8}{len(idx):5}" + "".join(f"{c:14.2f}" for c in cells))

    for name in names:
        print(f"\n{name}: fa/ps/ar/ur confusion (rows = truth, columns = answer; all lengths)")
        matrix = defaultdict(Counter)
        for s, answer in zip(samples, results[name][0]):
            if s["lang"] in FAMILY:
                matrix[s["lang"]][answer if answer in FAMILY else "other"] += 1
        print("      " + "".join(f"{c:>7}" for c in FAMILY + ["other"]))
        for lang in FAMILY:
            print(f"{lang:6}" + "".join(f"{matrix[lang][c]:7}" for c in FAMILY + ["other"]))

    print(f"\n{'detector':24}{'short texts/s':>15}{'load ms':>10}{'RSS MB':>9}   (load = import + model, fresh interpreter)")
    for name in dict.fromkeys([*costs, *results]):
        rate = f"{results[name][1]:,.0f}" if name in results else "-"
        load = f"{1000 * costs[name][0]:.0f}" if name in costs else "-"
        mb = f"{costs[name][1]:.1f}" if name in costs else "-"
        print(f"{name:24}{rate:>15}{load:>10}{mb:>9}")


if __name__ == "__main__":
    main()
