"""Teams throughput: `advocacy serve` against a bare Agents SDK echo agent, same load, same fake connector.

    .venv/bin/python bench/teams_bench.py [--messages 2000] [--text points] [--postgres] [--repeats 3]
                                          [--stock] [--adapter-only]

Starts, on 127.0.0.1: a fake Bot Framework connector (in this process), `advocacy serve` in local
anonymous mode (a fresh SQLite database) and a bare Agents SDK 1.9.0 echo agent (AgentApplication,
CloudAdapter, the JWT guard, anonymous), each in its own process. Then it posts real-format
personal-chat message activities (50 members, unique ids) to each at concurrency 1 and 16, and
prints messages/s, p50 and p99 latency (POST until the HTTP 202, which Teams gets only after the
reply went to the connector) and the bot's share of the echo's throughput; each level runs `--repeats`
times, the systems interleaved, and the median is shown.

`--stock` also measures the bot as a plain SDK adapter would run it, patched in for the run: the
SDK's per-turn clients (a new aiohttp session and connection, a UserTokenClient, the product-info
lookup and the anonymous-mode warning on every turn), replies through `TurnContext.send_activity`,
and no turn-taking on SQLite. That is the "before"; the default is the "after". `--adapter-only`
adds the bot with `Core.handle` answering at once: the adapter's own cost. Not a timed test.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from tests.fakes.bot_connector import FakeConnector  # noqa: E402

PAYLOAD = ROOT / "tests" / "payloads" / "teams" / "message_personal.json"
MEMBERS = 50
WARM_UP = 150
RUN = f"{int(time.time())}"  # activity ids unique across runs, should --database be reused

STOCK_CLIENTS = """
import sys
from microsoft_agents.activity import Activity
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.core import AgentAuthConfiguration, RestChannelServiceClientFactory
import handlers.teams.app as teams_app
import handlers.teams.listeners as listeners
from handlers.teams import render

def stock(_connector):  # the SDK's factory: new clients, sessions and connections every turn
    config = AgentAuthConfiguration(anonymous_allowed=True)
    return RestChannelServiceClientFactory(MsalConnectionManager(connections_configurations={"SERVICE_CONNECTION": config}))

async def sdk_reply(self, ctx, message):  # replies through TurnContext.send_activity
    if not render.is_empty(message):
        await ctx.send_activity(Activity.model_validate(render.message_body(message)))

teams_app.ClientFactory = stock
listeners.TeamsAgent.reply = sdk_reply
listeners.SQLITE_TURNS = listeners.SERVER_TURNS  # no turn-taking on SQLite
from entry.cli import main
sys.exit(main(sys.argv[1:]))
"""

ADAPTER_ONLY = """
import sys
import bot.core
from bot.models import Message

async def canned(self, incoming):  # the core answers at once: what is left is the adapter's cost
    return Message("You have 0 points from 0 shares.", private=True)

bot.core.Core.handle = canned
from entry.cli import main
sys.exit(main(sys.argv[1:]))
"""


def echo_agent(port: int) -> None:
    """The bare SDK: what the Agents SDK samples do, anonymous, JWT guard on the route."""
    import logging

    from aiohttp import web
    from microsoft_agents.authentication.msal import MsalConnectionManager
    from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_decorator, start_agent_process
    from microsoft_agents.hosting.core import (AgentApplication, AgentAuthConfiguration, MemoryStorage, TurnContext,
                                               TurnState)

    logging.basicConfig(level=logging.WARNING)
    config = AgentAuthConfiguration(anonymous_allowed=True)
    connections = MsalConnectionManager(connections_configurations={"SERVICE_CONNECTION": config})
    adapter = CloudAdapter(connection_manager=connections)
    agent = AgentApplication[TurnState](storage=MemoryStorage(), connection_manager=connections,
                                        start_typing_timer=False)

    @agent.message()
    async def echo(context: TurnContext, _state: TurnState) -> None:
        await context.send_activity(f"Echo: {context.activity.text}")

    async def messages(request: web.Request) -> web.StreamResponse:
        return await start_agent_process(request, agent, adapter)

    app = web.Application()
    app["agent_configuration"] = config
    app.router.add_post("/api/messages", jwt_authorization_decorator(messages))
    app.router.add_get("/healthz", lambda _: web.json_response({"status": "ok"}))
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def wait_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(600):
            if process.poll() is not None:
                raise SystemExit(f"{url} exited:\n{log.read_text()[-3000:]}")
            try:
                async with http.get(f"{url}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
    raise SystemExit(f"{url} did not start:\n{log.read_text()[-3000:]}")


def cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def wait_idle(process: subprocess.Popen, quiet: float = 0.02, timeout: float = 60.0) -> None:
    """Until the process stops burning CPU (the bot builds its policy index in the background after
    start-up: several seconds of CPU that must not land in the figures)."""
    deadline = time.monotonic() + timeout
    last = cpu_seconds(process.pid)
    while last is not None and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        now = cpu_seconds(process.pid)
        if now is None or now - last <= quiet:
            return
        last = now


def start(kind: str, workdir: Path, database: str | None = None) -> tuple[subprocess.Popen, str, Path]:
    port = free_port()
    log = workdir / f"{kind}.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if kind == "echo":
        args = [sys.executable, __file__, "--echo-agent", str(port)]
    else:
        env.update(DATABASE_URL=database or f"sqlite:///{workdir / (kind + '.db')}", HOST="127.0.0.1", PORT=str(port),
                   ADVOCACY_DEV="1", ADVOCACY_DEMO="false", ADVOCACY_SCHEDULER="false", LOG_LEVEL="WARNING")
        for name in ("MICROSOFT_APP_ID", "MICROSOFT_APP_PASSWORD", "MICROSOFT_APP_TENANT_ID", "SLACK_BOT_TOKEN"):
            env.pop(name, None)
        wrapper = {"stock": STOCK_CLIENTS, "adapter": ADAPTER_ONLY}.get(kind)
        args = [sys.executable, "-c", wrapper, "serve"] if wrapper else [sys.executable, "-m", "entry.cli", "serve"]
    process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    return process, f"http://127.0.0.1:{port}", log


def activities(connector: FakeConnector, text: str, count: int, tag: str) -> list[bytes]:
    template = json.loads(PAYLOAD.read_text(encoding="utf-8"))
    template["serviceUrl"] = connector.service_url
    out = []
    for n in range(count):
        member = n % MEMBERS
        body = json.loads(json.dumps(template))
        body["id"] = f"{RUN}-{tag}-{n}"
        body["text"] = text
        body["from"] = {"id": f"29:bench-member-{member:03d}", "name": f"Member {member}"}
        body["conversation"]["id"] = f"a:bench-personal-{member:03d}"
        out.append(json.dumps(body).encode())
    return out


async def run(url: str, bodies: list[bytes], concurrency: int) -> tuple[float, list[float], int]:
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    latencies: list[float] = []
    failures = 0
    headers = {"Content-Type": "application/json"}

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as http:
        async def worker() -> None:
            nonlocal failures
            while not queue.empty():
                body = queue.get_nowait()
                began = time.perf_counter()
                async with http.post(f"{url}/api/messages", data=body, headers=headers) as response:
                    await response.read()
                    if response.status != 202:
                        failures += 1
                latencies.append(time.perf_counter() - began)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    return elapsed, latencies, failures


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def median_run(runs: list[dict]) -> dict:
    """The run with the median rate, with the median p50 and p99 of all runs."""
    ordered = sorted(runs, key=lambda r: r["rate"])
    middle = dict(ordered[len(ordered) // 2])
    for key in ("p50", "p99"):
        middle[key] = sorted(r[key] for r in runs)[len(runs) // 2]
    middle["repeats"] = len(runs)
    return middle


async def measure(kinds: list[str], text: str, messages: int, levels: tuple[int, ...],
                  database: str | None = None, repeats: int = 3) -> dict:
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="teams-bench-") as tmp:
        workdir = Path(tmp)
        async with FakeConnector() as connector:
            procs = {kind: start(kind, workdir, database) for kind in kinds}
            try:
                for process, url, log in procs.values():
                    await wait_healthy(url, process, log)
                for kind, (process, url, _) in procs.items():
                    await run(url, activities(connector, text, WARM_UP, f"{kind}-warm"), 8)
                    await wait_idle(process)
                for level in levels:
                    count = messages if level > 1 else max(200, messages // 5)
                    runs: dict[str, list[dict]] = {kind: [] for kind in procs}
                    for round_ in range(repeats):  # interleaved, so a noisy moment hits every system alike
                        for kind, (process, url, _) in procs.items():
                            mark = connector.mark()
                            bodies = activities(connector, text, count, f"{kind}-c{level}-r{round_}")
                            cpu = cpu_seconds(process.pid)
                            elapsed, latencies, failures = await run(url, bodies, level)
                            used = cpu_seconds(process.pid)
                            replies = len(connector.since(mark, "send"))
                            runs[kind].append({
                                "rate": count / elapsed, "p50": pct(latencies, 0.50), "p99": pct(latencies, 0.99),
                                "failures": failures, "replies": replies, "count": count,
                                "cpu": 1000 * (used - cpu) / count if cpu is not None and used is not None else None})
                            await wait_idle(process)
                    for kind, kind_runs in runs.items():
                        results[(kind, level)] = median_run(kind_runs)
            finally:
                for process, _, _ in procs.values():
                    process.terminate()
                for process, _, _ in procs.values():
                    try:
                        process.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        process.kill()
    return results


def report(results: dict, kinds: list[str], levels: tuple[int, ...], text: str) -> None:
    names = {"echo": "bare SDK echo agent", "bot": "advocacy serve", "stock": "advocacy serve, plain SDK use",
             "adapter": "advocacy serve, core stubbed"}
    repeats = next(iter(results.values()))["repeats"]
    print(f"\nTeams bench: personal-chat messages {text!r} from {MEMBERS} members, {os.cpu_count()} CPUs, "
          f"median of {repeats} interleaved rounds")
    print(f"{'system':36} {'conc':>4} {'msgs':>6} {'msg/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms':>7} "
          f"{'replies':>8} {'vs echo':>8}")
    for level in levels:
        echo = results[("echo", level)]["rate"]
        for kind in kinds:
            r = results[(kind, level)]
            ratio = "" if kind == "echo" else f"{100 * r['rate'] / echo:.0f}%"
            bad = f" ({r['failures']} failed)" if r["failures"] else ""
            cpu = f"{r['cpu']:.2f}" if r["cpu"] is not None else "?"
            print(f"{names[kind]:36} {level:>4} {r['count']:>6} {r['rate']:>8.1f} {r['p50']:>8.1f} {r['p99']:>8.1f} "
                  f"{cpu:>7} {r['replies']:>8} {ratio:>8}{bad}")
    print("CPU ms = the server process's CPU time per message (all its threads), from /proc.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=2000, help="messages per system at concurrency 16")
    parser.add_argument("--text", default="points", help="what the members type (default: points)")
    parser.add_argument("--stock", action="store_true", help="also measure the bot run as a plain SDK adapter")
    parser.add_argument("--adapter-only", action="store_true",
                        help="also measure the bot with the core answering at once (the adapter's own cost)")
    parser.add_argument("--database", help="the bot's DATABASE_URL (default: a fresh SQLite file per run)")
    parser.add_argument("--postgres", action="store_true",
                        help="run the bot on a fresh PostgreSQL database (TEST_POSTGRES_URL's server), dropped after")
    parser.add_argument("--repeats", type=int, default=3, help="interleaved rounds; the median is shown")
    parser.add_argument("--echo-agent", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.echo_agent:
        echo_agent(args.echo_agent)
        return
    kinds = ["echo", "bot"] + (["stock"] if args.stock else []) + (["adapter"] if args.adapter_only else [])
    levels = (1, 16)
    database = args.database
    if args.postgres:
        from tests.conftest import create_postgres_database, drop_postgres_database
        database = asyncio.run(create_postgres_database())
    try:
        results = asyncio.run(measure(kinds, args.text, args.messages, levels, database, args.repeats))
    finally:
        if args.postgres:
            asyncio.run(drop_postgres_database(database))
    report(results, kinds, levels, args.text)
    print(f"bot database: {'PostgreSQL' if (database or '').startswith('postgres') else 'SQLite'}")


if __name__ == "__main__":
    main()
