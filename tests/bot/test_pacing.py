"""The pacer: holds for Retry-After, token buckets, and the adaptive pace that learns a limit."""
from __future__ import annotations

import asyncio

import pytest

from bot.pacing import FAST_STEP, FAST_UP_TO, QUIET_SECONDS, SLOW_SECONDS, SLOW_STEP, AdaptiveBucket, Pacer


class ManualTime:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_the_adaptive_pace_halves_on_a_429_and_creeps_back_when_quiet():
    now = ManualTime()
    pace = AdaptiveBucket(20.0, 5.0, now)
    pace.limited(1.0)
    assert pace.rate == 10.0
    now.t += 0.5
    pace.limited(1.0)  # an answer to a send already in flight, same window: not halved again
    assert pace.rate == 10.0
    now.t += 0.5 + 1.0 + QUIET_SECONDS  # the hold, then one quiet interval
    pace.delay()
    assert pace.rate == pytest.approx(10.0 + FAST_STEP * 20)
    now.t += 10 * QUIET_SECONDS
    pace.delay()
    assert pace.rate == pytest.approx(FAST_UP_TO * 20)  # fast steps stop at 90% of the rate at the 429
    now.t += SLOW_SECONDS
    pace.delay()
    assert pace.rate == pytest.approx(FAST_UP_TO * 20 + SLOW_STEP * 20)
    now.t += 100 * SLOW_SECONDS
    pace.delay()
    assert pace.rate == 20.0  # never above the ceiling


def test_the_adaptive_pace_never_drops_below_a_32nd_of_its_ceiling():
    now = ManualTime()
    pace = AdaptiveBucket(20.0, 5.0, now)
    for _ in range(10):
        pace.limited(1.0)
        now.t += 1.0
    assert pace.rate == pytest.approx(20.0 / 32)


async def test_a_hold_stops_every_wait_on_its_name_and_no_other():
    pacer = Pacer()
    pacer.hold("channel:A", 0.3)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await pacer.wait(["channel:B", "method"])
    assert loop.time() - started < 0.1
    await asyncio.gather(*(pacer.wait(["channel:A", "method"]) for _ in range(3)))
    assert loop.time() - started >= 0.29


async def test_a_bucket_lets_a_burst_through_then_paces():
    pacer = Pacer(scale=10)  # 1 a second becomes 10 a second
    pacer.bucket("channel:A", 1.0, 2.0)
    loop = asyncio.get_running_loop()
    started = loop.time()
    times = []
    for _ in range(4):
        await pacer.wait(["channel:A"])
        times.append(loop.time() - started)
    assert times[1] < 0.05 and times[2] >= 0.09 and times[3] >= 0.19
