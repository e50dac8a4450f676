"""`synd`, the command-line tool. Each command is one module in synd.commands
exposing `NAME`, `HELP`, `add_arguments(parser)` and `run(args) -> int`;
COMMANDS lists them in the order `synd --help` shows.

Exit codes: 0 success, 1 failure, 2 usage error, 3 some inputs rejected.
"""
from __future__ import annotations

import argparse
import importlib
import sys

DESCRIPTION = ("The syndication pipeline's command-line tool: parse partner drops and tag their language on a "
               "laptop, run the local stack, and see, replay and re-drive what the pipeline did.")
COMMANDS = ["parse", "lang", "run", "stack", "status", "replay", "deliveries", "withheld", "reconsider", "withdraw", "redrive",
            "partners", "targets"]


def _load(name: str):
    return importlib.import_module(f"synd.commands.{name}")


def build_parser(modules) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="synd", description=DESCRIPTION,
                                     epilog="Exit codes: 0 success, 1 failure, 2 usage error, 3 some inputs rejected.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in modules:
        cmd = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser([_load(name) for name in COMMANDS]).parse_args(argv)
    try:
        return args._run(args) or 0
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
