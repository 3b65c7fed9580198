"""The `koryu` command line as a user runs it: real processes, real files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
import pytest

from bot.cli import main as cli_main
from tests.drivers import clean_env, run


def test_every_command_has_help_with_an_example():
    ctx = click.Context(cli_main)
    for name, cmd in cli_main.commands.items():
        help_text = cmd.get_help(ctx)
        assert "Example:" in help_text and "koryu " + name in help_text, name


@pytest.mark.slow
def test_ingest_ask_json_limit_zero(tmp_path, sample_report_pdf):
    db = tmp_path / "k.db"
    out = run("ingest", sample_report_pdf, "--db", db).stdout
    assert "2024年度" in out and "123件" in out and "14自治体" in out and "追加 123" in out
    res = json.loads(run("ask", "防災ミーティング", "--json", "--limit", "0", "--db", db).stdout)
    assert set(res) >= {"query", "interpretation", "total", "records"}
    assert res["total"] == 9 and len(res["records"]) == 9
    assert res["interpretation"]["terms"] == ["防災ミーティング"]
    limited = json.loads(run("ask", "防災ミーティング", "--json", "--limit", "2", "--db", db).stdout)
    assert limited["total"] == 9 and len(limited["records"]) == 2
    text = run("ask", "金沢市", "物産展", "--db", db).stdout
    assert text.startswith("金沢市 × 物産展: 5件")


@pytest.mark.slow
def test_reingest_same_file_changes_nothing(tmp_path, sample_report_pdf):
    db = tmp_path / "k.db"
    run("ingest", sample_report_pdf, "--db", db)
    out = run("ingest", sample_report_pdf, "--db", db).stdout
    assert "(変更なし)" in out and "追加 0" not in out


@pytest.mark.slow
def test_export_json_and_csv_round_trip(tmp_path, sample_report_pdf):
    db = tmp_path / "k.db"
    run("ingest", sample_report_pdf, "--db", db)
    records = json.loads(run("export", "--db", db).stdout)
    assert isinstance(records, list) and len(records) == 123
    assert records[0]["municipality_code"] == "430005" and records[0]["source"] == {"file": "r6_report.pdf", "page": 1}
    csv_path = tmp_path / "out.csv"
    run("export", "--format", "csv", "--db", db, "-o", csv_path)
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM so Excel reads UTF-8
    assert raw.decode("utf-8-sig").splitlines()[0].startswith("fiscal_year,municipality,municipality_code")
    json_path = tmp_path / "out.json"
    json_path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    for src in (json_path, csv_path):
        db2 = tmp_path / f"{src.suffix[1:]}.db"
        run("ingest", src, "--db", db2)
        again = json.loads(run("export", "--db", db2).stdout)
        strip = lambda rs: [{k: v for k, v in r.items() if k != "source"} for r in rs]  # noqa: E731
        assert strip(again) == strip(records)


@pytest.mark.slow
def test_bad_file_one_line_error_and_nothing_lost(tmp_path, sample_report_pdf):
    db = tmp_path / "k.db"
    run("ingest", sample_report_pdf, "--db", db)
    before = run("export", "--db", db).stdout
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    p = run("ingest", bad, "--db", db, check=False)
    assert p.returncode != 0
    lines = [line for line in p.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "broken.pdf" in lines[0] and "Traceback" not in p.stderr
    assert run("export", "--db", db).stdout == before


@pytest.mark.slow
def test_empty_database_answers_from_sample_and_says_so(tmp_path):
    p = run("ask", "金沢市 物産展", "--db", tmp_path / "empty.db", cwd=tmp_path)
    assert "サンプル" in p.stdout and "5件" in p.stdout
    res = json.loads(run("ask", "うるま市", "--json", "--db", tmp_path / "empty.db").stdout)
    assert res["sample"] is True and res["total"] == 9


@pytest.mark.slow
def test_ask_sql_shows_escaped_fts(tmp_path, ingested_path):
    p = run("ask", '物産展" OR *', "--sql", "--db", ingested_path)
    assert "records_fts MATCH" in p.stdout
    assert "物産 産展" in p.stdout


def test_reports_lists_the_year(ingested_path):
    out = run("reports", "--db", ingested_path).stdout
    assert "2024年度" in out and "123件" in out


@pytest.mark.slow
@pytest.mark.parametrize("query", ['"', "*", "NEAR(", "AND OR NOT", "-", "(", '物産展"', "'; DROP TABLE records; --"])
def test_fts_syntax_is_always_literal(query, ingested_path):
    p = run("ask", query, "--json", "--db", ingested_path, check=False)
    if query.strip('"*-( ') == "":  # nothing to search for: a one-line hint, exit 2
        assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr
        return
    assert p.returncode == 0, p.stderr
    json.loads(p.stdout)


@pytest.mark.slow
def test_debug_pages_and_summary(tmp_path):
    from pathlib import Path

    pdf = Path(__file__).parents[1] / "fixtures" / "layouts" / "label-after-break-header-overflow.pdf"
    out = run("ingest", pdf, "--db", tmp_path / "k.db", "--debug", tmp_path / "dbg").stdout
    pngs = sorted((tmp_path / "dbg").glob("page-*.png"))
    assert len(pngs) == 3 and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
    listing = (tmp_path / "dbg" / "page-2.txt").read_text(encoding="utf-8")
    assert "label='石川県金沢市'" in listing and "how=" in listing
    # the summary: fiscal year, records, municipalities, per-municipality counts, time
    assert "2024年度" in out and "123件・14自治体" in out and "石川県金沢市 20件" in out and "秒" in out


@pytest.mark.slow
def test_summary_lists_warnings_and_unparsed_periods(tmp_path, sample_report_pdf):
    out = run("ingest", sample_report_pdf, "--db", tmp_path / "k.db").stdout
    assert "注意: 都道府県名の誤記として解決" in out and "熊本市上天草市 → 熊本県上天草市" in out


@pytest.mark.slow
def test_serve_refuses_to_start_without_its_settings(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "KORYU_"))}
    p = run("serve", "--socket", cwd=tmp_path, env=env, check=False)
    assert p.returncode != 0 and "SLACK_BOT_TOKEN" in p.stderr and "Traceback" not in p.stderr
    env["SLACK_BOT_TOKEN"] = "xoxb-x"
    p = run("serve", "--socket", cwd=tmp_path, env=env, check=False)
    assert p.returncode != 0 and "SLACK_APP_TOKEN" in p.stderr
    p = run("serve", "--http", cwd=tmp_path, env=env, check=False)
    assert p.returncode != 0 and "SLACK_SIGNING_SECRET" in p.stderr


@pytest.mark.slow
@pytest.mark.parametrize("query", ["\u200b", "\x01", "？！", "   "])
def test_nothing_to_search_for_is_a_hint_not_everything(query, ingested_path):
    p = run("ask", query, "--db", ingested_path, check=False)
    assert p.returncode == 2 and "例" in p.stderr and not p.stdout


@pytest.mark.slow
def test_database_errors_are_one_line(tmp_path):
    notdb = tmp_path / "not.db"
    notdb.write_text("this is not sqlite")
    for args in (("ask", "金沢市"), ("export",), ("reports",), ("ingest", tmp_path / "missing.pdf")):
        p = run(*args, "--db", notdb, check=False)
        assert p.returncode != 0 and len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr, args
    assert notdb.read_text() == "this is not sqlite"
    p = run("ingest", tmp_path / "nope.pdf", "--db", tmp_path / "new.db", check=False)
    assert p.returncode == 1 and not (tmp_path / "new.db").exists()  # nothing to read: no database made


# ------------------------------------------------------------------------------------------ settings
ENV_EXAMPLE = Path(__file__).parents[2] / ".env.example"


def _env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def test_env_example_placeholders_are_the_values_serve_refuses():
    from bot.settings import EXAMPLE_VALUES, SECRETS, Settings

    values = _env_example()
    assert set(EXAMPLE_VALUES) == set(SECRETS)
    for name in SECRETS:
        assert values[name] == EXAMPLE_VALUES[name], name
    for field in Settings.model_fields:  # every setting is documented there
        assert field.upper() in values, field


@pytest.mark.slow
def test_serve_refuses_an_unedited_env_example(tmp_path):
    (tmp_path / ".env").write_bytes(ENV_EXAMPLE.read_bytes())
    cases = [
        ({}, "--http", ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"], ["SLACK_APP_TOKEN"]),
        ({}, "--socket", ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"], ["SLACK_SIGNING_SECRET"]),
        ({"SLACK_BOT_TOKEN": "xoxb-1-2-real"}, "--http", ["SLACK_SIGNING_SECRET"], ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"]),
        ({"SLACK_BOT_TOKEN": "xoxb-1-2-real"}, "--socket", ["SLACK_APP_TOKEN"], ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"]),
    ]
    for extra, mode, named, not_named in cases:
        p = run("serve", mode, "--port", "0", cwd=tmp_path, env=clean_env(**extra), check=False)
        lines = [line for line in p.stderr.splitlines() if line.strip()]
        assert p.returncode == 1 and len(lines) == 1 and "Traceback" not in p.stderr, (mode, p.stderr)
        assert lines[0].startswith("koryu: ") and ".env.example" in lines[0], lines[0]
        assert all(n in lines[0] for n in named) and not any(n in lines[0] for n in not_named), (mode, lines[0])
        assert not p.stdout
    assert not (tmp_path / "koryu.db").exists()


@pytest.mark.slow
@pytest.mark.parametrize(
    "name, value", [("KORYU_QUESTION_LOG_DAYS", "0"), ("KORYU_LOG_LEVEL", "LOUD"), ("KORYU_MAX_UPLOAD_BYTES", "lots")]
)
def test_an_invalid_setting_is_one_line_naming_it(tmp_path, name, value):
    env = clean_env(SLACK_BOT_TOKEN="xoxb-1-2-real", SLACK_SIGNING_SECRET="s3cret", **{name: value})
    for args in (("serve", "--http", "--port", "0"), ("reports",), ("ask", "金沢市")):
        p = run(*args, cwd=tmp_path, env=env, check=False)
        lines = [line for line in p.stderr.splitlines() if line.strip()]
        assert p.returncode == 1 and len(lines) == 1 and "Traceback" not in p.stderr, (args, p.stderr)
        assert name in lines[0], lines[0]


# ------------------------------------------------------------------------------------------ databases
def _db_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".db" in p.name)


@pytest.mark.slow
def test_demo_uses_the_default_database_that_export_and_reports_read(tmp_path, sample_report_pdf):
    makefile = (Path(__file__).parents[2] / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "koryu ingest" in recipe and "koryu ask" in recipe and "--db" not in recipe
    # the demo's steps in a fresh folder with no KORYU_DB: the same database for every command
    env = clean_env()
    run("ingest", sample_report_pdf, cwd=tmp_path, env=env)
    assert _db_files(tmp_path) and "koryu.db" in _db_files(tmp_path)
    answer = run("ask", "金沢市 物産展", cwd=tmp_path, env=env).stdout
    assert answer.startswith("金沢市 × 物産展: 5件") and "サンプル" not in answer
    assert len(json.loads(run("export", cwd=tmp_path, env=env).stdout)) == 123
    assert "2024年度" in run("reports", cwd=tmp_path, env=env).stdout


@pytest.mark.slow
def test_ask_without_a_database_says_it_answers_from_the_sample(tmp_path):
    p = run("ask", "金沢市 物産展", cwd=tmp_path, env=clean_env())
    assert "5件" in p.stdout and "サンプル" in p.stdout and "koryu ingest" in p.stdout
    assert _db_files(tmp_path) == []  # asking creates no database


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["missing-file", "bad-pdf", "folder-of-bad-files"])
def test_ingest_that_stores_nothing_leaves_no_new_database(tmp_path, kind):
    work = tmp_path / "work"
    work.mkdir()
    bad = work / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    if kind == "missing-file":
        target = "nonexistent.pdf"
    elif kind == "bad-pdf":
        target = "broken.pdf"
    else:
        folder = work / "reports"
        folder.mkdir()
        (folder / "a.pdf").write_bytes(b"%PDF-1.4\nnot really")
        (folder / "b.csv").write_text("not,a,report\n1,2,3\n", encoding="utf-8")
        (folder / "c.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
        target = "reports"
    p = run("ingest", target, cwd=work, env=clean_env(), check=False)
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert _db_files(work) == [], p.stderr
    assert _db_files(tmp_path) == []


@pytest.mark.slow
def test_ingest_that_stores_nothing_keeps_an_existing_database(tmp_path, ingested_path):
    db = tmp_path / "koryu.db"
    db.write_bytes(ingested_path.read_bytes())
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    assert run("ingest", bad, "--db", db, check=False).returncode == 1
    assert db.exists() and "123件" in run("reports", "--db", db).stdout


@pytest.mark.parametrize("command", [("export",), ("export", "--format", "csv"), ("reports",), ("reports", "--json")])
@pytest.mark.parametrize("state", ["no-database", "empty-database"])
def test_export_and_reports_with_nothing_stored_say_what_to_run(tmp_path, command, state):
    db = tmp_path / "koryu.db"
    if state == "empty-database":
        import store

        store.open(db).close()
    p = run(*command, "--db", db, check=False)
    lines = [line for line in p.stderr.splitlines() if line.strip()]
    assert p.returncode == 1 and not p.stdout and len(lines) == 1 and "Traceback" not in p.stderr, p.stderr
    assert "koryu ingest <報告書.pdf>" in lines[0] and str(db) in lines[0]


@pytest.mark.slow
def test_export_of_a_fiscal_year_not_stored_names_the_stored_years(tmp_path, ingested_path):
    out = tmp_path / "r12.csv"
    p = run("export", "--fiscal-year", "2030", "--db", ingested_path, "-o", out, check=False)
    lines = [line for line in p.stderr.splitlines() if line.strip()]
    assert p.returncode == 1 and not p.stdout and len(lines) == 1 and "Traceback" not in p.stderr, p.stderr
    assert "2030" in lines[0] and "2024" in lines[0]
    assert not out.exists()
    assert len(json.loads(run("export", "--fiscal-year", "2024", "--db", ingested_path).stdout)) == 123


# ------------------------------------------------------------------------------------- koryu questions
def _question_log(tmp_path):
    import store
    from store.questions import Asked

    path = tmp_path / "koryu.db"
    now = dt.datetime.now(dt.UTC)
    with store.open(path) as db:
        log = db.questions
        for _ in range(3):
            log.log("ぶっさんてん", "ぶっさんてん", 0, Asked("dm"), now=now)
        log.log("公演", "公演", 0, Asked("command"), now=now - dt.timedelta(days=30))
        log.comment(log.vote(log.log("講演会", "講演会", 0, Asked("mention"), now=now), -1, now=now), "区民講演会")
        log.log("金沢市 物産展", "金沢市 × 物産展", 5, Asked("command"), now=now)
    return path, now


@pytest.mark.slow
def test_questions_unanswered_most_asked_first(tmp_path):
    path, _ = _question_log(tmp_path)
    out = run("questions", "--unanswered", "--db", path).stdout.splitlines()
    assert out[0] == "質問の記録: 3件（すべての期間）"
    assert out[2].split() == ["3", "0", "0", "0", out[2].split()[4], "ぶっさんてん"]
    assert [line.split()[-1] for line in out[3:] if not line.strip().startswith("「")] == ["講演会", "公演"]
    assert "金沢市 物産展" not in "\n".join(out)  # it found 5 records
    every = run("questions", "--db", path).stdout
    assert "金沢市 物産展（金沢市 × 物産展）" in every


@pytest.mark.slow
def test_questions_since_disliked_and_csv(tmp_path):
    import csv
    import io

    path, now = _question_log(tmp_path)
    since = (now - dt.timedelta(days=7)).date().isoformat()
    recent = run("questions", "--since", since, "--db", path).stdout
    assert "公演\n" not in recent + "\n" and "ぶっさんてん" in recent and f"{since} 以降" in recent
    disliked = run("questions", "--disliked", "--db", path).stdout
    assert "講演会" in disliked and "「区民講演会」" in disliked and "ぶっさんてん" not in disliked
    text = run("questions", "--unanswered", "--format", "csv", "--db", path).stdout
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [(r["question"], r["asked"], r["found"]) for r in rows] == [
        ("ぶっさんてん", "3", "0"),
        ("講演会", "1", "0"),
        ("公演", "1", "0"),
    ]
    assert rows[1]["down"] == "1" and rows[1]["comments"] == "区民講演会"
    as_json = json.loads(run("questions", "--format", "json", "--limit", "1", "--db", path).stdout)
    assert [r["question"] for r in as_json] == ["ぶっさんてん"]


@pytest.mark.slow
def test_questions_without_a_database_creates_none(tmp_path):
    p = run("questions", "--db", tmp_path / "none.db", check=False)
    assert p.returncode == 1 and p.stderr.count("\n") == 1 and "データベースがありません" in p.stderr
    assert not (tmp_path / "none.db").exists()
    empty = tmp_path / "empty.db"
    run("ingest", tmp_path / "missing.pdf", "--db", empty, check=False)
    import store

    store.open(empty).close()
    assert run("questions", "--db", empty).stdout.strip() == "質問の記録はありません（すべての期間）。"


@pytest.mark.slow
def test_a_mistyped_option_is_an_error_not_a_search_word(ingested_path):
    p = run("ask", "金沢", "--jsn", "--db", ingested_path, check=False)
    assert (
        p.returncode == 2 and p.stderr.strip() == "koryu: --jsn: そのオプションはありません（koryu ask --help） / no such option"
    )
    assert "xを除く" in run("ask", "物産展", "-x", "--db", ingested_path).stdout  # a minus word still excludes


def test_a_database_in_a_missing_folder_is_one_line_naming_the_folder(tmp_path, sample_report_pdf):
    p = run("ingest", sample_report_pdf, "--db", tmp_path / "nodir" / "koryu.db", check=False)
    assert p.returncode == 1 and len(p.stderr.strip().splitlines()) == 1
    assert f"フォルダ {tmp_path / 'nodir'} がありません" in p.stderr and not (tmp_path / "nodir").exists()


def test_the_startup_settings_call_a_placeholder_what_it_is():
    from bot.settings import EXAMPLE_VALUES, Settings

    shown = Settings(slack_bot_token="xoxb-real", slack_app_token=EXAMPLE_VALUES["SLACK_APP_TOKEN"]).redacted()
    assert shown["slack_bot_token"] == "set" and shown["slack_app_token"] == "the example value"
    assert shown["slack_signing_secret"] == "not set"


def _table_with_an_untitled_column(path):
    """A one-page report whose last column has no title but holds text: no field accounts for it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("HeiseiKakuGo-W5", 12)
    c.drawString(40, 800, "令和６年度交流実績一覧（協定等締結自治体）")
    xs, ys = [40, 140, 340, 420, 500, 560], [760, 740, 720, 700]
    rows = [
        ["自治体名", "事業内容", "所管課", "実施期間", ""],
        ["石川県金沢市", "物産展", "経済課", "R6.5.1", "再掲"],
        ["岩手県盛岡市", "講演会", "広報課", "R6.6.1", "中止"],
    ]
    c.setFont("HeiseiKakuGo-W5", 8)
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    for r, row in enumerate(rows):
        for k, text in enumerate(row):
            c.drawString(xs[k] + 3, ys[r] - 14, text)
    c.showPage()
    c.save()
    return path


@pytest.mark.slow
def test_debug_pictures_of_a_refused_file_mark_what_no_field_accounts_for(tmp_path):
    """Text no field, header or title accounts for refuses the file with its page and text, and --debug draws
    the pictures anyway, listing that text (drawn in red)."""
    pdf = _table_with_an_untitled_column(tmp_path / "untitled.pdf")
    p = run("ingest", pdf, "--db", tmp_path / "k.db", "--debug", tmp_path / "dbg", check=False)
    assert p.returncode == 1 and "p.1" in p.stderr and "再掲" in p.stderr and "--force" in p.stderr
    assert (tmp_path / "dbg" / "page-1.png").read_bytes()[:4] == b"\x89PNG"
    listing = (tmp_path / "dbg" / "page-1.txt").read_text(encoding="utf-8")
    assert "unaccounted (table): 再掲" in listing
    assert not (tmp_path / "k.db").exists()  # nothing stored, no database left behind


@pytest.mark.slow
def test_ask_after_reads_a_follow_up_and_says_what_it_carried(ingested_path):
    out = run("ask", "それはいつ？", "--after", "金沢市の物産展", "--db", ingested_path).stdout
    assert "5件" in out and "前の質問から「金沢市・物産展」を引き継ぎました" in out
    moved = json.loads(run("ask", "盛岡市は？", "--after", "金沢市の物産展", "--json", "--db", ingested_path).stdout)
    assert [r["municipality"] for r in moved["records"]] and all("盛岡市" in r["municipality"] for r in moved["records"])
    assert moved["interpretation"]["terms"] == ["物産展"]
    alone = run("ask", "それはいつ？", "--db", ingested_path).stdout
    assert "引き継ぎました" not in alone


@pytest.mark.slow
def test_ask_with_several_questions_answers_each_in_order(ingested_path):
    out = run("ask", "金沢市との交流は何件？また津和野町の物産展は？", "--db", ingested_path).stdout
    first, second = out.index("【質問1】金沢市との交流は何件？"), out.index("【質問2】津和野町の物産展は？")
    assert first < second and "20件" in out[first:second] and "津和野町" in out[second:]
    both = json.loads(run("ask", "金沢市との交流は何件？また津和野町の物産展は？", "--json", "--db", ingested_path).stdout)
    assert [q["query"] for q in both["questions"]] == ["金沢市との交流は何件？", "津和野町の物産展は？"]


@pytest.mark.slow
def test_export_format_follows_the_file_extension_and_says_what_it_wrote(tmp_path, ingested_path):
    out = tmp_path / "x.csv"
    p = run("export", "-o", out, "--db", ingested_path)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") and b"[{" not in out.read_bytes()[:10]
    assert "123件を CSV で書き出しました" in p.stderr
    out_json = tmp_path / "x.json"
    run("export", "-o", out_json, "--db", ingested_path)
    assert len(json.loads(out_json.read_text(encoding="utf-8"))) == 123
    bad = run("export", "--format", "json", "-o", tmp_path / "y.csv", "--db", ingested_path, check=False)
    assert bad.returncode == 1 and "合いません" in bad.stderr and not (tmp_path / "y.csv").exists()


@pytest.mark.slow
def test_a_cut_answer_says_how_to_see_the_rest(ingested_path):
    out = run("ask", "物産展", "--db", ingested_path).stdout
    assert "1〜20件目 / 全26件" in out and "続き: --offset 20　すべて: --limit 0" in out
    assert "--offset" not in run("ask", "物産展", "--limit", "0", "--db", ingested_path).stdout


@pytest.mark.slow
def test_a_refused_long_file_outside_a_terminal_says_one_line(tmp_path):
    """A file of 10 pages or more refused while piped: the reason alone on stderr — no progress label before
    it (click prints the bar's label when stderr is not a terminal)."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "twelve-blank-pages.pdf"
    c = canvas.Canvas(str(path))
    for _ in range(12):
        c.line(100, 100, 200, 100)  # a page that is not empty, with no text
        c.showPage()
    c.save()
    p = run("ingest", path, "--db", tmp_path / "k.db", check=False)
    assert p.returncode != 0
    assert p.stderr.strip().splitlines() == [p.stderr.strip()] and "twelve-blank-pages.pdf" in p.stderr, p.stderr
