"""The 一覧 koryu prints (xlsx, PDF) in the report's layout reads back into an empty database as exactly the same
records: the sample report, every layout, list and spreadsheet fixture, and a year entered with `koryu add`. And a
published report ingested beside a year's recorded events says what each lacks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.printing import PrintedList, blocks, pdf_bytes, wrap, xlsx_bytes
from ingest.report import read_any
from tests.drivers import run

pytestmark = pytest.mark.slow  # processes and files: the fast lane (make test-fast) leaves them to CI

FIXTURES = Path(__file__).parents[1] / "fixtures"
READABLE = sorted(
    [*(FIXTURES / "layouts").glob("*.pdf"), *(FIXTURES / "series").glob("*.pdf"), *(FIXTURES / "sheets").glob("*.xlsx")]
)


def same(record: dict) -> str:
    """What a record is (`Record.to_dict()`), whatever file it was read from: its source page or row aside."""
    return json.dumps({k: v for k, v in record.items() if k != "source"}, ensure_ascii=False, sort_keys=True)


@pytest.mark.slow
@pytest.mark.parametrize("fixture", READABLE, ids=lambda p: f"{p.parent.name}/{p.name}")
@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_every_fixture_printed_reads_back_as_the_same_records(fixture, fmt, tmp_path):
    reports = read_any(fixture)
    lists = [PrintedList(rep.title, rep.records) for rep in reports]
    printed = tmp_path / f"一覧.{fmt}"
    printed.write_bytes(pdf_bytes(lists) if fmt == "pdf" else xlsx_bytes(lists))
    back = read_any(printed)
    assert sorted(same(r.to_dict()) for rep in back for r in rep.records) == sorted(
        same(r.to_dict()) for rep in reports for r in rep.records
    )
    assert [(rep.fiscal_year, rep.series) for rep in back] == [(rep.fiscal_year, rep.series) for rep in reports]


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_the_sample_exported_by_the_cli_reads_back_exactly(fmt, tmp_path, ingested_path):
    out = tmp_path / f"r6.{fmt}"
    p = run("export", "--fiscal-year", "2024", "-o", out, "--db", ingested_path)
    assert "123件" in p.stderr and out.stat().st_size > 0
    run("ingest", out, "--db", tmp_path / "back.db")
    a = json.loads(run("export", "--db", ingested_path).stdout)
    b = json.loads(run("export", "--db", tmp_path / "back.db").stdout)
    assert sorted(map(same, a)) == sorted(map(same, b)) and len(b) == 123


def test_a_year_entered_with_koryu_add_prints_and_reads_back(tmp_path):
    db = tmp_path / "k.db"
    events = [
        ("金沢市", "朝顔市で物産展・観光PR", "アカデミー推進課", "2026/7/18-19"),
        ("熊本県", "くまモンによるステージ（都市交流フェスタ）", "アカデミー推進課", "R8.10.3"),
        (
            "うるま市",
            "中学生の平和学習派遣。現地の中学生と交流し、地域の文化や歴史、平和について学ぶ長い説明の行" * 2,
            "教育指導課",
            "R8.8.1～8.4",
        ),
        ("津和野町", "お米の寄附", "子育て支援課", "R8.6"),
        ("金沢市", "冬の物産展", "経済課", "R9.1.10～1.12・2.1"),
    ]
    for m, d, dep, p in events:
        run("add", "-m", m, "-d", d, "--department", dep, "-p", p, "--db", db)
    for fmt in ("pdf", "xlsx"):
        out = tmp_path / f"r8.{fmt}"
        run("export", "--fiscal-year", "2026", "-o", out, "--db", db)
        back = tmp_path / f"back-{fmt}.db"
        run("ingest", out, "--db", back)
        a = json.loads(run("export", "--db", db).stdout)
        b = json.loads(run("export", "--db", back).stdout)
        assert [r["id"] for r in a] and sorted(r["id"] for r in a) == sorted(r["id"] for r in b)
        assert {r["series"] for r in b} == {"交流実績一覧（登録分）"}
        assert next(r for r in b if r["description"] == "朝顔市で物産展・観光PR")["period_text"] == "R8.7.18～7.19"


def test_partners_in_code_order_with_their_label_once(ingested):
    order = [name for name, _ in blocks(ingested.records(2024))]
    codes = [next(r.municipality_code for r in ingested.records(2024) if r.printed_name == n) for n in order]
    assert codes == sorted(codes) and len(order) == len(set(order))


def test_lines_never_start_with_a_closing_mark():
    from bot.printing import _font, font_path

    font = _font(font_path())
    lines = wrap("交流自治体の食材を活用した料理等を提供。また、スタンプラリーの当選賞品に各自治体の特産品を使用。", 60, font)
    assert "".join(lines) == "交流自治体の食材を活用した料理等を提供。また、スタンプラリーの当選賞品に各自治体の特産品を使用。"
    assert len(lines) > 3 and not any(line[0] in "、。）」" for line in lines)


def test_no_font_is_one_line_naming_what_to_install(tmp_path, ingested_path):
    p = run(
        "export",
        "--format",
        "pdf",
        "-o",
        tmp_path / "x.pdf",
        "--db",
        ingested_path,
        env={"PATH": "/usr/bin:/bin", "KORYU_PDF_FONT": str(tmp_path / "none.ttf")},
        check=False,
    )
    assert p.returncode == 1 and "KORYU_PDF_FONT" in p.stderr and len(p.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.pdf").exists()


def test_a_published_report_is_compared_with_the_years_recorded_events(tmp_path, sample_report_pdf):
    db = tmp_path / "k.db"
    run("add", "-m", "金沢市", "-d", "朝顔市で物産展", "--department", "アカデミー推進課", "-p", "R6.7.20～7.21", "--db", db)
    run("add", "-m", "熊本県", "-d", "くまモン来訪", "--department", "アカデミー推進課", "-p", "R6.8.1", "--db", db)
    out = run("ingest", sample_report_pdf, "--db", db).stdout
    assert "登録分（2024年度）との照合: 一致 1件・登録分だけ 1件・報告書だけ 122件" in out
    assert "くまモン来訪" in out.split("報告書だけにある")[0].split("登録分だけにある")[1]
    assert "…ほか 112件" in out
    # the draft stays beside the report until an admin deletes it
    reports = json.loads(run("reports", "--json", "--db", db).stdout)
    assert {r["series"] for r in reports} == {"交流実績一覧（協定等締結自治体）", "交流実績一覧（登録分）"}


def test_copy_of_database_is_not_touched_by_export(tmp_path, ingested_path):
    db = tmp_path / "k.db"
    shutil.copy(ingested_path, db)
    before = db.read_bytes()
    run("export", "--format", "xlsx", "-o", tmp_path / "x.xlsx", "--db", db)
    assert db.read_bytes() == before


def test_the_slack_summary_of_a_report_beside_a_draft_lists_both_sides(tmp_path, sample_report_pdf):
    import ingest
    import store
    from bot import render
    from ingest.entry import add_record, entry_record

    with store.open(tmp_path / "k.db") as db:
        add_record(db, entry_record("熊本県", "くまモン来訪", "アカデミー推進課", "R6.8.1"), added_by="UUSER1")
        outcome = ingest.ingest_file(db, sample_report_pdf)
    summary = render.ingest_summary([outcome])
    assert "登録分（2024年度）との照合: 一致 0件・登録分だけ 1件・報告書だけ 123件" in summary
    assert "• 熊本県 R6.8.1 くまモン来訪（アカデミー推進課）" in summary and "…ほか 113件" in summary
