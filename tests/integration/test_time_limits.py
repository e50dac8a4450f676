"""The time limits in template.yaml agree with the ones in the code (issue 9.3, 9.4).

- a drop's whole parse budget, plus the reserve for storing it, fits in a fresh ingest invocation,
  so only a drop late in a long batch is ever deferred, and no drop can time out its batch;
- a delivery lease (the invocation's remaining time plus a margin) ends before its message comes
  back on its own, so a message of a worker that died finds the lease over and takes it over;
- every configured target's `timeout` fits in a publish invocation, or it would never be claimed.
"""
from pathlib import Path

import yaml

from synd.budget import DEFAULT_BUDGET_SECONDS
from synd.ingest import RESERVE_SECONDS
from synd.local.provision import load_template
from synd.publish.publisher import DEFAULT_TARGET_SECONDS, LEASE_MARGIN_SECONDS

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = load_template(REPO / "template.yaml")


def timeout(function: str) -> float:
    properties = TEMPLATE["Resources"][function]["Properties"]
    return float(properties.get("Timeout", TEMPLATE["Globals"]["Function"]["Timeout"]))


def visibility(queue: str) -> float:
    return float(TEMPLATE["Resources"][queue]["Properties"]["VisibilityTimeout"])


def test_a_drops_budget_fits_in_a_fresh_ingest_invocation():
    assert DEFAULT_BUDGET_SECONDS + RESERVE_SECONDS < timeout("IngestFunction")


def test_a_lease_is_over_before_its_message_comes_back_by_itself():
    assert timeout("PublishFunction") + LEASE_MARGIN_SECONDS < visibility("PublishQueue")
    assert timeout("IngestFunction") < visibility("IngestQueue")


def test_every_target_fits_in_a_publish_invocation():
    targets = yaml.safe_load((REPO / "config" / "targets.yaml").read_text(encoding="utf-8"))["targets"]
    for name, settings in targets.items():
        needed = float((settings.get("options") or {}).get("timeout", DEFAULT_TARGET_SECONDS))
        assert needed + LEASE_MARGIN_SECONDS < timeout("PublishFunction"), name
