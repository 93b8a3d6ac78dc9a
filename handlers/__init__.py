"""Chat adapters. Every platform package here (except the shell) exposes
`async setup(app, web_app) -> str`: it adds its routes and gateway when its settings are
present and returns a one-line status for the start-up log, and `ID_SHAPE`, a pattern its bare
user and channel ids fit (configured ids are tied to a platform by it). A package may also have a `cli`
module whose `register_cli(subparsers)` adds `advocacy` subcommands (`set_defaults(run=…)`).
Adding a platform is adding a package."""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.app import App

NOT_SERVED = {"shell"}
OTHER_IDS = "shell"  # a configured id no platform's ID_SHAPE fits is a shell name (`admin`)


def served_platforms() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if m.ispkg and m.name not in NOT_SERVED)


def id_shapes() -> dict[str, re.Pattern[str]]:
    """Each served platform's `ID_SHAPE`: what its bare ids look like (see `bot.ids`)."""
    return {name: importlib.import_module(f"handlers.{name}").ID_SHAPE for name in served_platforms()}


def qualify(settings: Settings) -> Settings:
    """The settings with every configured id tied to the one platform whose shape it has."""
    from bot.ids import qualify as tie

    return tie(settings, id_shapes(), OTHER_IDS)


def register_cli(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Let adapters add their own `advocacy` subcommands (a `cli` module with `register_cli`)."""
    for module in pkgutil.iter_modules(__path__):
        if module.ispkg:
            try:
                cli = importlib.import_module(f"handlers.{module.name}.cli")
            except ModuleNotFoundError as exc:
                if exc.name != f"handlers.{module.name}.cli":
                    raise
                continue
            cli.register_cli(subparsers)


async def setup_all(app: App, web_app: web.Application) -> list[str]:
    """Let every platform adapter attach itself; return their status lines."""
    lines = []
    for name in served_platforms():
        module = importlib.import_module(f"handlers.{name}")
        lines.append(await module.setup(app, web_app))
    return lines
