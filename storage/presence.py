"""Is the process that claimed these sends still alive? On PostgreSQL each dispatcher holds a session
advisory lock named after it, on a connection of its own, for as long as it runs. When the process
dies (kill -9 included) the server drops its connection and the lock with it, so another replica, or
the same one restarted, can tell at once that the claims are orphaned instead of waiting out the lease.

SQLite serves one process: its claims are all settled at start-up, so there is nothing to ask.
"""
from __future__ import annotations

import hashlib
import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import Database

log = logging.getLogger(__name__)

NAMESPACE = "advocacy-bot dispatcher"


def _key(text_: str) -> int:
    return int.from_bytes(hashlib.sha256(text_.encode()).digest()[:4], "big", signed=True)


def lock_args(owner: str) -> dict[str, int]:
    """Two 32-bit keys: a space of their own, apart from the scheduler's one 64-bit key."""
    return {"space": _key(NAMESPACE), "owner": _key(owner)}


class Presence:
    def __init__(self, db: Database, owner: str):
        self.db = db
        self.owner = owner
        self._conn: AsyncConnection | None = None

    @property
    def supported(self) -> bool:
        return not self.db.is_sqlite

    @property
    def announced(self) -> bool:
        return self._conn is not None

    async def announce(self) -> bool:
        """Take this dispatcher's own lock. False when the database cannot be reached (try later)."""
        if not self.supported or self._conn is not None:
            return self._conn is not None
        try:
            conn = await self.db.engine.connect()
            await conn.execute(text("SELECT pg_advisory_lock(:space, :owner)"), lock_args(self.owner))
            await conn.commit()
        except Exception as exc:
            log.debug("presence lock not taken yet: %s", type(exc).__name__)
            return False
        self._conn = conn
        return True

    async def gone(self, owners: set[str]) -> set[str]:
        """Which of these dispatchers no longer hold their lock (their process is gone)."""
        if not self.supported or not owners:
            return set()
        found = set()
        async with self.db.engine.connect() as conn:
            for owner in sorted(owners - {self.owner}):
                args = lock_args(owner)
                if await conn.scalar(text("SELECT pg_try_advisory_lock(:space, :owner)"), args):
                    await conn.execute(text("SELECT pg_advisory_unlock(:space, :owner)"), args)
                    found.add(owner)
            await conn.commit()
        return found

    async def still_held(self) -> bool:
        if self._conn is None:
            return False
        try:
            await self._conn.execute(text("SELECT 1"))
            await self._conn.commit()
            return True
        except Exception:
            await self._drop()
            return False

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await conn.invalidate()
            except Exception:
                pass

    async def withdraw(self) -> None:
        if self._conn is not None:
            try:
                await self._conn.execute(text("SELECT pg_advisory_unlock(:space, :owner)"), lock_args(self.owner))
                await self._conn.close()
            except Exception:
                pass
            self._conn = None
