"""`synd`, the command-line tool. Each command is one module in synd.commands
exposing `NAME`, `HELP`, `add_arguments(parser)` and `run(args) -> int`;
COMMANDS lists them in the order `synd --help` shows.

Exit codes: 0 success, 1 failure, 2 usage error, 3 some inputs rejected, 4 AWS could
not be reached or refused (endpoint, credentials, region, a table/bucket/queue that is not
there): one or two lines say what and what to do, never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from importlib import metadata

from synd.config_schema import ConfigError

DESCRIPTION = ("The syndication pipeline's command-line tool: parse partner drops and tag their language on a "
               "laptop, run the local stack, and see, replay and re-drive what the pipeline did.")
COMMANDS = ["parse", "lang", "run", "stack", "status", "replay", "backfill", "deliveries", "withheld", "reconsider",
            "withdraw", "redrive", "partners", "targets", "metrics", "alarms"]


EPILOG = ("Exit codes: 0 success, 1 failure, 2 usage error, 3 some inputs rejected, "
          "4 AWS unreachable or refused (endpoint, credentials, region, missing resource).")
AWS_UNAVAILABLE = 4


def version() -> str:
    try:
        return metadata.version("synd")
    except metadata.PackageNotFoundError:
        return "unknown (not installed: pip install -e .)"


def _load(name: str):
    return importlib.import_module(f"synd.commands.{name}")


def build_parser(modules) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="synd", description=DESCRIPTION,
                                     epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"synd {version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in modules:
        cmd = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(cmd)
        cmd.set_defaults(_run=module.run, _parser=cmd)
    return parser


def main(argv: list[str] | None = None) -> int:
    args, extra = build_parser([_load(name) for name in COMMANDS]).parse_known_args(argv)
    if extra:  # the command's own usage, not the top-level one (argparse leaves extras to the top)
        args._parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return args._run(args) or 0
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # what the operator can fix is said plainly; a bug is raised
        if os.environ.get("SYND_DEBUG"):
            raise
        if isinstance(exc, ConfigError):  # every problem of the settings, with file:line
            print(f"synd {args.command}: {exc}", file=sys.stderr)
            return 1
        if isinstance(exc, ModuleNotFoundError) and exc.name:  # an install without the `cli` extra (tqdm)
            print(f"synd {args.command}: the Python package {exc.name!r} is missing: install synd with its cli "
                  f"extra (`make venv` installs requirements.lock, which has it)", file=sys.stderr)
            return 1
        message = aws_trouble(exc)
        if message is None:
            raise
        print(f"synd {args.command}: {message}", file=sys.stderr)
        return AWS_UNAVAILABLE


def aws_trouble(exc: Exception) -> str | None:
    """One or two lines for an AWS error an operator can fix (None: a bug, let it show)."""
    if not type(exc).__module__.startswith("botocore"):
        return None
    from botocore import exceptions as bx

    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    local = ("\n  the local stack moves to a new port when it restarts: `source out/stack.env` again"
             if endpoint else "")
    if isinstance(exc, (bx.EndpointConnectionError, bx.ConnectTimeoutError, bx.ReadTimeoutError)):
        where = getattr(exc, "kwargs", {}).get("endpoint_url") or endpoint or "AWS"
        return f"cannot reach {where}{local or ' (check the network and the region)'}"
    if isinstance(exc, (bx.NoCredentialsError, bx.PartialCredentialsError)):
        return ("no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; "
                "for the local stack, `source out/stack.env` (or pass --endpoint-url)")
    if isinstance(exc, bx.NoRegionError):
        return "no AWS region: set AWS_DEFAULT_REGION (or AWS_REGION)"
    if isinstance(exc, bx.ClientError):
        return _client_error(exc, local)
    if isinstance(exc, bx.BotoCoreError):
        return f"{exc} (SYND_DEBUG=1 shows the traceback)"
    return None


_MISSING = {"ResourceNotFoundException", "NoSuchBucket", "AWS.SimpleQueueService.NonExistentQueue",
            "QueueDoesNotExist", "NotFoundException", "NoSuchKey"}
_REFUSED = {"AccessDenied", "AccessDeniedException", "UnrecognizedClientException", "InvalidClientTokenId",
            "ExpiredToken", "ExpiredTokenException", "InvalidAccessKeyId", "SignatureDoesNotMatch"}


def _client_error(exc, local: str) -> str:
    error = exc.response.get("Error", {})
    code, said = error.get("Code", ""), " ".join(str(error.get("Message") or "").split())[:200]
    operation = getattr(exc, "operation_name", "a call")
    if code in _MISSING:
        return f"{operation}: not found ({code}: {said}); check --table/--stack and the names in out/stack.env{local}"
    if code in _REFUSED:
        return f"{operation}: AWS refused the credentials or the permission ({code}: {said})"
    return f"{operation}: AWS answered {code}: {said} (SYND_DEBUG=1 shows the traceback)"


if __name__ == "__main__":
    sys.exit(main())
