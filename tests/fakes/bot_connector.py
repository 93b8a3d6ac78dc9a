"""A local fake of the Bot Framework connector (what an activity's `serviceUrl` points at).

`async with FakeConnector() as connector:` serves on 127.0.0.1 (a free port); put
`connector.service_url` (it has a regional-style path prefix, `/emea/`) in the activities you post
to the bot. It records every call, answers like the connector (a fresh activity id for a send, a
conversation id for `POST v3/conversations`, the team's channels), and fails on demand:
`connector.fail(status=429, retry_after="0.3", times=2)`, `connector.fail(status=403, when=lambda c:
c.conversation_id == "a:dm-eve")`, `connector.block("29:eve")` (403 for anything addressed to that
member, like a user who never installed the app or blocked it). A message (send or update) whose
body is over `MAX_MESSAGE` bytes gets Teams' 413 `MessageSizeTooBig`.
Conversation ids come back decoded and whole (`19:x@thread.tacv2;messageid=1`).
"""
from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from aiohttp import web

PREFIX = "/emea/"
MAX_MESSAGE = 28 * 1024    # Teams refuses a bot message above about 28 KB


@dataclass
class Call:
    method: str
    path: str                      # after the prefix, decoded: v3/conversations/{id}/activities/{id}
    body: Any = None
    query: dict[str, str] = field(default_factory=dict)
    authorization: str | None = None
    user_agent: str = ""
    size: int = 0                  # bytes of the request body
    status: int = 200
    answer: Any = None
    at: float = field(default_factory=time.monotonic)

    @property
    def conversation_id(self) -> str | None:
        if not self.path.startswith("v3/conversations/"):
            return None
        rest = self.path[len("v3/conversations/"):]
        return rest.rsplit("/activities", 1)[0] if "/activities" in rest else rest.split("/", 1)[0]

    @property
    def activity_id(self) -> str | None:
        """The id in the path: the replied-to activity of a POST, the updated one of a PUT."""
        if "/activities/" not in self.path:
            return None
        return self.path.rsplit("/activities/", 1)[1]

    @property
    def kind(self) -> str:
        if self.path == "v3/conversations" and self.method == "POST":
            return "create"
        if self.path.startswith("v3/teams/"):
            return "channels"
        if "/activities" in self.path:
            return {"POST": "send", "PUT": "update", "DELETE": "delete"}.get(self.method, self.method)
        return self.method.lower()

    @property
    def ok(self) -> bool:
        return self.status < 300

    @property
    def activity(self) -> dict[str, Any]:
        return self.body if isinstance(self.body, dict) else {}

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [a.get("content") or {} for a in self.activity.get("attachments") or []
                if a.get("contentType") == "application/vnd.microsoft.card.adaptive"]

    def text_of(self) -> str:
        """Everything a person would read: text, summary, card texts, action titles, invoke values."""
        parts = [str(self.activity.get("text") or ""), str(self.activity.get("summary") or "")]

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    if key in ("text", "title", "value", "label", "placeholder") and isinstance(value, str):
                        parts.append(value)
                    elif key != "data":
                        walk(value)
            elif isinstance(node, list):
                for item in node:
                    walk(item)

        walk(self.cards)
        return "\n".join(p for p in parts if p)

    def actions(self) -> list[dict[str, Any]]:
        return [a for card in self.cards for a in card.get("actions") or []]

    def inputs(self) -> list[dict[str, Any]]:
        return [e for card in self.cards for e in card.get("body") or [] if e.get("type", "").startswith("Input.")]


@dataclass
class Failure:
    status: int
    retry_after: str | None = None
    times: int = 1
    when: Callable[[Call], bool] | None = None


class FakeConnector:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.failures: list[Failure] = []
        self.blocked: set[str] = set()
        self.channels: dict[str, list[dict[str, Any]]] = {}
        self.personal: dict[str, str] = {}      # member id -> personal conversation id it opened
        self._ids = itertools.count(1_763_900_000_000)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.delay = 0.0

    # lifecycle ---------------------------------------------------------------------------------------

    async def __aenter__(self) -> FakeConnector:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def service_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PREFIX}"

    # what the test asks for --------------------------------------------------------------------------

    def fail(self, status: int, *, retry_after: str | float | None = None, times: int = 1,
             when: Callable[[Call], bool] | None = None) -> None:
        self.failures.append(Failure(status, None if retry_after is None else str(retry_after), times, when))

    def block(self, member_id: str) -> None:
        self.blocked.add(member_id)

    def mark(self) -> int:
        return len(self.calls)

    def since(self, mark: int = 0, kind: str | None = None) -> list[Call]:
        return [c for c in self.calls[mark:] if kind is None or c.kind == kind]

    def sends(self, mark: int = 0, conversation: str | None = None) -> list[Call]:
        return [c for c in self.since(mark, "send") if c.ok and (conversation is None or c.conversation_id == conversation)]

    async def wait_for(self, kind: str | None = None, *, count: int = 1, since: int = 0, timeout: float = 10.0,
                       where: Callable[[Call], bool] | None = None, ok: bool | None = True) -> list[Call]:
        """The first `count` matching calls after `since`, waiting for them (short polls, a deadline)."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.calls[since:] if (kind is None or c.kind == kind)
                     and (ok is None or c.ok == ok) and (where is None or where(c))]
            if len(found) >= count:
                return found[:count]
            if time.monotonic() > deadline:
                seen = "\n".join(f"  {c.method} {c.path} -> {c.status}" for c in self.calls[since:])
                raise AssertionError(f"waited {timeout}s for {count} {kind or 'call'}(s); saw:\n{seen or '  nothing'}")
            await asyncio.sleep(0.02)

    async def quiet(self, since: int, kind: str | None = None, settle: float = 0.3) -> list[Call]:
        """Calls made after `since` once nothing new has come for `settle` seconds."""
        last = -1
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            now = len(self.since(since, kind))
            if now == last:
                break
            last = now
            await asyncio.sleep(settle)
        return self.since(since, kind)

    # the connector -----------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        raw_path = request.raw_path.split("?", 1)[0]
        if not raw_path.startswith(PREFIX):
            return web.json_response({"error": {"code": "NotFound"}}, status=404)
        path = unquote(raw_path[len(PREFIX):])
        body, text = None, ""
        if request.can_read_body:
            text = await request.text()
            try:
                body = json.loads(text) if text else None
            except ValueError:
                body = text
        call = Call(request.method, path, body, dict(request.query), request.headers.get("Authorization"),
                    request.headers.get("User-Agent", ""), size=len(text.encode()))
        self.calls.append(call)
        if self.delay:
            await asyncio.sleep(self.delay)
        failure = self._failure_for(call)
        if failure is not None:
            call.status = failure.status
            headers = {"Retry-After": failure.retry_after} if failure.retry_after is not None else {}
            return web.json_response({"error": {"code": f"HTTP{failure.status}", "message": "fake failure"}},
                                     status=failure.status, headers=headers)
        if call.kind in ("send", "update") and call.size > MAX_MESSAGE:
            call.status = 413
            return web.json_response({"error": {"code": "MessageSizeTooBig",
                                                "message": "Message size too big."}}, status=413)
        if self._blocked(call):
            call.status = 403
            return web.json_response({"error": {"code": "BotNotInConversationRoster",
                                                "message": "The bot is not part of the conversation roster."}},
                                     status=403)
        call.answer = self._answer(call)
        call.status = 200 if call.kind != "create" else 201
        if call.kind == "delete":
            return web.Response(status=200)
        return web.json_response(call.answer, status=call.status)

    def _failure_for(self, call: Call) -> Failure | None:
        for failure in self.failures:
            if failure.times > 0 and (failure.when is None or failure.when(call)):
                failure.times -= 1
                return failure
        return None

    def _blocked(self, call: Call) -> bool:
        if not self.blocked:
            return False
        if call.kind == "create":
            members = call.activity.get("members") or []
            return any(m.get("id") in self.blocked for m in members)
        recipient = (call.activity.get("recipient") or {}).get("id")
        opened = {conv for member, conv in self.personal.items() if member in self.blocked}
        return recipient in self.blocked or call.conversation_id in opened

    def _answer(self, call: Call) -> Any:
        if call.kind == "create":
            member = (call.activity.get("members") or [{}])[0].get("id", "")
            conversation = self.personal.setdefault(member, f"a:personal-{len(self.personal) + 1}")
            return {"id": conversation, "activityId": str(next(self._ids))}
        if call.kind == "channels":
            team = call.path.split("/")[2]
            return {"conversations": self.channels.get(team, [{"id": team}])}
        if call.kind == "update":
            return {"id": call.activity_id}
        if call.kind == "send":
            return {"id": str(next(self._ids))}
        return {}
