"""Issue 9, item 4: every drop ends in articles or a rejection code within its time budget.

`parse_drop` takes `budget_seconds` (the ingest Lambda passes what its invocation has
left) and an injectable clock: here a clock that moves one second per reading stands in
for a slow drop, so no test waits. An exception nobody foresaw becomes `parser_error`.
"""
from __future__ import annotations

import json

import pytest

from tests.conftest import SAMPLES
from synd import cli
from synd.budget import DEFAULT_BUDGET_SECONDS
from synd.errors import CODES, Rejected
from synd.pipeline import make_source, parse_drop
from synd.settings import PartnerSettings

GOPHER = (SAMPLES / "opendemocracy" / "003_8c237974b6d2240c.txt").read_bytes()
FEED = (SAMPLES / "persian-rss-feed" / "feed.xml").read_bytes()


class SteppingClock:
    """A monotonic clock that moves `step` seconds every time it is read."""

    def __init__(self, step: float = 1.0):
        self.now, self.step = 0.0, step
        self.readings = 0

    def __call__(self) -> float:
        self.now += self.step
        self.readings += 1
        return self.now


def parse(data: bytes, partner: PartnerSettings | None = None, **options):
    return parse_drop(data, make_source(data), partner or PartnerSettings(id="test"), **options)


def test_the_codes_are_documented():
    assert "too_slow" in CODES and "parser_error" in CODES


def test_a_drop_past_its_budget_is_too_slow_and_the_message_names_the_stage():
    with pytest.raises(Rejected) as refused:
        parse(GOPHER, budget_seconds=2.5, clock=SteppingClock())
    assert refused.value.code == "too_slow"
    assert "2.5 s budget" in refused.value.message and "gopher parsing" in refused.value.message


def test_a_feed_runs_out_in_the_item_it_had_reached():
    clock = SteppingClock(step=0.01)
    with pytest.raises(Rejected) as refused:
        parse(FEED, budget_seconds=0.045, clock=clock)
    assert refused.value.code == "too_slow" and "feed item" in refused.value.message


def test_running_out_in_one_item_refuses_the_whole_drop_not_just_that_item(monkeypatch):
    """Half a feed stored as an ingested drop would never be replayed: the drop is refused whole."""
    import synd.pipeline

    clock = SteppingClock(step=0.0)
    real = synd.pipeline.tag_license
    calls = []

    def slow_second_item(draft, partner):
        calls.append(draft.title)
        if len(calls) == 2:
            clock.now += 100  # item 2 takes 100 s
        return real(draft, partner)

    monkeypatch.setattr(synd.pipeline, "tag_license", slow_second_item)
    with pytest.raises(Rejected) as refused:
        parse(FEED, budget_seconds=50, clock=clock)
    assert refused.value.code == "too_slow" and "licence detection in item 2" in refused.value.message


def test_the_same_drops_parse_within_a_generous_budget():
    assert len(parse(GOPHER, budget_seconds=1e6, clock=SteppingClock()).articles) == 1
    assert len(parse(FEED, budget_seconds=1e6, clock=SteppingClock()).articles) == 3


def test_the_budget_comes_from_the_partner_then_the_default():
    clock = SteppingClock()
    partner = PartnerSettings(id="slow-wire", parse_budget_seconds=1.5)
    with pytest.raises(Rejected, match=r"1\.5 s budget"):
        parse(GOPHER, partner, clock=clock)
    assert DEFAULT_BUDGET_SECONDS == 20
    with pytest.raises(Rejected, match=r"20 s budget"):
        parse(GOPHER, clock=SteppingClock(step=30))
    assert parse(GOPHER).articles  # the real clock: well within 20 s


def test_an_exception_nobody_foresaw_becomes_parser_error_with_type_and_stage(monkeypatch):
    from synd.formats import gopher

    def broken(doc):
        raise KeyError("surprise")

    monkeypatch.setattr(gopher, "parse", broken)
    with pytest.raises(Rejected) as refused:
        parse(GOPHER)
    assert refused.value.code == "parser_error"
    assert refused.value.message == "KeyError in gopher parsing: 'surprise'"
    assert isinstance(refused.value.__cause__, KeyError)  # the ingest handler can log the traceback


def test_an_unforeseen_exception_in_one_feed_item_loses_only_that_item(monkeypatch):
    import synd.pipeline

    real = synd.pipeline.tag_license
    calls = []

    def second_item_breaks(draft, partner):
        calls.append(draft.title)
        if len(calls) == 2:
            raise RecursionError("maximum recursion depth exceeded")
        return real(draft, partner)

    monkeypatch.setattr(synd.pipeline, "tag_license", second_item_breaks)
    result = parse(FEED)
    assert len(result.articles) == 2
    [error] = result.errors
    assert error.code == "parser_error" and error.message.startswith("RecursionError in item 2 licence")


def test_synd_parse_prints_these_codes_like_any_rejection(tmp_path, monkeypatch, capsys):
    from synd.formats import gopher

    drop = tmp_path / "opendemocracy" / "item.txt"
    drop.parent.mkdir()
    drop.write_bytes(GOPHER)
    monkeypatch.setattr(gopher, "parse", lambda doc: 1 / 0)
    assert cli.main(["parse", str(drop)]) == 3
    line = json.loads(capsys.readouterr().out)
    assert line["error"] == {"code": "parser_error", "message": "ZeroDivisionError in gopher parsing: division by zero"}


def test_synd_parse_takes_a_budget(tmp_path, capsys):
    drop = tmp_path / "opendemocracy" / "item.txt"
    drop.parent.mkdir()
    drop.write_bytes(GOPHER)
    assert cli.main(["parse", "--budget", "0", str(drop)]) == 3
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "too_slow"
