"""`synd partners`: partner settings and agreements: check the file, show, change and seed the live ones."""
from __future__ import annotations

from synd.commands import live_settings

NAME = "partners"
HELP = ("Partner settings and agreements: validate partners.yaml, show the live settings and their history, "
        "set one key without a deploy, seed the store from the file.")


def add_arguments(parser) -> None:
    live_settings.add_arguments(parser, NAME)


def run(args) -> int:
    return live_settings.run(args, NAME)
