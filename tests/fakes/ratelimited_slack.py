"""The fake Slack with Slack's posting limits: a workspace budget and about one message a second per
channel. Over either, chat.postMessage answers 429 with `Retry-After`, as Slack does. It also counts
what a fan-out must get right: every outbox key delivered, none twice."""
from __future__ import annotations

import math
import time
from collections import Counter

from aiohttp import web

from tests.fakes.slack_api import Call, FakeSlack

PARAMS = web.RequestKey("params", dict)  # the parsed form, read once per request


class Bucket:
    def __init__(self, rate: float, burst: float):
        self.rate, self.burst = rate, burst
        self.tokens, self.at = burst, time.monotonic()

    def take(self) -> float:
        """0 if allowed now, else the seconds until a token is back."""
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class RateLimitedSlack(FakeSlack):
    def __init__(self, *args, per_second: float = 50.0, per_channel: float = 1.0, channel_burst: float = 3.0,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = Bucket(per_second, max(1.0, per_second))
        self.per_channel = (per_channel, channel_burst)
        self.channels: dict[str, Bucket] = {}
        self.rate_limited = 0
        self.delivered: Counter[str] = Counter()
        self.first_post: float | None = None
        self.last_post: float | None = None

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["method"] != "chat.postMessage":
            return await super()._api(request)
        params = await self._params(request)
        channel = str(params.get("channel"))
        bucket = self.channels.setdefault(channel, Bucket(*self.per_channel))
        wait = max(self.workspace.take(), bucket.take())
        if wait:
            self.rate_limited += 1
            self.calls.append(Call("chat.postMessage", params, status=429, ok=False, path=request.path))
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                     headers={"Retry-After": str(max(1, math.ceil(wait)))})
        response = await super()._api(request)
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
