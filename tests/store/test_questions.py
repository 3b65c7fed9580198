"""The question log (store.questions) on a real SQLite file: grouping, retention, votes, the additive
upgrade from schema 9, and concurrent writers in separate processes."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os

import pytest

import store
from store.questions import Asked, question_key
from tests.conftest import unprivileged

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("金沢の交流は？", "金沢の交流は"),
        ("金沢市　物産展", "金沢市 物産展"),
        ("ＫＡＮＡＺＡＷＡ!", "kanazawa"),
        ("給食に関する交流を教えてください。", "給食に関する交流を教えてください"),
    ],
)
def test_one_question_however_it_ends(a, b):
    assert question_key(a) == question_key(b)


def test_different_questions_stay_apart():
    assert question_key("金沢市") != question_key("金沢市 物産展")


def test_summary_groups_counts_and_sorts(db):
    log = db.questions
    for _ in range(3):
        log.log("ぶっさんてん", "ぶっさんてん", 0, Asked("command"), now=NOW)
    log.log("金沢の交流は？", "金沢市", 14, Asked("dm"), now=NOW)
    log.log("金沢の交流は", "金沢市", 14, Asked("assistant"), now=NOW + dt.timedelta(minutes=1))
    liked = log.log("11月 物産展", "11月 × 物産展", 3, Asked("mention"), now=NOW)
    log.vote(liked, 1, now=NOW)

    rows = log.summary()
    assert [(r["question"], r["asked"], r["found"]) for r in rows] == [
        ("ぶっさんてん", 3, 0),
        ("金沢の交流は", 2, 14),  # the latest wording
        ("11月 物産展", 1, 3),
    ]
    assert rows[2]["up"] == 1 and rows[2]["down"] == 0
    assert [r["question"] for r in log.summary(unanswered=True)] == ["ぶっさんてん"]
    assert log.summary(disliked=True) == []


def test_a_question_answered_later_is_no_longer_unanswered(db):
    log = db.questions
    log.log("くまもん", "くまもん", 0, Asked("dm"), now=NOW)
    log.log("くまもん", "くまモン", 2, Asked("dm"), now=NOW + dt.timedelta(days=1))  # the vocabulary grew
    assert log.summary(unanswered=True) == []
    (row,) = log.summary()
    assert (row["asked"], row["unanswered"], row["found"]) == (2, 1, 2)


def test_vote_down_with_comment_and_since(db):
    log = db.questions
    old = log.log("古い質問", "古い質問", 0, Asked("dm"), now=NOW - dt.timedelta(days=40))
    qid = log.log("公演", "公演", 0, Asked("dm"), now=NOW)
    feedback = log.vote(qid, -1, now=NOW)
    assert log.comment(feedback, "  講演会のこと  ")
    log.vote(qid, -1, now=NOW)
    (row,) = log.summary(disliked=True, since=NOW - dt.timedelta(days=30))
    assert (row["question"], row["down"], row["comments"]) == ("公演", 2, ["講演会のこと"])
    assert [r["question"] for r in log.summary(since=dt.date(2026, 10, 1))] == ["公演", "古い質問"]
    assert log.question(old)["total"] == 0
    assert not log.comment(999_999, "no such vote")
    with pytest.raises(ValueError):
        log.vote(qid, 0)


def test_users_are_kept_only_when_allowed(db):
    log = db.questions
    kept = log.log("金沢市", "金沢市", 14, Asked("dm", "U123"), log_users=True, now=NOW)
    dropped = log.log("金沢市", "金沢市", 14, Asked("dm", "U123"), now=NOW)
    assert log.question(kept)["user"] == "U123"
    assert log.question(dropped)["user"] is None
    log.vote(dropped, 1, "U123", now=NOW)
    assert db.conn.execute("SELECT user FROM feedback").fetchone()[0] is None


def test_retention_deletes_old_entries_and_their_votes(db):
    log = db.questions
    old = log.log("古い", "古い", 0, Asked("dm"), now=NOW - dt.timedelta(days=200))
    log.vote(old, -1, now=NOW - dt.timedelta(days=200))
    recent = log.log("新しい", "新しい", 1, Asked("dm"), now=NOW - dt.timedelta(days=10))
    log.log("今日", "今日", 1, Asked("dm"), keep_days=180, now=NOW)
    assert log.question(old) is None and log.question(recent) is not None
    assert db.conn.execute("SELECT count(*) FROM feedback").fetchone()[0] == 0
    log.log("今日も", "今日も", 1, Asked("dm"), keep_days=5, now=NOW)
    assert log.question(recent) is None and log.count() == 2


def test_unknown_surface_is_refused(db):
    with pytest.raises(ValueError, match="surface"):
        db.questions.log("x", "x", 0, Asked("email"))


@pytest.mark.slow
def test_log_survives_reopening_and_upgrade_from_schema_9(tmp_path, sample_report_pdf):
    import ingest

    path = tmp_path / "koryu.db"
    with store.open(path) as db:
        assert ingest.ingest_file(db, sample_report_pdf).ok
        db.questions.log("金沢市", "金沢市", 14, Asked("dm"), now=NOW)
    with store.open(path) as db:  # a restart
        assert db.questions.count() == 1
        db.conn.executescript("DROP TABLE questions; DROP TABLE feedback; PRAGMA user_version = 9;")
    with store.open(path) as db:  # a database written before the log: tables added, records untouched
        assert db.conn.execute("PRAGMA user_version").fetchone()[0] == store.schema.SCHEMA_VERSION
        assert db.count() == 123 and db.questions.count() == 0
        db.questions.log("金沢市", "金沢市", 14, Asked("dm"), now=NOW)
        assert db.questions.count() == 1


READ_ONLY_CHECK = """
import sqlite3, sys
import store
from store.questions import Asked
with store.open(sys.argv[1]) as db:
    assert db.count() == 123, db.count()
    assert db.questions.summary() == []  # no log in it: nothing to show, no error
    try:
        db.questions.log("金沢市", "金沢市", 14, Asked("dm"))
    except sqlite3.OperationalError as e:
        print("refused:", e)
"""


@pytest.mark.slow
def test_read_only_schema_9_database_still_opens(shared_tmp, sample_report_pdf):
    """A database from before the log, on a file koryu may not write: it opens and answers as it is."""
    import subprocess
    import sys
    from pathlib import Path

    import ingest

    path = shared_tmp / "koryu.db"
    with store.open(path) as db:
        assert ingest.ingest_file(db, sample_report_pdf).ok
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.conn.execute("PRAGMA journal_mode = DELETE")
        db.conn.executescript("DROP TABLE questions; DROP TABLE feedback; PRAGMA user_version = 9;")
    path.chmod(0o444)
    shared_tmp.chmod(0o555)
    root = Path(__file__).resolve().parents[2]
    command = unprivileged([sys.executable, "-c", READ_ONLY_CHECK, str(path)])
    p = subprocess.run(command, capture_output=True, text=True, cwd=root, env={**os.environ, "PYTHONPATH": str(root)})
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("refused:"), p.stdout  # the log cannot be written; reading went on


def _write_many(path: str, surface: str, n: int) -> None:
    with store.open(path) as db:
        for i in range(n):
            db.questions.log(f"{surface} {i % 7}", "x", i % 2, Asked(surface))


@pytest.mark.slow
def test_two_processes_write_at_once_and_nothing_is_lost(tmp_path):
    path = tmp_path / "koryu.db"
    store.open(path).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_write_many, args=(str(path), s, 150)) for s in ("dm", "command")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    with store.open(path) as db:
        assert db.questions.count() == 300
        assert sum(r["asked"] for r in db.questions.summary()) == 300
