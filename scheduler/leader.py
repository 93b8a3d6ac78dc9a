"""Who runs the schedules: one process per database.

PostgreSQL: a session advisory lock, held on a connection of its own; when the holder dies
the lock goes with it and a standby takes over. SQLite: an OS file lock beside the database
file; a second process on the same file refuses to run schedules and the outbox dispatcher."""
from __future__ import annotations

import fcntl
import hashlib
import logging
import os
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import Database

log = logging.getLogger(__name__)

LOCK_NAME = "advocacy-bot scheduler"


def _lock_id() -> int:
    return int.from_bytes(hashlib.sha256(LOCK_NAME.encode()).digest()[:8], "big", signed=True)


class Leadership:
    def __init__(self, db: Database):
        self.db = db
        self._conn: AsyncConnection | None = None
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None or self._fd is not None

    def lock_path(self) -> Path | None:
        database = self.db.engine.url.database
        if not database or database == ":memory:":
            return None
        return Path(f"{database.removeprefix('file:')}.scheduler.lock")  # also a URI filename (?mode=ro&uri=true)

    async def try_acquire(self) -> bool:
        if self.held:
            return True
        if self.db.is_sqlite:
            return self._try_file_lock()
        conn = await self.db.engine.connect()
        got = await conn.scalar(text("SELECT pg_try_advisory_lock(:id)"), {"id": _lock_id()})
        await conn.commit()
        if got:
            self._conn = conn
            return True
        await conn.close()
        return False

    def _try_file_lock(self) -> bool:
        path = self.lock_path()
        if path is None:
            self._fd = -1
            return True
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return True

    async def still_held(self) -> bool:
        if self._conn is None:
            return self.held
        try:
            await self._conn.execute(text("SELECT 1"))
            await self._conn.commit()
            return True
        except Exception:
            log.warning("lost the scheduler lock's connection")
            self._conn = None
            return False

    async def release(self) -> None:
        if self._conn is not None:
            try:
                await self._conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _lock_id()})
                await self._conn.close()
            except Exception:
                pass
            self._conn = None
        if self._fd is not None:
            if self._fd >= 0:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
                os.close(self._fd)
            self._fd = None
