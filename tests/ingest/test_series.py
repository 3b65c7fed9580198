"""Report series: a second list of one fiscal year (「令和６年度交流実績一覧（協定等締結自治体以外）」) stored beside
the first, in either order; re-ingests, the shrink guard per series, untitled reports (CLI --series, Slack
buttons), a schema-7 database migrated in place, answers naming the series, `ask --series`, export.

The second series is tests/fixtures/series/ (built by tests/fixtures/series_fixtures.py); the first is the
shared sample report."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

import ingest
import store
from bot import render
from ingest.report import read_pdf
from store.titles import series_of
from tests.conftest import ADMIN, block_texts, koryu_bin, start_slack_app, stop_slack_app
from tests.drivers import block_action, buttons, dm_upload, next_call, thread_posts

SERIES_DIR = Path(__file__).parents[1] / "fixtures" / "series"
OTHER = SERIES_DIR / "other-partners.pdf"
UNTITLED = SERIES_DIR / "other-partners-untitled.pdf"
SHORTER = SERIES_DIR / "other-partners-shorter.pdf"
FIRST = "交流実績一覧（協定等締結自治体）"
SECOND = "交流実績一覧（協定等締結自治体以外）"


def expected(name: str) -> dict:
    return json.loads((SERIES_DIR / f"{name}.expected.json").read_text(encoding="utf-8"))


def koryu(*args, check: bool = True) -> subprocess.CompletedProcess:
    p = subprocess.run([koryu_bin(), *map(str, args)], capture_output=True, text=True, timeout=120)
    if check and p.returncode != 0:
        raise AssertionError(f"koryu {args} exited {p.returncode}: {p.stderr}")
    return p


def series_counts(db: store.Store) -> dict[tuple[int, str], int]:
    return {(r["fiscal_year"], r["series"]): r["record_count"] for r in db.reports()}


# ------------------------------------------------------------------------------------------- identity
@pytest.mark.parametrize(
    ("title", "series"),
    [
        ("令和６年度交流実績一覧（協定等締結自治体）", FIRST),
        ("令和7年度 交流実績一覧(協定等締結自治体)", FIRST),
        ("R6年度交流実績一覧【協定等締結自治体】", FIRST),
        ("2024年度　交流実績一覧（協定等締結自治体）", FIRST),
        ("令和元年度交流実績一覧（協定等締結自治体）", FIRST),
        ("令和７年度交流実績一覧（協定等締結自治体）訂正版", FIRST),
        ("令和６年度交流実績一覧（協定等締結自治体）（令和7年3月31日現在）", FIRST),
        ("令和６年度交流実績一覧（協定等締結自治体以外）", SECOND),
        ("令和６年度国際交流実績", "国際交流実績"),
        ("令和６年度", ""),
        ("", ""),
    ],
)
def test_series_is_the_title_without_its_year(title, series):
    assert series_of(title) == series
    assert series_of(series) == series  # a stored name read again is itself


@pytest.mark.parametrize("name", ["other-partners", "other-partners-untitled", "other-partners-shorter"])
def test_the_second_series_fixtures_read_exactly(name):
    want = expected(name)
    report = read_pdf(SERIES_DIR / f"{name}.pdf")
    assert (report.fiscal_year, report.title, report.series) == (want["fiscal_year"], want["title"], want["series"])
    got = [{k: v for k, v in r.to_dict().items() if k not in ("id", "source", "problems")} for r in report.records]
    assert got == want["records"]
    assert not any(r.problems for r in report.records)


# --------------------------------------------------------------------------------------------- beside
@pytest.mark.slow
@pytest.mark.parametrize("first_other", [False, True], ids=["shared-first", "other-first"])
def test_a_second_series_is_added_beside_the_first_in_either_order(tmp_path, sample_report_pdf, first_other):
    order = [OTHER, sample_report_pdf] if first_other else [sample_report_pdf, OTHER]
    shared = read_pdf(sample_report_pdf)
    n_other = len(expected("other-partners")["records"])
    with store.open(tmp_path / "k.db") as db:
        outcomes = ingest.ingest_paths(db, order)
        assert all(o.ok for o in outcomes), [o.error for o in outcomes]
        assert [len(o.diffs[0].added) for o in outcomes] == [len(read_pdf(p).records) for p in order]
        assert db.count() == len(shared.records) + n_other
        assert series_counts(db) == {(2024, FIRST): len(shared.records), (2024, SECOND): n_other}
        assert [r.id for r in db.records(series=FIRST)] == [r.id for r in shared.records]  # ids as before series
        for path in order:  # either one again: nothing changes
            [again] = ingest.ingest_paths(db, [path])
            assert again.ok and again.diffs[0].is_noop, again.error
        assert db.count() == len(shared.records) + n_other
        # one fiscal year is still one rowid range, and answers stay in date order across the two lists
        everything = db.ask("経済課", limit=None)
        assert {r.series for r in everything.records} == {FIRST, SECOND}
        starts = [r.start for r in everything.records]
        assert starts == sorted(starts)
        assert db.ask("令和6年度 経済課").total == everything.total


@pytest.mark.slow
def test_reingest_prints_unchanged_and_names_the_series(tmp_path, sample_report_pdf):
    db = tmp_path / "k.db"
    koryu("ingest", sample_report_pdf, "--db", db)
    added = koryu("ingest", OTHER, "--db", db).stdout
    assert f"other-partners.pdf: 2024年度 {SECOND} — " in added and "追加 10" in added
    for path, name in ((sample_report_pdf, FIRST), (OTHER, SECOND)):
        out = koryu("ingest", path, "--db", db).stdout
        assert f"2024年度 {name} — " in out and "(変更なし)" in out
    listing = koryu("reports", "--db", db).stdout
    assert f"2024年度 {FIRST} — 123件" in listing and f"2024年度 {SECOND} — 10件" in listing
    rows = json.loads(koryu("reports", "--json", "--db", db).stdout)
    assert {(r["fiscal_year"], r["series"]) for r in rows} == {(2024, FIRST), (2024, SECOND)}


@pytest.mark.slow
def test_the_shrink_guard_compares_a_series_with_itself_only(tmp_path, sample_report_pdf):
    with store.open(tmp_path / "k.db") as db:
        ingest.ingest_paths(db, [sample_report_pdf, OTHER])
        before = [r.to_dict() for r in db.records()]
        [shorter] = ingest.ingest_paths(db, [SHORTER])
        assert not shorter.ok and "10件 → 7件" in shorter.error and SECOND in shorter.error
        assert [r.to_dict() for r in db.records()] == before
        [forced] = ingest.ingest_paths(db, [SHORTER], force=True)
        assert forced.ok and len(forced.diffs[0].removed) == 3
        assert series_counts(db)[2024, FIRST] == 123  # the other series is untouched
    with store.open(tmp_path / "fresh.db") as db:  # 7 records beside 123 of another series: no guard
        outcomes = ingest.ingest_paths(db, [sample_report_pdf, SHORTER])
        assert all(o.ok for o in outcomes) and db.count() == 123 + 7


# ------------------------------------------------------------------------------------------- untitled
@pytest.mark.slow
def test_an_untitled_report_of_a_year_with_named_series_needs_series(tmp_path, sample_report_pdf):
    db = tmp_path / "k.db"
    koryu("ingest", sample_report_pdf, OTHER, "--db", db)
    before = koryu("export", "--db", db).stdout
    p = koryu("ingest", UNTITLED, "--db", db, check=False)
    assert p.returncode == 1 and p.stdout == ""
    [line] = p.stderr.strip().splitlines()
    assert "other-partners-untitled.pdf" in line and "--series" in line and FIRST in line and SECOND in line
    assert koryu("export", "--db", db).stdout == before  # nothing stored

    # a stored name (however its brackets are typed) replaces that series: the same ten records, unchanged
    out = koryu("ingest", UNTITLED, "--series", "交流実績一覧(協定等締結自治体以外)", "--db", db).stdout
    assert f"2024年度 {SECOND} — 10件" in out and "(変更なし)" in out
    # a new name adds a report beside the two
    out = koryu("ingest", UNTITLED, "--series", "交流実績一覧（上半期）", "--db", db).stdout
    assert "2024年度 交流実績一覧（上半期） — 10件" in out and "追加 10" in out
    with store.open(db) as s:
        assert series_counts(s) == {(2024, FIRST): 123, (2024, SECOND): 10, (2024, "交流実績一覧（上半期）"): 10}


def test_an_untitled_report_alone_in_its_year_is_stored_as_unknown(tmp_path):
    with store.open(tmp_path / "k.db") as db:
        [o] = ingest.ingest_paths(db, [UNTITLED])
        assert o.ok and o.reports[0].series == ""
        assert series_counts(db) == {(2024, ""): 10}
        [again] = ingest.ingest_paths(db, [UNTITLED])
        assert again.ok and again.diffs[0].is_noop
        [titled] = ingest.ingest_paths(db, [OTHER])  # a named series is added beside the unknown one
        assert titled.ok and series_counts(db) == {(2024, ""): 10, (2024, SECOND): 10}
        [refused] = ingest.ingest_paths(db, [UNTITLED])  # now the year holds a named one: no guessing
        assert not refused.ok and refused.series_choice.stored == ("", SECOND)


@pytest.mark.slow
def test_series_applies_to_every_file_given(tmp_path, sample_report_pdf):
    db = tmp_path / "k.db"
    out = koryu("ingest", OTHER, SHORTER, "--series", "まとめ", "--db", db, "--force").stdout
    assert out.count("2024年度 まとめ — ") == 2
    with store.open(db) as s:
        assert series_counts(s) == {(2024, "まとめ"): 7}


# ------------------------------------------------------------------------------------------ migration
# The schema of koryu's database at version 7 (store/db.py before report series), as it was shipped.
SCHEMA_V7 = """
CREATE TABLE IF NOT EXISTS reports (
    fiscal_year INTEGER PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    source_file TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL DEFAULT '',
    pages INTEGER NOT NULL DEFAULT 0,
    record_count INTEGER NOT NULL DEFAULT 0,
    warnings TEXT NOT NULL DEFAULT '[]',
    ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    fiscal_year INTEGER NOT NULL REFERENCES reports(fiscal_year),
    seq INTEGER NOT NULL,
    municipality TEXT NOT NULL,
    municipality_code TEXT,
    printed_name TEXT NOT NULL,
    description TEXT NOT NULL,
    department TEXT NOT NULL,
    period_text TEXT NOT NULL,
    intervals TEXT NOT NULL,
    start TEXT,
    "end" TEXT,
    approximate INTEGER NOT NULL,
    source_file TEXT NOT NULL,
    source_page INTEGER,
    search_text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_fy ON records(fiscal_year, seq);
CREATE INDEX IF NOT EXISTS records_code ON records(municipality_code, start);
CREATE INDEX IF NOT EXISTS records_department ON records(department);
CREATE VIRTUAL TABLE IF NOT EXISTS record_days USING rtree_i32(
    id, first_day, last_day, +record_rowid INTEGER
);
CREATE VIRTUAL TABLE IF NOT EXISTS records_fts USING fts5(
    description, department, municipality, reading,
    tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TABLE IF NOT EXISTS municipalities (
    key TEXT PRIMARY KEY,
    municipality_code TEXT,
    name TEXT NOT NULL,
    local_name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    prefecture TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '',
    reading TEXT NOT NULL DEFAULT '',
    short_reading TEXT NOT NULL DEFAULT '',
    romaji TEXT NOT NULL DEFAULT '',
    printed_names TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS ingest_runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    source TEXT NOT NULL,
    fiscal_year INTEGER,
    status TEXT NOT NULL,
    records INTEGER,
    added INTEGER,
    removed INTEGER,
    changed INTEGER,
    message TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS slack_events (
    event_id TEXT PRIMARY KEY,
    seen_at REAL NOT NULL
);
"""


def v7_rowid(fiscal_year: int, start: str | None, seq: int) -> int:
    """Schema 7's rowid layout: (3000 - fiscal_year) << 48 | start offset << 32 | seq."""
    import datetime as dt

    offset = 0xFFFF if not start else min(max((dt.date.fromisoformat(start) - dt.date(fiscal_year - 2, 4, 1)).days, 0), 0xFFFE)
    return ((3000 - fiscal_year) << 48) | (offset << 32) | seq


@pytest.mark.slow
def test_a_schema_7_database_migrates_in_place(tmp_path, sample_report_pdf):
    report = read_pdf(sample_report_pdf)
    path = tmp_path / "v7.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(SCHEMA_V7)
        conn.execute(
            "INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?, '[]', '2026-01-05T00:00:00+00:00')",
            (2024, report.title, report.source_file, report.sha256, report.pages, len(report.records)),
        )
        rows = [
            (
                v7_rowid(r.fiscal_year, r.start, seq),
                r.id,
                r.fiscal_year,
                seq,
                r.municipality,
                r.municipality_code,
                r.printed_name,
                r.description,
                r.department,
                r.period_text,
                json.dumps(r.intervals),
                r.start,
                r.end,
                int(r.approximate),
                r.source["file"],
                r.source["page"],
                r.description,
            )
            for seq, r in enumerate(report.records)
        ]
        conn.executemany(f"INSERT INTO records VALUES ({', '.join('?' * 17)})", rows)
        for m in ingest.municipality_rows(report.records):
            m = {**m, "printed_names": json.dumps(m["printed_names"], ensure_ascii=False)}
            conn.execute(f"INSERT INTO municipalities ({', '.join(m)}) VALUES ({', '.join('?' * len(m))})", list(m.values()))
        conn.execute(
            "INSERT INTO ingest_runs (started_at, source, fiscal_year, status, records) VALUES ('2026-01-05', 'r6.pdf', 2024, 'ok', 123)"
        )
        conn.execute("PRAGMA user_version = 7")
    ids_before = {row[0]: row[1] for row in rows}  # rowid → id

    with store.open(path) as db:
        assert db.conn.execute("PRAGMA user_version").fetchone()[0] == store.schema.SCHEMA_VERSION
        [rep] = db.reports()
        assert (rep["fiscal_year"], rep["series"], rep["series_no"], rep["title"]) == (2024, FIRST, 0, report.title)
        assert rep["ingested_at"] == "2026-01-05T00:00:00+00:00" and rep["record_count"] == len(report.records)
        after = dict(db.conn.execute("SELECT rowid, id FROM records"))
        assert after == ids_before  # every id kept, at the same rowid
        assert {r.series for r in db.records()} == {FIRST}
        assert db.last_ingest()["source"] == "r6.pdf"  # runs kept
        with store.open(tmp_path / "fresh.db") as fresh:
            ingest.ingest_file(fresh, sample_report_pdf)
            for q in ("金沢市 物産展", "11月", "かなざわ"):
                assert [r.id for r in db.ask(q).records] == [r.id for r in fresh.ask(q).records], q
        [again] = ingest.ingest_paths(db, [sample_report_pdf])
        assert again.ok and again.diffs[0].is_noop  # the shared report re-ingested: 変更なし
        [other] = ingest.ingest_paths(db, [OTHER])
        assert other.ok and series_counts(db) == {(2024, FIRST): 123, (2024, SECOND): 10}


# -------------------------------------------------------------------------------------------- answers
@pytest.fixture(scope="module")
def two_series(tmp_path_factory, ingested_path) -> Path:
    """A database holding the shared report and the second series of FY2024 (read-only use)."""
    path = tmp_path_factory.mktemp("series") / "k.db"
    path.write_bytes(ingested_path.read_bytes())
    with store.open(path) as db:
        [o] = ingest.ingest_paths(db, [OTHER])
        assert o.ok, o.error
    return path


@pytest.mark.slow
def test_answers_name_the_series_when_two_are_stored(two_series, ingested_path):
    text = koryu("ask", "札幌市", "--db", two_series).stdout
    n = sum(r["municipality"] == "北海道札幌市" for r in expected("other-partners")["records"])
    assert text.count(f"出典: 2024年度 {SECOND} p.1") == n
    mixed = koryu("ask", "経済課", "--limit", "0", "--db", two_series).stdout
    assert f"出典: 2024年度 {FIRST} p." in mixed and f"出典: 2024年度 {SECOND} p.1" in mixed
    assert "出典: 2024年度 報告書 p." not in mixed
    alone = koryu("ask", "経済課", "--limit", "0", "--db", ingested_path).stdout
    assert "出典: 2024年度 報告書 p." in alone and FIRST not in alone  # one series: nothing to tell apart
    with store.open(two_series) as db:  # the Slack answer says the same
        result = db.ask("札幌市", limit=render.PAGE_SIZE)
        assert result.stored_series == [FIRST, SECOND]
        assert f"出典: 2024年度 {SECOND} p.1" in block_texts(render.result_blocks(result))


@pytest.mark.slow
def test_ask_series_keeps_the_answer_to_one_report(two_series):
    want = sum(r["department"] == "経済課" for r in expected("other-partners")["records"])
    only = json.loads(
        koryu(
            "ask", "経済課", "--series", "交流実績一覧(協定等締結自治体以外)", "--json", "--limit", "0", "--db", two_series
        ).stdout
    )
    assert only["total"] == want and {r["series"] for r in only["records"]} == {SECOND}
    assert only["interpretation"]["series"] == SECOND and SECOND in only["answer"]
    both = json.loads(koryu("ask", "経済課", "--json", "--limit", "0", "--db", two_series).stdout)
    first = json.loads(koryu("ask", "経済課", "--series", FIRST, "--json", "--limit", "0", "--db", two_series).stdout)
    assert first["total"] + only["total"] == both["total"] and both["interpretation"]["series"] is None
    sql = koryu("ask", "経済課", "--series", SECOND, "--sql", "--db", two_series).stdout
    assert "WHERE series = ?" in sql and SECOND in sql
    p = koryu("ask", "経済課", "--series", "国際交流実績", "--db", two_series, check=False)
    assert p.returncode == 2 and p.stdout == ""
    [line] = p.stderr.strip().splitlines()
    assert "国際交流実績" in line and FIRST in line and SECOND in line


@pytest.mark.slow
def test_export_carries_series_and_restores_each(two_series, tmp_path):
    records = json.loads(koryu("export", "--db", two_series).stdout)
    assert {r["series"] for r in records} == {FIRST, SECOND}
    csv_path = tmp_path / "all.csv"
    koryu("export", "--format", "csv", "--db", two_series, "-o", csv_path)
    rows = list(csv.DictReader(io.StringIO(csv_path.read_bytes().decode("utf-8-sig"))))
    assert [r["series"] for r in rows] == [r["series"] for r in records]
    json_path = tmp_path / "all.json"
    json_path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    with store.open(two_series) as db:
        stored = series_counts(db)
    for src in (json_path, csv_path):
        restored = tmp_path / f"{src.suffix[1:]}.db"
        koryu("ingest", src, "--db", restored)
        with store.open(restored) as db:
            assert series_counts(db) == stored
            assert [(r.id, r.series) for r in db.records()] == [(r["id"], r["series"]) for r in records]
        out = koryu("ingest", src, "--db", two_series).stdout  # back into the original: both unchanged
        assert out.count("(変更なし)") == 2


@pytest.mark.slow
def test_an_export_from_before_series_asks_which_report_it_is(two_series, tmp_path):
    records = json.loads(koryu("export", "--db", two_series).stdout)
    old = [{k: v for k, v in r.items() if k != "series"} for r in records if r["series"] == SECOND]
    path = tmp_path / "old-export.json"
    path.write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    p = koryu("ingest", path, "--db", tmp_path / "copy.db", check=False)  # an empty year: stored as unknown
    assert p.returncode == 0 and "2024年度 （題名なし） — 10件" in p.stdout
    copy = tmp_path / "two.db"
    copy.write_bytes(two_series.read_bytes())
    p = koryu("ingest", path, "--db", copy, check=False)
    assert p.returncode == 1 and "--series" in p.stderr
    out = koryu("ingest", path, "--series", SECOND, "--db", copy).stdout
    assert "(変更なし)" in out


# ---------------------------------------------------------------------------------------------- Slack
@pytest.fixture(scope="module")
def series_slack_app(tmp_path_factory, standin, two_series):
    """`koryu serve --http` on a copy of the two-series database; the tests below change what is stored."""
    app = start_slack_app(tmp_path_factory.mktemp("slack-series"), standin, two_series)
    yield app
    stop_slack_app(app)


def _offer(app, name: str) -> dict[str, dict]:
    """DM the untitled report as `name`; returns the buttons of the question that comes back."""
    ts = dm_upload(app, ADMIN, name, UNTITLED.read_bytes())
    received, question = thread_posts(app.standin, "D0" + ADMIN, ts, 2)
    assert f"{name} を受け取りました" in received["text"]
    assert "題名がない" in question["text"] and "2024年度" in question["text"]
    return buttons(question["blocks"])


def _click(app, button: dict, user: str = ADMIN) -> dict:
    s = app.standin
    before = len(s.of("response"))
    status, _, elapsed = app.action(
        block_action(
            button["action_id"],
            button["value"],
            ephemeral=False,
            response_url=f"{s.base}/response/series-{time.time_ns()}",
            channel="D0" + user,
            user=user,
        )
    )
    assert status == 200 and elapsed < 3
    return next_call(s, "response", before, 60).params


@pytest.mark.slow
def test_slack_asks_which_report_an_untitled_upload_is_and_replaces_it(series_slack_app):
    app = series_slack_app
    offered = _offer(app, "untitled.pdf")
    labels = {b["action_id"]: b["text"]["text"] for b in offered.values()}
    assert labels == {
        "koryu_series_replace_0": f"置き換える: {FIRST}",
        "koryu_series_replace_1": f"置き換える: {SECOND}",
        "koryu_series_add": "別の報告書として追加",
    }
    with store.open(app.db_path) as db:
        before = series_counts(db)
    refused = _click(app, offered["koryu_series_replace_1"], user="UNOBODY")  # the choice is an admin's
    assert "管理者だけ" in refused["text"] and refused["replace_original"] is False
    done = _click(app, offered["koryu_series_replace_1"])
    assert done["replace_original"] is True  # the question and its buttons give way to the result
    assert f"untitled.pdf: 2024年度 {SECOND} 10件" in done["text"] and "追加 0 / 削除 0 / 変更 0" in done["text"]
    with store.open(app.db_path) as db:
        assert series_counts(db) == before


@pytest.mark.slow
def test_slack_adds_an_untitled_upload_as_another_report(series_slack_app):
    app = series_slack_app
    offered = _offer(app, "mid-year.pdf")
    done = _click(app, offered["koryu_series_add"])
    assert "mid-year.pdf: 2024年度 （題名なし） 10件" in done["text"] and "追加 10" in done["text"]
    with store.open(app.db_path) as db:
        assert series_counts(db)[2024, ""] == 10
    # the year now holds an untitled report too: a second untitled one is offered under its own name
    offered = _offer(app, "second-list.pdf")
    assert f"置き換える: {ingest.series_label('')}" in {b["text"]["text"] for b in offered.values()}
    done = _click(app, offered["koryu_series_add"])
    assert "2024年度 second-list 10件" in done["text"]
    with store.open(app.db_path) as db:
        assert series_counts(db)[2024, "second-list"] == 10


@pytest.mark.slow
def test_slack_choice_is_refused_when_the_file_is_gone_or_changed(series_slack_app):
    app = series_slack_app
    offered = _offer(app, "gone.pdf")
    with store.open(app.db_path) as db:
        before = series_counts(db)
    (app.reports_dir / "gone.pdf").write_bytes(OTHER.read_bytes())  # another file under the same name
    changed = _click(app, offered["koryu_series_add"])
    assert "gone.pdf が見つからないか" in changed["text"]
    (app.reports_dir / "gone.pdf").unlink()
    gone = _click(app, offered["koryu_series_replace_0"])
    assert "gone.pdf が見つからないか" in gone["text"]
    outside = dict(offered["koryu_series_add"], value=json.dumps({"f": "../koryu.db", "h": "0" * 16, "s": ""}))
    assert "見つからないか" in _click(app, outside)["text"]  # only files in the reports folder
    with store.open(app.db_path) as db:
        assert series_counts(db) == before


def test_slack_reports_listing_names_each_series(series_slack_app):
    s = series_slack_app.standin
    before = len(s.of("response"))
    series_slack_app.command("reports")
    listing = block_texts(next_call(s, "response", before).params["blocks"])
    assert f"2024年度 {FIRST} — 123件" in listing and f"2024年度 {SECOND} — 10件" in listing


def test_slack_ingest_command_asks_about_each_untitled_file(series_slack_app):
    app = series_slack_app
    (app.reports_dir / "folder-copy.pdf").write_bytes(UNTITLED.read_bytes())
    untitled = sorted(p.name for p in app.reports_dir.glob("*.pdf"))
    before = len(app.standin.of("response"))
    status, _, _ = app.command("ingest", user=ADMIN)
    assert status == 200
    asked = [next_call(app.standin, "response", before + i, 60).params for i in range(len(untitled))]
    assert sorted(a["text"].split(" には題名がない")[0] for a in asked) == untitled
    for a in asked:
        assert a["response_type"] == "ephemeral" and "koryu_series_add" in buttons(a["blocks"])
    offered = next(buttons(a["blocks"]) for a in asked if a["text"].startswith("folder-copy.pdf"))
    done = _click(app, offered["koryu_series_replace_1"])
    assert f"folder-copy.pdf: 2024年度 {SECOND} 10件" in done["text"]
