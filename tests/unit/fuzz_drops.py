"""Mutated real drops for fuzzing the core: the generator of tests/unit/test_fuzz.py and bench/fuzz.py.

Seeds are the real drops of the repository (samples/, tests/corpus/drops/, the shared corpus,
tests/unit/formats/data). Drop number `i` of seed `s` is made by `random.Random(f"{s}:{i}")`
alone, so any drop can be made again from its two numbers, and its recipe (seed file and
mutations, in words) says what was done. Mutations: byte flips, truncation, splicing in a
piece of another drop, duplicating or deleting a chunk, nesting (JSON, HTML, YAML), and
inserting attack payloads: runs that made regexes backtrack (`**a `, `a@`, spaces, `# a` +
spaces), character references to no character, NULs and controls, bidi overrides, huge
lines, thousands of short paragraphs.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from synd.errors import CODES, Rejected
from synd.pipeline import make_source, parse_drop
from synd.settings import PartnerSettings

REPO = Path(__file__).resolve().parents[2]
SEED_DIRS = [REPO / "samples", REPO / "tests" / "corpus" / "drops", REPO.parent / "shared" / "corpus" / "drops",
             REPO / "tests" / "unit" / "formats" / "data"]
PARTNER = PartnerSettings(id="fuzz")


def seeds(max_bytes: int | None = None) -> list[tuple[str, bytes]]:
    """(name, bytes) of every seed drop, in a fixed order; each cut to `max_bytes` when given."""
    found = []
    for folder in SEED_DIRS:
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")):
                data = path.read_bytes()
                found.append((str(path.relative_to(folder.parent)), data[:max_bytes] if max_bytes else data))
    return found


# --- payloads: (name, make(rng, size) -> bytes) ------------------------------------------------

def _repeat(unit: str):
    return lambda rng, size: (unit * max(1, size // len(unit))).encode("utf-8")


def _nested(open_: str, close: str):
    return lambda rng, size: (open_ * min(size // len(open_), 5000) + close * min(size // len(open_), 5000)).encode()


PAYLOADS = {
    "bold runs": _repeat("**a "),
    "italic runs": _repeat("*a "),
    "underscore runs": _repeat("_a "),
    "address runs": _repeat("a@"),
    "spaces": _repeat(" "),
    "tabs and spaces": _repeat(" \t"),
    "heading with spaces": lambda rng, size: b"\n# a" + b" " * size + b"b\n",
    "label with spaces": lambda rng, size: b"\nAuthor:" + b" " * size + b"x\n",
    "via with spaces": lambda rng, size: b"\nx" + b" " * size + b"via" + b" " * size + b"y\n",
    "published with spaces": lambda rng, size: b"\npublished" + b" " * size + b"on x\n",
    "link brackets": _repeat("["),
    "link starts": _repeat("[a](b"),
    "image starts": _repeat("![a]("),
    "autolink starts": _repeat("<http://a "),
    "tag starts": _repeat("a<"),
    "parentheses": _repeat("("),
    "dots and letters": _repeat("a."),
    "digits and spaces": _repeat("1 "),
    "copyright runs": _repeat("copyright "),
    "staff runs": _repeat("staff "),
    "reference lines": _repeat("[1] Url: http://a\n"),
    "char ref too big": _repeat("&#9999999999;"),
    "char ref hex too big": _repeat("&#x110000;"),
    "char ref surrogate": _repeat("&#xD800;"),
    "char ref zero": _repeat("&#0;"),
    "nul bytes": lambda rng, size: b"\x00" * size,
    "controls": lambda rng, size: bytes(rng.randrange(32) for _ in range(min(size, 4096))),
    "bidi overrides": _repeat("\u202e\u2066abc\u202c"),
    "huge line": _repeat("x"),
    "huge word line": _repeat("word "),
    "short paragraphs": _repeat("the council met and agreed to meet again soon about the plan\n\n"),
    "blank lines": _repeat("\n"),
    "json arrays": _nested("[", "]"),
    "json objects": lambda rng, size: ('{"a":' * min(size // 5, 5000) + "1" + "}" * min(size // 5, 5000)).encode(),
    "html divs": _nested("<div>", "</div>"),
    "html date spans": _nested('<span class="date">', "</span>"),
    "html footers": _nested('<div class="footer">', "</div>"),
    "yaml flow nesting": lambda rng, size: b"---\nx: " + b"[" * min(size, 5000) + b"]" * min(size, 5000) + b"\n---\n",
    "yaml aliases": lambda rng, size: ("---\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
        + "author: *i\ntitle: *i\n---\n").encode(),
    "json-ld nesting": lambda rng, size: (b'<script type="application/ld+json">' + b"[" * min(size, 5000)
                                          + b"]" * min(size, 5000) + b"</script>"),
    "xml entities": lambda rng, size: b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>',
    "replacement chars": _repeat("\ufffd"),
    "zero-width joiners": _repeat("\u200c\u200d"),
    "arabic letters": _repeat("ب "),
}


# --- mutations -------------------------------------------------------------------------------

@dataclass
class Fuzzed:
    """One fuzzed drop: its bytes, the numbers that make it again, and what was done."""

    seed: int
    index: int
    data: bytes
    recipe: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return f"--seed {self.seed} --only {self.index}: " + "; ".join(self.recipe)


def _spot(rng: random.Random, data: bytes) -> int:
    """Somewhere in the drop: often at a line start, sometimes anywhere."""
    if not data:
        return 0
    at = rng.randrange(len(data) + 1)
    if rng.random() < 0.6:
        line = data.rfind(b"\n", 0, at)
        at = line + 1 if line >= 0 else 0
    return at


def mutate(rng: random.Random, data: bytes, others: list[tuple[str, bytes]], max_payload: int) -> tuple[bytes, str]:
    """One mutation of `data`; returns the new bytes and the mutation in words."""
    kind = rng.choices(["payload", "flip", "truncate", "splice", "duplicate", "delete", "wrap"],
                       weights=[40, 12, 10, 10, 12, 8, 8])[0]
    if kind == "payload" or not data:
        name = rng.choice(sorted(PAYLOADS))
        size = int(max_payload ** rng.random())  # sizes spread from 1 to max_payload
        payload = PAYLOADS[name](rng, size)
        at = _spot(rng, data)
        return data[:at] + payload + data[at:], f"insert {name} ({len(payload):,} bytes) at {at:,}"
    if kind == "flip":
        out = bytearray(data)
        count = rng.randint(1, 16)
        for _ in range(count):
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
        return bytes(out), f"flip {count} bits"
    if kind == "truncate":
        at = rng.randrange(len(data))
        return data[:at], f"truncate at {at:,}"
    if kind == "splice":
        name, other = rng.choice(others)
        start = rng.randrange(len(other)) if other else 0
        piece = other[start:start + rng.randint(1, 4096)]
        at = _spot(rng, data)
        return data[:at] + piece + data[at:], f"splice {len(piece):,} bytes of {name} at {at:,}"
    if kind == "duplicate":
        start = rng.randrange(len(data))
        chunk = data[start:start + rng.randint(1, 2048)]
        times = rng.randint(2, max(2, max_payload // max(1, len(chunk))))
        return data[:start] + chunk * times + data[start:], f"duplicate {len(chunk):,} bytes at {start:,} x{times}"
    if kind == "delete":
        start = rng.randrange(len(data))
        length = rng.randint(1, max(1, len(data) // 4))
        return data[:start] + data[start + length:], f"delete {length:,} bytes at {start:,}"
    depth = rng.randint(10, 3000)
    text = data.lstrip()
    if text.startswith((b"{", b"[")):
        return b'{"x": ' * depth + data + b"}" * depth, f"wrap in {depth} JSON objects"
    if text.startswith(b"<"):
        return b"<div>" * depth + data + b"</div>" * depth, f"wrap in {depth} divs"
    return b"> " * min(depth, 200) + data, f"quote {min(depth, 200)} levels"


def fuzzed(seed: int, index: int, pool: list[tuple[str, bytes]], max_payload: int) -> Fuzzed:
    """Drop number `index` of `seed`: a seed drop and one to three mutations."""
    rng = random.Random(f"{seed}:{index}")
    name, data = rng.choice(pool)
    drop = Fuzzed(seed, index, data, [name])
    for _ in range(rng.choices([1, 2, 3], weights=[60, 30, 10])[0]):
        drop.data, step = mutate(rng, drop.data, pool, max_payload)
        drop.recipe.append(step)
    return drop


def generate(seed: int, count: int, max_payload: int, max_seed_bytes: int | None = None, start: int = 0):
    pool = seeds(max_seed_bytes)
    for index in range(start, start + count):
        yield fuzzed(seed, index, pool, max_payload)


# --- running --------------------------------------------------------------------------------

@dataclass
class Outcome:
    """What the core made of one drop: `articles`, or the rejection code, or the exception's type."""

    kind: str  # articles | rejected | exception
    detail: str  # number of articles, the code, or "ExceptionType: message"
    item_codes: list[str]
    seconds: float

    @property
    def failed(self) -> bool:
        """An unhandled exception, the safety net's parser_error, or a code that is not documented."""
        codes = self.item_codes + ([self.detail] if self.kind == "rejected" else [])
        return self.kind == "exception" or any(code == "parser_error" or code not in CODES for code in codes)


def run(drop: Fuzzed, budget_seconds: float | None = None) -> Outcome:
    start = time.perf_counter()
    try:
        result = parse_drop(drop.data, make_source(drop.data, path=f"fuzz-{drop.index}"), PARTNER,
                            budget_seconds=budget_seconds)
    except Rejected as exc:
        return Outcome("rejected", exc.code, [], time.perf_counter() - start)
    except Exception as exc:  # noqa: counted as a failure
        return Outcome("exception", f"{type(exc).__name__}: {exc}"[:300], [], time.perf_counter() - start)
    return Outcome("articles", str(len(result.articles)), [e.code for e in result.errors], time.perf_counter() - start)
