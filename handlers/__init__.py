"""Chat adapters. Every platform package here (except the shell) exposes
`async setup(app, web_app) -> str`: it adds its routes and gateway when its settings are
present and returns a one-line status for the start-up log. A package may also have a `cli`
module whose `register_cli(subparsers)` adds `advocacy` subcommands (`set_defaults(run=…)`).
Adding a platform is adding a package."""
from __future__ import annotations

import importlib
import pkgutil

from aiohttp import web

NOT_SERVED = {"shell"}


def served_platforms() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if m.ispkg and m.name not in NOT_SERVED)


def register_cli(subparsers) -> None:
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


async def setup_all(app, web_app: web.Application) -> list[str]:
    """Let every platform adapter attach itself; return their status lines."""
    lines = []
    for name in served_platforms():
        module = importlib.import_module(f"handlers.{name}")
        lines.append(await module.setup(app, web_app))
    return lines
