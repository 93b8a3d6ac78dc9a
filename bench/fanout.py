"""Fan-out benchmark: N joined members get a nudge through a fake Slack that enforces a rate limit.

    .venv/bin/python bench/fanout.py --members 1000 10000 --rate 200 [--kill] [--database postgresql]

For each N it seeds a program, starts the real `advocacy serve` against a local fake Slack that answers
429 over `--rate` messages a second, asks for `nudge now` with a signed slash command, and waits until
every nudge is in. It prints the delivery time against the minimum the rate allows (N / rate), the 429s
received, duplicates and losses. `--kill` sends SIGKILL to the server a third of the way through and
starts it again. Everything runs on 127.0.0.1 and stops by itself.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import create_postgres_database, drop_postgres_database  # noqa: E402
from tests.e2e.conftest import free_port, start_process, wait_healthy  # noqa: E402
from tests.e2e.seed import seed_program  # noqa: E402
from tests.e2e.slack.conftest import ADMIN, APP_TOKEN, BOT_TOKEN, Slack, slack_env  # noqa: E402
from tests.fakes.ratelimited_slack import RateLimitedSlack  # noqa: E402


def nudges(api: RateLimitedSlack) -> int:
    return sum(1 for key in api.delivered if key.startswith("nudge:"))


async def start_server(env: dict[str, str], log: Path):
    port = free_port()
    env = {**env, "PORT": str(port), "HOST": "127.0.0.1", "LOG_LEVEL": "INFO", "ADVOCACY_DEMO": "false"}
    process = start_process(env, log, "serve")
    await wait_healthy(f"http://127.0.0.1:{port}", process, log, timeout=60)
    return process, f"http://127.0.0.1:{port}"


async def run(members: int, rate: float, kill: bool, backend: str, workdir: Path) -> dict:
    if backend == "postgresql":
        url = await create_postgres_database()
    else:
        url = f"sqlite:///{workdir}/fanout-{members}.db"
    await seed_program(url, members=members)
    async with RateLimitedSlack(bot_token=BOT_TOKEN, app_token=APP_TOKEN, per_second=rate) as api:
        api.add_user(ADMIN, "ada", "Ada Admin")
        env = {**slack_env(api, SLACK_MESSAGES_PER_SECOND=str(rate), ADVOCACY_SCHEDULER="false",
                           ADVOCACY_OUTBOX_LEASE="5"), "DATABASE_URL": url}
        log = workdir / f"serve-{members}.log"
        process, base = await start_server(env, log)
        server = type("S", (), {"url": base})()
        async with httpx.AsyncClient(timeout=120) as http:
            slack = Slack(server, api, http)
            reply = (await slack.answer(await slack.command(ADMIN, "nudge now"), timeout=600)).text_of()
        print(f"  {members} members: {reply.strip()}", flush=True)
        started = time.monotonic()
        killed_at = None
        last_print = 0.0
        deadline = started + members / rate * 3 + 120
        while nudges(api) < members and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
            done = nudges(api)
            if kill and killed_at is None and done >= members // 3:
                process.send_signal(signal.SIGKILL)
                process.wait()
                killed_at = done
                print(f"  kill -9 after {done} nudges; restarting", flush=True)
                process, base = await start_server(env, workdir / f"serve-{members}-restart.log")
            if time.monotonic() - last_print > 5:
                last_print = time.monotonic()
                print(f"  {done}/{members} delivered, {api.rate_limited} x 429", flush=True)
        await asyncio.sleep(2)  # anything late would be a duplicate
        process.send_signal(signal.SIGTERM)
        process.wait()
        elapsed = (api.last_post or started) - (api.first_post or started)
    if backend == "postgresql":
        await drop_postgres_database(url)
    minimum = (members - 1) / rate
    return {"members": members, "seconds": elapsed, "minimum": minimum, "ratio": elapsed / minimum,
            "429s": api.rate_limited, "duplicates": api.duplicates(), "lost": members - nudges(api),
            "killed_at": killed_at}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--rate", type=float, default=200.0, help="messages a second the fake Slack allows")
    parser.add_argument("--kill", action="store_true", help="kill -9 the server a third of the way")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.members:
            print(f"fan-out to {n} members at {args.rate:g} msg/s on {args.database}"
                  f"{' with kill -9' if args.kill else ''}", flush=True)
            rows.append(await run(n, args.rate, args.kill, args.database, Path(tmp)))
    print()
    print(f"{'members':>8} {'time s':>8} {'min s':>8} {'ratio':>6} {'429s':>6} {'dupes':>6} {'lost':>5}")
    for r in rows:
        print(f"{r['members']:>8} {r['seconds']:>8.1f} {r['minimum']:>8.1f} {r['ratio']:>6.2f} {r['429s']:>6} "
              f"{r['duplicates']:>6} {r['lost']:>5}")


if __name__ == "__main__":
    asyncio.run(main())
