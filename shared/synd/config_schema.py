"""The schema of config/partners.yaml and config/targets.yaml, derived from the settings dataclasses.

Every key of an entry is a field of `PartnerSettings` (its `agreement` an `Agreement`) or of
`TargetSettings`, with that field's type: a field added to a dataclass is accepted, and checked
by its type, with no edit here. On top of the types, a few values are checked against what reads
them: a target's `kind` against synd.targets.REGISTRY, a licence id against synd.license.catalog,
an attribution template's placeholders against what synd.policy fills in, a target's name against
what may name its signing key.

Why our own checker rather than jsonschema or pydantic (both in .venv): pydantic's lax mode turns
`"yes"` into True (the very mistake to refuse) and its strict mode refuses a mapping for a stdlib
dataclass, so it would need a model generated per dataclass anyway; jsonschema would need a schema
generated from the same type hints and its messages rewritten to say file, line and the key meant.
Both would go into the Lambda layer (pydantic + pydantic-core 9 MB, jsonschema and its four dependencies
3 MB) and add to every cold start: importing pydantic took 35 ms here, jsonschema 70-130 ms, this module
12-15 ms (mostly compiling it: the layer ships no .pyc), timed after the modules all three share; the
handlers import in 0.5-0.6 s (bench/startup.py). It needs only PyYAML, which we ship already.

A refusal is a `ConfigError` listing every problem as `file:line: path: what is wrong; the fix`.
"""
from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import re
import string
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

if typing.TYPE_CHECKING:  # annotations only: yaml is imported where a file is read
    import yaml

KINDS = ("partners", "targets")
# fields that come from the entry's key in the file, never written inside the entry
KEY_FIELDS: dict[str, set[str]] = {"PartnerSettings": {"id"}, "TargetSettings": {"name"}}
# the placeholders synd.policy.attribution fills into a partner's `attribution` wording
ATTRIBUTION_PLACEHOLDERS = ("title", "authors", "publisher", "url", "license")
# a target's name also names its webhook signing key <stack>/webhooks/<name> (synd.targets.webhook)
TARGET_NAME = re.compile(r"[A-Za-z0-9_+=.@-]{1,128}")
MAX_DOCUMENT_BYTES = 300_000  # a DynamoDB item holds 400 KB; the live store keeps the document in one


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a settings document; `path` is where, e.g. ("targets", "site", "comercial")."""

    path: tuple
    kind: str  # unknown | type | missing | value | duplicate | syntax
    message: str
    line: int | None = None

    @property
    def dotted(self) -> str:
        return ".".join(str(p) for p in self.path)

    def render(self, source: str) -> str:
        where = f"{source}:{self.line}" if self.line else source
        return f"{where}: {self.message}"

    def to_record(self) -> dict[str, Any]:
        return {"line": self.line, "path": self.dotted, "kind": self.kind, "message": self.message}


class ConfigError(ValueError):
    """Settings that would do something else than their editor meant: refused as a whole, loudly."""

    def __init__(self, source: str, problems: list[Problem], kind: str | None = None, fix: str | None = None):
        self.source, self.problems, self.kind = source, list(problems), kind
        self.fix = fix or (f"Fix the file, then check it with `synd {kind} validate` before deploying."
                           if kind else "Fix it and load again.")
        lines = [(f"{source}: {len(self.problems)} problem{'s' if len(self.problems) != 1 else ''} "
                  "in the settings:")]
        lines += [f"  {p.render(source)}" for p in self.problems]
        lines.append(self.fix)
        super().__init__("\n".join(lines))


# -- the schema, from the dataclasses ----------------------------------------------------------------
@dataclass(frozen=True)
class Spec:
    """The keys an entry may have: field name -> (type hint, required)."""

    cls: type
    fields: dict[str, tuple[Any, bool]]


@cache
def spec_of(cls: type) -> Spec:
    """The keys of a settings dataclass with their types (fields named by the entry's key left out).

    Raises TypeError for a field type this schema cannot check, so that a test catches a new
    field of an unforeseen type before any file is read with it."""
    hints = typing.get_type_hints(cls)
    fields = {}
    for f in dataclasses.fields(cls):
        if f.name in KEY_FIELDS.get(cls.__name__, set()):
            continue
        hint = hints[f.name]
        describe(hint)  # refuses a type it cannot check
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        fields[f.name] = (hint, required)
    return Spec(cls, fields)


def describe(hint: Any) -> str:
    """What a value of this type looks like in YAML, for messages."""
    if hint is Any:
        return "anything"
    if hint is bool:
        return "true or false"
    if hint is int:
        return "a whole number"
    if hint is float:
        return "a number"
    if hint is str:
        return "a string"
    if hint is type(None):
        return "null"
    if dataclasses.is_dataclass(hint):
        return "a mapping of keys"
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(describe(a) for a in args)
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(a) for a in args)
    if hint is dict or origin is dict:
        return f"a mapping (each value {describe(args[1])})" if args and args[1] is not Any else "a mapping"
    if hint in (list, tuple, set, frozenset) or origin in (list, tuple, set, frozenset):
        items = [a for a in args if a is not Ellipsis]
        return f"a list (each item {describe(items[0])})" if len(set(items)) == 1 and items[0] is not Any else "a list"
    raise TypeError(f"the settings schema cannot check values of type {hint!r}")


def check_mapping(cls: type, value: Any, path: tuple, where: str | None = None) -> list[Problem]:
    """Problems of one entry (a mapping) against a settings dataclass: unknown keys, types, missing keys."""
    if value is None:
        value = {}
    if not isinstance(value, dict):
        return [Problem(path, "type", f"{_dotted(path)}: expected a mapping of keys, got {_shown(value)}")]
    spec = spec_of(cls)
    problems = []
    for key, item in value.items():
        if key not in spec.fields:
            problems.append(unknown_key(path, key, spec.fields, where))
            continue
        type_problems = check_value(spec.fields[key][0], item, (*path, key))
        problems += type_problems or _check_semantics(cls, key, item, (*path, key))
    for key, (_, required) in spec.fields.items():
        if required and key not in value:
            problems.append(Problem(path, "missing", f"{_dotted(path)}: the key {key!r} is missing"
                                                     f"{_expected_values(cls, key)}"))
    return problems


def check_value(hint: Any, value: Any, path: tuple) -> list[Problem]:
    """Problems of one value against a type hint (the empty list when it fits)."""
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):  # a hint is a class, never an instance
        return check_mapping(hint, value, path)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return _check_union(hint, args, value, path)
    if hint is Any:
        return _check_plain_data(value, path)
    if hint is dict or origin is dict:
        if not isinstance(value, dict):
            return [_type_problem(hint, value, path)]
        key_type, value_type = args or (Any, Any)
        problems = []
        for key, item in value.items():
            problems += [replace_message(p, f"keys of {_dotted(path)}") for p in check_value(key_type, key, path)]
            problems += check_value(value_type, item, (*path, key))
        return problems
    if hint in (list, tuple, set, frozenset) or origin in (list, tuple, set, frozenset):
        if not isinstance(value, list):
            return [_type_problem(hint, value, path)]
        return [p for i, item in enumerate(value) for p in check_value(_item_type(origin, args, i), item, (*path, i))]
    return [] if _fits(hint, value) else [_type_problem(hint, value, path)]


def _check_plain_data(value: Any, path: tuple) -> list[Problem]:
    """Free-form values (a target's options) hold only what JSON holds: the live store keeps them as JSON."""
    if isinstance(value, dict):
        keys = [Problem((*path, key), "type", f"{_dotted(path)}: the key {key!r} must be a string: quote it")
                for key in value if not isinstance(key, str)]
        return keys + [p for key, item in value.items() for p in _check_plain_data(item, (*path, key))]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _check_plain_data(item, (*path, i))]
    if value is None or isinstance(value, (str, bool, int, float)):
        return []
    return [Problem(path, "type", f"{_dotted(path)}: {_shown(value)} cannot be stored: quote it to make a string")]


def _check_union(hint: Any, args: tuple, value: Any, path: tuple) -> list[Problem]:
    attempts = [check_value(arm, value, path) for arm in args]
    if any(not problems for problems in attempts):
        return []
    not_none = [problems for arm, problems in zip(args, attempts, strict=True) if arm is not type(None)]
    if len(not_none) == 1 and value is not None:
        return not_none[0]  # `str | None` given a number: say what the string should be
    return [_type_problem(hint, value, path)]


def _item_type(origin: Any, args: tuple, index: int) -> Any:
    if not args:
        return Any
    if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
        return args[index] if index < len(args) else type(None)
    return args[0]


def _fits(hint: Any, value: Any) -> bool:
    if hint is Any:
        return True
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    if hint is type(None):
        return value is None
    if typing.get_origin(hint) is typing.Literal:
        return value in typing.get_args(hint)
    raise TypeError(f"the settings schema cannot check values of type {hint!r}")


def _type_problem(hint: Any, value: Any, path: tuple) -> Problem:
    empty = "; write {} for none" if value is None and (hint is dict or typing.get_origin(hint) is dict) else ""
    return Problem(path, "type", f"{_dotted(path)}: expected {describe(hint)}, got {_shown(value)}{empty}")


def replace_message(problem: Problem, what: str) -> Problem:
    return dataclasses.replace(problem, message=problem.message.replace(_dotted(problem.path), what, 1))


def unknown_key(path: tuple, key: Any, known: Iterable[str], where: str | None = None) -> Problem:
    known = sorted(known)
    close = difflib.get_close_matches(str(key), known, n=3, cutoff=0.8)
    fix = (f"did you mean {' or '.join(repr(c) for c in close)}?" if close
           else f"the keys {where or _dotted(path) or 'here'} can have: {', '.join(known)}")
    return Problem((*path, key), "unknown", f"{_dotted(path) or 'top level'}: unknown key {key!r}; {fix}")


# -- checks beyond the type --------------------------------------------------------------------------
def _check_semantics(cls: type, key: str, value: Any, path: tuple) -> list[Problem]:
    check = _SEMANTIC_CHECKS.get((cls.__name__, key))
    if check is None or value is None:
        return []
    message = check(value)
    return [Problem(path, "value", f"{_dotted(path)}: {message}")] if message else []


def check_kind(kind: str) -> str | None:
    from synd.targets import REGISTRY  # imported here: synd.targets imports the settings

    if kind in REGISTRY:
        return None
    return _not_one_of(kind, sorted(REGISTRY), "target kind", "synd.targets.REGISTRY")


def check_license(spdx: str) -> str | None:
    """A licence id the catalog knows as itself (an unknown id would decide nothing in the policy)."""
    from synd.license import catalog

    wanted = spdx.strip()
    if wanted.upper() == catalog.NOASSERTION:
        return None
    lic = catalog.from_spdx(wanted)
    understood = any(v is not None for v in (lic.derivatives, lic.commercial, lic.attribution, lic.share_alike))
    if understood and lic.spdx.upper() == wanted.upper():
        return None
    return _not_one_of(spdx, sorted(_license_ids()), "licence id", "SPDX ids of synd.license.catalog")


def _license_ids() -> set[str]:
    from synd.license import catalog

    extra = getattr(catalog, "known_ids", None)  # the catalog may list its non-CC ids
    ids = set(catalog.spdx_ids()) | {catalog.NOASSERTION, catalog.ALL_RIGHTS_RESERVED, catalog.PUBLIC_DOMAIN,
                                      catalog.CC0, catalog.PDM}
    return ids | set(extra()) if callable(extra) else ids


def check_attribution(template: Any) -> str | None:
    """`{title} {authors} {publisher} {url} {license}` only: `.format()` raised KeyError on a typo per delivery."""
    texts = template.values() if isinstance(template, dict) else [template]
    for text in texts:
        if not isinstance(text, str):
            continue
        try:
            parsed = list(string.Formatter().parse(text))
        except ValueError as exc:
            return f"{exc} (write a literal brace as {{{{ or }}}})"
        for _, name, spec, conversion in parsed:
            if name is None:
                continue
            if name not in ATTRIBUTION_PLACEHOLDERS:
                return _not_one_of(name, list(ATTRIBUTION_PLACEHOLDERS), "placeholder", None,
                                   shown=f"{{{name}}}")
            if spec or conversion:
                return f"write the placeholder as {{{name}}}, without a format or conversion"
    return None


def check_target_name(name: Any) -> str | None:
    if isinstance(name, str) and TARGET_NAME.fullmatch(name):
        return None
    return (f"the target name {name!r} cannot name its signing key: use 1-128 of A-Z a-z 0-9 _ + = . @ -")


def _not_one_of(value: Any, known: list[str], what: str, where: str | None, shown: str | None = None) -> str:
    by_upper = {k.upper(): k for k in known}
    close = [by_upper[c] for c in difflib.get_close_matches(str(value).upper(), list(by_upper), n=3, cutoff=0.8)]
    text = f"{shown or repr(value)} is not a known {what}"
    if close:
        return f"{text}; did you mean {' or '.join(repr(c) for c in close)}?"
    listed = ", ".join(known) if len(known) <= 12 else f"see {where}"
    return f"{text}; known: {listed}"


_SEMANTIC_CHECKS: dict[tuple[str, str], Callable[[Any], str | None]] = {
    ("PartnerSettings", "default_license"): check_license,
    ("PartnerSettings", "attribution"): check_attribution,
    ("PartnerSettings", "attribution_by_language"): check_attribution,
    ("TargetSettings", "kind"): check_kind,
    ("TargetSettings", "license"): check_license,  # the licence a target republishes under, when it has one
}


def _expected_values(cls: type, key: str) -> str:
    if (cls.__name__, key) == ("TargetSettings", "kind"):
        from synd.targets import REGISTRY

        return f" (one of {', '.join(sorted(REGISTRY))})"
    return ""


# -- whole documents ---------------------------------------------------------------------------------
def check_document(kind: str, data: Any) -> list[Problem]:
    """Every problem of a partners or targets document (parsed YAML, or the live store's JSON)."""
    from synd.settings import PartnerSettings, TargetSettings

    if kind not in KINDS:
        raise ValueError(f"unknown settings kind {kind!r}")
    if data is None:
        return []
    if not isinstance(data, dict):
        return [Problem((), "type", f"expected a mapping with the key {kind!r}, got {_shown(data)}")]
    problems = [unknown_key((), key, [kind]) for key in data if key != kind]
    entries = data.get(kind)
    if entries is None:
        return problems
    if not isinstance(entries, dict):
        return [*problems, Problem((kind,), "type", f"{kind}: expected a mapping of entries, got {_shown(entries)}")]
    cls = PartnerSettings if kind == "partners" else TargetSettings
    for name, entry in entries.items():
        path = (kind, name)
        if not isinstance(name, str) or not name:
            problems.append(Problem(path, "type", f"{kind}: the name {name!r} must be a string: quote it ('{name}')"))
            continue
        if kind == "partners" and "/" in name:
            problems.append(Problem(path, "value", f"{_dotted(path)}: a partner id is one folder of "
                                                   "incoming/<partner>/ and cannot hold '/'"))
        if kind == "targets" and (message := check_target_name(name)):
            problems.append(Problem(path, "value", f"{kind}: {message}"))
        problems += check_mapping(cls, entry, path, where=f"a {kind[:-1]} entry")
    return problems


def load_text(kind: str, text: str, source: str) -> dict[str, Any]:
    """Parse and check a settings file's text; raise ConfigError with every problem and its line."""
    data, problems = parse_text(kind, text)
    if problems:
        raise ConfigError(source, problems, kind)
    return data


def load_file(kind: str, path: Path) -> dict[str, Any]:
    return load_text(kind, path.read_text(encoding="utf-8"), str(path))


def check_text(name: str, text: str, source: str | None = None) -> list[Problem]:
    """The problems of a file's text (`name` is partners.yaml, targets.yaml or the kind)."""
    return parse_text(kind_of(name), text)[1]


def kind_of(name: str) -> str:
    kind = Path(name).name.removesuffix(".yaml").removesuffix(".yml")
    if kind not in KINDS:
        raise ValueError(f"{name}: settings files are partners.yaml and targets.yaml")
    return kind


def parse_text(kind: str, text: str) -> tuple[dict[str, Any], list[Problem]]:
    import yaml  # here, not at import: the functions read live settings as JSON and need it only for a file

    try:
        node, lines, duplicates = _compose(text)
        loader = yaml.SafeLoader("")
        data = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return {}, [Problem((), "syntax", f"not YAML: {exc.problem or exc}", mark.line + 1 if mark else None)]
    except yaml.YAMLError as exc:
        return {}, [Problem((), "syntax", f"not YAML: {exc}")]
    problems = duplicates + check_document(kind, data)
    return (data or {}), sorted((_with_line(p, lines) for p in problems), key=lambda p: (p.line or 0))


def document_digest(data: Any) -> str:
    """The same settings give the same digest, whatever the comments, order or quoting of the file."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _compose(text: str):
    """The YAML node tree, the line of every key and item, and the keys written twice in one mapping."""
    import yaml

    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    lines: dict[tuple, int] = {}
    duplicates: list[Problem] = []
    if node is not None:
        _walk(node, (), lines, duplicates)
    return node, lines, duplicates


def _walk(node: yaml.Node, path: tuple, lines: dict[tuple, int], duplicates: list[Problem]) -> None:
    import yaml

    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
            line = key_node.start_mark.line + 1
            if key in seen:
                duplicates.append(Problem((*path, key), "duplicate",
                                          f"{_dotted((*path, key))}: the key {key!r} is written twice (also on "
                                          f"line {seen[key]}); YAML keeps only the last: remove one", line))
            seen[key] = line
            lines[(*path, key)] = line
            _walk(value_node, (*path, key), lines, duplicates)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1
            _walk(item, (*path, index), lines, duplicates)


def _with_line(problem: Problem, lines: dict[tuple, int]) -> Problem:
    if problem.line is not None:
        return problem
    path = tuple(p if isinstance(p, int) and not isinstance(p, bool) else _scalar_text(p) for p in problem.path)
    for n in range(len(path), -1, -1):
        if path[:n] in lines:
            return dataclasses.replace(problem, line=lines[path[:n]])
    return problem


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path)


def _shown(value: Any) -> str:
    """A value as an editor wrote it, and what YAML made of it: 'yes' (a string), nothing (null)."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true or false)"
    what = {int: "a number", float: "a number", str: "a string"}.get(type(value), type(value).__name__)
    return f"{repr(value)[:80]} ({what})"


# -- editing one key ---------------------------------------------------------------------------------
def set_key(kind: str, data: dict[str, Any], entry: str, dotted_key: str, value: Any, *,
            unset: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    """A copy of the document with `<kind>.<entry>.<dotted_key>` set (or removed), and the change made.

    The copy is not checked here: the caller checks the whole document (every write is)."""
    document = json.loads(json.dumps(data or {}))  # a deep copy with JSON's types, as the store keeps them
    entries = document.setdefault(kind, {}) or {}
    document[kind] = entries
    node = entries.setdefault(entry, {}) if not unset else entries.get(entry, {})
    if node is None:
        node = entries[entry] = {}
    keys = [k for k in dotted_key.split(".") if k]
    if not keys:
        raise ValueError("the key is empty")
    for key in keys[:-1]:
        child = node.get(key) if isinstance(node, dict) else None
        if child is None and not unset:
            child = node[key] = {}
        if not isinstance(child, dict):
            raise ValueError(f"{kind}.{entry}.{key} is not a mapping: cannot set {dotted_key} inside it")
        node = child
    old = node.get(keys[-1], _ABSENT) if isinstance(node, dict) else _ABSENT
    if unset:
        if old is not _ABSENT:
            del node[keys[-1]]
    else:
        node[keys[-1]] = value
    change = {"path": f"{kind}.{entry}.{dotted_key}", "old": None if old is _ABSENT else old,
              "new": None if unset else value, "unset": unset, "was_set": old is not _ABSENT}
    return document, change


_ABSENT = object()


def differences(old: Any, new: Any, path: tuple = ()) -> list[dict[str, Any]]:
    """Every leaf that differs between two documents: [{"path", "old", "new"}] (for history and drift)."""
    if (isinstance(old, dict) and new is _ABSENT) or (old is _ABSENT and isinstance(new, dict)):
        old, new = ({} if old is _ABSENT else old), ({} if new is _ABSENT else new)  # every leaf added or gone
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in sorted(set(old) | set(new), key=str):
            out += differences(old.get(key, _ABSENT), new.get(key, _ABSENT), (*path, key))
        return out
    if old == new and type(old) is type(new):
        return []
    return [{"path": _dotted(path), "old": None if old is _ABSENT else old, "new": None if new is _ABSENT else new}]

