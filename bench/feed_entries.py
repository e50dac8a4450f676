"""Size of the site's feed entry items (issue 13: entries carry the whole text where it may be published).

    .venv/bin/python bench/feed_entries.py [--corpus tests/corpus/drops]

Every drop of the labelled corpus is parsed by the pure core (synd.pipeline.parse_drop), each
article delivered to the default site target through the licence policy (synd.policy.decide) and
turned into its feed entry (synd.publish.feeds.make_entry). The table item is sized as
synd.render.entries.EntryStore.put_entry writes it (pk, sk, type, version, withdrawn, and the entry
as one JSON string) and as DynamoDB counts it (attribute names + UTF-8 values, numbers ~1 byte per
2 digits): one PutItem costs ceil(KB) write units; the renderer's strongly consistent Query reads
1 read unit per 4 KB of items (summed over the page, then rounded up).

"Before" is the same entry without the fields this change added (the whole text, whether it is
whole or cut, the source channel), which is what the entry was.
Prints per-article item sizes (median, p90, max), write units per article, and the read units of
reading 50 entries of the median size (what a feed render reads of its newest month or months).
"""
from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEW_FIELDS = ("content_text", "content_full", "content_truncated", "source")


def item_bytes(entry: dict, month: str = "2026-01") -> int:
    """DynamoDB's size of the entry item as put_entry writes it."""
    attributes = {"pk": f"FEED#{entry['language']}#{month}", "sk": f"ENTRY#{entry['id']}", "type": "feed_entry",
                  "entry": json.dumps(entry, ensure_ascii=False, sort_keys=True)}
    size = sum(len(k) + len(v.encode("utf-8")) for k, v in attributes.items())
    return size + len("version") + 1 + len("withdrawn") + 1  # a small number; a boolean


def corpus_entries(corpus: Path) -> list[dict]:
    from synd.errors import Rejected
    from synd.pipeline import make_source, parse_drop
    from synd.policy import decide
    from synd.publish.feeds import make_entry
    from synd.settings import PartnerSettings, TargetSettings

    site, entries = TargetSettings(name="site", kind="site"), []
    for path in sorted(p for p in corpus.rglob("*") if p.is_file()):
        data = path.read_bytes()
        partner = PartnerSettings(id=path.parent.name)
        try:
            result = parse_drop(data, make_source(data, path=str(path)), partner)
        except Rejected:  # the corpus holds drops the core refuses on purpose
            continue
        for article in result.articles:
            record = dict(article.to_record(), version=1)
            decision = decide(record, site, partner)
            if decision.action == "withhold":
                continue
            entries.append(make_entry(record, page_url=f"https://site.example/articles/{record['id']}/index.html",
                                      updated="2026-01-01T00:00:00Z", attribution=decision.attribution))
    return entries


def summary(label: str, sizes: list[int]) -> str:
    ordered = sorted(sizes)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    wru = [math.ceil(s / 1024) for s in sizes]
    feed_rcu = math.ceil(50 * statistics.median(sizes) / 4096)
    return (f"{label:7} item bytes median {statistics.median(sizes):>8,.0f}  p90 {p90:>8,}  max {max(sizes):>8,}  "
            f"WRU/article mean {statistics.mean(wru):.2f} (median {statistics.median(wru):.0f})  "
            f"RCU to read 50 median entries: {feed_rcu}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "corpus" / "drops")
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT / "shared"), str(ROOT)]
    entries = corpus_entries(args.corpus)
    after = [item_bytes(e) for e in entries]
    before = [item_bytes({k: v for k, v in e.items() if k not in NEW_FIELDS}) for e in entries]
    full = sum(1 for e in entries if e.get("content_full"))
    cut = sum(1 for e in entries if e.get("content_truncated"))
    print(f"{len(entries)} corpus articles delivered to the site; {full} carry their whole text, {cut} cut at the cap")
    print(summary("before", before))
    print(summary("after", after))


if __name__ == "__main__":
    main()
