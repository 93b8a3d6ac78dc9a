"""Fan-out benchmark: N joined members get a `nudge now` DM through a fake Slack that enforces Slack's
published limits in real time (tests/fakes/ratelimited_slack.py), with the bot's pace at its defaults.

    .venv/bin/python bench/fanout.py --members 1000                  # real time
    .venv/bin/python bench/fanout.py --members 10000 --scale 10      # ten times faster, pace scaled to match
    [--joins 200] [--kill] [--database sqlite|postgresql]

The fake allows 1 post a second per channel after a burst of 3, a workspace budget of 600 posts a
minute (burst 10) and users.info 100 a minute; `--scale` multiplies every limit (and the bot's pace,
through SLACK_RATE_SCALE) and divides the Retry-After seconds. It seeds a program, starts the real
`advocacy serve`, asks for `nudge now` with a signed slash command and waits for every nudge, while
`--joins` new people type `/advocacy join` at once (each reply needs a users.info profile look-up
that the users.info limit queues). It prints the time from the first to the last post against the
minimum the workspace budget allows for the posts made, the 429s received, the calls made inside a
Retry-After window (and, apart, calls that reached the fake within 20 ms of a 429: sent before its
answer could arrive), the users.info calls, and missing or doubled nudges. `--kill` sends SIGKILL to
the server a third of the way through and starts it again. Everything runs on 127.0.0.1.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
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

PER_MINUTE = 600.0
WORKSPACE_BURST = 10.0


def nudges(api: RateLimitedSlack) -> int:
    return sum(1 for key in api.delivered if key.startswith("nudge:"))


async def start_server(env: dict[str, str], log: Path):
    port = free_port()
    env = {**env, "PORT": str(port), "HOST": "127.0.0.1", "LOG_LEVEL": "INFO", "ADVOCACY_DEMO": "false"}
    process = start_process(env, log, "serve")
    await wait_healthy(f"http://127.0.0.1:{port}", process, log, timeout=120)
    return process, f"http://127.0.0.1:{port}"


async def joins(slack: Slack, count: int) -> list[float]:
    """`count` new people type `/advocacy join` at once; the seconds until each answer."""
    async def one(i: int) -> float:
        started = time.monotonic()
        name = await slack.command(f"UJ{i:05d}", "join")
        await slack.answer(name, timeout=300)
        return time.monotonic() - started

    return list(await asyncio.gather(*(one(i) for i in range(count))))


async def run(members: int, scale: float, join_count: int, kill: bool, backend: str, workdir: Path) -> dict:
    if backend == "postgresql":
        url = await create_postgres_database()
    else:
        url = f"sqlite:///{workdir}/fanout-{members}.db"
    await seed_program(url, members=members)
    async with RateLimitedSlack(bot_token=BOT_TOKEN, app_token=APP_TOKEN, per_minute=PER_MINUTE,
                                workspace_burst=WORKSPACE_BURST, scale=scale) as api:
        api.add_user(ADMIN, "ada", "Ada Admin")
        env = {**slack_env(api, SLACK_RATE_SCALE=f"{scale:g}", ADVOCACY_SCHEDULER="false"), "DATABASE_URL": url}
        env.pop("SLACK_MESSAGES_PER_SECOND", None)  # the default pace
        log = workdir / f"serve-{members}.log"
        process, base = await start_server(env, log)
        server = type("S", (), {"url": base})()
        async with httpx.AsyncClient(timeout=300, limits=httpx.Limits(max_connections=200)) as http:
            slack = Slack(server, api, http)
            reply = (await slack.answer(await slack.command(ADMIN, "nudge now"), timeout=600)).text_of()
            print(f"  {members} members: {reply.strip()[:100]}", flush=True)
            joining = asyncio.create_task(joins(slack, join_count))
            started = time.monotonic()
            killed_at = None
            last_print = 0.0
            rate = PER_MINUTE / 60 * scale
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
                if time.monotonic() - last_print > 10:
                    last_print = time.monotonic()
                    print(f"  {done}/{members} delivered, {api.rate_limited} x 429, "
                          f"{api.inside_window} inside a window", flush=True)
            join_seconds = await joining
        await asyncio.sleep(2)  # anything late would be a duplicate
        process.send_signal(signal.SIGTERM)
        process.wait()
        elapsed = (api.last_post or started) - (api.first_post or started)
        posts = sum(1 for c in api.calls if c.method == "chat.postMessage" and c.ok)
        users_info = sum(1 for c in api.calls if c.method == "users.info" and c.ok)
    if backend == "postgresql":
        await drop_postgres_database(url)
    minimum = max(0.0, posts - WORKSPACE_BURST) / rate
    join_seconds.sort()
    return {"members": members, "scale": scale, "seconds": elapsed, "minimum": minimum,
            "ratio": elapsed / minimum if minimum else float("nan"), "posts": posts, "429s": api.rate_limited,
            "by": dict(api.limited_by), "inside": api.inside_window, "in_flight": api.in_flight,
            "users_info": users_info, "joins": join_count,
            "join_p95": join_seconds[int(len(join_seconds) * 0.95)] if join_seconds else 0.0,
            "duplicates": api.duplicates(), "missing": members - nudges(api), "killed_at": killed_at}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, nargs="+", default=[1000])
    parser.add_argument("--scale", type=float, default=1.0, help="run the limits (and the pace) this much faster")
    parser.add_argument("--joins", type=int, default=200, help="people who type join during the fan-out")
    parser.add_argument("--kill", action="store_true", help="kill -9 the server a third of the way")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    print(f"{os.cpu_count()} cores, Python {platform.python_version()}, {args.database}", flush=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.members:
            print(f"fan-out to {n} members at scale {args.scale:g}, {args.joins} joins"
                  f"{' with kill -9' if args.kill else ''}", flush=True)
            rows.append(await run(n, args.scale, args.joins, args.kill, args.database, Path(tmp)))
    print()
    print(f"{'members':>8} {'scale':>5} {'time s':>7} {'min s':>7} {'ratio':>6} {'posts':>6} {'429s':>5} "
          f"{'in win':>6} {'flight':>6} {'u.info':>6} {'join p95':>8} {'dupes':>5} {'miss':>5}")
    for r in rows:
        print(f"{r['members']:>8} {r['scale']:>5g} {r['seconds']:>7.1f} {r['minimum']:>7.1f} {r['ratio']:>6.2f} "
              f"{r['posts']:>6} {r['429s']:>5} {r['inside']:>6} {r['in_flight']:>6} {r['users_info']:>6} "
              f"{r['join_p95']:>8.2f} {r['duplicates']:>5} {r['missing']:>5}   429s by scope: {r['by']}")


if __name__ == "__main__":
    asyncio.run(main())
