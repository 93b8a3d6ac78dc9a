"""Pacing sends to what a platform allows: token buckets by name, holds for `Retry-After`, and one
adaptive bucket that learns a limit nobody publishes from the 429s it gets.

A `Pacer` knows names, not platforms: an adapter names its buckets (a channel, a method) and says
what each allows. `wait(names)` returns when every named bucket has a token and none is held;
`hold(name, seconds)` stops every later `wait` on that name until the time has passed, however
many sends are queued behind it.

`AdaptiveBucket` starts at its ceiling; the first 429 within a hold window halves its rate (never
below ceiling/32); each quiet interval without a 429 adds 10% of the ceiling back, up to 90% of the
rate at which the last 429 came; above that it creeps by 2% of the ceiling per slow interval, so it
probes for more only now and then. Times are divided by `scale` (a benchmark against a platform
fake running ten times faster scales the pace with it).
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable

FLOOR_DIVISOR = 32
FAST_STEP = 0.10  # of the ceiling, per quiet interval, up to FAST_UP_TO × the rate at the last 429
FAST_UP_TO = 0.90
SLOW_STEP = 0.02  # of the ceiling, per slow interval, above that
QUIET_SECONDS = 1.0
SLOW_SECONDS = 10.0

Now = Callable[[], float]


class TokenBucket:
    """`rate` tokens a second, at most `burst` saved up. A hold (`pause`) empties it until it ends."""

    def __init__(self, rate: float, burst: float, now: Now = time.monotonic):
        self.rate = rate
        self.burst = max(burst, 1.0)
        self.tokens = self.burst
        self.now = now
        self.updated = now()
        self.paused_until = 0.0
        self.waiting = 0
        self._lock = asyncio.Lock()

    def _refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def delay(self) -> float:
        """Seconds a new `take` would wait now, counting those already queued."""
        now = self.now()
        self._refill(now)
        held = max(0.0, self.paused_until - now)
        return held + max(0.0, self.waiting + 1 - self.tokens) / self.rate

    def spent(self) -> float:
        """Tokens taken and not yet refilled: above 1 means more than the last call in the time
        it takes to refill one."""
        self._refill(self.now())
        return self.burst - self.tokens

    async def take(self) -> None:
        self.waiting += 1
        try:
            async with self._lock:
                while True:
                    now = self.now()
                    if now < self.paused_until:
                        await asyncio.sleep(self.paused_until - now)
                        continue
                    self._refill(now)
                    if self.tokens >= 1:
                        self.tokens -= 1
                        return
                    await asyncio.sleep((1 - self.tokens) / self.rate)
        finally:
            self.waiting -= 1

    def pause(self, seconds: float) -> None:
        now = self.now()
        self._refill(now)
        self.paused_until = max(self.paused_until, now + seconds)
        self.tokens = 0
        self.updated = now


class AdaptiveBucket(TokenBucket):
    """A bucket whose rate halves on a 429 and creeps back while all is quiet (see the module)."""

    def __init__(self, ceiling: float, burst: float, now: Now = time.monotonic, scale: float = 1.0):
        super().__init__(ceiling, burst, now)
        self.ceiling = ceiling
        self.floor = ceiling / FLOOR_DIVISOR
        self.scale = scale
        self.rate_at_429: float | None = None
        self.cuts = 0
        self._window_until = 0.0
        self._stepped_at = self.updated

    def limited(self, retry_after: float) -> None:
        """A 429 on this bucket: hold it, and halve the rate once per hold window (answers to sends
        that were already in flight when the first 429 came do not halve it again)."""
        now = self.now()
        if now >= self._window_until:
            self.rate_at_429 = self.rate
            self.rate = max(self.floor, self.rate / 2)
            self.cuts += 1
            self._window_until = now + max(retry_after, QUIET_SECONDS / self.scale)
        self.pause(retry_after)
        self._stepped_at = max(now + retry_after, self._stepped_at)

    def _refill(self, now: float) -> None:
        super()._refill(now)
        if self.rate >= self.ceiling:
            return
        top = FAST_UP_TO * (self.rate_at_429 or self.ceiling)
        fast = self.rate < top
        interval = (QUIET_SECONDS if fast else SLOW_SECONDS) / self.scale
        while now - self._stepped_at >= interval and self.rate < self.ceiling:
            self._stepped_at += interval
            if fast:
                self.rate = min(top, self.rate + FAST_STEP * self.ceiling)
            else:
                self.rate = min(self.ceiling, self.rate + SLOW_STEP * self.ceiling)
            fast = self.rate < top
            interval = (QUIET_SECONDS if fast else SLOW_SECONDS) / self.scale


class Pacer:
    """Buckets and holds by name. Names without a bucket can still be held (a method-wide 429)."""

    def __init__(self, now: Now = time.monotonic, scale: float = 1.0):
        self.now = now
        self.scale = scale
        self.buckets: dict[str, TokenBucket] = {}
        self.holds: dict[str, float] = {}

    def bucket(self, name: str, rate: float, burst: float) -> TokenBucket:
        if name not in self.buckets:
            self.buckets[name] = TokenBucket(rate * self.scale, burst, self.now)
        return self.buckets[name]

    def adaptive(self, name: str, ceiling: float, burst: float) -> AdaptiveBucket:
        if name not in self.buckets:
            self.buckets[name] = AdaptiveBucket(ceiling * self.scale, burst, self.now, self.scale)
        bucket = self.buckets[name]
        assert isinstance(bucket, AdaptiveBucket)
        return bucket

    def held_for(self, names: Iterable[str]) -> float:
        now = self.now()
        return max((self.holds.get(name, 0.0) - now for name in names), default=0.0)

    def delay(self, names: Iterable[str]) -> float:
        """Seconds a `wait(names)` started now would take, roughly."""
        names = list(names)
        return max(0.0, self.held_for(names), *(self.buckets[n].delay() for n in names if n in self.buckets))

    async def wait(self, names: Iterable[str]) -> None:
        names = list(names)
        while True:
            held = self.held_for(names)
            if held > 0:
                await asyncio.sleep(held)
                continue
            for name in names:
                if name in self.buckets:
                    await self.buckets[name].take()
            if self.held_for(names) <= 0:  # a 429 came while this send queued for a token
                return

    def hold(self, name: str, seconds: float) -> None:
        """No `wait` on `name` returns before `seconds` from now (a 429's Retry-After)."""
        self.holds[name] = max(self.holds.get(name, 0.0), self.now() + seconds)
        bucket = self.buckets.get(name)
        if isinstance(bucket, AdaptiveBucket):
            bucket.limited(seconds)
        elif bucket is not None:
            bucket.pause(seconds)

    async def wait_limits(self, limits: Iterable[tuple[str, float, float]]) -> list[str]:
        """Fixed-rate limits given as `(name, per_second, burst)`, as gateways' `rate_limits` say."""
        names = []
        for name, rate, burst in limits:
            self.bucket(name, rate, burst)
            names.append(name)
        await self.wait(names)
        return names
