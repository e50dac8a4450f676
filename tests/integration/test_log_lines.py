"""Issue 11.6: at most one INFO line per article per stage in prod, with the fields the Logs Insights queries read.

Before: ingest wrote one INFO line per drop, but publish one per target ("delivered", "delivery withheld")
and then "published": five lines, 81% of the bytes, for one article and four targets. Warnings and
errors stay one per event (issue 9 made failures loud).
"""
from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.integration.log_lines import HOOK, SAMPLES, pipeline

TARGETS = {"site", "aggregator", "translation_desk", HOOK}


def drop(pipe, sample: str):
    path = SAMPLES / sample
    key = f"incoming/{path.parent.name}/{path.name}"
    return key, pipe.ingest(key, path.read_bytes())


@pytest.mark.parametrize("sample, articles", [("opendemocracy/003_8c237974b6d2240c.txt", 1),
                                              ("persian-rss-feed/feed.xml", 3)])
def test_one_info_line_per_article_and_stage(tmp_path, sample, articles):
    with pipeline(tmp_path / "config") as pipe:
        key, ingest = drop(pipe, sample)
        publish = pipe.publish()
    [ingested] = ingest.at("INFO")  # one per drop, which may hold many articles
    assert len(ingested["articles"]) == articles
    per_article = Counter(line["article_id"] for line in publish.at("INFO"))
    assert sorted(per_article) == sorted(ingested["articles"]) and set(per_article.values()) == {1}


def test_the_ingest_line_carries_what_the_queries_read(tmp_path):
    with pipeline(tmp_path / "config") as pipe:
        key, ingest = drop(pipe, "opendemocracy/003_8c237974b6d2240c.txt")
    [line] = ingest.at("INFO")
    assert line["message"] == "drop ingested" and line["state"] == "ingested"
    assert line["correlation_id"].startswith("s3://") and line["correlation_id"].endswith(key)
    assert line["s3_key"] == key and line["partner"] == "opendemocracy" and line["format"]
    assert line["size"] == (SAMPLES / "opendemocracy/003_8c237974b6d2240c.txt").stat().st_size
    assert isinstance(line["duration_ms"], (int, float)) and line["duration_ms"] >= 0


def test_the_publish_line_carries_every_target_outcome(tmp_path):
    with pipeline(tmp_path / "config") as pipe:
        drop(pipe, "opendemocracy/003_8c237974b6d2240c.txt")  # CC BY-ND: the translation desk is refused
        publish = pipe.publish()
    [line] = publish.at("INFO")
    assert line["message"] == "published"
    assert line["correlation_id"] == f"{line['article_id']}:v1" and line["version"] == 1
    assert line["partner"] == "opendemocracy" and line["language"] == "en"
    assert isinstance(line["duration_ms"], (int, float))
    outcomes = {d["target"]: d for d in line["deliveries"]}
    assert {t: d["state"] for t, d in outcomes.items()} == {
        "site": "delivered", "aggregator": "delivered", HOOK: "delivered", "translation_desk": "withheld"}
    assert "forbids derivatives" in outcomes["translation_desk"]["reason"]
    assert "reason" not in outcomes["site"]  # nothing to explain: the line stays short
    assert publish.at("WARNING") == publish.at("ERROR") == []


def test_a_retried_delivery_keeps_its_warning_and_each_attempt_one_line(tmp_path):
    with pipeline(tmp_path / "config", script={"/in": [503]}) as pipe:
        drop(pipe, "opendemocracy/003_8c237974b6d2240c.txt")
        publish = pipe.publish()  # the message comes back after its 1 s backoff
    first, second = publish.at("INFO")
    assert first["function_request_id"] != second["function_request_id"]
    assert {d["target"]: d["state"] for d in first["deliveries"]}[HOOK] == "retrying"
    assert {d["target"]: d["state"] for d in second["deliveries"]}[HOOK] == "delivered"
    warnings = [(w["message"], w.get("target")) for w in publish.at("WARNING")]
    assert ("delivery will be retried", HOOK) in warnings and ("record deferred", None) in warnings


def test_a_failed_delivery_stays_an_error(tmp_path):
    with pipeline(tmp_path / "config", path="/always400") as pipe:
        drop(pipe, "opendemocracy/003_8c237974b6d2240c.txt")
        publish = pipe.publish()
    [line] = publish.at("INFO")
    [hook] = [d for d in line["deliveries"] if d["target"] == HOOK]
    assert hook["state"] == "failed" and "400" in hook["reason"]
    [error] = publish.at("ERROR")
    assert error["message"] == "delivery failed" and error["target"] == HOOK
    assert error["correlation_id"] == line["correlation_id"]


def test_a_target_that_raises_leaves_the_line_of_what_every_target_did(tmp_path, monkeypatch):
    """The targets run in parallel (issue 11.4): the one that raised is on the line as an error, the others
    were all tried and delivered, and the ERROR line of the record follows."""
    from synd.publish import publisher

    real = publisher.publish_to_target

    def broken(job):
        if job.target.name == "site":
            raise RuntimeError("a bug in the site target")
        return real(job)

    monkeypatch.setattr(publisher, "publish_to_target", broken)
    with pipeline(tmp_path / "config") as pipe:
        drop(pipe, "opendemocracy/003_8c237974b6d2240c.txt")
        publish = pipe.publish(once=True)  # the message comes back after the queue's visibility timeout
    [line] = publish.at("INFO")
    [error] = publish.at("ERROR")
    assert error["message"] == "record failed" and "a bug in the site target" in error["exception"]
    assert error["correlation_id"] == line["correlation_id"]
    done = {d["target"]: d["state"] for d in line["deliveries"]}
    assert done.pop("site") == "error" and len(done) == 3  # every other target was tried to its outcome
    assert set(done.values()) == {"delivered", "withheld"}  # (one target's licence terms withhold the sample)
    site = next(d for d in line["deliveries"] if d["target"] == "site")
    assert site["reason"] == "RuntimeError: a bug in the site target"


def test_details_are_still_there_at_debug(tmp_path):
    with pipeline(tmp_path / "config") as pipe:
        drop(pipe, "opendemocracy/003_8c237974b6d2240c.txt")
        publish = pipe.publish(level="DEBUG")
    per_target = {line.get("target") for line in publish.at("DEBUG")}
    assert TARGETS <= per_target


def saved_queries() -> dict[str, tuple[str, set[str]]]:
    """The template's Logs Insights query definitions: name -> (query, the stages whose log group it reads)."""
    from synd.local.provision import load_template
    from tests.integration.log_lines import REPO

    resources = load_template(REPO / "template.yaml")["Resources"]
    stages = {"IngestLogGroup": "ingest", "PublishLogGroup": "publish"}
    return {name: (r["Properties"]["QueryString"], {stages[g["Ref"]] for g in r["Properties"]["LogGroupNames"]})
            for name, r in resources.items() if r["Type"] == "AWS::Logs::QueryDefinition"}


def fields_read(query: str) -> tuple[set[str], set[str]]:
    """The line fields a query names (not its aliases, not @-fields), and the `delivery.<field>`s it unnests."""
    aliases = set(re.findall(r"\bas\s+(\w+)", query))
    named = set(re.findall(r"\b(?:filter|or|and)\s+(\w+)\s+(?:=|in\b|like\b)", query))
    for clause in re.findall(r"\b(?:fields|by|sort)\s+([^|]+)", query):
        named |= {part.split()[0] for part in clause.split(",") if part.strip()}
    top = {n for n in named if n not in aliases and not n.startswith(("@", "jsonParse")) and "." not in n}
    return top, set(re.findall(r"\bdelivery\.(\w+)", query))


def test_the_saved_queries_read_fields_the_lines_carry(tmp_path):
    """Every field a saved query names is on the lines of its log group (delivered, withheld, failed, rejected,
    and paused: the webhook pauses after its first failure, so the second drop's delivery is held back)."""
    with pipeline(tmp_path / "config", path="/always400", pause_after=1) as pipe:
        _, ingested = drop(pipe, "opendemocracy/003_8c237974b6d2240c.txt")
        rejected = pipe.ingest("incoming/opendemocracy/empty.txt", b"")
        published = pipe.publish()
        _, second = drop(pipe, "paris-libre/declaration.html")
        held_back = pipe.publish()
    lines = {"ingest": ingested.records + rejected.records + second.records,
             "publish": published.records + held_back.records}
    keys = {stage: set().union(*map(set, records)) | {"exception"} for stage, records in lines.items()}
    entries = set().union(*(set(d) for line in lines["publish"] for d in line.get("deliveries", [])))
    messages = {stage: {r["message"] for r in records} for stage, records in lines.items()}
    queries = saved_queries()
    assert len(queries) >= 5
    for name, (query, stages) in queries.items():
        top, unnested = fields_read(query)
        assert top <= set().union(*(keys[s] for s in stages)), (name, top)
        assert unnested <= entries, (name, unnested - entries)
        for wanted in re.findall(r'message = "([^"]+)"', query):
            assert any(wanted in messages[s] for s in stages), (name, wanted)
        for pattern in re.findall(r"message like /([^/]+)/", query):
            assert any(re.search(pattern, m) for s in stages for m in messages[s]), (name, pattern)
