"""A database that goes away on demand."""
from __future__ import annotations

from sqlalchemy.exc import OperationalError


class Outage:
    """The app's database, unreachable while `down` is set (every transaction fails to connect)."""

    def __init__(self, db):
        self._db = db
        self.down = False

    def __getattr__(self, name):
        return getattr(self._db, name)

    def transaction(self):
        if self.down:
            raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))
        return self._db.transaction()
