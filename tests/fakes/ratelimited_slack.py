"""The fake Slack with Slack's published limits, enforced in real time (or `scale` times faster):

- chat.postMessage: about one message a second per channel after a short burst (3), and a workspace
  budget (600 a minute by default, a burst of 10);
- users.info 100 a minute (Tier 4, burst 20), conversations.history 50 a minute (Tier 3, burst 10).

Over a limit it answers 429 with `Retry-After` (whole seconds, as Slack does; in scaled time whole
scaled seconds) and opens a window for that scope (the channel, or the method for a workspace or
tier limit). A call made inside an open window is counted in `inside_window` and refused again:
Slack throttles or disables apps that ignore Retry-After. It also counts what a fan-out must get
right: every outbox key delivered, none twice.
"""
from __future__ import annotations

import math
import time
from collections import Counter

from aiohttp import web

from tests.fakes.slack_api import Call, FakeSlack

PARAMS = web.RequestKey("params", dict)  # the parsed form, read once per request

TIERS = {"users.info": (100.0, 20.0), "conversations.history": (50.0, 10.0)}  # a minute, burst


class Bucket:
    def __init__(self, rate: float, burst: float):
        self.rate, self.burst = rate, burst
        self.tokens, self.at = burst, time.monotonic()

    def wait(self) -> float:
        """0 if a token is there now, else the seconds until one is back."""
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1


class RateLimitedSlack(FakeSlack):
    def __init__(self, *args, per_minute: float = 600.0, workspace_burst: float = 10.0, per_channel: float = 1.0,
                 channel_burst: float = 3.0, scale: float = 1.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.scale = scale
        self.workspace = Bucket(per_minute / 60 * scale, workspace_burst)
        self.per_channel = (per_channel * scale, channel_burst)
        self.channels: dict[str, Bucket] = {}
        self.tiers = {m: Bucket(n / 60 * scale, burst) for m, (n, burst) in TIERS.items()}
        self.windows: dict[str, float] = {}  # scope -> end of its Retry-After window
        self.rate_limited = 0
        self.inside_window = 0
        self.limited_by: Counter[str] = Counter()
        self.delivered: Counter[str] = Counter()
        self.first_post: float | None = None
        self.last_post: float | None = None

    def _retry_after(self, seconds: float) -> float:
        """Whole (scaled) seconds, at least one, as Slack sends it."""
        return max(1, math.ceil(seconds * self.scale - 1e-9)) / self.scale

    def _refuse(self, method: str, params: dict, scope: str, seconds: float, path: str) -> web.Response:
        self.rate_limited += 1
        self.calls.append(Call(method, params, status=429, ok=False, path=path))
        return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                 headers={"Retry-After": f"{seconds:g}"})

    def _limit(self, method: str, params: dict) -> tuple[str, float] | None:
        """The scope and Retry-After of a 429 for this call, or None if it may go through."""
        now = time.monotonic()
        scopes = [f"method:{method}"]
        if method == "chat.postMessage":
            scopes.append(f"channel:{params.get('channel')}")
        open_until = max(self.windows.get(s, 0.0) for s in scopes)
        if open_until > now:
            self.inside_window += 1
            scope = max(scopes, key=lambda s: self.windows.get(s, 0.0))
            return scope, self._retry_after(open_until - now)
        checks: list[tuple[str, Bucket]] = []
        if method == "chat.postMessage":
            channel = str(params.get("channel"))
            checks.append((f"channel:{channel}", self.channels.setdefault(channel, Bucket(*self.per_channel))))
            checks.append((f"method:{method}", self.workspace))
        elif method in self.tiers:
            checks.append((f"method:{method}", self.tiers[method]))
        for scope, bucket in checks:
            wait = bucket.wait()
            if wait:
                seconds = self._retry_after(wait)
                self.windows[scope] = now + seconds
                self.limited_by[scope.split(":")[0]] += 1
                return scope, seconds
        for _, bucket in checks:
            bucket.take()
        return None

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if method != "chat.postMessage" and method not in self.tiers:
            return await super()._api(request)
        params = await self._params(request)
        refused = self._limit(method, params)
        if refused is not None:
            return self._refuse(method, params, *refused, request.path)
        response = await super()._api(request)
        if method == "chat.postMessage":
            key = ((params.get("metadata") or {}).get("event_payload") or {}).get("key")
            if key:
                self.delivered[key] += 1
            self.first_post = self.first_post or time.monotonic()
            self.last_post = time.monotonic()
        return response

    async def _params(self, request: web.Request):
        if PARAMS not in request:
            request[PARAMS] = await super()._params(request)
        return request[PARAMS]

    def duplicates(self) -> int:
        return sum(n - 1 for n in self.delivered.values() if n > 1)
