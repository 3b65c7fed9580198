"""The store's own operations (store.db.Store) on a real SQLite file: a report replaced atomically with its diff,
a report deleted with the partners only it named, files that are no koryu database refused in one line, and a
question read once per lexicon."""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3

import pytest

import store
from store.gazetteer import municipality_rows


@pytest.fixture
def db(tmp_path, ingested_path):
    path = tmp_path / "koryu.db"
    shutil.copy(ingested_path, path)
    with store.open(path) as s:
        yield s


def test_replacing_a_report_says_what_changed(db):
    records = db.records(2024)
    report = {"fiscal_year": 2024, "series": records[0].series, "warnings": []}
    changed = dataclasses.replace(records[1], department="総務課")  # the id holds no department: the same record
    diff = db.replace_report(report, [changed, *records[2:]], municipality_rows(records))
    assert (diff.removed, diff.changed, diff.added, diff.unchanged) == ([records[0].id], [records[1].id], [], len(records) - 2)
    assert db.count() == len(records) - 1 and db.records_by_id([records[1].id])[0].department == "総務課"
    again = db.replace_report(report, [changed, *records[2:]], municipality_rows(records))
    assert again.is_noop and db.reports()[0]["title"]  # an export carries no title: the stored one stays


def test_a_record_of_another_year_is_refused_and_nothing_changes(db):
    records = db.records(2024)
    stray = dataclasses.replace(records[0], fiscal_year=2025)
    with pytest.raises(ValueError, match="2025"):
        db.replace_report({"fiscal_year": 2024, "series": records[0].series}, [stray], [])
    assert db.count() == len(records)


def test_deleting_a_report_takes_its_partners_with_it(db):
    series = db.series(2024)[0]
    partners = len(db.municipalities())
    assert partners > 0
    assert db.delete_report(2024, series) == 123
    assert db.count() == 0 and db.municipalities() == [] and db.reports() == []


def test_a_file_that_is_no_koryu_database_is_one_line(tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("これはデータベースではありません\n" * 100, encoding="utf-8")
    with pytest.raises(store.NotADatabase) as e:
        store.open(text)
    assert "\n" not in str(e.value) and "notes.db" in str(e.value)
    newer = tmp_path / "newer.db"
    with sqlite3.connect(newer) as conn:
        conn.execute("PRAGMA user_version = 999")
    with pytest.raises(store.NotADatabase, match="999"):
        store.open(newer)


def test_a_question_is_read_once_per_lexicon(db):
    first = db.parse("金沢市の物産展はいつ？")
    assert db.parse("金沢市の物産展はいつ？") is first  # a page, a button: not read again
    assert db.parse("金沢市の物産展はいつ？", after=("熊本県",)) is not first  # its thread reads it otherwise
    records = db.records(2024)
    db.replace_report({"fiscal_year": 2024, "series": records[0].series}, records[1:], municipality_rows(records[1:]))
    assert db.parse("金沢市の物産展はいつ？") is not first  # the data changed: read again against the new lexicon
