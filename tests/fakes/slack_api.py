"""A local fake of the Slack Web API, response_url endpoint and Socket Mode WebSocket.

`async with FakeSlack() as slack:` serves on 127.0.0.1 (a free port): point `SLACK_API_URL` at
`slack.api_url`. It records every call (method, parameters, whether the bot token was sent),
answers like Slack (chat.postMessage gives a channel and a fresh ts, users.info a profile …),
and fails on demand: `slack.fail("chat.postMessage", status=429, retry_after=0, times=2)`,
`slack.fail("chat.postMessage", error="not_in_channel", when=lambda p: p["channel"] == "C_OTHER")`,
and answers late on demand: `slack.delay("chat.postMessage", 2.0)` does the call, then waits 2 s to answer.
`slack.response_url(name)` gives an address whose posts are recorded as calls named
`response_url`; `/ws` is a Socket Mode endpoint the test pushes envelopes through.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

JSON_FIELDS = ("blocks", "view", "metadata", "attachments")
BOT_USER = "UBOT"
BOT_ID = "BBOT"
TEAM = "T0001"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    authorized: bool = True
    at: float = field(default_factory=time.monotonic)
    path: str = ""
    status: int = 200
    ok: bool = True

    def text_of(self) -> str:
        """Everything a person would read in this call: text, block texts, view blocks."""
        parts = [str(self.params.get("text") or "")]

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    if key == "text" and isinstance(value, str):
                        parts.append(value)
                    else:
                        walk(value)
            elif isinstance(node, list):
                for item in node:
                    walk(item)

        walk(self.params.get("blocks"))
        walk(self.params.get("view"))
        return "\n".join(parts)


@dataclass
class Failure:
    method: str
    status: int = 200
    error: str | None = None
    retry_after: float | None = None
    times: int = 1
    when: Callable[[dict[str, Any]], bool] | None = None


@dataclass
class Delay:
    method: str
    seconds: float
    times: int = 1
    when: Callable[[dict[str, Any]], bool] | None = None


@dataclass
class Profile:
    name: str
    real_name: str
    locale: str = "en-US"
    tz: str = "Europe/Warsaw"


class FakeSlack:
    def __init__(self, bot_token: str = "xoxb-test-token", app_token: str = "xapp-test-token"):
        self.bot_token = bot_token
        self.app_token = app_token
        self.calls: list[Call] = []
        self.failures: list[Failure] = []
        self.delays: list[Delay] = []
        self.users: dict[str, Profile] = {}
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.sockets: list[web.WebSocketResponse] = []
        self.socket_received: list[dict[str, Any]] = []
        self.socket_connected = asyncio.Event()

    # lifecycle -----------------------------------------------------------------------------------------

    async def start(self) -> FakeSlack:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response_url)
        app.router.add_get("/ws", self._ws)
        app.router.add_get("/_calls", self._calls)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        for ws in list(self.sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeSlack:
        return await self.start()

    async def __aexit__(self, *exc) -> None:
        await self.stop()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    def response_url(self, name: str | None = None) -> str:
        return f"{self.base}/response/{name or uuid.uuid4().hex}"

    def add_user(self, user_id: str, name: str, real_name: str, locale: str = "en-US",
                 tz: str = "Europe/Warsaw") -> None:
        self.users[user_id] = Profile(name, real_name, locale, tz)

    def fail(self, method: str, *, status: int = 200, error: str | None = None, retry_after: float | None = None,
             times: int = 1, when: Callable[[dict[str, Any]], bool] | None = None) -> None:
        if status == 429 and error is None:
            error = "ratelimited"
        self.failures.append(Failure(method, status, error, retry_after, times, when))

    def delay(self, method: str, seconds: float, *, times: int = 1,
              when: Callable[[dict[str, Any]], bool] | None = None) -> None:
        """The next `times` calls of `method` take effect, and their answer comes `seconds` later."""
        self.delays.append(Delay(method, seconds, times, when))

    # queries -------------------------------------------------------------------------------------------

    def of(self, method: str, *, ok: bool | None = None, **match: Any) -> list[Call]:
        return [c for c in self.calls if c.method == method and (ok is None or c.ok == ok)
                and all(c.params.get(k) == v for k, v in match.items())]

    def mark(self) -> int:
        return len(self.calls)

    def since(self, mark: int, method: str | None = None) -> list[Call]:
        return [c for c in self.calls[mark:] if method is None or c.method == method]

    async def wait_for(self, method: str, *, count: int = 1, since: int = 0, timeout: float = 10.0,
                       where: Callable[[Call], bool] | None = None) -> list[Call]:
        """Poll the recorded calls until `count` calls of `method` (matching `where`) arrived."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.calls[since:] if c.method == method and (where is None or where(c))]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                seen = [c.method for c in self.calls[since:]]
                raise AssertionError(f"waited {timeout}s for {count} × {method}; got {len(found)}; calls: {seen}")
            await asyncio.sleep(0.02)

    async def quiet(self, seconds: float = 0.3, since: int = 0) -> None:
        """Wait until no call arrived for `seconds` (used to check that nothing more happens)."""
        last = len(self.calls)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            await asyncio.sleep(0.02)
            if len(self.calls) != last:
                last = len(self.calls)
                deadline = time.monotonic() + seconds

    # the Web API ---------------------------------------------------------------------------------------

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        raw = await request.read()
        if raw:
            if request.content_type == "application/json":
                params.update(json.loads(raw))
            else:
                params.update(dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True)))
        for name in JSON_FIELDS:
            if isinstance(params.get(name), str):
                try:
                    params[name] = json.loads(params[name])
                except ValueError:
                    pass
        return params

    def _failure_for(self, method: str, params: dict[str, Any]) -> Failure | None:
        for failure in self.failures:
            if failure.method == method and failure.times > 0 and (failure.when is None or failure.when(params)):
                failure.times -= 1
                return failure
        return None

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip() or params.get("token")
        expected = self.app_token if method == "apps.connections.open" else self.bot_token
        call = Call(method, params, authorized=token == expected, path=request.path)
        self.calls.append(call)
        if not call.authorized:
            call.ok = False
            return web.json_response({"ok": False, "error": "invalid_auth"})
        failure = self._failure_for(method, params)
        if failure is not None:
            call.status, call.ok = failure.status, False
            headers = {"Retry-After": str(int(failure.retry_after))} if failure.retry_after is not None else {}
            if failure.status >= 500:
                return web.Response(status=failure.status, text="upstream trouble", headers=headers)
            return web.json_response({"ok": False, "error": failure.error}, status=failure.status,
                                     headers=headers)
        handler = getattr(self, "m_" + method.replace(".", "_"), None)
        body = handler(params) if handler else {}
        for delay in self.delays:
            if delay.method == method and delay.times > 0 and (delay.when is None or delay.when(params)):
                delay.times -= 1
                await asyncio.sleep(delay.seconds)
                break
        return web.json_response({"ok": True, **body})

    def _new_ts(self) -> str:
        return f"{1_700_000_000 + next(self._ts)}.000100"

    def _channel(self, channel: str) -> str:
        return "D" + channel[1:] if channel[:1] in ("U", "W") else channel

    def m_auth_test(self, _: dict) -> dict:
        return {"url": "https://example.slack.com/", "team": "Example", "user": "advocacy-bot", "team_id": TEAM,
                "user_id": BOT_USER, "bot_id": BOT_ID}

    def m_chat_postMessage(self, p: dict) -> dict:
        channel = self._channel(str(p.get("channel")))
        ts = self._new_ts()
        message = {"type": "message", "user": BOT_USER, "bot_id": BOT_ID, "ts": ts, "text": p.get("text", ""),
                   "blocks": p.get("blocks") or []}
        if p.get("metadata"):
            message["metadata"] = p["metadata"]
        self.messages.setdefault(channel, []).insert(0, message)
        return {"channel": channel, "ts": ts, "message": message}

    def m_chat_update(self, p: dict) -> dict:
        return {"channel": p.get("channel"), "ts": p.get("ts"), "text": p.get("text", "")}

    def m_chat_postEphemeral(self, _: dict) -> dict:
        return {"message_ts": self._new_ts()}

    def m_views_open(self, p: dict) -> dict:
        return {"view": {**(p.get("view") or {}), "id": "V" + uuid.uuid4().hex[:10].upper()}}

    def m_views_update(self, p: dict) -> dict:
        return {"view": p.get("view") or {}}

    def m_views_publish(self, p: dict) -> dict:
        return {"view": {**(p.get("view") or {}), "id": "VHOME"}}

    def m_users_info(self, p: dict) -> dict:
        user_id = str(p.get("user"))
        profile = self.users.get(user_id) or Profile(user_id.lower(), f"User {user_id}")
        user = {"id": user_id, "team_id": TEAM, "name": profile.name, "real_name": profile.real_name,
                "tz": profile.tz, "profile": {"display_name": profile.real_name, "real_name": profile.real_name}}
        if str(p.get("include_locale")).lower() in ("true", "1"):
            user["locale"] = profile.locale
        return {"user": user}

    def m_conversations_open(self, p: dict) -> dict:
        return {"channel": {"id": self._channel(str(p.get("users", "")).split(",")[0])}}

    def m_conversations_history(self, p: dict) -> dict:
        messages = self.messages.get(str(p.get("channel")), [])[: int(p.get("limit", 100))]
        return {"messages": messages, "has_more": False}

    def m_apps_connections_open(self, _: dict) -> dict:
        return {"url": f"ws://127.0.0.1:{self.port}/ws?ticket=secret-ticket-{uuid.uuid4().hex[:8]}"}

    async def _calls(self, request: web.Request) -> web.Response:
        """What was called, for a client in another process (the benchmark): ?method=…&since=N."""
        since = int(request.query.get("since", "0"))
        method = request.query.get("method")
        calls = [{"method": c.method, "params": c.params, "ok": c.ok, "at": c.at, "path": c.path}
                 for c in self.calls[since:] if method is None or c.method == method]
        return web.json_response({"count": len(self.calls), "calls": calls})

    # response_url --------------------------------------------------------------------------------------

    async def _response_url(self, request: web.Request) -> web.Response:
        params = await self._params(request)
        self.calls.append(Call("response_url", params, path=request.path))
        failure = self._failure_for("response_url", params)
        if failure is not None:
            self.calls[-1].ok = False
            return web.Response(status=failure.status if failure.status >= 400 else 500, text="error")
        return web.Response(text="ok", content_type="text/plain")

    # Socket Mode -----------------------------------------------------------------------------------------

    async def _ws(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self.sockets.append(ws)
        self.calls.append(Call("socket.connect", {"ticket": request.query.get("ticket", "")}, path=request.path))
        await ws.send_json({"type": "hello", "num_connections": 1,
                            "debug_info": {"host": "fake", "approximate_connection_time": 3600},
                            "connection_info": {"app_id": "A0001"}})
        self.socket_connected.set()
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    data = json.loads(msg.data)
                    self.socket_received.append(data)
                    self.calls.append(Call("socket.ack", data, path=request.path))
        finally:
            if ws in self.sockets:
                self.sockets.remove(ws)
        return ws

    async def socket_send(self, payload_type: str, payload: dict[str, Any], *, retry_attempt: int = 0,
                          accepts_response_payload: bool = False) -> str:
        """Push one envelope to the connected bot; returns its envelope_id."""
        await asyncio.wait_for(self.socket_connected.wait(), 10)
        envelope_id = str(uuid.uuid4())
        await self.sockets[-1].send_json({"envelope_id": envelope_id, "type": payload_type, "payload": payload,
                                          "accepts_response_payload": accepts_response_payload,
                                          "retry_attempt": retry_attempt, "retry_reason": ""})
        return envelope_id



async def _serve_forever(bot_token: str) -> None:
    fake = await FakeSlack(bot_token=bot_token).start()
    print(f"fake slack listening on {fake.port}", flush=True)
    await asyncio.Event().wait()


def main() -> None:
    """`python -m tests.fakes.slack_api --token xoxb-…`: the fake on its own, on a free port (for bench/)."""
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--token", default="xoxb-bench")
    try:
        asyncio.run(_serve_forever(parser.parse_args().token))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
