"""The site's public URL in AWS is the stack's own (CloudFront), never targets.yaml's localhost."""
from __future__ import annotations

from pathlib import Path

import pytest

from synd.local.provision import load_template
from synd.targets.site import base_url

REPO = Path(__file__).resolve().parents[2]


def test_the_stack_url_overrides_targets_yaml(monkeypatch):
    monkeypatch.setenv("SYND_SITE_URL", "https://d111111abcdef8.cloudfront.net/")
    assert base_url({"base_url": "http://localhost:8080"}) == "https://d111111abcdef8.cloudfront.net"


def test_a_stack_without_a_cdn_never_links_to_localhost(monkeypatch):
    monkeypatch.setenv("SYND_SITE_URL", "")
    assert base_url({}) == ""  # site-relative links: the private bucket has no public URL
    assert base_url({"base_url": "https://news.example.org"}) == "https://news.example.org"  # an own domain


def test_outside_a_stack_targets_yaml_or_localhost_apply(monkeypatch):
    monkeypatch.delenv("SYND_SITE_URL", raising=False)
    assert base_url({"base_url": "https://site.example/"}) == "https://site.example"
    assert base_url({}) == "http://localhost:8080"


def test_the_publish_function_gets_the_stacks_site_url():
    template = load_template(REPO / "template.yaml")
    variables = template["Resources"]["PublishFunction"]["Properties"]["Environment"]["Variables"]
    assert variables["SYND_SITE_URL"] == {"Fn::If": ["CreateCdn", {"Fn::Sub": "https://${SiteDistribution.DomainName}"},
                                                     ""]}
    assert template["Outputs"]["SiteUrl"]["Value"] == {"Fn::Sub": "https://${SiteDistribution.DomainName}/"}


def test_the_shipped_targets_yaml_names_no_localhost_url():
    """config/ is shipped in the layer: a localhost base_url there reached feeds and events in AWS."""
    import yaml

    targets = yaml.safe_load((REPO / "config" / "targets.yaml").read_text())["targets"]
    assert all("localhost" not in str((t.get("options") or {}).get("base_url", "")) for t in targets.values())


@pytest.mark.parametrize("logical_id", ["IngestFunction", "PublishFunction"])
def test_every_function_reads_the_live_settings_from_the_table(logical_id):
    template = load_template(REPO / "template.yaml")
    assert template["Globals"]["Function"]["Environment"]["Variables"]["SYND_CONFIG_TABLE"] == {"Ref": "Table"}
