"""Token buckets that pace sends to what a platform allows, and pause on `Retry-After`."""
from __future__ import annotations

import asyncio
import time


class TokenBucket:
    def __init__(self, rate: float, burst: float):
        self.rate = rate
        self.burst = max(burst, 1.0)
        self.tokens = self.burst
        self.updated = time.monotonic()
        self.paused_until = 0.0
        self._lock = asyncio.Lock()

    def _refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    async def take(self) -> None:
        async with self._lock:
            while True:
                now = time.monotonic()
                if now < self.paused_until:
                    await asyncio.sleep(self.paused_until - now)
                    continue
                self._refill(now)
                if self.tokens >= 1:
                    self.tokens -= 1
                    return
                await asyncio.sleep((1 - self.tokens) / self.rate)

    def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, time.monotonic() + seconds)
        self.tokens = 0


class Pacer:
    """Buckets by name, created on first use with the rate the gateway asked for."""

    def __init__(self) -> None:
        self.buckets: dict[str, TokenBucket] = {}

    def bucket(self, name: str, rate: float, burst: float) -> TokenBucket:
        if name not in self.buckets:
            self.buckets[name] = TokenBucket(rate, burst)
        return self.buckets[name]

    async def wait(self, limits: list[tuple[str, float, float]]) -> list[TokenBucket]:
        buckets = [self.bucket(*limit) for limit in limits]
        for bucket in buckets:
            await bucket.take()
        return buckets
