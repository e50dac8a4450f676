"""`synd`, the command-line tool. Each command is one module in synd.commands
exposing `NAME`, `HELP`, `add_arguments(parser)` and `run(args) -> int`;
COMMANDS lists them in the order `synd --help` shows.

Exit codes: 0 success, 1 failure, 2 usage error, 3 some inputs rejected.
"""
from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = ["parse", "lang", "run", "stack", "status", "deliveries", "withheld", "redrive"]


def _load(name: str):
    return importlib.import_module(f"synd.commands.{name}")


def build_parser(modules) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="synd", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in modules:
        cmd = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    modules = []
    for name in COMMANDS:
        try:
            modules.append(_load(name))
        except ModuleNotFoundError as exc:
            if exc.name != f"synd.commands.{name}":
                raise
    args = build_parser(modules).parse_args(argv)
    try:
        return args._run(args) or 0
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
