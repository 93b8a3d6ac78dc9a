"""Slack ack benchmark: `advocacy serve` against a bare slack-bolt app, same signed events, same run.

    .venv/bin/python bench/slack_bench.py [--backend sqlite|postgresql|both] [--requests 2000]
                                          [--concurrency 1,16,64] [--repeats 3]

It starts a fake Slack Web API (tests/fakes/slack_api.py, its own process), `advocacy serve` with
Slack pointed at it (SQLite file, or a fresh PostgreSQL database it creates and drops), and a bare
AsyncApp on aiohttp with no-op listeners for the same events (this file, `--bare`). Both get the
same workload at each concurrency: signed Events API deliveries, half reactions with the share
emoji on this week's suggestions (the bot records a share), a quarter "points" in a DM (the bot
answers), a quarter reactions with other emoji (the bot ignores them), from 400 people. Ack latency
is the time to the HTTP response; the bot's work continues after it (Bolt acknowledges events
first), so the bench also waits until the bot has answered every event before the next round and
prints how long that took ("done/s"). Each (target, concurrency) runs `--repeats` times, bare and
ours interleaved so that a noisy moment on the machine hits both; the median is shown. Targets: our throughput >= 70% of the bare app's, our p99
<= 1.5x its p99. Not a test: figures depend on the machine (and on anything else running on it).
The bot's own pacing to Slack's limits is scaled out of the way (SLACK_RATE_SCALE=1000): at the real
pace 1,000 share confirmations to one channel take ten minutes (chat.postEphemeral, 100 a minute),
which bench/fanout.py measures against a fake that enforces the limits.
BARE_BALLAST=1 loads the bot's lemma dictionaries (about 450 MB) into the bare app too, to check
that the bot's memory footprint alone does not explain a difference (it does not).
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BOT_TOKEN = "xoxb-bench"
SECRET = "bench-signing-secret-0123456789"
ADMIN = "U_ADMIN"
CHANNEL = "C_BENCH"
EMOJI = "white_check_mark"
PEOPLE = 400
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
EVENTS = ("reaction_added", "reaction_removed", "message", "app_mention", "app_home_opened")  # our order


# The bare app ------------------------------------------------------------------------------------------

def run_bare(port: int, api_url: str) -> None:
    """A slack-bolt AsyncApp with no-op listeners, on aiohttp, as its docs would have it."""
    from aiohttp import web
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    async def main() -> None:
        if os.environ.get("BARE_BALLAST"):  # diagnostics: the same lemma dictionaries the bot holds
            import gc

            from simplemma import lemmatize as lem
            for lang in ("en", "pl"):
                lem("test", lang=lang)
            gc.collect()
            gc.freeze()
        bolt = AsyncApp(client=AsyncWebClient(token=BOT_TOKEN, base_url=api_url), signing_secret=SECRET)

        async def noop() -> None:
            return None

        for event in EVENTS:
            bolt.event(event)(noop)

        async def handle(request: web.Request) -> web.Response:
            return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

        app = web.Application()
        app.router.add_post("/slack/events", handle)
        app.router.add_get("/healthz", lambda _: web.json_response({"status": "ok"}))
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        await asyncio.Event().wait()

    asyncio.run(main())


# Processes -----------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_fake(log: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "tests.fakes.slack_api", "--token", BOT_TOKEN], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=log.open("wb"), text=True)
    line = process.stdout.readline()  # type: ignore[union-attr]
    port = int(line.rsplit(" ", 1)[1])
    return process, f"http://127.0.0.1:{port}"


def start_bot(api: str, database_url: str, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "DATABASE_URL": database_url, "HOST": "127.0.0.1",
           "PORT": str(port), "ADVOCACY_DEMO": "false", "LOG_LEVEL": "INFO", "SLACK_BOT_TOKEN": BOT_TOKEN,
           "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": f"{api}/api/", "ADVOCACY_ADMINS": ADMIN,
           "ADVOCACY_CHANNEL": CHANNEL, "ADVOCACY_DIGEST_SIZE": "3",
           "SLACK_RATE_SCALE": "1000"}  # the fake has no limits: "done/s" is the bot's work, not Slack's pace
    process = subprocess.Popen([sys.executable, "-m", "entry.cli", "serve"], cwd=ROOT, env=env,
                               stdout=log.open("wb"), stderr=subprocess.STDOUT)
    return process, f"http://127.0.0.1:{port}"


def start_bare(api: str, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, __file__, "--bare", str(port), f"{api}/api/"], cwd=ROOT,
                               stdout=log.open("wb"), stderr=subprocess.STDOUT)
    return process, f"http://127.0.0.1:{port}"


async def wait_healthy(http: aiohttp.ClientSession, url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url} exited with {process.returncode}")
        try:
            async with http.get(f"{url}/healthz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise SystemExit(f"{url} did not become healthy")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


# Requests ------------------------------------------------------------------------------------------------

def sign(body: bytes) -> dict[str, str]:
    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def envelope(event: dict) -> dict:
    return {"token": "x", "team_id": "T0001", "api_app_id": "A0001", "type": "event_callback",
            "event_id": "Ev" + uuid.uuid4().hex[:12].upper(), "event_time": int(time.time()), "event": event,
            "authorizations": [{"team_id": "T0001", "user_id": "UBOT", "is_bot": True}]}


def workload(n: int, suggestions: list[str], rng: random.Random) -> list[tuple[bytes, bool]]:
    """(body, answered): whether the bot sends something for it (a reply or an ephemeral)."""
    out = []
    for _ in range(n):
        user = f"U{rng.randrange(PEOPLE):05d}"
        roll = rng.random()
        now = f"{time.time():.6f}"
        if roll < 0.5:
            ts = rng.choice(suggestions)
            event = {"type": "reaction_added", "user": user, "reaction": EMOJI, "item_user": "UBOT",
                     "item": {"type": "message", "channel": CHANNEL, "ts": ts}, "event_ts": now}
            answered = True
        elif roll < 0.75:
            event = {"type": "message", "channel_type": "im", "channel": "D" + user[1:], "user": user,
                     "text": "points", "ts": now, "event_ts": now}
            answered = True
        else:
            event = {"type": "reaction_added", "user": user, "reaction": "tada", "item_user": "U00001",
                     "item": {"type": "message", "channel": CHANNEL, "ts": now}, "event_ts": now}
            answered = False
        out.append((json.dumps(envelope(event)).encode(), answered))
    return out


@dataclass
class Result:
    target: str
    concurrency: int
    requests: int
    seconds: float
    latencies: list[float]
    errors: int
    done_seconds: float | None = None
    p99_override: float | None = None
    repeats: int = 1

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    def pct(self, q: float) -> float:
        if q == 0.99 and self.p99_override is not None:
            return self.p99_override
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def fire(http: aiohttp.ClientSession, url: str, bodies: list[bytes], concurrency: int) -> Result:
    queue = list(reversed(bodies))
    latencies: list[float] = []
    errors = 0

    async def worker() -> None:
        nonlocal errors
        while queue:
            body = queue.pop()
            headers = {"Content-Type": "application/json", **sign(body)}
            start = time.perf_counter()
            async with http.post(f"{url}/slack/events", data=body, headers=headers) as response:
                await response.read()
                if response.status != 200:
                    errors += 1
            latencies.append(time.perf_counter() - start)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Result("", concurrency, len(bodies), time.perf_counter() - started, latencies, errors)


async def fake_calls(http: aiohttp.ClientSession, api: str, method: str | None = None, since: int = 0) -> dict:
    query = urlencode({k: v for k, v in {"method": method, "since": since}.items() if v is not None})
    async with http.get(f"{api}/_calls?{query}") as response:
        return await response.json()


async def answers(http: aiohttp.ClientSession, api: str, since: int) -> int:
    data = await fake_calls(http, api, since=since)
    return sum(1 for c in data["calls"] if c["method"] == "chat.postEphemeral"
               or (c["method"] == "chat.postMessage" and c["params"].get("channel") != CHANNEL))


async def wait_answered(http, api: str, since: int, expected: int, timeout: float = 300) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if await answers(http, api, since) >= expected:
            return time.perf_counter() - start
        await asyncio.sleep(0.05)
    raise SystemExit(f"the bot answered {await answers(http, api, since)} of {expected} events")


async def command(http, url: str, api: str, text: str) -> str:
    """`/advocacy text` as the admin; waits for the answer (commands run concurrently otherwise)."""
    name = uuid.uuid4().hex
    form = urlencode({"token": "x", "team_id": "T0001", "channel_id": CHANNEL, "channel_name": "bench",
                      "user_id": ADMIN, "user_name": "admin", "command": "/advocacy", "text": text,
                      "response_url": f"{api}/response/{name}", "trigger_id": uuid.uuid4().hex}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(form)}
    async with http.post(f"{url}/slack/events", data=form, headers=headers) as response:
        assert response.status == 200, await response.text()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for call in (await fake_calls(http, api, "response_url"))["calls"]:
            if call["path"].endswith(name):
                return call["params"].get("text", "")
        await asyncio.sleep(0.05)
    raise SystemExit(f"no answer to /advocacy {text}")


async def prepare(http, bot: str, api: str) -> list[str]:
    """Three suggestions posted in the bench channel; returns their message ts."""
    for n in range(3):
        await command(http, bot, api, f"add https://example.com/bench/{n} Bench post {n}")
    await command(http, bot, api, "digest now")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        posts = [c for c in (await fake_calls(http, api, "chat.postMessage"))["calls"]
                 if c["params"].get("channel") == CHANNEL and c["ok"]]
        if len(posts) == 3:
            break
        await asyncio.sleep(0.1)
    else:
        raise SystemExit("the digest was not posted")
    # the fake's ts are 1700000000 + n; read them back from its history through the Web API
    async with http.post(f"{api}/api/conversations.history", data={"channel": CHANNEL},
                         headers={"Authorization": f"Bearer {BOT_TOKEN}"}) as response:
        history = await response.json()
    return [m["ts"] for m in history["messages"]]


def median(runs: list[Result]) -> Result:
    """The run with the median throughput, its p99 replaced by the median p99 of all runs."""
    ordered = sorted(runs, key=lambda r: r.throughput)
    middle = ordered[len(ordered) // 2]
    p99s = sorted(r.pct(0.99) for r in runs)
    middle.p99_override = p99s[len(p99s) // 2]
    middle.repeats = len(runs)
    return middle


async def run_backend(backend: str, requests: int, levels: list[int], logs: Path, repeats: int) -> list[Result]:
    from tests.conftest import create_postgres_database, drop_postgres_database

    database = None
    if backend == "postgresql":
        database = await create_postgres_database()
        url = database
    else:
        url = f"sqlite:///{logs / f'bench-{uuid.uuid4().hex[:8]}.db'}"
    fake, api = start_fake(logs / f"fake-{backend}.log")
    bot, bot_url = start_bot(api, url, logs / f"serve-{backend}.log")
    bare, bare_url = start_bare(api, logs / f"bare-{backend}.log")
    results: list[Result] = []
    rng = random.Random(7)
    try:
        connector = aiohttp.TCPConnector(limit=max(levels) + 8)
        async with aiohttp.ClientSession(connector=connector) as http:
            await wait_healthy(http, bot_url, bot)
            await wait_healthy(http, bare_url, bare)
            suggestions = await prepare(http, bot_url, api)
            warm = workload(200, suggestions, rng)
            for target in (bare_url, bot_url):
                await fire(http, target, [b for b, _ in warm], 8)
            await asyncio.sleep(1)
            for level in levels:
                n = max(200, requests // 4) if level == 1 else requests
                rounds: dict[str, list[Result]] = {"bare bolt": [], "advocacy": []}
                for _ in range(repeats):  # interleaved, so a noisy moment hits both alike
                    for name, target in (("bare bolt", bare_url), ("advocacy", bot_url)):
                        load = workload(n, suggestions, rng)
                        since = (await fake_calls(http, api, "none"))["count"]
                        result = await fire(http, target, [b for b, _ in load], level)
                        result.target = name
                        if name == "advocacy":
                            result.done_seconds = result.seconds + await wait_answered(
                                http, api, since, sum(1 for _, answered in load if answered))
                        rounds[name].append(result)
                        await asyncio.sleep(0.5)
                results += [median(runs) for runs in rounds.values()]
    finally:
        for process in (bot, bare, fake):
            stop(process)
        if database:
            await drop_postgres_database(database)
    return results


def report(backend: str, results: list[Result]) -> str:
    lines = [f"\n{backend}: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
             f"median of {results[0].repeats} interleaved rounds",
             f"{'target':<10} {'conc':>4} {'req':>6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'done/s':>8} "
             f"{'errors':>6}"]
    by_level: dict[int, dict[str, Result]] = {}
    for r in results:
        by_level.setdefault(r.concurrency, {})[r.target] = r
        done = f"{r.requests / r.done_seconds:8.0f}" if r.done_seconds else f"{'':>8}"
        lines.append(f"{r.target:<10} {r.concurrency:>4} {r.requests:>6} {r.throughput:8.0f} {r.pct(0.5):8.2f} "
                     f"{r.pct(0.99):8.2f} {done} {r.errors:>6}")
    lines.append("ratios (advocacy / bare): throughput (target >= 70%), p99 (target <= 1.5x)")
    for level, pair in sorted(by_level.items()):
        ours, bare = pair["advocacy"], pair["bare bolt"]
        ratio, p99 = ours.throughput / bare.throughput, ours.pct(0.99) / bare.pct(0.99)
        verdict = "ok" if ratio >= 0.7 and p99 <= 1.5 else "MISSED"
        lines.append(f"  concurrency {level:>2}: throughput {ratio:6.1%}   p99 {p99:5.2f}x   {verdict}")
    return "\n".join(lines)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--bare":
        run_bare(int(sys.argv[2]), sys.argv[3])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--requests", type=int, default=2000, help="requests per target and concurrency")
    parser.add_argument("--concurrency", default="1,16,64")
    parser.add_argument("--repeats", type=int, default=3, help="interleaved rounds; the median is shown")
    args = parser.parse_args()
    levels = [int(c) for c in args.concurrency.split(",")]
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    keep = os.environ.get("BENCH_LOGS")
    with tempfile.TemporaryDirectory(prefix="slack-bench-") as tmp:
        tmp = keep or tmp
        for backend in backends:
            results = asyncio.run(run_backend(backend, args.requests, levels, Path(tmp), args.repeats))
            print(report(backend, results), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
