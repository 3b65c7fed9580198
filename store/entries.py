"""Who recorded an event one at a time (`koryu add`, the Slack modal) and the note they gave: the rows of the
draft series (`ingest.entry`) are records like any other; beside them this table keeps, per record id, the Slack
user who added it (who may edit or delete it, besides the admins) and the optional note (shown in Slack, not
printed in the 一覧, which has the report's four columns).

Added in schema 12, beside the rest (no re-index)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from store.connection import Connection

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    record_id TEXT PRIMARY KEY,
    added_by TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL
);
"""
MAX_NOTE_CHARS = 500  # the modal's note input allows this many (its max_length)


class EntryLog:
    """The entries table of one open `Store`. Writes raise store.StoreBusy while another writer holds the lock."""

    def __init__(self, db: Connection):
        self.db = db

    def keep(self, record_id: str, added_by: str = "", note: str = "") -> None:
        """Remember who recorded `record_id` ("" from the CLI) and its note (cut to MAX_NOTE_CHARS)."""
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO entries (record_id, added_by, note, added_at) VALUES (?, ?, ?, ?)",
                (record_id, added_by, note.strip()[:MAX_NOTE_CHARS], dt.datetime.now(dt.UTC).isoformat(timespec="seconds")),
            )

    def of(self, record_id: str) -> dict[str, Any] | None:
        """{record_id, added_by, note, added_at} of a recorded event, None when nothing was kept for it."""
        rows = self.db.rows("SELECT * FROM entries WHERE record_id = ?", [record_id])
        return rows[0] if rows else None

    def moved(self, old_id: str, new_id: str, note: str | None = None) -> None:
        """An edit gave the record a new id: its author (and note, unless a new one is given) follow it."""
        with self.db.transaction() as conn:
            conn.execute("UPDATE OR REPLACE entries SET record_id = ? WHERE record_id = ?", (new_id, old_id))
            if note is not None:
                conn.execute("UPDATE entries SET note = ? WHERE record_id = ?", (note.strip()[:MAX_NOTE_CHARS], new_id))

    def forget(self, record_id: str) -> None:
        """The record was deleted."""
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM entries WHERE record_id = ?", (record_id,))
