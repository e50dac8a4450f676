"""JSON from partners, read with a bound on how deep and how big it may be.

`json.loads` recurses once per level of nesting: `[[[[...]]]]` 2,000 deep raises
RecursionError (not a ValueError), and a structure just under Python's limit
crashes the first recursive function that walks it later. No feed, ninjs item,
JSON-LD block or front matter nests more than a dozen levels; MAX_DEPTH is a
generous ceiling, checked by a loop (never by recursion) right after parsing.

Both failures are `TooDeep`, a ValueError, so callers that already refuse
invalid JSON (`except ValueError`) refuse these with a specific message too.
"""
from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 64
# YAML aliases can make a few hundred bytes stand for millions of nodes ("billion laughs").
MAX_NODES = 200_000


class TooDeep(ValueError):
    """The data nests deeper (or holds more nodes) than a partner document ever needs."""


def loads(text: str) -> Any:
    """`json.loads`, with nesting past MAX_DEPTH refused as TooDeep (a ValueError)."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise TooDeep(f"the JSON nests deeper than Python can read (over {MAX_DEPTH} levels is refused)") from None
    check_shape(data)
    return data


def check_shape(data: Any, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES) -> None:
    """Refuse data (from JSON or YAML) nested past `max_depth` or holding more than `max_nodes` values.

    A loop with an explicit stack: it costs one step per node, and it stops at
    `max_nodes`, so aliases shared many times over cannot make it run long."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    nodes = 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if nodes > max_nodes:
            raise TooDeep(f"the data holds more than {max_nodes:,} values")
        if isinstance(value, dict):
            children = list(value.values())
        elif isinstance(value, list):
            children = value
        else:
            continue
        if children and depth >= max_depth:
            raise TooDeep(f"the data nests more than {max_depth} levels deep")
        stack.extend((child, depth + 1) for child in children)
