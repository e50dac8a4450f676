"""What `synd partners` and `synd targets` share: validate the files, show, set and seed the live settings.

    synd partners validate [FILE...]            check files against the schema (no AWS)
    synd partners show [PARTNER] [--history]    the live settings (the store's, else the files')
    synd partners set PARTNER KEY VALUE --reason TEXT
    synd partners seed [--file FILE] [--replace --reason TEXT]

The same with `synd targets` and a target's name. Exit codes: 0 success, 1 refused (an invalid file
or value, a conflicting write, a seed that would undo an editor's change), 2 usage error.
"""
from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml

from synd import config_schema
from synd.aws import command_endpoint
from synd.commands.status import use_endpoint

SINGULAR = {"partners": "partner", "targets": "target"}
EPILOG = ("Exit codes: 0 success, 1 refused (invalid settings, a conflicting write, a seed that would undo "
          "an editor's change), 2 usage error.")


# -- arguments ---------------------------------------------------------------------------------------
def add_arguments(parser: argparse.ArgumentParser, kind: str) -> None:
    one = SINGULAR[kind]
    parser.epilog = EPILOG
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    validate = _action(sub, "validate", f"Check {kind}.yaml files against the settings schema (no AWS): unknown "
                                        "keys, types, target kinds, licence ids, each with its line and the fix.")
    validate.add_argument("files", nargs="*", type=Path, metavar="FILE",
                          help=f"default: {kind}.yaml of $SYND_CONFIG_DIR, else config/")
    validate.add_argument("--json", action="store_true", help="one JSON object per file")

    show = _action(sub, "show", f"Print the live {kind} settings: the store's version (who changed what, "
                                f"when, why), or the files' when the store holds none.")
    show.add_argument(one, nargs="?", metavar=one.upper(), help=f"only this {one}, as the functions see it"
                                                                 + (" (the default entry merged in)"
                                                                    if kind == "partners" else ""))
    show.add_argument("--history", action="store_true", help="the versions, newest first, with their changes")
    show.add_argument("--limit", type=int, default=20, help="versions to list with --history (default 20)")
    show.add_argument("--json", action="store_true", help="JSON (with --history: one object per version)")
    _store_arguments(show)

    setter = _action(sub, "set", f"Change one key of a {one} in the live settings, checked against the schema; "
                                 "the functions use it within SYND_CONFIG_MAX_AGE seconds (60), no deploy. "
                                 f"Example: synd {kind} set "
                                 + ("afgazad agreement.allow_noassertion true --reason \"agreement of 2026-12-01\""
                                    if kind == "partners" else "site enabled false --reason \"site paused\""))
    setter.add_argument(one, metavar=one.upper())
    setter.add_argument("key", metavar="KEY", help="the key, dotted inside mappings: "
                                                   + ("agreement.allow_commercial" if kind == "partners"
                                                      else "options.timeout"))
    setter.add_argument("value", nargs="?", metavar="VALUE",
                        help="read as YAML: true, 10, CC-BY-4.0, '{fa: fa-AF}'; quote a string that looks like "
                             "something else (\"'yes'\")")
    setter.add_argument("--unset", action="store_true", help="remove the key (its default applies) instead")
    setter.add_argument("--new", action="store_true", help=f"the {one} is new: add it (else a misspelt name "
                                                           "is refused)")
    setter.add_argument("--reason", required=True, help="why (kept in the history): the agreement, the ticket...")
    setter.add_argument("--by", help="who (kept in the history); default: your AWS identity, else your login")
    setter.add_argument("--dry-run", action="store_true", help="check and print the change, write nothing")
    setter.add_argument("--json", action="store_true", help="the change as one JSON object")
    _store_arguments(setter)

    seed = _action(sub, "seed", f"Put {kind}.yaml into the live store as a deploy does (make deploy runs it; the "
                                "local stack at start): when the store is empty, or when the file changed and "
                                "nobody changed the live settings since it was last applied.")
    seed.add_argument("--file", type=Path, help=f"default: {kind}.yaml of $SYND_CONFIG_DIR, else config/")
    seed.add_argument("--replace", action="store_true",
                      help="apply the file even over editors' changes (they stay in the history); needs --reason")
    seed.add_argument("--reason", help="why (kept in the history)")
    seed.add_argument("--by", help="who; default: your AWS identity, else your login")
    seed.add_argument("--json", action="store_true", help="the outcome as one JSON object")
    _store_arguments(seed)


def _action(sub, name: str, text: str) -> argparse.ArgumentParser:
    return sub.add_parser(name, help=text.split(":")[0].split(". ")[0], description=text, epilog=EPILOG)


def _store_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--table", default=os.environ.get("SYND_CONFIG_TABLE") or os.environ.get("TABLE_NAME"),
                        help="the table holding the live settings; default $SYND_CONFIG_TABLE, else $TABLE_NAME")
    parser.add_argument("--stack", help="a deployed stack's name: its TableName output names the table")
    parser.add_argument("--region", help="AWS region (default: your AWS configuration)")
    parser.add_argument("--endpoint-url", default=command_endpoint(),
                        help="AWS endpoint (the local stack's); default $SYND_ENDPOINT_URL, else $AWS_ENDPOINT_URL")


# -- running -----------------------------------------------------------------------------------------
def run(args, kind: str) -> int:
    if args.action == "validate":
        return validate(args, kind)
    table = _table(args, kind)
    if table is None:
        return 2
    return {"show": show, "set": set_key, "seed": seed}[args.action](args, kind, table)


def validate(args, kind: str) -> int:
    from synd.settings import config_dir

    files = args.files or [config_dir() / f"{kind}.yaml"]
    valid = True
    for path in files:
        problems = _file_problems(kind, path)
        valid = valid and not problems
        if args.json:
            print(json.dumps({"file": str(path), "valid": not problems,
                              "problems": [p.to_record() for p in problems]}, ensure_ascii=False))
        elif problems:
            fix = f"Fix the file and run `synd {kind} validate` again."
            print(config_schema.ConfigError(str(path), problems, kind, fix=fix), file=sys.stderr)
        else:
            entries = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(kind) or {}
            print(f"{path}: valid ({len(entries)} entr{'ies' if len(entries) != 1 else 'y'})")
    return 0 if valid else 1


def _file_problems(kind: str, path: Path) -> list[config_schema.Problem]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        return [config_schema.Problem((), "syntax", f"cannot read it: {exc.strerror or exc}")]
    except UnicodeDecodeError as exc:
        return [config_schema.Problem((), "syntax", f"not UTF-8: {exc.reason}")]
    return config_schema.parse_text(kind, text)[1]


def show(args, kind: str, table: str) -> int:
    from synd.aws.config_store import ConfigStore

    store = ConfigStore(table)
    one = getattr(args, SINGULAR[kind])
    if args.history:
        return _show_history(store, kind, one, args)
    current = store.current(kind)
    if current is None:
        document, origin = _files_document(kind)
        meta = {"kind": kind, "from": "file", "file": origin, "table": table, "version": None}
        note = (f"# {kind}: the store ({table}) holds none: the functions use {origin} "
                f"(in AWS, the layer's copy); `synd {kind} seed` puts it in the store")
    else:
        document = current.document
        meta = {**current.to_record(), "kind": kind, "from": "store", "table": table}
        meta.pop("changes", None)
        note = (f"# {kind}: version {current.version} in {table}, {current.source} by {current.by} "
                f"at {current.at}: {current.reason}")
    if one is None:
        if args.json:
            print(json.dumps({**meta, "document": document}, ensure_ascii=False))
        else:
            print(note)
            print(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), end="")
        return 0
    entries = document.get(kind) or {}
    if kind == "targets" and one not in entries:
        print(f"synd {kind} show: no target {one!r}{_did_you_mean(one, entries)}", file=sys.stderr)
        return 1
    effective = _effective(kind, document, one)
    if args.json:
        print(json.dumps({**meta, SINGULAR[kind]: one, "written": entries.get(one), "settings": effective},
                         ensure_ascii=False, default=str))
    else:
        print(note)
        if one not in entries:
            print(f"# no entry {one!r}{_did_you_mean(one, entries)}: the default entry applies")
        print(yaml.safe_dump({one: effective}, allow_unicode=True, sort_keys=False), end="")
    return 0


def _show_history(store, kind: str, one: str | None, args) -> int:
    prefix = f"{kind}.{one}." if one else None
    versions = store.history(kind, limit=max(1, args.limit))
    if not versions:
        print(f"synd {kind} show: no history in {store.table}: the store holds no {kind} settings yet",
              file=sys.stderr)
    for version in versions:
        changes = [c for c in version.changes if prefix is None or (c["path"] + ".").startswith(prefix)]
        if prefix and not changes:
            continue
        if args.json:
            print(json.dumps({**version.to_record(), "changes": changes}, ensure_ascii=False, default=str))
            continue
        print(f"v{version.version}  {version.at}  {version.source:4}  {version.by}  {version.reason}")
        for change in changes:
            print(f"      {_change_text(change)}")
    return 0


def set_key(args, kind: str, table: str) -> int:
    from synd.aws.config_store import ConfigStore, Conflict

    one = getattr(args, SINGULAR[kind])
    if args.value is None and not args.unset:
        print(f"synd {kind} set: give a VALUE, or --unset to remove the key", file=sys.stderr)
        return 2
    if args.value is not None and args.unset:
        print(f"synd {kind} set: --unset takes no VALUE", file=sys.stderr)
        return 2
    store = ConfigStore(table)
    current = store.current(kind)
    if current is None:
        print(f"synd {kind} set: the store ({table}) holds no {kind} settings yet: run `synd {kind} seed` first "
              "(make deploy does; the local stack does when it starts)", file=sys.stderr)
        return 1
    entries = current.document.get(kind) or {}
    if one not in entries and not args.new:
        print(f"synd {kind} set: no {SINGULAR[kind]} {one!r} in the live settings{_did_you_mean(one, entries)}"
              f" (add a new one with --new)", file=sys.stderr)
        return 1
    try:
        document, _ = config_schema.set_key(kind, current.document, one, args.key, _value(args.value),
                                            unset=args.unset)
    except ValueError as exc:
        print(f"synd {kind} set: {exc}", file=sys.stderr)
        return 1
    problems = config_schema.check_document(kind, document)
    if problems:
        print(config_schema.ConfigError(f"{kind}.{one}.{args.key}", problems, kind, fix="Nothing was written."),
              file=sys.stderr)
        return 1
    changes = config_schema.differences(current.document, document)
    if not changes:
        _say(args, {"kind": kind, "version": current.version, "changes": [], "written": False},
             f"{kind}: unchanged (version {current.version})")
        return 0
    if args.dry_run:
        _say(args, {"kind": kind, "version": current.version, "changes": changes, "written": False},
             "\n".join(f"would set {_change_text(c)}" for c in changes))
        return 0
    try:
        version = store.write(kind, document, by=args.by or who(), reason=args.reason, source="set",
                              expected=current, changes=changes)
    except Conflict as exc:
        print(f"synd {kind} set: {exc}", file=sys.stderr)
        return 1
    _say(args, {**version.to_record(), "written": True},
         "\n".join([f"{kind} version {version.version}: {_change_text(c)}" for c in changes]
                   + [(f"(by {version.by}: {version.reason}; the functions use it within "
                       f"{_max_age_text()}, no deploy)")]))
    return 0


def seed(args, kind: str, table: str) -> int:
    from synd.aws.config_store import ConfigStore, Conflict, seed as seed_store
    from synd.settings import config_dir

    if args.replace and not args.reason:
        print(f"synd {kind} seed: --replace needs --reason (it is kept in the history)", file=sys.stderr)
        return 2
    path = args.file or config_dir() / f"{kind}.yaml"
    try:
        result = seed_store(ConfigStore(table), kind, path, by=args.by or who(), reason=args.reason,
                            replace=args.replace)
    except config_schema.ConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    except (OSError, Conflict) as exc:
        print(f"synd {kind} seed: {exc}", file=sys.stderr)
        return 1
    record = {"kind": kind, "state": result.state, "message": result.message,
              "version": result.version.version if result.version else None, "differences": result.differences}
    lines = [result.message] + [f"  {_change_text(c)}" for c in result.differences
                                if result.state in ("refused", "kept_live", "updated")]
    _say(args, record, "\n".join(lines), stream=sys.stderr if result.state == "refused" else sys.stdout)
    return 1 if result.state == "refused" else 0


# -- helpers -----------------------------------------------------------------------------------------
def _table(args, kind: str) -> str | None:
    if args.region:
        os.environ["AWS_REGION"] = os.environ["AWS_DEFAULT_REGION"] = args.region
    use_endpoint(args)
    if args.stack:
        from synd.aws import client

        stacks = client("cloudformation").describe_stacks(StackName=args.stack)["Stacks"]
        outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}
        if "TableName" not in outputs:
            print(f"synd {kind}: stack {args.stack} has no TableName output", file=sys.stderr)
            return None
        return outputs["TableName"]
    if not args.table:
        print(f"synd {kind} {args.action}: no table: pass --table or --stack, or set SYND_CONFIG_TABLE or "
              "TABLE_NAME (source out/stack.env for the local stack)", file=sys.stderr)
        return None
    return args.table


def who() -> str:
    """The AWS identity that makes the change (what CloudTrail would show), else the login name."""
    try:
        from synd.aws import client

        return client("sts").get_caller_identity()["Arn"]
    except Exception:  # noqa: BLE001 - no credentials, no network: the login is still worth keeping
        return getpass.getuser()


def _value(text: str | None) -> Any:
    if text is None:
        return None
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    # a date or a timestamp stays the text it was written as (the store keeps JSON)
    return value if isinstance(value, (str, int, float, bool, list, dict, type(None))) else text


def _effective(kind: str, document: dict[str, Any], name: str) -> dict[str, Any]:
    from synd.settings import PartnerSettings, TargetSettings

    entries = document.get(kind) or {}
    if kind == "partners":
        merged = {**(entries.get("default") or {}), **(entries.get(name) or {})}
        return asdict(PartnerSettings.from_dict(name, merged))
    return asdict(TargetSettings.from_dict(name, entries[name]))


def _files_document(kind: str) -> tuple[dict[str, Any], str]:
    from synd.settings import config_dir

    path = config_dir() / f"{kind}.yaml"
    return (config_schema.load_file(kind, path) if path.exists() else {}), str(path)


def _did_you_mean(name: str, entries: dict[str, Any]) -> str:
    import difflib

    close = difflib.get_close_matches(name, [str(e) for e in entries], n=2, cutoff=0.75)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def _change_text(change: dict[str, Any]) -> str:
    def shown(value):
        return "(unset)" if value is None else json.dumps(value, ensure_ascii=False, default=str)

    return f"{change['path']}: {shown(change.get('old'))} -> {shown(change.get('new'))}"


def _max_age_text() -> str:
    from synd.settings import max_age

    return f"{max_age():g} s"


def _say(args, record: dict[str, Any], text: str, stream=None) -> None:
    if getattr(args, "json", False):
        print(json.dumps(record, ensure_ascii=False, default=str))
    else:
        print(text, file=stream or sys.stdout)
