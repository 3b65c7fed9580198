"""Which Slack deliveries were already handled, shared by every serve process through the database.

Slack may deliver one event several times (retries with X-Slack-Retry-Num when an ack is late) and a mention
in a channel can also arrive as a message event; two serve processes behind one URL may each get a copy.
A key (`msg:<channel>:<ts>`) is recorded in the `slack_events` table the first time; later copies find it
and are dropped. Keys older than an hour are deleted — Slack retries within minutes
(https://api.slack.com/apis/events-api#retries: three retries, the last about five minutes after).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store.connection import Connection

SCHEMA = """
CREATE TABLE IF NOT EXISTS slack_events (
    event_id TEXT PRIMARY KEY,
    seen_at REAL NOT NULL
);
"""
KEEP_S = 3600.0


class Deliveries:
    """The delivery keys of one open `Store` (`store.deliveries`)."""

    def __init__(self, db: Connection):
        self.db = db

    def first_seen(self, key: str, ttl_s: float = KEEP_S) -> bool:
        """Record a delivery key; True the first time it is seen (in any process), False on a repeat. Keys
        older than ttl_s seconds are forgotten. Raises store.StoreBusy when the database stays locked."""
        now = time.time()

        def record() -> bool:
            with self.db.transaction() as conn:
                conn.execute("DELETE FROM slack_events WHERE seen_at < ?", (now - ttl_s,))
                cur = conn.execute("INSERT OR IGNORE INTO slack_events (event_id, seen_at) VALUES (?, ?)", (key, now))
                return cur.rowcount == 1

        return self.db.retry_locked(record)
