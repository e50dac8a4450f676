"""Find regexes of the core that backtrack on hostile text: a dynamic audit.

Python's `re` is a backtracking engine. A pattern with overlapping quantifiers
(`\\s*.+?\\s+via`) or one that `search`/`finditer` retries at every position of
a long run it scans to the end (`\\S+@\\S+\\.\\w+` on `a@a@a@...`) takes
quadratic or cubic time in the length of its input. Static checkers find only
the first kind (regexploit, tried here, flags 1 of the 3 patterns issue 9
measured), so this audit *runs* every pattern:

1. every compiled pattern that a module of `synd.formats`, `synd.text`,
   `synd.language`, `synd.license` or `synd.decode` holds at module level, and
   every literal pattern passed to `re.search`, `re.sub`, ... inside a function
   (found with `ast`);
2. against attack strings made of the pattern's own literals and of characters
   that its classes and common attacks use, repeated (`**a ` * n, ` ` * n, ...);
3. timed at n and 4n characters with `finditer` (which tries every start
   position, so it costs at least what match, search, sub and split cost).

A linear pattern takes about 4 times longer on 4n; a quadratic one 16 times, a
cubic one 64. Only calls that also take long in absolute terms are reported,
so a scheduling hiccup on a fast call never counts.

Run `python tests/unit/regex_audit.py` to print the whole audit.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import time
from dataclasses import dataclass
from re import _parser as sre_parse  # noqa: the stdlib's own parser of pattern syntax

from synd.license.wording import _LazyPattern

PACKAGES = ("synd.formats", "synd.text", "synd.language", "synd.license")
MODULES = ("synd.decode",)
RE_FUNCTIONS = {"compile": 1, "search": 2, "match": 2, "fullmatch": 2, "findall": 2, "finditer": 2,
                "split": 3, "sub": 4, "subn": 4}  # index of the positional `flags` argument
# Characters that hostile text repeats: spaces, separators, markup, letters of other scripts.
POOL = [" ", "a", "A", "1", "@", ".", "*", "_", "-", "[", "]", "(", ")", ":", "/", "<", ">", "#", "\n", "\t",
        '"', "'", "=", "&", ";", ",", "|", "!", "ب", "ж", "年", "©", "\u200c", "\u00a0"]
PAIR_POOL = [" ", "a", "1", "@", ".", "*", "-", "[", "<", "\n"]
RUN_UNITS = [" ", "\t", "a", ".", "-", "*", "#", "\n", "@", "[", "1", "a "]
TAILS = ("", "!", "\n")
SMALL, SCALE = 800, 4
SLOW_SECONDS = 0.015  # a call at 4 * SMALL characters that takes less than this is not a finding
LINEAR_FACTOR = 8  # 4x the input, at most 8x the time (quadratic is 16x)
# Patterns that only ever see a bounded piece of text, by the code that calls them, with that bound:
# they are audited at the bound (where even a quadratic pattern costs little), not beyond it.
BOUNDED = {
    "synd.text.authors.TRAILING_DATE": "synd.text.authors.MAX_PART_CHARS",  # `$`-anchored on one name part
    "synd.text.authors.TRAILING_ROLE": "synd.text.authors.MAX_PART_CHARS",
}


@dataclass(frozen=True)
class Site:
    """A pattern and where the code keeps it."""

    where: str
    pattern: re.Pattern


@dataclass(frozen=True)
class Finding:
    site: Site
    unit: str | bytes
    small: float
    large: float

    def __str__(self) -> str:
        if self.large != self.large:  # nan: not measured at 4n, already slow at n (or at its bound)
            return (f"{self.site.where}: {self.unit!r}: {self.small * 1000:.0f} ms for "
                    f"{bound_of(self.site) or SMALL} characters /{self.site.pattern.pattern}/")
        return (f"{self.site.where}: {self.unit!r} x n: {self.small * 1000:.1f} ms -> {self.large * 1000:.1f} ms "
                f"for {SCALE}x the text ({self.large / max(self.small, 1e-9):.0f}x)  /{self.site.pattern.pattern}/")


def core_modules() -> list:
    names = list(MODULES)
    for package in PACKAGES:
        module = importlib.import_module(package)
        names.append(package)
        names += [f"{package}.{info.name}" for info in pkgutil.iter_modules(module.__path__)]
    return [importlib.import_module(name) for name in names]


def collect_sites() -> list[Site]:
    """Every pattern of the core, once each (the same pattern object may be imported by several modules)."""
    sites: dict[tuple, Site] = {}
    for module in core_modules():
        for name, value in vars(module).items():
            if isinstance(value, _LazyPattern):  # compiled on first use (cold start): audit it all the same
                value = value.compiled
            if isinstance(value, re.Pattern):
                sites.setdefault((value.pattern, value.flags), Site(f"{module.__name__}.{name}", value))
        for where, pattern in _inline_patterns(module):
            sites.setdefault((pattern.pattern, pattern.flags), Site(where, pattern))
    return list(sites.values())


def _inline_patterns(module) -> list[tuple[str, re.Pattern]]:
    """Literal patterns given to re.* calls in the module's source."""
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError):
        return []
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                and node.func.attr in RE_FUNCTIONS and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, (str, bytes))):
            continue
        flags = 0
        flag_node = next((k.value for k in node.keywords if k.arg == "flags"), None)
        position = RE_FUNCTIONS[node.func.attr]
        if flag_node is None and len(node.args) > position:
            flag_node = node.args[position]
        if flag_node is not None:
            flags = eval(compile(ast.Expression(flag_node), "<flags>", "eval"), {"re": re})  # re.I | re.S ...
        found.append((f"{module.__name__}:{node.lineno}", re.compile(node.args[0].value, flags)))
    return found


def attacks(pattern: re.Pattern) -> list[tuple[str, str, str]]:
    """(prefix, unit, tail) triples: `prefix + unit * n + tail` is timed for growing n.

    Units are pool characters, pairs of them, and the pattern's literals with a letter or a
    space; prefixes put the pattern's first literals before a run (`# a` + spaces + `b`
    is how `^#+\\s+(.*?)\\s*#*\\s*$` is attacked); tails make the match fail at the end."""
    source = pattern.pattern if isinstance(pattern.pattern, str) else pattern.pattern.decode("latin-1")
    literals = _literals(source)
    units = list(POOL) + [a + b for a in PAIR_POOL for b in PAIR_POOL if a != b]
    for literal in literals:
        units += [literal, literal + " ", literal + "a", "a" + literal, literal + "a ", " " + literal + " ",
                  literal + "a" + literal, literal + "1"]
    found = [("", unit, tail) for unit in dict.fromkeys(u for u in units if u) for tail in TAILS]
    prefixes = ["a"] + [p for literal in literals[:4] for p in (literal, literal + "a", literal + " a")]
    for prefix in dict.fromkeys(prefixes):
        found += [(prefix, unit, tail) for unit in RUN_UNITS for tail in TAILS + ("a",)]
    return found


def _literals(source: str) -> list[str]:
    """Runs of literal characters the pattern spells out (`via`, `**`, `[END]`), and one of each class."""
    try:
        parsed = sre_parse.parse(source)
    except re.error:
        return []
    out: list[str] = []

    def walk(items):
        run = ""
        for op, arg in items:
            if op is sre_parse.LITERAL:
                run += chr(arg)
                continue
            if run:
                out.append(run)
                run = ""
            if op is sre_parse.IN:
                for kind, value in arg:
                    if kind is sre_parse.LITERAL:
                        out.append(chr(value))
                    elif kind is sre_parse.RANGE:
                        out.append(chr(value[0]))
            elif op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, sre_parse.POSSESSIVE_REPEAT):
                walk(arg[2])
            elif op is sre_parse.SUBPATTERN:
                walk(arg[3])
            elif op is sre_parse.ATOMIC_GROUP:
                walk(arg)
            elif op is sre_parse.BRANCH:
                for branch in arg[1][:12]:
                    walk(branch)
            elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
                walk(arg[1])
        if run:
            out.append(run)

    walk(parsed)
    return list(dict.fromkeys(o for o in out if len(o) <= 12))[:16]


def _subject(pattern: re.Pattern, prefix: str, unit: str, length: int, tail: str):
    text = prefix + unit * max(1, length // len(unit)) + tail
    return text.encode("utf-8") if isinstance(pattern.pattern, bytes) else text


def _time(pattern: re.Pattern, subject) -> float:
    start = time.perf_counter()
    for _ in pattern.finditer(subject):
        pass
    return time.perf_counter() - start


def _best(pattern: re.Pattern, subject, runs: int = 3) -> float:
    return min(_time(pattern, subject) for _ in range(runs))


def bound_of(site: Site) -> int | None:
    """The length of text the code lets this pattern see, when BOUNDED names it."""
    name = BOUNDED.get(site.where)
    if name is None:
        return None
    module, _, constant = name.rpartition(".")
    return getattr(importlib.import_module(module), constant)


def audit_site(site: Site) -> list[Finding]:
    """The first attack on which this pattern grows faster than linearly (or is slow already), if any."""
    pattern = site.pattern
    bound = bound_of(site)
    for prefix, unit, tail in attacks(pattern):
        if bound is not None:  # within its bound, a pattern only has to be fast
            at_bound = _best(pattern, _subject(pattern, prefix, unit, bound, tail), runs=1)
            if at_bound > SLOW_SECONDS and _best(pattern, _subject(pattern, prefix, unit, bound, tail)) > SLOW_SECONDS:
                return [Finding(site, prefix + unit + "..." + tail, at_bound, float("nan"))]
            continue
        small = _time(pattern, _subject(pattern, prefix, unit, SMALL, tail))
        if small > 5 * SLOW_SECONDS:  # a linear pattern reads SMALL characters in well under a millisecond
            small = _best(pattern, _subject(pattern, prefix, unit, SMALL, tail))
            if small > 5 * SLOW_SECONDS:
                return [Finding(site, prefix + unit + "..." + tail, small, float("nan"))]
            continue
        large = _time(pattern, _subject(pattern, prefix, unit, SMALL * SCALE, tail))
        if large < SLOW_SECONDS or large < LINEAR_FACTOR * small:
            continue
        # measure again, best of three, before calling it a finding
        small = _best(pattern, _subject(pattern, prefix, unit, SMALL, tail))
        large = _best(pattern, _subject(pattern, prefix, unit, SMALL * SCALE, tail))
        if large >= SLOW_SECONDS and large >= LINEAR_FACTOR * small:
            return [Finding(site, prefix + unit + "..." + tail, small, large)]
    return []


def audit(sites: list[Site] | None = None) -> list[Finding]:
    return [finding for site in (sites or collect_sites()) for finding in audit_site(site)]


if __name__ == "__main__":
    all_sites = collect_sites()
    started = time.perf_counter()
    results = []
    for one in all_sites:
        for result in audit_site(one):
            results.append(result)
            print(result, flush=True)
    print(f"{len(all_sites)} patterns audited in {time.perf_counter() - started:.1f} s: "
          f"{len(results)} grow faster than linearly")
