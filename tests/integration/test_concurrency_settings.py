"""The ingest and publish functions' concurrency settings (issue 11.4, sized in docs/scale.md).

On the template and on its CloudFormation translation (aws-sam-translator, offline): each event
source's MaximumConcurrency is the operator's parameter, the reservation is that same parameter (so
the event source is never throttled by a smaller reservation) or nothing, and the defaults carry
100 drops/s at the per-item durations docs/scale.md measured, with headroom.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from synd.local.provision import load_template, parameter_values, translate

REPO = Path(__file__).resolve().parents[2]
SIZED = {"IngestFunction": "IngestConcurrency", "PublishFunction": "PublishConcurrency"}
RATE = 100  # drops (of one article each) per second, sustained: issue 11's figure
HEADROOM = 2.0


@pytest.fixture(scope="module")
def sam():
    return load_template(REPO / "template.yaml")


def cfn_for(sam, **parameters):
    return translate(sam, parameter_values(sam, parameters), "us-east-1")


def mapping_of(cfn, function: str) -> dict:
    (mapping,) = [r["Properties"] for r in cfn["Resources"].values() if r["Type"] == "AWS::Lambda::EventSourceMapping"
                  and r["Properties"]["FunctionName"] == {"Ref": function}]
    return mapping


def seconds_per_item(function: str) -> float:
    """The per-item duration docs/scale.md's limits table sizes the function with ("| ingest | 0.26 s |")."""
    text = (REPO / "docs" / "scale.md").read_text(encoding="utf-8")
    stage = {"IngestFunction": "ingest", "PublishFunction": "publish"}[function]
    match = re.search(rf"^\| {stage} \(per (?:drop|article)\) \| ([0-9.]+) s \|", text, re.MULTILINE)
    assert match, f"docs/scale.md has no sizing row for {stage}"
    return float(match.group(1))


@pytest.mark.parametrize("function", SIZED)
def test_the_event_source_runs_at_most_the_parameter_and_the_reservation_is_the_same(sam, function):
    parameter = SIZED[function]
    assert (sam["Parameters"][parameter]["MinValue"], sam["Parameters"][parameter]["MaxValue"]) == (2, 1000)  # the ESM's range
    reserved = cfn_for(sam)["Resources"][function]["Properties"]["ReservedConcurrentExecutions"]
    assert reserved == {"Fn::If": ["ReservesConcurrency", {"Ref": parameter}, {"Ref": "AWS::NoValue"}]}
    mapping = mapping_of(cfn_for(sam), function)
    assert mapping["ScalingConfig"] == {"MaximumConcurrency": {"Ref": parameter}}
    assert mapping["BatchSize"] == 10 and 0 < mapping["MaximumBatchingWindowInSeconds"] <= 2


def test_reserving_is_on_by_default_and_can_be_turned_off(sam):
    assert sam["Parameters"]["ReserveConcurrency"]["Default"] == "true"
    assert sam["Conditions"]["ReservesConcurrency"] == {"Fn::Equals": [{"Ref": "ReserveConcurrency"}, "true"]}


@pytest.mark.parametrize("function", SIZED)
def test_the_defaults_carry_100_drops_a_second_with_headroom(sam, function):
    needed = RATE * seconds_per_item(function)  # Little's law: concurrency = arrival rate x time in the function
    default = sam["Parameters"][SIZED[function]]["Default"]
    assert default >= math.ceil(HEADROOM * needed), (function, needed, default)


@pytest.mark.parametrize("function", SIZED)
def test_a_full_batch_fits_the_timeout_many_times_over(sam, function):
    timeout = sam["Globals"]["Function"]["Timeout"]
    batch = sam["Resources"][function]["Properties"]["Events"]
    (event,) = batch.values()
    assert event["Properties"]["BatchSize"] * seconds_per_item(function) * 5 <= timeout
