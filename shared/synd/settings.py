"""Partner and target settings, read from YAML that editors change without a
code change (`config/partners.yaml`, `config/targets.yaml`), and in AWS from the
live store that editors change without a deploy (`synd partners set`; see the end).

The directory comes from $SYND_CONFIG_DIR; in Lambda the layer ships it at
/opt/config, locally it is the repository's `config/`. Every document is checked
against the schema these dataclasses make (synd.config_schema) when it loads.
"""
from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from synd import config_schema
from synd.config_schema import ConfigError  # raised here; callers catch it from synd.settings

_REPO_CONFIG = Path(__file__).resolve().parents[2] / "config"


def config_dir() -> Path:
    env = os.environ.get("SYND_CONFIG_DIR")
    if env:
        return Path(env)
    if Path("/opt/config").is_dir():
        return Path("/opt/config")
    return _REPO_CONFIG


@dataclass(frozen=True)
class Agreement:
    """What a partner's own agreement allows beyond (or short of) the licence code."""

    allow_noassertion: bool = False  # republish, unaltered and credited, articles with no licence the policy can read
    allow_all_rights_reserved: bool = False  # the same for articles marked all rights reserved
    # One flag per use (docs/licensing.md). Unset (None): the licence decides. true: allowed even where
    # the licence (ND, NC, no licence, all rights reserved) does not allow it. false: refused even where
    # the licence allows it (the agreement is stricter than the licence).
    allow_translations: bool | None = None
    allow_derivatives: bool | None = None  # excerpts, edits and translations at once; a use's own flag wins
    allow_commercial: bool | None = None
    non_profit_only: bool = False  # never a commercial target, whatever the licence (= allow_commercial: false)
    allow_excerpts: bool | None = None  # verbatim parts of the text
    allow_edits: bool | None = None  # changed text (Adapted Material)
    allow_relicensing: bool | None = None  # what a target makes may go out under the target's own `license`


@dataclass(frozen=True)
class PartnerSettings:
    id: str
    name: str | None = None
    default_license: str | None = None  # SPDX id used when the document says nothing
    language: str | None = None  # default for texts too short to judge
    language_variants: dict[str, str] = field(default_factory=dict)  # e.g. {"fa": "fa-AF"} for Dari
    publisher: str | None = None
    agreement: Agreement = Agreement()
    attribution: str | None = None  # required wording, with {title} {authors} {publisher} {url} {license}
    # required wording per language of the credit ({"fr": "...", "en": "..."}); wins over `attribution`
    attribution_by_language: dict[str, str] = field(default_factory=dict)
    max_bytes: int | None = None
    parse_budget_seconds: float | None = None  # seconds one drop may take to parse (synd.budget's default: 20)

    @classmethod
    def from_dict(cls, pid: str, data: dict[str, Any] | None) -> PartnerSettings:
        data = dict(data or {})
        agreement = Agreement(**(data.pop("agreement", None) or {}))
        variants = data.pop("language_variants", None) or {}
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(id=pid, agreement=agreement, language_variants=dict(variants), **known)


@dataclass(frozen=True)
class TargetSettings:
    name: str
    kind: str  # a key of synd.targets.REGISTRY
    enabled: bool = True
    commercial: bool = False
    excerpts: bool = False
    edits: bool = False
    translates: bool = False
    attribution_format: str = "html"
    options: dict[str, Any] = field(default_factory=dict)
    # SPDX id of the licence the target puts on what it makes of an article (its edits, translations:
    # the Adapter's License); None: what it makes stays under each article's own licence
    license: str | None = None

    @classmethod
    def from_dict(cls, name: str, data: dict[str, Any]) -> TargetSettings:
        data = dict(data)
        options = data.pop("options", None) or {}
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(name=name, options=dict(options), **known)


def _load_yaml(name: str) -> dict[str, Any]:
    """A settings file of the config dir, checked: a ConfigError names the file, the line and the fix."""
    path = config_dir() / name
    if not path.exists():
        return {}
    return config_schema.load_file(config_schema.kind_of(name), path)


def _partners() -> dict[str, Any]:
    return _LIVE.document("partners").get("partners") or {}


def partner_settings(partner_id: str) -> PartnerSettings:
    """Settings of one partner; an unknown partner gets the defaults (nothing allowed beyond the licence)."""
    raw = _partners()
    merged = {**(raw.get("default") or {}), **(raw.get(partner_id) or {})}
    return PartnerSettings.from_dict(partner_id, merged)


def target_settings() -> tuple[TargetSettings, ...]:
    document = _LIVE.document("targets")
    if _TARGETS_MADE.get("document") is not document:  # made again only when the settings changed
        raw = document.get("targets") or {}
        _TARGETS_MADE.update(document=document,
                             targets=tuple(TargetSettings.from_dict(name, data) for name, data in raw.items()))
    return _TARGETS_MADE["targets"]


def load_all() -> None:
    """Load (or, past their age, refresh) both documents now. The handlers call it before their first
    record, so an invalid document fails the invocation at cold start, before anything is judged by it."""
    _partners()
    target_settings()


def reload() -> None:
    """Forget cached settings (tests and the local stack change them); then run the reload hooks (the
    local stack registers one that seeds its live store from the config files when they changed)."""
    _LIVE.forget()
    _TARGETS_MADE.clear()
    hooks = list(RELOAD_HOOKS)  # a copy: a hook may register or drop hooks
    for hook in hooks:
        hook()


# -- where the settings come from: the live store, else the files --------------------------------------
# In AWS (and the local stack) SYND_CONFIG_TABLE names the table holding the live settings
# (synd.aws.config_store: editors change them with `synd partners set`, no deploy); the functions
# read them again every SYND_CONFIG_MAX_AGE seconds. When the store holds none, or without
# SYND_CONFIG_TABLE (unit tests, `synd parse`), the files of the config dir apply.
DEFAULT_MAX_AGE_SECONDS = 60.0
_log = logging.getLogger("synd.settings")
_TARGETS_MADE: dict[str, Any] = {}
RELOAD_HOOKS: list = []  # callables run by reload()


def max_age() -> float:
    try:
        return max(0.0, float(os.environ.get("SYND_CONFIG_MAX_AGE", DEFAULT_MAX_AGE_SECONDS)))
    except ValueError:
        return DEFAULT_MAX_AGE_SECONDS


@dataclass
class _Loaded:
    document: dict[str, Any]
    source: str  # "file", or the table's name
    version: int | None
    checked: float


class _LiveSettings:
    """The settings documents in use, checked once per version.

    The first load fails loudly (ConfigError: file:line and the fix; or the store's error), so an
    invalid configuration stops a function at its first message, before any drop is judged by it.
    A later refresh that fails keeps the settings in use and logs why at ERROR: a bad write to the
    store (which `synd partners set` refuses anyway) or a throttled read does not stop the fleet."""

    def __init__(self) -> None:
        self._loaded: dict[tuple, _Loaded] = {}

    def document(self, kind: str) -> dict[str, Any]:
        table = os.environ.get("SYND_CONFIG_TABLE") or None
        key = (kind, table, os.environ.get("AWS_ENDPOINT_URL"), str(config_dir()))
        loaded = self._loaded.get(key)
        if loaded and (table is None or time.monotonic() - loaded.checked < max_age()):
            return loaded.document
        try:
            fresh = self._read(kind, table, loaded)
        except Exception as exc:
            if loaded is None:
                raise
            _log.error("keeping the %s settings in use (%s, version %s): %s", kind, loaded.source,
                       loaded.version, exc)
            loaded.checked = time.monotonic()
            return loaded.document
        self._loaded[key] = fresh
        return fresh.document

    def _read(self, kind: str, table: str | None, loaded: _Loaded | None) -> _Loaded:
        now = time.monotonic()
        if table:
            from synd.aws.config_store import ConfigStore  # boto3 only where a store is used

            current = ConfigStore(table).current(kind)
            if current is not None:
                if loaded and loaded.source == table and loaded.version == current.version:
                    return replace(loaded, checked=now)
                problems = config_schema.check_document(kind, current.document)
                if problems:
                    raise ConfigError(f"{table} CONFIG#{kind} version {current.version}", problems, kind,
                                      fix=f"Correct it with `synd {kind} set` (see `synd {kind} show --history`).")
                return _Loaded(current.document, table, current.version, now)
        if loaded and loaded.source == "file":
            return replace(loaded, checked=now)  # the store is (still) empty; the files do not change
        return _Loaded(_load_yaml(f"{kind}.yaml"), "file", None, now)

    def forget(self) -> None:
        self._loaded.clear()


_LIVE = _LiveSettings()


def use_store(table: str | None) -> None:
    """Where this process reads the settings: the live store in `table`, or (None) the config dir's files
    only, whatever $SYND_CONFIG_TABLE said. `synd parse` runs with no AWS at all; an operator's command
    that decides deliveries (`synd reconsider`) decides with the live agreements, as the functions do.
    (It sets $SYND_CONFIG_TABLE, so that a test's saved environment undoes it.)"""
    if table:
        os.environ["SYND_CONFIG_TABLE"] = table
    else:
        os.environ.pop("SYND_CONFIG_TABLE", None)
    reload()
