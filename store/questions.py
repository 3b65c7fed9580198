"""The question log: what people asked koryu in Slack, how it was read, how many records it found, and the
👍 / 👎 they gave the answer. It is how the vocabulary grows after release: an admin reads the questions
that found nothing (App Home, `koryu questions --unanswered`) and the answers voted down.

Tables in the koryu database (schema 10, conversations 11), written by every serve process through SQLite's own
locking (WAL, busy timeout), so several processes and restarts share one log:

- `questions`: id (16 hex, made before the answer is posted so its buttons can carry it), asked_at (UTC ISO
  seconds), surface (command | mention | dm | assistant), question (as typed, markup removed), question_key
  (the grouping key, `question_key`), interpretation (the reading shown to the user, `Query.label()`),
  total (records found), user (Slack user id, only when KORYU_LOG_USERS=true, else NULL).
- `feedback`: id, question_id, at, vote (+1 👍 / -1 👎), comment (what the person was looking for, from the
  👎 modal), user (as above).

- `conversations` (schema 11): key (a Slack thread: `thread:<channel>:<thread_ts>`, or a DM: `dm:<channel>`),
  questions (JSON list, the last few asked there, oldest first), updated_at (epoch seconds) — what a follow-up
  in that thread is read with (`store.query.followup`); forgotten after CONVERSATION_KEEP_S.

Entries older than the retention (KORYU_QUESTION_LOG_DAYS, default 180 days) are deleted when a new one is
written. Nothing here is on the path of an ack: listeners write after acknowledging.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import sqlite3
import time
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from store.connection import Connection

SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    id TEXT PRIMARY KEY,
    asked_at TEXT NOT NULL,
    surface TEXT NOT NULL,
    question TEXT NOT NULL,
    question_key TEXT NOT NULL,
    interpretation TEXT NOT NULL DEFAULT '',
    total INTEGER NOT NULL,
    user TEXT
);
CREATE INDEX IF NOT EXISTS questions_asked_at ON questions(asked_at);
CREATE INDEX IF NOT EXISTS questions_key ON questions(question_key);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    question_id TEXT NOT NULL,
    at TEXT NOT NULL,
    vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    comment TEXT NOT NULL DEFAULT '',
    user TEXT
);
CREATE INDEX IF NOT EXISTS feedback_question ON feedback(question_id);
CREATE INDEX IF NOT EXISTS feedback_at ON feedback(at);
CREATE TABLE IF NOT EXISTS conversations (
    key TEXT PRIMARY KEY,
    questions TEXT NOT NULL,
    updated_at REAL NOT NULL
);
"""

SURFACES = ("command", "mention", "dm", "assistant")
CONVERSATION_KEEP_S = 7 * 24 * 3600.0  # a thread's questions are forgotten a week after the last one
CONVERSATION_QUESTIONS = 3  # how many earlier questions a follow-up is read with
DEFAULT_KEEP_DAYS = 180
MAX_QUESTION_CHARS = 1000  # a question is stored up to this length (Slack messages may hold 40,000)
MAX_COMMENT_CHARS = 500  # the 👎 modal's text input allows this many (its max_length)
_TRAILING = re.compile(r"[\s。．.、,？?！!ー〜~…]+$")


def new_id() -> str:
    """A fresh question id: 16 hex characters (64 random bits), unique across processes without a round trip."""
    return secrets.token_hex(8)


def question_key(text: str) -> str:
    """The key questions are counted by: NFKC, case-folded, runs of spaces as one, trailing punctuation and
    spaces dropped — 「金沢の交流は？」 and 「金沢の交流は」 are one question."""
    s = unicodedata.normalize("NFKC", text).casefold()
    s = " ".join(s.split())
    return _TRAILING.sub("", s) or s


@dataclass(frozen=True)
class Asked:
    """Who asked, for the log: the Slack surface (one of SURFACES) and the user id (kept only when the
    settings allow; see `QuestionLog.log`)."""

    surface: str
    user: str | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _iso(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).isoformat(timespec="seconds")


def since_iso(since: dt.date | dt.datetime | None) -> str:
    """A date (midnight UTC) or datetime as the stored ISO form; None → the beginning of time ("")."""
    if since is None:
        return ""
    if not isinstance(since, dt.datetime):
        since = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC)
    elif since.tzinfo is None:
        since = since.replace(tzinfo=dt.UTC)
    return _iso(since)


class QuestionLog:
    """The question log of one open `Store` (`store.questions`). Writes raise store.StoreBusy while another
    process holds the write lock past the busy timeout, and sqlite3.OperationalError on a read-only file;
    the Slack listeners log either and answer anyway."""

    def __init__(self, db: Connection):
        self.db = db

    # ------------------------------------------------------------------------------------ conversations
    def earlier(self, key: str, max_age_s: float = CONVERSATION_KEEP_S, now: float | None = None) -> list[str]:
        """The questions asked before in a conversation (a Slack thread or DM: see the module docstring),
        oldest first; [] when none were, or the last was more than max_age_s seconds ago."""
        row = self.db.conn.execute("SELECT questions, updated_at FROM conversations WHERE key = ?", (key,)).fetchone()
        if row is None or (now or time.time()) - row[1] > max_age_s:
            return []
        try:
            found = json.loads(row[0])
        except ValueError:
            return []
        return [q for q in found if isinstance(q, str)] if isinstance(found, list) else []

    def remember(self, key: str, questions: list[str], now: float | None = None) -> None:
        """Keep the last CONVERSATION_QUESTIONS questions of a conversation (each up to MAX_QUESTION_CHARS);
        conversations idle past CONVERSATION_KEEP_S are deleted. Raises store.StoreBusy like the log."""
        t = now or time.time()
        kept = json.dumps([q[:MAX_QUESTION_CHARS] for q in questions[-CONVERSATION_QUESTIONS:]], ensure_ascii=False)

        def write() -> None:
            with self.db.transaction() as conn:
                conn.execute("DELETE FROM conversations WHERE updated_at < ?", (t - CONVERSATION_KEEP_S,))
                conn.execute(
                    "INSERT INTO conversations (key, questions, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET questions = excluded.questions, updated_at = excluded.updated_at",
                    (key, kept, t),
                )

        self.db.retry_locked(write)

    # ------------------------------------------------------------------------------------------- writes
    def log(
        self,
        question: str,
        interpretation: str,
        total: int,
        asked: Asked,
        *,
        question_id: str | None = None,
        keep_days: int = DEFAULT_KEEP_DAYS,
        log_users: bool = False,
        now: dt.datetime | None = None,
    ) -> str:
        """Store one question and delete entries (and their feedback) older than `keep_days` days. Returns the
        question's id (`question_id` when given). The user id is stored only when `log_users`."""
        if asked.surface not in SURFACES:
            raise ValueError(f"unknown surface {asked.surface!r}; one of {SURFACES}")
        qid = question_id or new_id()
        t = now or _now()
        text = question[:MAX_QUESTION_CHARS]
        row = (qid, _iso(t), asked.surface, text, question_key(text), interpretation, int(total))
        user = asked.user if log_users else None
        cutoff = _iso(t - dt.timedelta(days=max(1, keep_days)))

        def write() -> None:
            with self.db.transaction() as conn:
                conn.execute("DELETE FROM feedback WHERE at < ?", (cutoff,))
                conn.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,))
                conn.execute(
                    "INSERT OR REPLACE INTO questions (id, asked_at, surface, question, question_key, interpretation, "
                    "total, user) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (*row, user),
                )

        self.db.retry_locked(write)
        return qid

    def vote(
        self,
        question_id: str,
        vote: int,
        user: str | None = None,
        *,
        log_users: bool = False,
        now: dt.datetime | None = None,
    ) -> int:
        """Store a 👍 (+1) or 👎 (-1) for a logged question; returns the feedback row's id (for a comment).
        A vote for a question no longer in the log (deleted by the retention) is stored all the same and
        counted only where the question is known. Raises ValueError for any other vote."""
        if vote not in (1, -1):
            raise ValueError(f"a vote is +1 or -1, not {vote!r}")
        at = _iso(now or _now())

        def write() -> int:
            with self.db.transaction() as conn:
                cur = conn.execute(
                    "INSERT INTO feedback (question_id, at, vote, user) VALUES (?, ?, ?, ?)",
                    (question_id[:32], at, vote, user if log_users else None),
                )
                return int(cur.lastrowid or 0)

        return self.db.retry_locked(write)

    def comment(self, feedback_id: int, text: str) -> bool:
        """Attach what the person was looking for to their 👎 (feedback row `feedback_id`). False when the row
        is gone."""

        def write() -> bool:
            with self.db.transaction() as conn:
                cur = conn.execute(
                    "UPDATE feedback SET comment = ? WHERE id = ?", (text.strip()[:MAX_COMMENT_CHARS], int(feedback_id))
                )
                return cur.rowcount == 1

        return self.db.retry_locked(write)

    # -------------------------------------------------------------------------------------------- reads
    def question(self, question_id: str) -> dict[str, Any] | None:
        """One logged question as a dict of its columns, or None."""
        rows = self.db.rows("SELECT * FROM questions WHERE id = ?", [question_id])
        return rows[0] if rows else None

    def summary(
        self,
        since: dt.date | dt.datetime | None = None,
        *,
        unanswered: bool = False,
        disliked: bool = False,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Questions grouped by `question_key`, most asked first (then the latest): dicts with question (the
        latest wording), interpretation (the latest reading), asked (times), found (records found the last
        time), unanswered (times it found nothing), up / down (votes), comments (the 👎 texts, newest first),
        first_asked, last_asked (UTC ISO). `unanswered` keeps questions that found nothing the last time they
        were asked; `disliked` keeps those with a 👎 (sorted by 👎 first)."""
        where, params = ["q.asked_at >= ?"], [since_iso(since)]
        sql = f"""
            WITH votes AS (
                SELECT question_id, sum(vote = 1) AS up, sum(vote = -1) AS down,
                       group_concat(CASE WHEN vote = -1 AND comment != '' THEN comment END, char(10)) AS comments
                FROM feedback GROUP BY question_id
            ), latest AS (
                SELECT question_key, question, interpretation, total,
                       row_number() OVER (PARTITION BY question_key ORDER BY asked_at DESC, rowid DESC) AS n
                FROM questions q WHERE {" AND ".join(where)}
            )
            SELECT q.question_key, l.question, l.interpretation, l.total AS found, count(*) AS asked,
                   sum(q.total = 0) AS unanswered, coalesce(sum(v.up), 0) AS up, coalesce(sum(v.down), 0) AS down,
                   group_concat(v.comments, char(10)) AS comments,
                   min(q.asked_at) AS first_asked, max(q.asked_at) AS last_asked
            FROM questions q
            JOIN latest l ON l.question_key = q.question_key AND l.n = 1
            LEFT JOIN votes v ON v.question_id = q.id
            WHERE {" AND ".join(where)}
            GROUP BY q.question_key
        """
        having = []
        if unanswered:
            having.append("found = 0")
        if disliked:
            having.append("down > 0")
        if having:
            sql += " HAVING " + " AND ".join(having)
        order = "down DESC, asked DESC" if disliked else "asked DESC"
        sql += f" ORDER BY {order}, last_asked DESC, q.question_key"
        if limit:
            sql += f" LIMIT {int(limit)}"
        try:
            rows = self.db.rows(sql, params * 2)
        except sqlite3.OperationalError as e:
            if "no such table" in str(e):
                return []  # a read-only database from before the log
            raise
        for r in rows:
            r["comments"] = [c for c in (r["comments"] or "").split("\n") if c][::-1]
            del r["question_key"]
        return rows

    def count(self) -> int:
        """How many questions the log holds."""
        return self.db.conn.execute("SELECT count(*) FROM questions").fetchone()[0]
