"""Reports over the years: a later report with partners added and removed, re-ingested, with diffs."""

from __future__ import annotations

from pathlib import Path

import pytest

import ingest
import store

pytestmark = pytest.mark.slow  # ingests several reports per test

LAYOUTS = Path(__file__).parents[1] / "fixtures" / "layouts"


def test_later_year_added_removed_and_reissued(tmp_path, sample_report_pdf):
    with store.open(tmp_path / "k.db") as db:
        [r6] = ingest.ingest_paths(db, [sample_report_pdf])
        assert r6.ok and len(r6.diffs[0].added) == 123

        [r7] = ingest.ingest_paths(db, [LAYOUTS / "r7-later-year.pdf"])
        assert r7.ok, r7.error
        assert r7.reports[0].fiscal_year == 2025
        assert len(r7.diffs[0].added) == 119 and not r7.diffs[0].removed and not r7.diffs[0].changed
        assert [r["fiscal_year"] for r in db.reports()] == [2025, 2024]
        assert db.count() == 123 + 119
        codes_2025 = {r.municipality_code for r in db.records(2025)}
        assert {"141089", "011002"} <= codes_2025  # 横浜市金沢区 and 札幌市 added
        assert not {"131041", "342076"} & codes_2025  # 新宿区 and 福山市 gone
        assert {"131041", "342076"} <= {r.municipality_code for r in db.records(2024)}  # the older year is untouched

        [again] = ingest.ingest_paths(db, [LAYOUTS / "r7-later-year.pdf"])
        assert again.diffs[0].is_noop and again.diffs[0].unchanged == 119

        [v2] = ingest.ingest_paths(db, [LAYOUTS / "r7-later-year-reissued.pdf"])
        d = v2.diffs[0]
        assert (len(d.added), len(d.removed), len(d.changed)) == (1, 1, 1)
        added = db.records_by_id(d.added)[0]
        assert added.description == "うるま市の闘牛大会を区報で紹介" and added.intervals == [["2026-01-15", "2026-01-15"]]
        changed = db.records_by_id(d.changed)[0]
        assert changed.department == "危機管理課" and changed.municipality_code == "032018"
        assert db.count() == 123 + 119

        [v2_again] = ingest.ingest_paths(db, [LAYOUTS / "r7-later-year-reissued.pdf"])
        assert v2_again.diffs[0].is_noop
        assert len(db.records(2024)) == 123


def test_same_file_twice_changes_nothing(tmp_path, sample_report_pdf):
    with store.open(tmp_path / "k.db") as db:
        ingest.ingest_paths(db, [sample_report_pdf])
        ids = [r.id for r in db.records()]
        [o] = ingest.ingest_paths(db, [sample_report_pdf])
        assert o.diffs[0].is_noop and [r.id for r in db.records()] == ids


def test_folder_ingest_reports_each_file_and_keeps_going(tmp_path, sample_report_pdf):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a-good.pdf").write_bytes(sample_report_pdf.read_bytes())
    (folder / "b-bad.pdf").write_text("<html>not a pdf</html>")
    (folder / "c-later.pdf").write_bytes((LAYOUTS / "r7-later-year.pdf").read_bytes())
    with store.open(tmp_path / "k.db") as db:
        outcomes = ingest.ingest_paths(db, [folder])
        assert [o.ok for o in outcomes] == [True, False, True]
        assert "b-bad.pdf" in outcomes[1].error and "PDF" in outcomes[1].error
        assert db.count() == 123 + 119


def test_older_schema_is_rebuilt_in_place(tmp_path, sample_report_pdf):
    """A database from an earlier koryu (schema 1: intervals in a plain table, rowids in insert order) opens,
    is rebuilt in one transaction, and answers as before."""
    import sqlite3

    path = tmp_path / "old.db"
    with store.open(path) as db:
        ingest.ingest_file(db, sample_report_pdf)
        before = [r.to_dict() for r in db.records()]
    with sqlite3.connect(path) as conn:  # make it look like schema 1
        conn.execute("DROP TABLE record_days")
        conn.execute('CREATE TABLE record_intervals (record_rowid INTEGER, start TEXT, "end" TEXT)')
        conn.execute("UPDATE records SET rowid = rowid % 1000000 + 1")
        conn.execute("PRAGMA user_version = 1")
    with store.open(path) as db:
        assert db.conn.execute("PRAGMA user_version").fetchone()[0] == store.schema.SCHEMA_VERSION
        assert [r.to_dict() for r in db.records()] == before
        assert db.ask("11月 物産展").total == 2 and db.ask("金沢市 物産展").total == 5


def test_a_schema_4_index_is_refolded_on_open(tmp_path, sample_report_pdf):
    """Schema 5 folds ー typed for a hyphen, ヶ/ヵ and small vowels on the index side too: a database
    indexed by the schema-4 folding is re-indexed when it is opened, so ＪーＶＥＲ finds J-VER."""
    import sqlite3

    path = tmp_path / "v4.db"
    with store.open(path) as db:
        ingest.ingest_file(db, sample_report_pdf)
    with sqlite3.connect(path) as conn:  # what schema 4 stored for J-VER: the bigrams of "j-ver" without the dash rule
        conn.execute("UPDATE records_fts SET description = 'zz' WHERE description LIKE '%j v%' OR description LIKE '%jv%'")
        conn.execute("PRAGMA user_version = 4")
    with store.open(path) as db:
        assert db.conn.execute("PRAGMA user_version").fetchone()[0] == store.schema.SCHEMA_VERSION
        assert db.ask("ＪーＶＥＲ").total == 1 and db.ask("J-VER").total == 1
