"""`synd targets`: publishing targets: check the file, show, change and seed the live settings."""
from __future__ import annotations

from synd.commands import live_settings

NAME = "targets"
HELP = ("Publishing targets: validate targets.yaml, show the live settings and their history, set one key "
        "without a deploy, seed the store from the file.")


def add_arguments(parser) -> None:
    live_settings.add_arguments(parser, NAME)


def run(args) -> int:
    return live_settings.run(args, NAME)
