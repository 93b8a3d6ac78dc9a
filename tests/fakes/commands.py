"""Declare a throwaway command for one test: one registry declaration and its two catalog lines,
exactly what a new command needs, removed afterwards."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bot import registry
from bot.i18n import catalog


@contextmanager
def throwaway_command(name: str, grammar: str, handler: Callable[..., Any] | None, *, en: dict[str, Any],
                      pl: dict[str, Any], **options: Any) -> Iterator[registry.CommandDecl]:
    lines = {"en": en, "pl": pl}
    for lang, line in lines.items():
        catalog(lang)[f"command.{name}"] = line
    try:
        declared = registry.command(name, grammar, **options)
        if handler is not None:  # None: declared, with no service function bound to it
            declared(handler)
        yield declared
    finally:
        registry.unregister(name)
        for lang in lines:
            catalog(lang).pop(f"command.{name}", None)
