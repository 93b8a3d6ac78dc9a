"""Every command and button, declared once beside the service function that handles it.

    @command("faq.remove", "<target...>", right=Right.MANAGE_FAQ, help=ADMIN)
    async def faq_remove(turn: Turn, target: str) -> Message: ...

The declaration holds what the code needs: the name, the argument grammar, the right the router
checks before calling, the help section it is listed in, whether it is offered in the platforms'
command menus (`menu`, per conversation kind) and in the short usage hint. The words that run it
(English and Polish aliases), its usage line, its help line and its menu description are language,
so they live in the catalogs under `command.<name>` (see bot/i18n/en.yaml). The parser, the router,
help, the adapters' command menus and the tests all read this registry.

Grammar, one token per argument, filled in order from the words after the command:
`<name>` one word · `<name...>` the rest of the line · `[name]` / `[name...]` optional (None when
absent) · `<name:id>` a reference such as a content id (`#12` → `12`) · `<name:lower>` lowercased ·
`<name:user>` a person, by mention · `<name:on|off>` one of the choices, whose words in each
language are the catalog entry's `choices` · a final `...` ignores whatever follows. A callable
instead of a string parses the rest itself (raising `MissingArgs` / `ExtraArgs`).

Handlers are called with the turn and the parsed arguments by name, plus any fixed keyword
arguments given to the declaration. A button's handler gets `target` (or the parameter named by
`target_as`) and each other parameter from the card's form values of the same name.
"""
from __future__ import annotations

import inspect
import itertools
import re
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from bot.models import ConversationKind, Mention, Message
from bot.permissions import Right

MEMBER = "member"  # help sections: everyone sees the member section,
ADMIN = "admin"    # those who run the program (MANAGE_CONTENT) the admin section too
DIRECT, CHANNEL = ConversationKind.DIRECT, ConversationKind.CHANNEL
MENU_LIMIT = 12  # commands a platform menu shows per conversation kind

ArgValue = str | bool | list[str] | Mention | None  # what a grammar, a parser or a button gives a handler
Args = dict[str, ArgValue]
Parser = Callable[[str], Mapping[str, ArgValue]]  # a command's own reading of the words after it
Handler = Callable[..., Awaitable[Message]]  # `(turn, **args)`: a service function
H = TypeVar("H", bound=Handler)

# Help, menus and hints list commands module by module in this order, then in declaration order.
MODULE_ORDER = ("help", "members", "content", "digest", "points", "policy", "admin", "shares", "nudges",
                "schedules", "home", "reactions")


class MissingArgs(Exception):
    """The words after the command lack something the grammar requires."""


class ExtraArgs(Exception):
    """Words after the command that the grammar does not take."""


_TOKEN = re.compile(r"^(?P<open>[<\[])(?P<name>[a-z_]+)(?::(?P<kind>[a-z_|]+))?(?P<rest>\.\.\.)?[>\]]$")
KINDS = ("word", "id", "lower", "user")


@dataclass(frozen=True)
class Arg:
    name: str
    kind: str = "word"              # word, id, lower, user, or "choice"
    optional: bool = False
    rest: bool = False              # takes the rest of the line
    choices: tuple[str, ...] = ()


def parse_grammar(grammar: str) -> tuple[tuple[Arg, ...], bool]:
    """`"<target:id> [link] ..."` → the arguments, and whether trailing words are ignored."""
    tokens = grammar.split()
    ignore_rest = bool(tokens) and tokens[-1] == "..."
    if ignore_rest:
        tokens = tokens[:-1]
    args = []
    for position, token in enumerate(tokens):
        found = _TOKEN.match(token)
        if not found or (found["open"] == "<") != token.endswith(">"):
            raise ValueError(f"bad grammar token {token!r} in {grammar!r}")
        kind = found["kind"] or "word"
        choices = tuple(kind.split("|")) if "|" in kind else ()
        if not choices and kind not in KINDS:
            raise ValueError(f"unknown argument type {kind!r} in {grammar!r}")
        arg = Arg(found["name"], "choice" if choices else kind, found["open"] == "[", bool(found["rest"]), choices)
        if arg.rest and (position != len(tokens) - 1 or ignore_rest):
            raise ValueError(f"only the last argument may take the rest of the line: {grammar!r}")
        args.append(arg)
    return tuple(args), ignore_rest


@dataclass
class CommandDecl:
    name: str
    args: tuple[Arg, ...] = ()
    ignore_rest: bool = False
    parser: Parser | None = None
    right: Right | None = None
    help: str | None = None
    menu: tuple[ConversationKind, ...] = ()
    hint: bool = False
    fixed: Args = field(default_factory=dict)
    module: str = ""
    seq: int = 0
    handler: Handler | None = None

    @property
    def rank(self) -> tuple[int, int]:
        short = self.module.rsplit(".", 1)[-1]
        return (MODULE_ORDER.index(short) if short in MODULE_ORDER else len(MODULE_ORDER), self.seq)

    def __call__(self, handler: H) -> H:
        """Used as a decorator: binds the handler and returns it unchanged."""
        self.handler = handler
        self.module = self.module or handler.__module__
        return handler


@dataclass
class ActionDecl:
    verb: str
    right: Right | None = None
    target_as: str = "target"
    fixed: Args = field(default_factory=dict)
    params: tuple[str, ...] = ()
    handler: Handler | None = None

    def __call__(self, handler: H) -> H:
        self.handler = handler
        self.params = tuple(name for name in list(inspect.signature(handler).parameters)[1:]
                            if name not in self.fixed)
        return handler


COMMANDS: dict[str, CommandDecl] = {}
ACTIONS: dict[str, ActionDecl] = {}
_seq = itertools.count()
_listeners: list[Callable[[], None]] = []


def on_change(listener: Callable[[], None]) -> None:
    """Called whenever a declaration is added or removed (the parser drops its word index)."""
    _listeners.append(listener)


def _changed() -> None:
    for listener in _listeners:
        listener()


def command(name: str, grammar: str | Parser = "", *, right: Right | None = None,
            help: str | None = None, menu: tuple[ConversationKind, ...] = (), hint: bool = False,
            **fixed: ArgValue) -> CommandDecl:
    """Declare a command; use the result as a decorator on its handler. Declared when the decorator
    expression is evaluated, so stacked declarations keep their order in the source."""
    if name in COMMANDS:
        raise ValueError(f"command {name!r} is declared twice")
    if help not in (None, MEMBER, ADMIN):
        raise ValueError(f"help must be MEMBER, ADMIN or None, not {help!r}")
    if not all(isinstance(kind, ConversationKind) for kind in menu):
        raise ValueError(f"menu takes DIRECT and CHANNEL, not {menu!r}")
    args, ignore_rest = parse_grammar(grammar) if isinstance(grammar, str) else ((), False)
    frame = inspect.currentframe()
    caller = frame.f_back.f_globals.get("__name__", "") if frame and frame.f_back else ""
    decl = CommandDecl(name, args, ignore_rest, None if isinstance(grammar, str) else grammar, right, help,
                       tuple(menu), hint, fixed, caller, next(_seq))
    COMMANDS[name] = decl
    _changed()
    return decl


def action(verb: str, *, right: Right | None = None, target_as: str = "target", **fixed: ArgValue) -> ActionDecl:
    """Declare what a button with this verb does; use the result as a decorator on its handler."""
    if verb in ACTIONS:
        raise ValueError(f"action {verb!r} is declared twice")
    decl = ActionDecl(verb, right, target_as, fixed)
    ACTIONS[verb] = decl
    return decl


def unregister(name: str | None = None, *, verb: str | None = None) -> None:
    """Remove a declaration (tests that declare a throwaway command)."""
    if name is not None:
        COMMANDS.pop(name, None)
    if verb is not None:
        ACTIONS.pop(verb, None)
    _changed()


def ordered() -> Iterator[CommandDecl]:
    """Every command in help order: module by module (`MODULE_ORDER`), then as declared."""
    load()
    yield from sorted(COMMANDS.values(), key=lambda decl: decl.rank)


_loaded = False


def load() -> None:
    """Import every service module, which declares its commands and buttons (once)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    import importlib
    import pkgutil

    import bot.services

    for module in pkgutil.iter_modules(bot.services.__path__):
        importlib.import_module(f"bot.services.{module.name}")
