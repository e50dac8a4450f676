"""requirements.lock, read without pip: its pins, and a check that a directory of installed
distributions holds only locked versions.

The lock (`make lock`: uv pip compile, hashes, for Lambda's platform) is the one list of
versions; `.venv` installs all of it and the layer (shared/Makefile) resolves its runtime
part with the lock as hash-checked constraints. pip takes a constraint's hashes, but a
distribution missing from the constraints is installed unchecked at whatever version the
index has, so the layer build runs `python lockfile.py check DIR LOCK` afterwards: every
distribution in DIR must be a locked one, at the locked version.

    python lockfile.py check DIR LOCK   # exit 1 and one line per offender
    python lockfile.py only NAME LOCK   # that entry of the lock, with its hashes
    python lockfile.py without NAME LOCK   # the lock less that entry
"""
from __future__ import annotations

import re
import sys
from email.parser import HeaderParser
from pathlib import Path

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")


def normalize(name: str) -> str:
    """PEP 503: `PyYAML`, `pyyaml` and `python_dateutil` vs `python-dateutil` are the same project."""
    return re.sub(r"[-_.]+", "-", name).lower()


def entries(text: str) -> dict[str, str]:
    """Each locked project (normalized name) -> its entry: the pin line and its hash lines."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        match = _PIN.match(line)
        if match:
            current = found.setdefault(normalize(match[1]), [])
        elif not line.startswith((" ", "\t")):
            current = None
        if current is not None:
            current.append(line)
    return {name: "\n".join(lines) + "\n" for name, lines in found.items()}


def pins(text: str) -> dict[str, str]:
    """Each locked project (normalized name) -> its version."""
    return {name: _PIN.match(entry)[2] for name, entry in entries(text).items()}


def installed(site: Path) -> dict[str, str]:
    """Each distribution installed in a directory (its *.dist-info) -> its version."""
    found = {}
    for metadata in site.glob("*.dist-info/METADATA"):
        headers = HeaderParser().parsestr(metadata.read_text(encoding="utf-8"), headersonly=True)
        found[normalize(headers["Name"])] = headers["Version"]
    return found


def off_lock(site: Path, lock_text: str) -> list[str]:
    """What in `site` the lock does not pin, or pins at another version."""
    locked = pins(lock_text)
    return [f"{name} {version} (lock: {locked.get(name, 'not locked')})"
            for name, version in sorted(installed(site).items()) if locked.get(name) != version]


def main(argv: list[str]) -> int:
    command, argument, lock = argv
    text = Path(lock).read_text(encoding="utf-8")
    if command == "check":
        offenders = off_lock(Path(argument), text)
        for line in offenders:
            print(f"not as locked in {lock}: {line}", file=sys.stderr)
        return 1 if offenders else 0
    chosen = entries(text)
    if normalize(argument) not in chosen:
        print(f"{argument} is not in {lock}: run `make lock`", file=sys.stderr)
        return 1
    if command == "only":
        sys.stdout.write(chosen[normalize(argument)])
    else:
        sys.stdout.write("".join(entry for name, entry in chosen.items() if name != normalize(argument)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
