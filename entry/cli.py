"""`advocacy …`: serve, shell, db, faq, eval, and what the adapters add (`handlers.register_cli`)."""
from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import signal
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from aiohttp import web

import handlers
from bot.clock import SystemClock
from bot.config import Settings, configure_logging, load_settings
from bot.errors import ConfigError, UserFacingError
from bot.i18n import Translator
from bot.services.policy import export_entries, import_entries
from bot.services.turn import Context
from bot.unit_of_work import UnitsOfWork
from entry import shell
from entry.app import create_app, database_explained, load_demo
from entry.web import create_web_app
from storage.db import Database, redact
from storage.migrate import current, upgrade

log = logging.getLogger("advocacy")


async def _serve(args: argparse.Namespace) -> int:
    settings = handlers.qualify(load_settings())
    if args.host:
        settings = dataclasses.replace(settings, host=args.host)
    if args.port:
        settings = dataclasses.replace(settings, port=args.port)
    configure_logging(settings)
    app = await create_app(settings)
    web_app = create_web_app(app)
    for line in await handlers.setup_all(app, web_app):
        log.info(line)
    await load_demo(app)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port)
    await site.start()
    log.info("advocacy serve listening on http://%s:%s (GET /healthz)", settings.host, settings.port)
    print(f"advocacy-bot is running on http://{settings.host}:{settings.port}  (Ctrl+C to stop)", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    log.info("shutting down")
    await runner.cleanup()
    return 0


@asynccontextmanager
async def _database(*, upgraded: bool) -> AsyncIterator[tuple[Settings, Database]]:
    """The settings and their database (its schema upgraded first if asked), for a one-off command."""
    settings = load_settings()
    configure_logging(settings)
    db = Database(settings.database_url)
    try:
        async with database_explained(db):
            if upgraded:
                await upgrade(db)
            yield settings, db
    finally:
        await db.dispose()


async def _db(args: argparse.Namespace) -> int:
    async with _database(upgraded=args.action == "upgrade") as (_, db):
        revision = await current(db)
    print(f"{redact(db.url)}: schema at revision {revision}")
    return 0


async def _faq(args: argparse.Namespace) -> int:
    """`advocacy faq import FILE` / `advocacy faq export [FILE]`, audited like the chat commands."""
    try:
        async with _database(upgraded=True) as (settings, db):
            units = UnitsOfWork(db, SystemClock())
            if args.action == "import":
                with open(args.file, encoding="utf-8") as fh:
                    text = fh.read()
                added, updated = await units.run(lambda uow: import_entries(Context(uow, settings), text, None))
                print(f"FAQ import done: {added} added, {updated} updated.")
            else:
                text = await units.run(lambda uow: export_entries(Context(uow, settings)))
                if args.file:
                    with open(args.file, "w", encoding="utf-8") as fh:
                        fh.write(text)
                else:
                    print(text, end="")
    except UserFacingError as exc:
        print(f"advocacy: {Translator('en')(exc.key, **exc.params)}", file=sys.stderr)
        return 1
    return 0


def _eval(args: argparse.Namespace) -> int:
    from bot.policy.evaluate import run_eval_cli

    return run_eval_cli(args.faq, args.questions, as_json=args.json)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="advocacy", description="Employee advocacy bot for chat")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the bot's HTTP server (env HOST, PORT)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    db = sub.add_parser("db", help="database schema")
    db.add_argument("action", choices=["upgrade", "current"])
    faq = sub.add_parser("faq", help="import or export the policy FAQ (YAML)")
    faq.add_argument("action", choices=["import", "export"])
    faq.add_argument("file", nargs="?")
    ev = sub.add_parser("eval", help="measure the policy answers")
    ev_sub = ev.add_subparsers(dest="what", required=True)
    pol = ev_sub.add_parser("policy", help="top-1, abstention, dangerous answers, latency")
    pol.add_argument("faq")
    pol.add_argument("questions")
    pol.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    shell.register_cli(sub)
    handlers.register_cli(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "serve":
            return asyncio.run(_serve(args))
        if args.command == "db":
            return asyncio.run(_db(args))
        if args.command == "faq":
            if args.action == "import" and not args.file:
                print("advocacy: faq import needs a FILE", file=sys.stderr)
                return 2
            return asyncio.run(_faq(args))
        if args.command == "eval":
            return _eval(args)
        if hasattr(args, "run"):
            code: int = args.run(args)  # a subcommand's `set_defaults(run=…)`
            return code
    except ConfigError as exc:
        print(f"advocacy: configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 1


if __name__ == "__main__":
    sys.exit(main())
