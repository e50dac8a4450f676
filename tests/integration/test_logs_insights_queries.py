"""Issue 14: the Logs Insights queries (the template's saved ones and docs/monitoring.md's) run as AWS
runs them: one sort field (AWS refuses `sort a, b`), "per function" grouped by the function's log group,
every field they name on the lines the functions write, and paused deliveries visible (before, nothing
logged a delivery held back by a paused target)."""
from __future__ import annotations

import re

import pytest

from tests.integration.log_lines import HOOK, REPO, SAMPLES, pipeline
from tests.integration.test_log_lines import fields_read, saved_queries

DOCS = REPO / "docs" / "monitoring.md"


def docs_queries() -> list[tuple[str, set[str]]]:
    """The queries of docs/monitoring.md's Logs Insights section, each with the log groups its text names."""
    section = DOCS.read_text(encoding="utf-8").split("## Logs Insights queries", 1)[1].split("\n## ", 1)[0]
    found = []
    pieces = re.split(r"```\n?", section)
    for before, query in zip(pieces[0::2], pieces[1::2]):
        intro = before.strip().splitlines()[-1] if before.strip() else ""
        stages = {s for s in ("ingest", "publish") if s in intro} or (
            {"ingest", "publish"} if "both" in intro else set())
        found.append((query, stages))
    return found


def all_queries(read_lines_only: bool = False) -> list:
    found = ([(f"template {name}", query, stages) for name, (query, stages) in saved_queries().items()]
             + [(f"docs #{n}", query, stages) for n, (query, stages) in enumerate(docs_queries())])
    return [pytest.param(*q, id=q[0]) for q in found if q[2] or not read_lines_only]


def test_the_docs_and_the_template_have_their_queries():
    assert len(docs_queries()) >= 4 and len(saved_queries()) >= 7


@pytest.mark.parametrize("where, query, stages", all_queries())
def test_each_query_sorts_by_one_field(where, query, stages):
    for clause in re.findall(r"\bsort\s+([^|]+)", query):
        assert len(clause.split(",")) == 1, (where, clause)


def test_per_function_groups_by_the_functions_log_group():
    per_function = [q for q, _ in docs_queries() if "REPORT" in q]
    assert per_function and all(re.search(r"\bby\s+@log\b", q) for q in per_function)


@pytest.fixture(scope="module")
def lines(tmp_path_factory):
    """Lines of every kind the queries read: ingested, rejected; delivered, withheld, failed, and a delivery
    held back by its paused target (the webhook pauses after one failure)."""
    config = tmp_path_factory.mktemp("config")
    with pipeline(config, path="/always400", pause_after=1) as pipe:
        first = SAMPLES / "opendemocracy/003_8c237974b6d2240c.txt"
        ingest = pipe.ingest(f"incoming/opendemocracy/{first.name}", first.read_bytes()).records
        ingest += pipe.ingest("incoming/opendemocracy/empty.txt", b"").records
        publish = pipe.publish().records
        feed = SAMPLES / "persian-rss-feed/feed.xml"
        ingest += pipe.ingest("incoming/persian-rss-feed/feed.xml", feed.read_bytes()).records
        publish += pipe.publish().records
    return {"ingest": ingest, "publish": publish}


def test_a_delivery_held_back_by_a_paused_target_logs_a_warning(lines):
    paused = [r for r in lines["publish"] if r.get("message") == "delivery paused"]
    assert paused and {r["target"] for r in paused} == {HOOK} and all(r["level"] == "WARNING" for r in paused)
    assert all("paused after 1 consecutive failures" in r["reason"] and r["correlation_id"] for r in paused)


def test_the_stack_window_prints_the_pause_lines_the_functions_write(lines):
    """`synd stack` shows the target being paused and each delivery held back by it, with the article
    version and partner the handler's appended keys put on the lines."""
    from synd.commands.stack import event_line

    shown = [re.split(r" {2,}", line) for line in map(event_line, lines["publish"]) if line]
    held = [parts for parts in shown if parts[1] == "paused"]
    assert len(held) == len([r for r in lines["publish"] if r.get("message") == "delivery paused"]) > 0
    for _, _, partner, target, version, reason in held:
        assert partner == "persian-rss-feed" and target == HOOK and version.endswith(" v1"), held
        assert reason == "target paused after 1 consecutive failures"
    [paused] = [parts for parts in shown if parts[1] == "target"]
    assert paused[3] == HOOK and "redrive --target" in paused[-1], paused


@pytest.mark.parametrize("where, query, stages", all_queries(read_lines_only=True))
def test_each_query_reads_fields_the_lines_carry(lines, where, query, stages):
    keys = {s: set().union(*map(set, lines[s])) | {"exception"} for s in lines}
    entries = set().union(*(set(d) for line in lines["publish"] for d in line.get("deliveries", [])))
    messages = {s: {r.get("message") for r in lines[s]} for s in lines}
    top, unnested = fields_read(query)
    assert top <= set().union(*(keys[s] for s in stages)), (where, top - set().union(*(keys[s] for s in stages)))
    assert unnested <= entries, (where, unnested - entries)
    for wanted in re.findall(r'message = "([^"]+)"', query):
        assert any(wanted in messages[s] for s in stages), (where, wanted)
