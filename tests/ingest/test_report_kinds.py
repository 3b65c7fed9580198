"""Every kind of report file through `koryu ingest` as an admin runs it: the source spreadsheet, CSV saved
from it in the encodings Japanese Excel writes, tables without rules, and files refused with a reason."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.drivers import run

FIXTURES = Path(__file__).parents[1] / "fixtures"
SHEETS = FIXTURES / "sheets"


@pytest.mark.slow
@pytest.mark.parametrize(
    "name,records",
    [
        ("report-two-row-header.xlsx", 123),
        ("report-utf8.csv", 123),
        ("report-utf8-bom.csv", 123),
        ("report-cp932.csv", 118),  # the five records with 鷗 cannot be written in CP932
        ("ditto-dates-cover-sheet.xlsx", 123),
    ],
)
def test_spreadsheets_are_ingested_and_cited_by_row(tmp_path, name, records):
    db = tmp_path / "k.db"
    out = run("ingest", SHEETS / name, "--db", db).stdout
    assert "2024年度" in out and f"{records}件" in out
    res = json.loads(run("ask", "金沢市 物産展", "--json", "--db", db).stdout)
    assert res["total"] == 5
    assert all(r["source"]["file"] == name and r["source"]["row"] > 0 and r["source"]["page"] is None for r in res["records"])
    assert "行目" in run("ask", "金沢市 物産展", "--db", db).stdout


@pytest.mark.slow
def test_the_spreadsheet_after_its_pdf_replaces_the_same_report(tmp_path, sample_report_pdf):
    db = tmp_path / "k.db"
    run("ingest", sample_report_pdf, "--db", db)
    out = run("ingest", SHEETS / "report-utf8.csv", "--db", db).stdout
    assert "追加 0 / 削除 0" in out  # the same records: one series, replaced, nothing added or lost
    reports = json.loads(run("reports", "--json", "--db", db).stdout)
    assert len(reports) == 1 and reports[0]["record_count"] == 123


@pytest.mark.slow
def test_an_export_csv_is_still_read_as_an_export(tmp_path, sample_report_pdf):
    db, again = tmp_path / "k.db", tmp_path / "again.db"
    run("ingest", sample_report_pdf, "--db", db)
    exported = tmp_path / "export.csv"
    run("export", "--format", "csv", "--db", db, "-o", exported)
    run("ingest", exported, "--db", again)
    assert json.loads(run("ask", "物産展", "--json", "--db", again).stdout)["total"] == 26


@pytest.mark.slow
def test_a_sheet_without_a_period_column_is_refused_then_stored_flagged(tmp_path):
    rows = list(csv.reader((SHEETS / "report-utf8.csv").read_text(encoding="utf-8").splitlines()))
    header = next(i for i, r in enumerate(rows) if "事業内容" in r)
    period = rows[header].index(next(c for c in rows[header] if "期間" in c))
    cut = tmp_path / "no-period.csv"
    with cut.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([r[:period] + r[period + 1 :] for r in rows])
    db = tmp_path / "k.db"
    refused = run("ingest", cut, "--db", db, check=False)
    assert refused.returncode != 0 and "実施期間の列が見つかりません" in refused.stderr and "--force" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    run("ingest", cut, "--db", db, "--force")
    text = run("ask", "金沢市 物産展", "--db", db).stdout
    assert "⚠ 読み取りに問題のある記録です" in text
    res = json.loads(run("ask", "金沢市 物産展", "--json", "--db", db).stdout)
    assert all(r["problems"] for r in res["records"])


@pytest.mark.slow
@pytest.mark.parametrize(
    "path,reason",
    [
        (FIXTURES / "bad" / "cid-font-without-tounicode.pdf", "ToUnicode"),
        (SHEETS / "bad" / "password-protected.xlsx", "パスワード"),
    ],
)
def test_unreadable_files_are_refused_with_one_line(tmp_path, path, reason):
    p = run("ingest", path, "--db", tmp_path / "k.db", check=False)
    assert p.returncode != 0 and reason in p.stderr and len(p.stderr.strip().splitlines()) == 1
