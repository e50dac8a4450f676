"""config/partners.yaml and config/targets.yaml cannot be mistyped: every key, type, target kind and
licence id is checked when the settings load, and a refusal names the file, the line and the fix."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from synd import settings

REPO_CONFIG = Path(__file__).resolve().parents[2] / "config"


@pytest.fixture
def config(tmp_path, monkeypatch):
    """A config dir holding only what the test writes (the other file stays empty)."""
    monkeypatch.setenv("SYND_CONFIG_DIR", str(tmp_path))
    monkeypatch.delenv("SYND_CONFIG_TABLE", raising=False)
    settings.reload()

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        settings.reload()
        return path

    yield write
    settings.reload()


SITE = """\
targets:
  site:
    kind: site
    {line}
"""


def test_a_misspelt_target_flag_is_refused_with_file_line_and_the_key_it_could_mean(config):
    # the defect: `comercial: true` was dropped silently, so the target was non-commercial
    # and NC articles went to a paying client
    config("targets.yaml", SITE.format(line="comercial: true"))
    with pytest.raises(ValueError) as refused:
        settings.target_settings()
    message = str(refused.value)
    assert "targets.yaml:4" in message
    assert "'comercial'" in message and "commercial" in message.replace("'comercial'", "")


def test_a_typo_inside_agreement_is_refused_when_the_settings_load_not_as_a_type_error_per_drop(config):
    config("partners.yaml", """\
        partners:
          afgazad:
            name: Afghanistan Azad
            agreement:
              allow_noassertio: true
        """)
    with pytest.raises(ValueError) as refused:
        settings.partner_settings("afgazad")
    message = str(refused.value)
    assert not isinstance(refused.value, TypeError)
    assert "partners.yaml:5" in message and "allow_noassertion" in message
    assert "partners.afgazad.agreement" in message


def test_a_typo_refuses_every_partner_at_load_not_only_the_misspelt_one(config):
    """Settings load as one file: a bad file fails the function at its first use, for every drop alike."""
    config("partners.yaml", """\
        partners:
          afgazad: {agreement: {allow_comercial: true}}
          opendemocracy: {name: openDemocracy}
        """)
    with pytest.raises(settings.ConfigError):
        settings.partner_settings("opendemocracy")


@pytest.mark.parametrize("line, words", [
    ('commercial: "yes"', ["targets.site.commercial", "true or false", "'yes'"]),
    ("commercial: 1", ["targets.site.commercial", "true or false"]),
    ("enabled: null", ["targets.site.enabled", "true or false"]),
    ("options: [base_url]", ["targets.site.options", "a mapping"]),
    ("attribution_format: 7", ["targets.site.attribution_format", "a string"]),
])
def test_a_value_of_the_wrong_type_is_refused(config, line, words):
    config("targets.yaml", SITE.format(line=line))
    with pytest.raises(ValueError) as refused:
        settings.target_settings()
    assert "targets.yaml:4" in str(refused.value)
    for word in words:
        assert word in str(refused.value)


def test_an_unknown_target_kind_is_refused_with_the_known_kinds(config):
    config("targets.yaml", """\
        targets:
          news_desk:
            kind: webhooks
        """)
    with pytest.raises(ValueError) as refused:
        settings.target_settings()
    message = str(refused.value)
    assert "targets.yaml:3" in message and "'webhooks'" in message and "did you mean 'webhook'" in message


def test_a_target_needs_a_kind(config):
    config("targets.yaml", """\
        targets:
          news_desk:
            enabled: true
        """)
    with pytest.raises(settings.ConfigError, match=r"targets\.yaml:2: .*news_desk.*kind"):
        settings.target_settings()


def test_an_unknown_licence_id_in_default_license_is_refused(config):
    config("partners.yaml", """\
        partners:
          gazette:
            default_license: CC-BY-4.O
        """)
    with pytest.raises(ValueError) as refused:
        settings.partner_settings("gazette")
    message = str(refused.value)
    assert "partners.yaml:3" in message and "'CC-BY-4.O'" in message and "CC-BY-4.0" in message


@pytest.mark.parametrize("spdx", ["CC-BY-4.0", "CC-BY-NC-ND-4.0", "CC0-1.0", "CC-BY-SA-3.0-DE",
                                  "LicenseRef-All-Rights-Reserved", "NOASSERTION", "cc-by-nd-4.0"])
def test_known_licence_ids_are_accepted(config, spdx):
    config("partners.yaml", f"partners:\n  gazette:\n    default_license: {spdx}\n")
    assert settings.partner_settings("gazette").default_license == spdx


def test_an_unknown_top_level_key_is_refused(config):
    config("partners.yaml", "partner:\n  afgazad: {}\n")
    with pytest.raises(settings.ConfigError, match=r"partners\.yaml:1: .*'partner'.*did you mean 'partners'"):
        settings.partner_settings("afgazad")


def test_a_key_written_twice_is_refused(config):
    """YAML keeps the last of two equal keys without a word; an editor meant one of them."""
    config("targets.yaml", """\
        targets:
          site:
            kind: site
            commercial: false
            commercial: true
        """)
    with pytest.raises(settings.ConfigError, match=r"targets\.yaml:5: .*'commercial' .*twice.*line 4"):
        settings.target_settings()


def test_every_problem_of_a_file_is_listed_at_once(config):
    config("targets.yaml", """\
        targets:
          site: {kind: site, comercial: true}
          hook: {kind: webhok, edit: true}
        """)
    with pytest.raises(settings.ConfigError) as refused:
        settings.target_settings()
    assert len(refused.value.problems) == 3
    assert [p.line for p in refused.value.problems] == [2, 3, 3]


def test_a_yaml_syntax_error_names_its_line(config):
    config("partners.yaml", "partners:\n  afgazad:\n    name: [unclosed\n")
    with pytest.raises(settings.ConfigError, match=r"partners\.yaml:\d+: "):
        settings.partner_settings("afgazad")


def test_an_attribution_template_with_an_unknown_placeholder_is_refused(config):
    """`.format(**values)` raised KeyError for every delivery of that partner."""
    config("partners.yaml", """\
        partners:
          gazette:
            attribution: "{title} by {autors}"
        """)
    with pytest.raises(settings.ConfigError, match=r"partners\.yaml:3: .*\{autors\}.*did you mean 'authors'"):
        settings.partner_settings("gazette")


def test_a_target_name_that_cannot_name_its_signing_key_is_refused(config):
    config("targets.yaml", "targets:\n  partner/hook:\n    kind: webhook\n")
    with pytest.raises(settings.ConfigError, match=r"targets\.yaml:2: .*'partner/hook'"):
        settings.target_settings()


def test_a_valid_file_loads_as_before(config):
    config("partners.yaml", """\
        partners:
          default: {agreement: {allow_commercial: false}}
          afgazad:
            language_variants: {fa: fa-AF}
            parse_budget_seconds: 5
            max_bytes: 1000
            agreement: {allow_noassertion: true}
        """)
    partner = settings.partner_settings("afgazad")
    assert partner.language_variants == {"fa": "fa-AF"} and partner.parse_budget_seconds == 5
    assert partner.agreement.allow_noassertion is True and partner.max_bytes == 1000
    assert settings.partner_settings("someone-else").agreement == settings.Agreement(allow_commercial=False)


def test_the_error_says_how_to_check_before_deploying(config):
    config("targets.yaml", SITE.format(line="comercial: true"))
    with pytest.raises(settings.ConfigError) as refused:
        settings.target_settings()
    assert "synd targets validate" in str(refused.value)


# -- the schema follows the dataclasses --------------------------------------------------------------
def test_every_field_of_the_settings_dataclasses_is_accepted(config, tmp_path):
    """A field another change adds to PartnerSettings, Agreement or TargetSettings needs no schema edit."""
    from dataclasses import fields

    from synd import config_schema

    for cls in (settings.PartnerSettings, settings.Agreement, settings.TargetSettings):
        spec = config_schema.spec_of(cls)
        assert set(spec.fields) == {f.name for f in fields(cls)} - config_schema.KEY_FIELDS.get(cls.__name__, set())


def test_a_new_field_is_checked_by_its_type(monkeypatch):
    from dataclasses import dataclass

    from synd import config_schema

    @dataclass(frozen=True)
    class WithNewField:
        allow_excerpts: bool = True
        license: str | None = None
        levels: tuple[int, ...] = ()

    problems = config_schema.check_mapping(WithNewField, {"allow_excerpts": "no", "licence": "x", "levels": [1, "2"]},
                                           ("agreement",))
    assert {(p.path, p.kind) for p in problems} == {(("agreement", "allow_excerpts"), "type"),
                                                     (("agreement", "licence"), "unknown"),
                                                     (("agreement", "levels", 1), "type")}
    assert "did you mean 'license'" in next(p.message for p in problems if p.kind == "unknown")


def test_the_repository_config_is_valid():
    """`make test` refuses a config/ that the functions would refuse at cold start."""
    from synd import config_schema

    for name in ("partners.yaml", "targets.yaml"):
        path = REPO_CONFIG / name
        assert config_schema.check_text(name, path.read_text(encoding="utf-8"), str(path)) == []


# -- editing one key (synd partners set) -------------------------------------------------------------
def test_set_key_makes_the_path_and_reports_the_change():
    from synd import config_schema

    before = {"partners": {"afgazad": {"name": "Afghanistan Azad"}}}
    after, change = config_schema.set_key("partners", before, "afgazad", "agreement.allow_noassertion", True)
    assert after["partners"]["afgazad"] == {"name": "Afghanistan Azad", "agreement": {"allow_noassertion": True}}
    assert before == {"partners": {"afgazad": {"name": "Afghanistan Azad"}}}  # a copy was changed
    assert change["path"] == "partners.afgazad.agreement.allow_noassertion" and change["was_set"] is False
    assert config_schema.differences(before, after) == [
        {"path": "partners.afgazad.agreement.allow_noassertion", "old": None, "new": True}]
    removed, _ = config_schema.set_key("partners", after, "afgazad", "name", None, unset=True)
    assert "name" not in removed["partners"]["afgazad"]


def test_set_key_refuses_to_go_inside_a_value():
    from synd import config_schema

    with pytest.raises(ValueError, match="not a mapping"):
        config_schema.set_key("partners", {"partners": {"a": {"name": "x"}}}, "a", "name.first", "y")


def test_the_same_settings_have_the_same_digest_whatever_the_file_looks_like():
    from synd import config_schema

    one = config_schema.load_text("targets", "targets:\n  site: {kind: site, enabled: true}\n", "a")
    two = config_schema.load_text("targets", "# a comment\ntargets:\n  site:\n    enabled: true\n    kind: 'site'\n", "b")
    assert config_schema.document_digest(one) == config_schema.document_digest(two)


def test_synd_parse_reads_the_files_even_with_the_stack_environment_set(tmp_path):
    """`synd parse` needs no AWS: out/stack.env names the live store, but parse must not call it."""
    import os
    import subprocess
    import sys

    synd = str(Path(sys.executable).with_name("synd"))
    env = {**os.environ, "SYND_CONFIG_TABLE": "synd-local-articles", "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
           "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": "us-east-1",
           "SYND_CONFIG_DIR": str(REPO_CONFIG)}
    sample = REPO_CONFIG.parent / "samples" / "afgazad"
    proc = subprocess.run([synd, "parse", str(sample)], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]


# -- synd partners|targets validate (no AWS) ---------------------------------------------------------
def _synd(*argv, env=None):
    import os
    import subprocess
    import sys

    synd = str(Path(sys.executable).with_name("synd"))
    return subprocess.run([synd, *argv], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})


@pytest.mark.parametrize("kind", ["partners", "targets"])
@pytest.mark.parametrize("action", ["validate", "show", "set", "seed"])
def test_every_action_has_help(kind, action):
    proc = _synd(kind, action, "--help")
    assert proc.returncode == 0 and "Exit codes" in proc.stdout and f"synd {kind} {action}" in proc.stdout


def test_validate_checks_files_without_aws_and_exits_1_on_a_problem(tmp_path):
    bad = tmp_path / "targets.yaml"
    bad.write_text("targets:\n  site:\n    kind: site\n    comercial: true\n")
    proc = _synd("targets", "validate", str(REPO_CONFIG / "targets.yaml"), str(bad),
                 env={"AWS_ENDPOINT_URL": "http://127.0.0.1:9"})
    assert proc.returncode == 1
    assert "targets.yaml: valid" in proc.stdout
    assert f"{bad}:4: targets.site: unknown key 'comercial'; did you mean 'commercial'?" in proc.stderr
    records = [__import__("json").loads(line) for line in _synd("targets", "validate", "--json", str(bad)).stdout.splitlines()]
    assert records == [{"file": str(bad), "valid": False, "problems": [
        {"line": 4, "path": "targets.site.comercial", "kind": "unknown",
         "message": "targets.site: unknown key 'comercial'; did you mean 'commercial'?"}]}]
    assert _synd("partners", "validate").returncode == 0  # the repository's own file
