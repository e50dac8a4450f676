"""`synd lang`: the language of each line on stdin, one JSON object per line."""
from __future__ import annotations

import json
import sys

NAME = "lang"
HELP = ("Tag the language of each text line read on stdin; print one JSON object per line: "
        '{"language", "confidence", "script", "direction"}.')


def add_arguments(parser) -> None:
    parser.add_argument("--detail", action="store_true",
                        help="also print the model's own label (`detected`)")


def run(args) -> int:
    from synd.language import detect, load

    load()
    out = sys.stdout
    for line in sys.stdin:
        tag = detect(line.rstrip("\n"))
        row = {"language": tag.language, "confidence": tag.confidence, "script": tag.script,
               "direction": tag.direction}
        if args.detail:
            row["detected"] = tag.detected
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
    out.flush()
    return 0
