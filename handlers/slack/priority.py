"""Acks first. Slack wants every request answered within 3 seconds, and the answer to an event
is just "200": Bolt sends it before the listener runs. The listener's work (a database
transaction, a reply) shares the one event loop with the acks of the requests arriving meanwhile,
so during a burst it waits until requests stop arriving for a moment, but never longer than
`max_defer`: acks stay about as fast as a bare Bolt app's, and the work follows the burst.

Interactive requests (commands, buttons, modals) are not deferred: a person is waiting, and a
trigger_id for a modal is only good for 3 seconds.
"""
from __future__ import annotations

import asyncio
import time

QUIET = 0.05       # requests stopped arriving this long ago: a good moment for deferred work
MAX_DEFER = 2.0    # but no work waits longer than this, however busy the door is


class AckPriority:
    def __init__(self, quiet: float = QUIET, max_defer: float = MAX_DEFER):
        self.quiet = quiet
        self.max_defer = max_defer
        self.inflight = 0
        self.last_done = 0.0
        self._open = asyncio.Event()
        self._open.set()
        self._timer: asyncio.TimerHandle | None = None

    def started(self) -> None:
        self.inflight += 1
        self._open.clear()

    def done(self) -> None:
        self.inflight = max(0, self.inflight - 1)
        self.last_done = time.monotonic()
        if self.inflight == 0 and self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.quiet, self._check)

    def _check(self) -> None:
        """One timer, not one per waiter: opens the gate once the door has been quiet long enough."""
        self._timer = None
        if self.inflight:
            return
        left = self.quiet - (time.monotonic() - self.last_done)
        if left > 0:
            self._timer = asyncio.get_running_loop().call_later(left, self._check)
        else:
            self._open.set()

    async def turn(self, since: float) -> None:
        """Return when the door is quiet, or `max_defer` after `since`."""
        if self._open.is_set():
            return
        left = since + self.max_defer - time.monotonic()
        if left <= 0:
            return
        try:
            async with asyncio.timeout(left):
                await self._open.wait()
        except TimeoutError:
            return
