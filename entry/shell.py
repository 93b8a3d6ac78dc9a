"""`advocacy shell`: the core in this terminal, on the same database, with no server."""
from __future__ import annotations

import argparse
import asyncio
import dataclasses

import handlers
from bot.config import configure_logging, load_settings
from entry.app import create_app
from handlers.shell.session import PLATFORM, ShellSession


def register_cli(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("shell", help="chat with the bot in this terminal")
    parser.set_defaults(run=lambda args: asyncio.run(run_shell(args)))


async def run_shell(_: argparse.Namespace) -> int:
    settings = handlers.qualify(load_settings())
    settings = dataclasses.replace(settings, log_level="WARNING")
    if f"{PLATFORM}:admin" not in settings.admins:
        settings = dataclasses.replace(settings, admins=settings.admins | {f"{PLATFORM}:admin"})
    if not settings.channel_for(PLATFORM):
        channel = ",".join(filter(None, (settings.channel, f"{PLATFORM}=#general")))
        settings = dataclasses.replace(settings, channel=channel)
    configure_logging(settings)
    app = await create_app(settings, demo=settings.load_demo)  # the shell is no chat platform
    session = ShellSession(app, lambda text: print(text, flush=True))
    print("advocacy-bot shell. You are 'ola', an employee; ':as admin' to run the program.")
    print(session.intro(), flush=True)
    loop = asyncio.get_running_loop()
    try:
        while True:
            try:
                line = await loop.run_in_executor(None, input, session.prompt())
            except EOFError:
                break
            if not await session.feed(line):
                break
    finally:
        await app.db.dispose()
    return 0
