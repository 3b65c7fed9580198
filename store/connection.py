"""The one SQLite connection of a store and the habits every table in it shares: a write is one transaction
(BEGIN IMMEDIATE … COMMIT, nothing lands on an error), a write the lock holds past the busy timeout is tried
again a few times and then refused with `StoreBusy`, and rows come back as dicts.

`store.db.Store` is a `Connection`; the logs kept beside the records (`store.questions`, `store.entries`,
`store.deliveries`) take one, so they import this module and never the store that holds them.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")


class StoreError(RuntimeError):
    """A database koryu cannot use. str(error) is one line for the user."""


class StoreBusy(StoreError):
    """The database stayed locked longer than the busy timeout (an ingest is writing). Try again shortly."""


def busy() -> StoreBusy:
    """The one StoreBusy every refused write raises (Japanese first, as users see it)."""
    return StoreBusy("データベースが更新中です / the database is busy")


def is_locked(e: sqlite3.OperationalError) -> bool:
    """SQLite's "database is locked" / "database table is locked" / SQLITE_BUSY, by its message (the sqlite3
    module gives no error code before Python 3.11's sqlite_errorcode, and not for every path)."""
    return "locked" in str(e) or "busy" in str(e)


class Connection:
    """An open SQLite connection (autocommit mode: `isolation_level=None`, so `transaction` decides)."""

    conn: sqlite3.Connection

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, ROLLBACK on any exception (the whole block lands or nothing does)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def retry_locked(self, work: Callable[[], T], attempts: int = 5) -> T:
        """Run work(), again after a pause (0.2 s, 0.4 s, …) when SQLite says locked/busy past the busy
        timeout. Raises StoreBusy after `attempts` tries; any other error at once."""
        for i in range(attempts):
            try:
                return work()
            except sqlite3.OperationalError as e:
                if not is_locked(e):
                    raise
                if i == attempts - 1:
                    raise busy() from None
                time.sleep(0.2 * (i + 1))
        raise AssertionError("unreachable")

    def rows(self, sql: str, params: list[Any] | tuple[Any, ...]) -> list[dict[str, Any]]:
        """The rows of one statement as {column: value}."""
        cur = self.conn.execute(sql, params)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]
