"""aiosqlite with one trip to the database thread per statement.

aiosqlite runs each sqlite3 call on its own thread and wakes the event loop for each result;
SQLAlchemy's adapter makes three or four such calls per statement (open a cursor, execute, fetch
the rows, close). The thread hand-over costs far more than the statement itself (about 45 µs of
event-loop time each, against a few µs for SQLite to run a chat turn's indexed lookups), and a
chat turn runs three to five statements. Here the cursor does all four in one call, so the loop
wakes once per statement. SQLAlchemy's adapter fetches all the rows of a result right after the
statement anyway (the app streams none), so fetching them in the same trip changes nothing else.

Built on aiosqlite's `Connection`: its thread, its queue and its close are used as they are; only
`cursor()` differs. Plugged in through SQLAlchemy's `async_creator`.
"""
from __future__ import annotations

import asyncio
import sqlite3
from collections import deque
from collections.abc import Iterable
from typing import Any

import aiosqlite


# what a statement leaves: the cursor's description (sqlite3's own shape), rowcount, lastrowid, the rows
Trip = tuple[Any, int, int | None, list[Any]]


def _run(conn: sqlite3.Connection, many: bool, sql: str, parameters: Any) -> Trip:
    """On the database thread: the statement, its rows and what the cursor knows after it."""
    cursor = conn.cursor()
    try:
        if many:
            cursor.executemany(sql, parameters)
        else:
            cursor.execute(sql, parameters)
        rows = cursor.fetchall() if cursor.description else []
        return cursor.description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


class OneTripCursor:
    """The part of aiosqlite's cursor SQLAlchemy uses, with the rows fetched on execute."""

    arraysize = 1

    def __init__(self, connection: OneTripConnection):
        self._connection = connection
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self._rows: deque[Any] = deque()

    async def __aenter__(self) -> OneTripCursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._rows.clear()

    async def _execute(self, many: bool, sql: str, parameters: Any) -> OneTripCursor:
        self.description, self.rowcount, self.lastrowid, rows = await self._connection.trip(many, sql, parameters)
        self._rows = deque(rows)
        return self

    async def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> OneTripCursor:
        return await self._execute(False, sql, () if parameters is None else parameters)

    async def executemany(self, sql: str, parameters: Iterable[Iterable[Any]]) -> OneTripCursor:
        return await self._execute(True, sql, parameters)

    async def fetchone(self) -> Any:
        return self._rows.popleft() if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        count = min(size or self.arraysize, len(self._rows))
        return [self._rows.popleft() for _ in range(count)]

    async def fetchall(self) -> list[Any]:
        rows = list(self._rows)
        self._rows.clear()
        return rows

    async def close(self) -> None:
        self._rows.clear()


class OneTripConnection(aiosqlite.Connection):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._thread.daemon = True  # as SQLAlchemy sets it: a connection left open never holds up exit

    # aiosqlite's `cursor()` is a coroutine that opens a cursor on the thread (a trip); this one
    # gives a cursor at once, a different return type by design (the module's docstring says why)
    def cursor(self) -> OneTripCursor:  # type: ignore[override]
        return OneTripCursor(self)

    async def trip(self, many: bool, sql: str, parameters: Any) -> Trip:
        """One statement on the connection's thread, in one hand-over."""
        # aiosqlite's hand-over to its thread has no annotations
        done: Trip = await self._execute(_run, self._conn, many, sql, parameters)  # type: ignore[no-untyped-call]
        return done

    async def commit(self) -> None:
        """No trip when nothing was written: sqlite3 opens a transaction only before a write,
        and SQLAlchemy commits (and resets each connection it takes back) after reads too."""
        if self._connection is not None and self._connection.in_transaction:
            await super().commit()

    async def rollback(self) -> None:
        if self._connection is not None and self._connection.in_transaction:
            await super().rollback()


async def connect(database: str, **kwargs: Any) -> OneTripConnection:
    """Like `aiosqlite.connect`: `sqlite3.connect(database, **kwargs)` on the connection's thread."""
    connection = OneTripConnection(lambda: sqlite3.connect(database, **kwargs), iter_chunk_size=64)
    try:
        await connection  # opens it; aiosqlite's `await` gives the same object back, typed as its base class
    except Exception:
        # A file that cannot be opened: aiosqlite queues its thread's stop without waiting for it.
        # Wait here, or a process that ends on this error (a start-up message) may close the event
        # loop first, and the thread's last hand-over prints a traceback.
        await asyncio.to_thread(connection._thread.join, 5)
        raise
    return connection
