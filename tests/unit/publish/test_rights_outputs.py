"""Every output carries the licence id, its URL and the ShareAlike obligation: the ninjs (`rightsInfo`,
`usageTerms`, a "rights" description), the webhook body built from it, the SNS/EventBridge event and
each feed item, whose rights are the partner's required wording in the article's language. CC0 and
the Public Domain Mark name no copyrightHolder."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import feedparser
import pytest
from jsonschema import Draft202012Validator, FormatChecker

from synd.license.catalog import from_spdx
from synd.ninjs import to_ninjs, with_attribution
from synd.policy import decide
from synd.publish import feeds
from synd.settings import Agreement, PartnerSettings, TargetSettings
from synd.targets import Delivery, TargetEnv
from synd.targets.events import published_event
from synd.targets.webhook import body_bytes

from tests.unit.publish.publish_samples import CC_BY, make_record

SCHEMA = json.loads((Path(__file__).parents[2] / "data" / "ninjs-schema_3.1.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=FormatChecker())
SITE = TargetSettings(name="site", kind="site")
EXCERPTS = TargetSettings(name="site", kind="site", excerpts=True)  # a site that carries excerpts only
EDITOR = TargetSettings(name="hook", kind="webhook", edits=True)
BY_SA = from_spdx("CC-BY-SA-4.0", source="document")
SA_RULE = "adaptations (edits, translations) must be published under Creative Commons Attribution-ShareAlike 4.0"


PARTNER = PartnerSettings(id="p")


def decided(record, target, partner=PARTNER):
    decision = decide(record, target, partner)
    assert decision.action != "withhold", decision.reason
    return decision


@pytest.mark.parametrize("spdx", ["CC0-1.0", "CC-PDM-1.0"])
def test_public_domain_tools_name_no_copyright_holder(spdx):
    # the defect: ninjs named the publisher as copyrightHolder of a CC0 or PDM work
    doc = to_ninjs(make_record("en", license=from_spdx(spdx, source="document")))
    assert "copyrightHolder" not in doc and doc["rightsInfo"]["linkedRights"].startswith("https://creativecommons.org/publicdomain/")
    assert not list(VALIDATOR.iter_errors(doc))
    assert to_ninjs(make_record("en", license=CC_BY))["copyrightHolder"] == "United Nations"


def test_the_ninjs_a_target_publishes_carries_the_share_alike_obligation():
    record = make_record("fa", license=BY_SA, canonical_url="https://example.org/a")
    decision = decided(record, EDITOR)
    doc = with_attribution(to_ninjs(record), decision.attribution)
    assert not list(VALIDATOR.iter_errors(doc))
    assert doc["rightsInfo"] == {"linkedRights": "https://creativecommons.org/licenses/by-sa/4.0/"}
    assert "(CC-BY-SA-4.0)" in doc["usageTerms"] and SA_RULE in doc["usageTerms"]
    assert "This copy: adaptation" in doc["usageTerms"]
    rights = json.loads(next(d["value"] for d in doc["descriptions"] if d["role"] == "rights"))
    assert rights["license"]["spdx"] == "CC-BY-SA-4.0" and rights["use"] == "adaptation"
    assert rights["share_alike"]["licenses"][0] == "CC-BY-SA-4.0"
    again = with_attribution(doc, decision.attribution)
    assert [d["role"] for d in again["descriptions"]].count("rights") == 1


def test_the_webhook_body_carries_licence_url_and_share_alike():
    record = make_record("en", license=BY_SA)
    decision = decided(record, EDITOR)
    body = json.loads(body_bytes(with_attribution(to_ninjs(record), decision.attribution)))
    assert body["rightsInfo"]["linkedRights"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert SA_RULE in body["usageTerms"]
    roles = {d["role"] for d in body["descriptions"]}
    assert {"attribution", "rights"} <= roles


def delivery(record, decision, target):
    return Delivery(record=record, ninjs=to_ninjs(record), target=target, action=decision.action,
                    attribution=decision.attribution)


def test_the_event_carries_licence_use_share_alike_and_obligations():
    # the defect: SA obligations lived only in the DynamoDB decision; no event carried them
    record = make_record("en", license=BY_SA)
    target = TargetSettings(name="desk", kind="eventbridge", translates=True)
    decision = decided(record, target)
    event = published_event(delivery(record, decision, target), TargetEnv(processed_bucket="b"))
    assert event["license"] == {"spdx": "CC-BY-SA-4.0",
                                "name": "Creative Commons Attribution-ShareAlike 4.0 International",
                                "url": "https://creativecommons.org/licenses/by-sa/4.0/"}
    assert event["use"] == "translation" and event["share_alike"]["licenses"][0] == "CC-BY-SA-4.0"
    assert event["obligations"] == decision.obligations and any(SA_RULE in o for o in event["obligations"])
    json.dumps(event)  # the event is JSON


def test_an_event_without_a_credit_block_still_carries_its_licence():
    record = make_record("en", license=from_spdx("CC0-1.0", source="document"))
    decision = decided(record, SITE)
    assert decision.attribution is None
    event = published_event(delivery(record, decision, SITE), TargetEnv())
    assert event["license"]["spdx"] == "CC0-1.0" and event["share_alike"] is None and event["obligations"] == []


def entry(record, decision):
    return feeds.make_entry(record, page_url="https://site.example/articles/x/index.html",
                            updated="2026-01-01T00:00:00Z", attribution=decision.attribution)


def test_feed_rights_are_the_partners_wording_in_the_articles_language():
    # the defect: feeds used an English-only credit, whatever the partner required
    partner = PartnerSettings(id="p", attribution="Courtesy of {publisher}",
                              attribution_by_language={"de": "Mit freundlicher Genehmigung von {publisher}: {title}"})
    record = make_record("de", license=BY_SA)
    whole = entry(record, decided(record, SITE, partner))  # the whole text: credited as republished unaltered
    assert whole["use"] == "unaltered" and "Auszug" not in whole["credit"]
    assert whole["content_text"] == record["body_text"]
    item = entry(record, decided(record, EXCERPTS, partner))
    assert item["credit"].startswith("Mit freundlicher Genehmigung von United Nations: ")
    assert item["credit_language"] == "de" and item["use"] == "excerpt"  # the entry carries an excerpt only
    assert "Dies ist ein Auszug, sonst unverändert." in item["credit"]
    assert "Bearbeitungen dürfen nur unter Creative Commons Attribution-ShareAlike 4.0" in item["credit"]
    rendered = {name: render("de", [item], site_url="https://site.example", title="T")
                for name, render in feeds.RENDERERS.items()}
    rss = feedparser.parse(rendered["rss.xml"]).entries[0]
    assert rss.rights == f"{item['credit']} [CC-BY-SA-4.0]"
    licence = "https://creativecommons.org/licenses/by-sa/4.0/"
    assert f"<creativeCommons:license>{licence}</creativeCommons:license>" in rendered["rss.xml"]
    assert '<rights xml:lang="de">Mit freundlicher Genehmigung' in rendered["atom.xml"]
    assert 'rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/"' in rendered["atom.xml"]
    synd = json.loads(rendered["feed.json"])["items"][0]["_synd"]
    assert synd["credit"] == item["credit"] and synd["credit_language"] == "de"
    assert synd["license"]["spdx"] == "CC-BY-SA-4.0" and synd["share_alike"]["licenses"][0] == "CC-BY-SA-4.0"
    assert any(SA_RULE in o for o in synd["obligations"])


@pytest.mark.parametrize("spdx, agreement, excerpt", [
    ("CC-BY-ND-3.0", Agreement(), False),  # 2.x/3.0 ND grant the work whole: no teaser of its body
    ("CC-BY-ND-4.0", Agreement(), True),  # 4.0 ND: a verbatim part, credited as an excerpt
    ("NOASSERTION", Agreement(allow_noassertion=True), False),  # agreed for verbatim republication only
    ("NOASSERTION", Agreement(allow_noassertion=True, allow_excerpts=True), True),
    ("CC-BY-4.0", Agreement(allow_excerpts=False), False),  # the stricter agreement wins
])
def test_a_feed_summary_is_an_excerpt_only_where_excerpts_are_allowed(spdx, agreement, excerpt):
    record = make_record("en", license=from_spdx(spdx, source="document"))
    item = entry(record, decided(record, SITE, PartnerSettings(id="p", agreement=agreement)))
    body_start = " ".join(record["body_text"].split())[:40]
    assert item["summary"].startswith(body_start) is excerpt
    assert "This is an excerpt" not in item["credit"]  # it carries the whole text: a teaser is no excerpt use
    if excerpt:  # a site that carries excerpts only credits the excerpt as one
        only = entry(record, decided(record, EXCERPTS, PartnerSettings(id="p", agreement=agreement)))
        assert "This is an excerpt" in only["credit"] and only["content_text"] == only["summary"]
    own = entry({**record, "summary": "The partner's own summary."},
                decided(record, SITE, PartnerSettings(id="p", agreement=agreement)))
    assert own["summary"] == "The partner's own summary." and "Republished unaltered." in own["credit"]


def test_an_entry_without_a_credit_block_keeps_the_english_one_line_credit():
    record = make_record("fa", license=CC_BY)
    item = feeds.make_entry(record, page_url="https://s/a", updated="2026-01-01T00:00:00Z")
    assert item["credit"] == feeds.credit_text(record) and item["credit_language"] == "en"
    assert feeds.rights_line(item).endswith("[CC-BY-4.0]")


def test_stored_entries_from_before_still_render():
    old = feeds.make_entry(make_record("en"), page_url="https://s/a", updated="2026-01-01T00:00:00Z")
    for key in ("credit_language", "credit_direction", "use", "share_alike", "obligations"):
        old.pop(key)
    for render in feeds.RENDERERS.values():
        assert render("en", [old], site_url="https://s", title="T")


def test_an_unreadable_licence_goes_out_as_no_licence():
    record = make_record("en", license=replace(CC_BY, spdx="LicenseRef-Partner-Terms", name="Partner terms",
                                               url=None, derivatives=None, commercial=None))
    decision = decided(record, SITE, PartnerSettings(id="p", agreement=Agreement(allow_noassertion=True)))
    item = entry(record, decision)
    assert item["license_spdx"] == "NOASSERTION" and item["summary"] == ""
    assert feeds.rights_line(item) == item["credit"] and "by agreement" in item["credit"]
