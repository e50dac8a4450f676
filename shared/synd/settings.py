"""Partner and target settings, read from YAML that editors change without a
code change (`config/partners.yaml`, `config/targets.yaml`).

The directory comes from $SYND_CONFIG_DIR; in Lambda the layer ships it at
/opt/config, locally it is the repository's `config/`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

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

    allow_noassertion: bool = False
    allow_all_rights_reserved: bool = False
    allow_translations: bool = False  # despite ND
    allow_derivatives: bool = False  # excerpts and edits despite ND
    allow_commercial: bool = False  # despite NC
    non_profit_only: bool = False


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
    max_bytes: int | None = None
    parse_budget_seconds: float | None = None  # seconds one drop may take to parse (synd.budget's default: 20)

    @classmethod
    def from_dict(cls, pid: str, data: dict[str, Any] | None) -> "PartnerSettings":
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

    @classmethod
    def from_dict(cls, name: str, data: dict[str, Any]) -> "TargetSettings":
        data = dict(data)
        options = data.pop("options", None) or {}
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(name=name, options=dict(options), **known)


def _load_yaml(name: str) -> dict[str, Any]:
    path = config_dir() / name
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


@lru_cache(maxsize=1)
def _partners() -> dict[str, Any]:
    return _load_yaml("partners.yaml").get("partners", {}) or {}


def partner_settings(partner_id: str) -> PartnerSettings:
    """Settings of one partner; an unknown partner gets the defaults (nothing allowed beyond the licence)."""
    raw = _partners()
    merged = {**(raw.get("default") or {}), **(raw.get(partner_id) or {})}
    return PartnerSettings.from_dict(partner_id, merged)


@lru_cache(maxsize=1)
def target_settings() -> tuple[TargetSettings, ...]:
    raw = _load_yaml("targets.yaml").get("targets", {}) or {}
    return tuple(TargetSettings.from_dict(name, data) for name, data in raw.items())


def reload() -> None:
    """Forget cached settings (tests and the local stack change them)."""
    _partners.cache_clear()
    target_settings.cache_clear()
