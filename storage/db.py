"""Engine, sessions and the database URL forms people actually write."""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import Connection, event
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.engine.interfaces import DBAPIConnection, DBAPICursor
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from storage import sqlite_trips

DEFAULT_URL = "sqlite+aiosqlite:///advocacy.db"

_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
    "postgresql+psycopg2": "postgresql+asyncpg",
    "postgresql+psycopg": "postgresql+asyncpg",
}


URL_FORMS = "sqlite:///path/to/file.db or postgresql://user@host:5432/dbname"


class BadDatabaseUrl(ValueError):
    """A URL of a database this bot cannot use; its message is the forms it can (`URL_FORMS`)."""


def normalize_url(url: str) -> str:
    """Turn `sqlite:///x`, `postgres://…` and `postgresql://…` into their async-driver forms."""
    url = url.strip()
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in _DRIVERS:
        raise BadDatabaseUrl(URL_FORMS)
    driver = _DRIVERS[scheme.lower()]
    if driver.startswith("postgresql"):
        parts = urlsplit(f"{driver}://{rest}")
        query = [("ssl", v) if k == "sslmode" else (k, v) for k, v in parse_qsl(parts.query)]
        return urlunsplit(parts._replace(query=urlencode(query)))
    return f"{driver}://{rest}"


def redact(url: str) -> str:
    """The URL with any password replaced, fit for a log line."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:  # not a URL at all (a bad port, brackets): nothing of it is safe to show
        return "(not a URL)"
    if password:
        netloc = parts.netloc.replace(f":{password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


# SQLSTATE classes of a server that would not let this URL in: 08 connection exception, 28 invalid
# authorization (no such role, wrong password), 3D000 no such database, 53 insufficient resources
# (too many connections), 57P03 the server is starting up or shutting down.
_REFUSED = {"08": "a PostgreSQL server that accepts connections", "53": "a PostgreSQL server that accepts connections",
            "57P03": "a PostgreSQL server that accepts connections",
            "28": "a role the server accepts (the user name and password in the URL)",
            "3D": "a database that exists on the server (create it first, e.g. with createdb)"}


def unusable(exc: BaseException, sqlite: bool) -> tuple[str, str] | None:
    """(what the URL needs, the cause in the driver's words) when `exc` means the database at the
    URL cannot be opened (no server, no such database or role, a SQLite file that cannot be
    created or written); None for any other failure."""
    orig = getattr(exc, "orig", None) or exc
    words = (str(orig).strip().splitlines() or [type(orig).__name__])[0][:300]
    if sqlite:
        if isinstance(exc, OperationalError):
            return ("a SQLite file this process can create and write (the folder must exist and be writable)",
                    f"SQLite said: {words}")
        return None
    if isinstance(orig, OSError):  # refused, unknown host, timed out: asyncpg raises these unwrapped
        return "a PostgreSQL server that accepts connections at the URL's host and port", f"connecting failed: {words}"
    code = str(getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or "")
    for prefix, needed in _REFUSED.items():
        if code.startswith(prefix):
            return needed, f"PostgreSQL said: {words}"
    return None


def _sqlite_pragmas(dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


# A chat turn that only reads (points, help, a policy question) still writes one row: the delivery
# id that stops a redelivery from being handled twice. On PostgreSQL, waiting for the disk to flush
# that row at commit was a sixth of such a turn. So the statement that records it also turns
# synchronous_commit off for its own transaction (it carries the RELAXES_COMMIT execution option),
# and the first other write in that transaction turns it back on before it runs: points, shares and
# everything else a turn changes stay durable. A crash of the database server can at worst forget
# delivery ids of the last moment, and a redelivery of one of those messages is answered again.
RELAXES_COMMIT = "relaxes_commit"
_RELAXED = "advocacy.relaxed_transaction"


def _durable_before_other_writes(conn: Connection, cursor: DBAPICursor, _statement: str, _parameters: object,
                                 context: DefaultExecutionContext | None, _executemany: bool) -> None:
    if context is None:
        return
    if context.execution_options.get(RELAXES_COMMIT):
        conn.info[_RELAXED] = conn.get_transaction()
    elif (context.isinsert or context.isupdate or context.isdelete) and _RELAXED in conn.info:
        if conn.info.pop(_RELAXED) is conn.get_transaction():
            cursor.execute("SET LOCAL synchronous_commit TO on")


RETRYABLE_SQLSTATES = {"40001", "40P01"}  # serialization failure, deadlock detected


def is_retryable(exc: BaseException) -> bool:
    """A conflict the database resolved by aborting this transaction, or a pooled connection
    found dead (the database restarted): running it again is right."""
    if isinstance(exc, IntegrityError):
        return True
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
        return code in RETRYABLE_SQLSTATES
    return False


def is_outage(exc: BaseException) -> bool:
    """The database could not be reached, dropped the connection or was busy: the work was not
    done and can be done later (as opposed to a bug, which doing it again would repeat)."""
    if isinstance(exc, (OSError, TimeoutError)):
        return True
    return isinstance(exc, (OperationalError, InterfaceError)) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated)


class Database:
    """One engine and its session factory; `transaction()` is one transaction (callers open it through
    `bot.unit_of_work`, which adds the repositories and the outbox writer)."""

    def __init__(self, url: str, *, echo: bool = False):
        self.url = normalize_url(url)
        kwargs: dict[str, Any] = {"echo": echo}
        if self.url.startswith("postgresql"):
            # No pool_pre_ping: a round trip before every transaction cost more than the
            # transaction's own statements. A connection found dead is invalidated with the rest
            # of the pool, and the work is run again (`is_retryable`).
            kwargs.update(pool_size=10, max_overflow=10)
        else:
            kwargs["async_creator"] = self._connect_sqlite
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        else:
            event.listen(self.engine.sync_engine, "before_cursor_execute", _durable_before_other_writes)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    async def _connect_sqlite(self) -> sqlite_trips.OneTripConnection:
        """aiosqlite, opened with the arguments SQLAlchemy would give it, one trip per statement."""
        args, kwargs = self.engine.dialect.create_connect_args(self.engine.url)
        return await sqlite_trips.connect(*args, **kwargs)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        async with self.sessions() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
