"""koryu's store: the SQLite database, the text normalisation shared by index and query, and search.

>>> import store
>>> db = store.open("koryu.db")
>>> db.search("金沢市 物産展").total
"""

from __future__ import annotations

from pathlib import Path

from store.connection import StoreBusy, StoreError
from store.db import Diff, NotADatabase, Store, why_unusable
from store.records import Record
from store.search import Query, SearchResult

__all__ = [
    "open",
    "Store",
    "StoreError",
    "StoreBusy",
    "NotADatabase",
    "Diff",
    "Record",
    "Query",
    "SearchResult",
    "why_unusable",
]


def open(path: str | Path) -> Store:  # noqa: A001 — the one obvious entry point, like sqlite_utils.Database
    """Open (creating if needed) a koryu database file. Raises NotADatabase (not one, or cannot be opened),
    StoreBusy (stays locked); both are StoreError with a one-line message."""
    return Store(path)
