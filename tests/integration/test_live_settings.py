"""Live partner and target settings in the table: seeded from config/, changed with `synd partners set`
without a deploy, checked on every write, with their history; the functions read them with a cache and
fall back to the layer's files while the store is empty."""
from __future__ import annotations

import json
import logging
import os
import shutil

import pytest
import yaml

from synd import cli, settings
from synd.aws.config_store import ConfigStore, Conflict, seed

from tests.conftest import REPO, SAMPLES
from tests.integration.test_ingest_handler import invoke, notifications, put


@pytest.fixture
def live(aws_stack, monkeypatch):
    """The template's table as the live store; the functions' cache kept for 60 s as in AWS."""
    monkeypatch.delenv("SYND_CONFIG_MAX_AGE", raising=False)
    settings.reload()
    yield ConfigStore(os.environ["SYND_CONFIG_TABLE"])
    settings.reload()


def synd(capsys, *argv):
    """`synd ARGS` in this process (moto is in-process): (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def expire_cache(monkeypatch):
    """What 60 s do to a warm function: the next read goes to the store."""
    monkeypatch.setenv("SYND_CONFIG_MAX_AGE", "0")


def test_the_template_points_the_functions_at_the_table(aws_stack):
    assert os.environ["SYND_CONFIG_TABLE"] == os.environ["TABLE_NAME"] == aws_stack.name("Table")


def test_an_empty_store_means_the_files_apply(live):
    assert live.current("partners") is None
    assert settings.partner_settings("afgazad").language_variants == {"fa": "fa-AF"}  # config/partners.yaml
    assert {t.name for t in settings.target_settings()} >= {"site", "aggregator"}


def test_seed_writes_version_1_with_its_history_and_is_idempotent(live, capsys):
    code, out, _ = synd(capsys, "partners", "seed", "--by", "deploy")
    assert code == 0 and "version 1 seeded" in out
    current = live.current("partners")
    assert current.version == 1 and current.source == "file" and current.by == "deploy"
    assert current.document == yaml.safe_load((REPO / "config" / "partners.yaml").read_text())
    [v1] = live.history("partners")
    assert v1.version == 1 and v1.document == current.document and v1.at == current.at
    code, out, _ = synd(capsys, "partners", "seed")
    assert code == 0 and "already holds" in out and live.current("partners").version == 1


def test_an_agreement_changes_without_a_deploy_and_the_history_says_who_when_and_why(live, capsys, monkeypatch):
    seed(live, "partners", REPO / "config" / "partners.yaml", by="deploy")
    assert settings.partner_settings("afgazad").agreement.allow_noassertion is False  # cached now
    code, out, err = synd(capsys, "partners", "set", "afgazad", "agreement.allow_noassertion", "true",
                          "--reason", "agreement of 2026-12-01", "--by", "editor@example.org")
    assert code == 0, err
    assert "partners version 2: partners.afgazad.agreement.allow_noassertion: (unset) -> true" in out
    assert settings.partner_settings("afgazad").agreement.allow_noassertion is False  # a warm function, < 60 s
    expire_cache(monkeypatch)
    assert settings.partner_settings("afgazad").agreement.allow_noassertion is True
    assert settings.partner_settings("afgazad").language_variants == {"fa": "fa-AF"}  # the rest kept

    code, out, _ = synd(capsys, "partners", "show", "--history", "--json")
    v2, v1 = [json.loads(line) for line in out.splitlines()]
    assert (v2["version"], v2["by"], v2["reason"], v2["source"]) == (2, "editor@example.org",
                                                                     "agreement of 2026-12-01", "set")
    assert v2["changes"] == [{"path": "partners.afgazad.agreement.allow_noassertion", "old": None, "new": True}]
    assert v2["at"] >= v1["at"] and v1["version"] == 1
    code, out, _ = synd(capsys, "partners", "show", "afgazad", "--history")
    assert code == 0 and "v2" in out and "agreement of 2026-12-01" in out and "v1" not in out


@pytest.mark.parametrize("argv, words", [
    (["targets", "set", "commercial_syndication", "comercial", "true"], ["unknown key 'comercial'",
                                                                         "did you mean 'commercial'"]),
    (["targets", "set", "commercial_syndication", "commercial", "'yes'"], ["expected true or false", "'yes'"]),
    (["targets", "set", "site", "kind", "webhooks"], ["did you mean 'webhook'"]),
    (["partners", "set", "afgazad", "agreement.allow_noassertio", "true"], ["did you mean 'allow_noassertion'"]),
    (["partners", "set", "afgazad", "default_license", "CC-BY-4.O"], ["did you mean 'CC-BY-4.0'"]),
])
def test_a_mistyped_change_is_refused_and_nothing_is_written(live, capsys, argv, words):
    for kind in ("partners", "targets"):
        seed(live, kind, REPO / "config" / f"{kind}.yaml", by="deploy")
    code, out, err = synd(capsys, *argv, "--reason", "typo")
    assert code == 1 and out == ""
    for word in words:
        assert word in err
    assert "Nothing was written" in err
    assert live.current("partners").version == live.current("targets").version == 1


def test_a_misspelt_partner_is_not_created_unless_it_is_new(live, capsys):
    seed(live, "partners", REPO / "config" / "partners.yaml", by="deploy")
    code, _, err = synd(capsys, "partners", "set", "afgazd", "max_bytes", "1000", "--reason", "r")
    assert code == 1 and "did you mean 'afgazad'" in err and live.current("partners").version == 1
    code, _, err = synd(capsys, "partners", "set", "new-partner", "max_bytes", "1000", "--reason", "r", "--new")
    assert code == 0, err
    assert live.current("partners").document["partners"]["new-partner"] == {"max_bytes": 1000}


def test_set_dry_run_unset_and_json(live, capsys):
    seed(live, "targets", REPO / "config" / "targets.yaml", by="deploy")
    code, out, _ = synd(capsys, "targets", "set", "site", "enabled", "false", "--reason", "r", "--dry-run")
    assert code == 0 and "would set targets.site.enabled: true -> false" in out
    assert live.current("targets").version == 1
    code, out, _ = synd(capsys, "targets", "set", "site", "options.feed_size", "--unset", "--reason", "r", "--json")
    record = json.loads(out)
    assert code == 0 and record["version"] == 2 and record["written"] is True
    assert record["changes"] == [{"path": "targets.site.options.feed_size", "old": 50, "new": None}]
    code, out, _ = synd(capsys, "targets", "set", "site", "options.feed_size", "--unset", "--reason", "r")
    assert code == 0 and "unchanged (version 2)" in out


def test_show_prints_the_live_settings_or_says_the_files_apply(live, capsys):
    code, out, _ = synd(capsys, "targets", "show")
    assert code == 0 and "holds none" in out and "targets.yaml" in out
    seed(live, "partners", REPO / "config" / "partners.yaml", by="deploy")
    code, out, _ = synd(capsys, "partners", "show", "afgazad", "--json")
    shown = json.loads(out)
    assert shown["from"] == "store" and shown["version"] == 1 and shown["source"] == "file" and shown["partner"] == "afgazad"
    assert shown["settings"]["language_variants"] == {"fa": "fa-AF"}
    assert shown["settings"]["agreement"]["allow_noassertion"] is False  # the default entry merged in
    code, out, _ = synd(capsys, "partners", "show")
    assert code == 0 and out.startswith("# partners: version 1") and "afgazad:" in out


def test_commands_without_a_table_are_usage_errors(capsys, monkeypatch):
    for name in ("SYND_CONFIG_TABLE", "TABLE_NAME"):
        monkeypatch.delenv(name, raising=False)
    code, _, err = synd(capsys, "partners", "show")
    assert code == 2 and "no table" in err


# -- deploys and editors -----------------------------------------------------------------------------
def copy_config(tmp_path):
    folder = tmp_path / "config"
    shutil.copytree(REPO / "config", folder)
    return folder


def edit(path, change):
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True))


def test_a_changed_file_is_applied_on_the_next_deploy_when_nobody_changed_the_live_settings(live, tmp_path):
    folder = copy_config(tmp_path)
    seed(live, "targets", folder / "targets.yaml", by="deploy")
    edit(folder / "targets.yaml", lambda d: d["targets"]["aggregator"].update(enabled=False))
    result = seed(live, "targets", folder / "targets.yaml", by="deploy")
    assert result.state == "updated" and result.version.version == 2
    assert result.differences == [{"path": "targets.aggregator.enabled", "old": True, "new": False}]


def test_a_deploy_keeps_an_editors_change_and_refuses_to_undo_it(live, tmp_path, capsys):
    folder = copy_config(tmp_path)
    seed(live, "partners", folder / "partners.yaml", by="deploy")
    live.write("partners", {**live.current("partners").document, "partners": {
        **live.current("partners").document["partners"], "afgazad": {"max_bytes": 5}}},
        by="editor", reason="r", source="set", expected=live.current("partners"))
    # a deploy of the same file: the editor's change stands
    code, out, _ = synd(capsys, "partners", "seed", "--file", str(folder / "partners.yaml"))
    assert code == 0 and "stand" in out and live.current("partners").version == 2
    # a deploy of a changed file: refused, with what differs, unless --replace
    edit(folder / "partners.yaml", lambda d: d["partners"].update(newcomer={"max_bytes": 7}))
    code, out, err = synd(capsys, "partners", "seed", "--file", str(folder / "partners.yaml"))
    assert code == 1 and "editors changed the live settings too" in err and "--replace" in err
    assert "partners.newcomer" in err and live.current("partners").version == 2
    code, out, err = synd(capsys, "partners", "seed", "--file", str(folder / "partners.yaml"), "--replace",
                          "--reason", "the file wins")
    assert code == 0, err
    assert live.current("partners").version == 3 and live.current("partners").reason == "the file wins"
    assert "newcomer" in live.current("partners").document["partners"]


def test_an_invalid_file_is_never_seeded(live, tmp_path, capsys):
    folder = copy_config(tmp_path)
    (folder / "targets.yaml").write_text("targets:\n  site: {kind: site, comercial: true}\n")
    code, _, err = synd(capsys, "targets", "seed", "--file", str(folder / "targets.yaml"))
    assert code == 1 and "targets.yaml:2" in err and live.current("targets") is None


def test_two_writers_at_once_cannot_lose_a_change(live):
    seed(live, "partners", REPO / "config" / "partners.yaml", by="deploy")
    read_by_both = live.current("partners")
    document = read_by_both.document
    live.write("partners", document, by="a", reason="first", source="set", expected=read_by_both)
    with pytest.raises(Conflict, match="now version 2"):
        live.write("partners", document, by="b", reason="second", source="set", expected=read_by_both)
    assert [v.by for v in live.history("partners")] == ["a", "deploy"]


def test_the_store_refuses_an_invalid_document_whoever_writes_it(live):
    with pytest.raises(settings.ConfigError, match="unknown key 'comercial'"):
        live.write("targets", {"targets": {"site": {"kind": "site", "comercial": True}}}, by="x", reason="r",
                   source="set", expected=None)
    assert live.current("targets") is None


# -- the functions -----------------------------------------------------------------------------------
def put_raw(live, kind, document, version):
    """A document written around the checks (the console, another tool)."""
    from synd.aws.config_store import CURRENT, _key

    live.ddb.put_item(TableName=live.table, Item={**_key(kind, CURRENT), "version": {"N": str(version)},
                                                   "document": {"S": json.dumps(document)}, "source": {"S": "set"}})


def test_an_invalid_store_fails_the_first_load_loudly_and_a_warm_function_keeps_its_settings(live, monkeypatch,
                                                                                             caplog):
    put_raw(live, "targets", {"targets": {"site": {"kind": "site", "comercial": True}}}, 7)
    with pytest.raises(settings.ConfigError) as refused:
        settings.target_settings()
    assert "CONFIG#targets version 7" in str(refused.value) and "did you mean 'commercial'" in str(refused.value)
    assert "synd targets set" in str(refused.value)

    put_raw(live, "targets", {"targets": {"site": {"kind": "site"}}}, 8)
    assert [t.name for t in settings.target_settings()] == ["site"]
    put_raw(live, "targets", {"targets": {"site": {"kind": "sitee"}}}, 9)
    expire_cache(monkeypatch)
    with caplog.at_level(logging.ERROR, logger="synd.settings"):
        assert [t.kind for t in settings.target_settings()] == ["site"]  # version 8 stays in use
    assert "keeping the targets settings in use" in caplog.text and "version 8" in caplog.text


def test_the_ingest_function_applies_a_live_change_to_the_next_drop(live, aws_stack, monkeypatch, capsys):
    seed(live, "partners", REPO / "config" / "partners.yaml", by="deploy")
    drop = (SAMPLES / "afgazad" / "000_afb5d5d29ecc6f79.txt").read_bytes()
    put("incoming/afgazad/one.md", drop)
    assert invoke(notifications(aws_stack.url("IngestQueue"))) == {"batchItemFailures": []}
    code, _, err = synd(capsys, "partners", "set", "afgazad", "max_bytes", "100", "--reason", "cap")
    assert code == 0, err
    expire_cache(monkeypatch)
    put("incoming/afgazad/two.md", drop + b"\n")
    assert invoke(notifications(aws_stack.url("IngestQueue"))) == {"batchItemFailures": []}
    from synd.aws import reports

    [rejected] = reports.drops(os.environ["TABLE_NAME"], "rejected")
    assert rejected["key"] == "incoming/afgazad/two.md" and rejected["error"]["code"] == "too_large"



def test_make_deploy_seeds_the_deployed_stacks_table_found_by_its_outputs(live, capsys):
    """`make deploy` runs `synd partners seed --stack <stack> --region <region>` after `sam deploy`."""
    import boto3

    template = {"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
                "Outputs": {"TableName": {"Value": live.table}}}
    boto3.client("cloudformation").create_stack(StackName="synd-dev", TemplateBody=json.dumps(template))
    code, out, err = synd(capsys, "partners", "seed", "--stack", "synd-dev", "--region", "us-east-1",
                          "--file", str(REPO / "config" / "partners.yaml"))
    assert code == 0, err
    assert live.current("partners").version == 1


def test_the_makefile_seeds_both_files_after_sam_deploy():
    import subprocess

    recipe = subprocess.run(["make", "-n", "deploy"], cwd=REPO, capture_output=True, text=True, timeout=60).stdout
    deploy, seeding = recipe.index("sam deploy --config-env default"), recipe.index("seed --stack")
    assert deploy < seeding and "for kind in partners targets" in recipe


def test_an_invalid_store_stops_a_cold_function_before_it_takes_any_message(live, aws_stack, caplog):
    """At cold start both documents are loaded and checked before the first record: an invalid one fails
    the invocation once (the function's Errors alarm), no record is judged by it and no drop is recorded."""
    put_raw(live, "partners", {"partners": {"afgazad": {"agreement": {"allow_noasertion": True}}}}, 3)
    put("incoming/afgazad/one.md", (SAMPLES / "afgazad" / "000_afb5d5d29ecc6f79.txt").read_bytes())
    event = notifications(aws_stack.url("IngestQueue"))
    with caplog.at_level(logging.ERROR), pytest.raises(settings.ConfigError) as refused:
        invoke(event)
    assert "CONFIG#partners version 3" in str(refused.value) and "allow_noassertion" in str(refused.value)
    assert "settings refused" in caplog.text
    from synd.aws import reports

    assert reports.drops(os.environ["TABLE_NAME"], "rejected") == []
    assert reports.drops(os.environ["TABLE_NAME"], "ingested") == []


def test_the_publish_function_checks_the_settings_before_any_message(live, aws_stack, caplog):
    import importlib

    from synd.local.runner import LambdaContext

    put_raw(live, "targets", {"targets": {"site": {"kind": "site", "comercial": True}}}, 4)
    app = importlib.import_module("publish.app")
    message = {"type": "article.version", "article_id": "a", "version": 1, "partner": "afgazad",
               "ninjs_key": "ninjs/a/v1.json"}
    event = {"Records": [{"messageId": "m1", "receiptHandle": "r1", "body": json.dumps(message),
                          "attributes": {"ApproximateReceiveCount": "1"}, "messageAttributes": {},
                          "md5OfBody": "", "eventSource": "aws:sqs", "awsRegion": "us-east-1",
                          "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:publish"}]}
    with caplog.at_level(logging.ERROR), pytest.raises(settings.ConfigError) as refused:
        app.lambda_handler(event, LambdaContext("PublishFunction"))
    assert "did you mean 'commercial'" in str(refused.value) and "settings refused" in caplog.text
