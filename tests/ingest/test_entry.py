"""Recording events one at a time (`koryu add`, `koryu edit`, `koryu delete`): real processes, a real database."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.drivers import run

pytestmark = pytest.mark.slow  # processes and files: the fast lane (make test-fast) leaves them to CI


def _ids(db, question: str) -> list[str]:
    out = json.loads(run("ask", question, "--json", "--limit", "0", "--db", db).stdout)
    return [r["id"] for r in out["records"]]


def test_add_is_searchable_at_once_in_its_years_draft_and_beside_the_report(tmp_path, ingested_path):
    db = tmp_path / "k.db"
    shutil.copy(ingested_path, db)
    p = run("add", "-m", "金沢", "-d", "朝顔市で物産展", "--department", "アカデミー推進課", "-p", "R7.7.20～7.21", "--db", db)
    assert "登録しました" in p.stdout and "令和7年度交流実績一覧（登録分）" in p.stdout
    [record_id] = _ids(db, "金沢市 朝顔市で物産展")
    found = json.loads(run("ask", "金沢市 朝顔市で物産展", "--json", "--db", db).stdout)["records"][0]
    assert found["municipality"] == "石川県金沢市" and found["intervals"] == [["2025-07-20", "2025-07-21"]]
    assert found["series"] == "交流実績一覧（登録分）" and found["fiscal_year"] == 2025
    reports = json.loads(run("reports", "--json", "--db", db).stdout)
    assert {(r["fiscal_year"], r["series"]) for r in reports} == {
        (2024, "交流実績一覧（協定等締結自治体）"),
        (2025, "交流実績一覧（登録分）"),
    }
    # the same event twice is refused; the report's 123 records are untouched
    again = run(
        "add", "-m", "金沢市", "-d", "朝顔市で物産展", "--department", "x", "-p", "R7.7.20～7.21", "--db", db, check=False
    )
    assert again.returncode == 1 and "すでにあります" in again.stderr
    assert json.loads(run("ask", "金沢市", "--json", "--limit", "0", "--db", db).stdout)["total"] == 21

    edited = run("edit", record_id, "-p", "R7.7.19～7.21", "--db", db).stdout
    assert "直しました" in edited and "7月19日" in edited
    [new_id] = _ids(db, "金沢市 朝顔市で物産展")
    assert new_id != record_id
    assert "削除しました" in run("delete", new_id, "--db", db).stdout
    assert new_id not in _ids(db, "金沢市 朝顔市で物産展")
    assert {r["fiscal_year"] for r in json.loads(run("reports", "--json", "--db", db).stdout)} == {2024}


def test_bad_input_is_one_line_and_stores_nothing(tmp_path, ingested_path):
    db = tmp_path / "k.db"
    shutil.copy(ingested_path, db)
    before = db.read_bytes()
    cases = [
        (["-m", "金択市", "-d", "x", "--department", "y", "-p", "R7.7.1"], "もしかして 金沢市"),
        (["-m", "金沢市", "-d", "x", "--department", "y", "-p", "R8.13.40"], "実施期間を読めません"),
        (["-m", "金沢市", "-d", "  ", "--department", "y", "-p", "R7.7.1"], "事業内容が空です"),
        (["-m", "金沢市", "-d", "x", "-p", "R7.7.1"], "--department"),
    ]
    for args, said in cases:
        p = run("add", *args, "--db", db, check=False)
        assert p.returncode in (1, 2) and said in p.stderr and len(p.stderr.strip().splitlines()) == 1, p.stderr
        assert "Traceback" not in p.stderr
    assert db.read_bytes() == before or _ids(db, "x") == []
    # a record read from the report is the report's: it cannot be deleted or edited one by one
    report_id = _ids(db, "金沢市 物産展")[0]
    for cmd in (["delete", report_id], ["edit", report_id, "-d", "x"]):
        p = run(*cmd, "--db", db, check=False)
        assert p.returncode == 1 and "報告書から読んだ記録は" in p.stderr
    assert len(_ids(db, "金沢市 物産展")) == 5


def test_a_year_can_start_with_add_in_an_empty_database(tmp_path):
    db = tmp_path / "new.db"
    run("add", "-m", "石川県金沢市", "-d", "百万石まつりに出展", "--department", "経済課", "-p", "2025/6/7-8", "--db", db)
    out = json.loads(run("ask", "百万石まつり", "--json", "--db", db).stdout)
    assert out["total"] == 1 and out["records"][0]["intervals"] == [["2025-06-07", "2025-06-08"]]
    assert "sample" not in out or not out["sample"]
