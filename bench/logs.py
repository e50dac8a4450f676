"""Log lines and bytes per article and stage, as prod writes them (POWERTOOLS_LOG_LEVEL=INFO).

    .venv/bin/python bench/logs.py [--level INFO] [--repeat 1]

Every drop of samples/ goes through the ingest and the publish handlers on moto in-process
(tests/integration/log_lines.py), with four targets: the site, the SNS aggregator, the
EventBridge translation desk and a webhook answered by a local receiver. Prints, per stage,
the Logger's lines per article at each level and its bytes per article (what CloudWatch Logs
ingests and bills, per line plus its newline), the EMF metric lines apart (one per invocation
here; a batch of 10 shares one in Lambda), and the messages that take the most bytes.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the test helpers and the handlers; not bench/ itself, whose publish.py would hide functions/publish
sys.path[:] = [str(ROOT), str(ROOT / "functions")] + [p for p in sys.path[1:]]
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")

from tests.integration.log_lines import SAMPLES, StageLog, pipeline  # noqa: E402


def drops() -> list[Path]:
    return sorted(p for p in SAMPLES.glob("*/*") if p.is_file())


def run(level: str, repeat: int) -> tuple[dict[str, StageLog], int]:
    """Every sample through both stages `repeat` times (each time a fresh stack); the logs and the articles."""
    logs, articles = {"ingest": StageLog(), "publish": StageLog()}, 0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp, pipeline(Path(tmp) / "config") as pipe:
            for path in drops():
                ingest = pipe.ingest(f"incoming/{path.parent.name}/{path.name}", path.read_bytes(), level)
                publish = pipe.publish(level)
                articles += sum(len(r.get("articles", [])) for r in ingest.records if r["message"] == "drop ingested")
                for stage, log in (("ingest", ingest), ("publish", publish)):
                    logs[stage].lines += log.lines
                    logs[stage].emf += log.emf
    return logs, articles


def size(lines: list[str]) -> int:
    return sum(len(line.encode("utf-8")) + 1 for line in lines)


def report(logs: dict[str, StageLog], articles: int, level: str) -> None:
    print(f"{len(drops())} drops, {articles} articles, Logger level {level}, 4 targets\n")
    print(f"{'stage':<8} {'lines/article':>13} {'INFO/article':>12} {'bytes/article':>13} {'EMF bytes/article':>17}")
    total = 0
    for stage, log in logs.items():
        info = len(log.at("INFO"))
        per_article = size(log.lines) / articles
        total += per_article
        print(f"{stage:<8} {len(log.lines) / articles:>13.2f} {info / articles:>12.2f} {per_article:>13.0f} "
              f"{size(log.emf) / articles:>17.0f}")
    print(f"{'total':<8} {'':>13} {'':>12} {total:>13.0f}\n")
    for stage, log in logs.items():
        by_message = Counter()
        for line, record in zip(log.lines, log.records):
            by_message[(record["level"], record["message"])] += len(line.encode("utf-8")) + 1
        whole = sum(by_message.values()) or 1
        print(f"{stage}: bytes by message")
        for (lvl, message), count in by_message.most_common(6):
            print(f"  {lvl:<7} {message[:60]:<60} {count / articles:>6.0f} B/article {100 * count / whole:>4.0f}%")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--level", default="INFO", help="the Logger's level (prod: INFO; dev and local: DEBUG)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of every sample, each on a fresh stack")
    args = parser.parse_args()
    logs, articles = run(args.level, args.repeat)
    report(logs, articles, args.level)


if __name__ == "__main__":
    main()
